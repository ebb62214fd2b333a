/*
 * IdContact widget (W1–W3). A municipal page includes
 *   <script src="https://core.example/arnhem/widget.js"></script>
 * and marks a button with data-idcontact-purpose="report_move" (optionally data-idcontact-lang="en"),
 * or calls IdContact.start({ purpose: "report_move", lang: "en" }).
 * Everything it draws lives in a shadow root, so the host page's styles and ours never meet.
 */
(function () {
  "use strict";
  if (window.IdContact && window.IdContact.start) {
    return; // Included twice: the first copy already listens.
  }

  var script = document.currentScript;
  // The tenant's core endpoint is where this file came from: ".../arnhem/widget.js" → ".../arnhem/".
  var base = new URL(".", script && script.src ? script.src : window.location.href).href;

  var texts = {
    nl: {
      title: "Contact met de gemeente",
      intro: "Kies hoe u contact wilt opnemen en hoe u laat zien wie u bent.",
      comm: "Hoe wilt u contact?",
      auth: "Hoe laat u zien wie u bent?",
      next: "Verder",
      cancel: "Annuleren",
      close: "Sluiten",
      loading: "Bezig met laden…",
      starting: "Bezig met starten…",
      choose: "Kies bij beide vragen een mogelijkheid.",
      unreachable: "Deze dienst is nu niet bereikbaar. Probeer het later opnieuw, of bel de gemeente.",
      unknown: "Voor dit onderwerp kunt u op deze manier geen contact opnemen. Bel de gemeente of probeer het later opnieuw.",
      failed: "Het starten is niet gelukt. Probeer het later opnieuw, of bel de gemeente.",
      none: "Er zijn voor dit onderwerp geen mogelijkheden beschikbaar."
    },
    en: {
      title: "Contact the municipality",
      intro: "Choose how you want to get in touch and how you show who you are.",
      comm: "How do you want to get in touch?",
      auth: "How do you show who you are?",
      next: "Continue",
      cancel: "Cancel",
      close: "Close",
      loading: "Loading…",
      starting: "Starting…",
      choose: "Choose an option for both questions.",
      unreachable: "This service cannot be reached right now. Please try again later, or phone the municipality.",
      unknown: "You cannot get in touch this way about this subject. Please phone the municipality or try again later.",
      failed: "Starting did not work. Please try again later, or phone the municipality.",
      none: "There are no options available for this subject."
    }
  };

  var css = [
    ":host { all: initial; }",
    "dialog { box-sizing: border-box; width: min(32rem, calc(100vw - 2rem)); max-height: calc(100vh - 2rem); overflow: auto;",
    "  padding: 1.5rem; border: 2px solid #1a1a1a; border-radius: .5rem; background: #fff; color: #1a1a1a;",
    "  font: 16px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }",
    "dialog::backdrop { background: rgba(0, 0, 0, .6); }",
    "h2 { font-size: 1.4rem; margin: 0 2.5rem .5rem 0; }",
    "p { margin: 0 0 1rem; }",
    "fieldset { border: 1px solid #6b6b6b; border-radius: .3rem; margin: 0 0 1rem; padding: .5rem 1rem; }",
    "legend { font-weight: 600; padding: 0 .25rem; }",
    "label { display: flex; align-items: center; gap: .75rem; padding: .4rem 0; cursor: pointer; }",
    "input[type=radio] { width: 1.25rem; height: 1.25rem; margin: 0; accent-color: #0b4f9c; }",
    "img { width: 2rem; height: 2rem; }",
    ".actions { display: flex; gap: 1rem; flex-wrap: wrap; }",
    "button { font: inherit; font-size: 1.05rem; padding: .55rem 1.1rem; border-radius: .3rem; cursor: pointer;",
    "  border: 2px solid #0b4f9c; background: #fff; color: #0b4f9c; }",
    "button.primary { background: #0b4f9c; color: #fff; }",
    "button[disabled] { cursor: progress; opacity: .75; }",
    "button.close { position: absolute; top: .75rem; right: .75rem; padding: .1rem .6rem; font-size: 1.4rem; line-height: 1.2; }",
    "button:focus-visible, input:focus-visible { outline: 3px solid #b35c00; outline-offset: 2px; }",
    ".status { min-height: 1.5rem; }",
    ".error { color: #8a1c1c; font-weight: 600; }"
  ].join("\n");

  var current = null;

  function start(options) {
    options = options || {};
    if (!options.purpose) {
      throw new Error("IdContact.start needs { purpose }");
    }
    if (current) {
      current.close();
    }
    current = openDialog(String(options.purpose), options.lang === "en" ? "en" : "nl", document.activeElement);
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text !== undefined) {
      node.textContent = text; // Never innerHTML: names come from a server, not from us.
    }
    return node;
  }

  function openDialog(purpose, lang, opener) {
    var t = texts[lang];
    var host = element("div", { "data-idcontact-widget": "" });
    var root = host.attachShadow({ mode: "open" });
    if ("adoptedStyleSheets" in root && typeof CSSStyleSheet === "function" && CSSStyleSheet.prototype.replaceSync) {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(css); // Not subject to the host page's style-src policy.
      root.adoptedStyleSheets = [sheet];
    } else {
      root.appendChild(element("style", {}, css));
    }

    var dialog = element("dialog", { "aria-labelledby": "idc-title", "aria-describedby": "idc-intro", lang: lang });
    var close = element("button", { type: "button", "class": "close", "aria-label": t.close }, "×");
    var form = element("form", { novalidate: "" });
    var status = element("p", { "class": "status", role: "status", "aria-live": "polite" }, t.loading);
    var error = element("p", { "class": "error", role: "alert", hidden: "" });
    dialog.append(close, element("h2", { id: "idc-title" }, t.title), element("p", { id: "idc-intro" }, t.intro), status, error, form);
    root.appendChild(dialog);
    document.body.appendChild(host);

    var done = false;
    function finish() {
      if (done) {
        return;
      }
      done = true;
      if (dialog.open) {
        dialog.close();
      }
      host.remove();
      if (current && current.host === host) {
        current = null;
      }
      if (opener && typeof opener.focus === "function" && document.contains(opener)) {
        opener.focus(); // Back where the resident was.
      }
    }

    close.addEventListener("click", finish);
    dialog.addEventListener("cancel", function (event) {
      event.preventDefault(); // Escape: close our way, so focus returns to the opener.
      finish();
    });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        finish();
      } else if (event.key === "Tab") {
        trapFocus(event, dialog, root);
      }
    });

    dialog.showModal();
    close.focus();

    function showError(message) {
      status.textContent = "";
      error.textContent = message;
      error.hidden = false;
    }

    fetch(base + "session_options/" + encodeURIComponent(purpose) + (lang === "en" ? "?lang=en" : ""), {
      headers: { Accept: "application/json" },
      credentials: "omit"
    }).then(function (response) {
      if (response.status === 404) {
        throw { friendly: t.unknown };
      }
      if (!response.ok) {
        throw { friendly: t.unreachable };
      }
      return response.json();
    }).then(function (options) {
      if (done) {
        return;
      }
      var comm = options.comm_methods || [];
      var auth = options.auth_methods || [];
      if (comm.length === 0 || auth.length === 0) {
        showError(t.none);
        return;
      }
      status.textContent = "";
      buildForm(form, t, comm, auth);
      var first = form.querySelector("input");
      if (first) {
        first.focus();
      }
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        submit(form, t, purpose, lang, status, showError);
      });
      form.querySelector("button[data-cancel]").addEventListener("click", finish);
    }).catch(function (problem) {
      if (!done) {
        showError(problem && problem.friendly ? problem.friendly : t.unreachable); // A network failure is a TypeError.
      }
    });

    return { host: host, close: finish };
  }

  function buildForm(form, t, comm, auth) {
    form.append(group("comm", t.comm, comm), group("auth", t.auth, auth));
    var actions = element("div", { "class": "actions" });
    actions.append(
      element("button", { type: "submit", "class": "primary" }, t.next),
      element("button", { type: "button", "data-cancel": "" }, t.cancel));
    form.appendChild(actions);
  }

  function group(name, legendText, methods) {
    var fieldset = element("fieldset");
    fieldset.appendChild(element("legend", {}, legendText));
    methods.forEach(function (method, index) {
      var id = "idc-" + name + "-" + index;
      var label = element("label", { "for": id });
      var input = element("input", { type: "radio", name: name, id: id, value: String(method.tag) });
      if (methods.length === 1) {
        input.checked = true;
      }
      label.appendChild(input);
      if (method.image_path) {
        label.appendChild(element("img", { src: String(method.image_path), alt: "" }));
      }
      label.appendChild(element("span", {}, String(method.name)));
      fieldset.appendChild(label);
    });
    return fieldset;
  }

  function submit(form, t, purpose, lang, status, showError) {
    var comm = form.querySelector("input[name=comm]:checked");
    var auth = form.querySelector("input[name=auth]:checked");
    if (!comm || !auth) {
      showError(t.choose);
      (comm ? form.querySelector("input[name=auth]") : form.querySelector("input[name=comm]")).focus();
      return;
    }
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    status.textContent = t.starting;
    fetch(base + "start", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      credentials: "omit",
      body: JSON.stringify({ purpose: purpose, auth_method: auth.value, comm_method: comm.value })
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("start " + response.status);
      }
      return response.json();
    }).then(function (answer) {
      window.location.assign(withLanguage(String(answer.client_url), lang));
    }).catch(function () {
      buttons.forEach(function (b) { b.disabled = false; });
      showError(t.failed);
    });
  }

  // Our own pages follow ?lang=; another party's URL is passed on untouched.
  function withLanguage(url, lang) {
    var target = new URL(url, base);
    if (lang !== "en" || target.origin !== new URL(base).origin) {
      return target.href;
    }
    target.searchParams.set("lang", "en");
    return target.href;
  }

  // The modal dialog makes the page inert; wrapping Tab keeps focus inside it rather than in the browser's bar.
  function trapFocus(event, dialog, root) {
    var focusable = Array.prototype.filter.call(
      dialog.querySelectorAll("button, input, a[href], select, textarea, [tabindex]:not([tabindex='-1'])"),
      function (node) { return !node.disabled && node.getClientRects().length > 0; });
    // Radios of one group take a single Tab stop: only the checked one, or the first when none is.
    focusable = focusable.filter(function (node) {
      if (node.type !== "radio") {
        return true;
      }
      var checked = dialog.querySelector("input[name=" + node.name + "]:checked");
      return checked ? node === checked : node === dialog.querySelector("input[name=" + node.name + "]");
    });
    if (focusable.length === 0) {
      return;
    }
    var first = focusable[0];
    var last = focusable[focusable.length - 1];
    var active = root.activeElement;
    if (event.shiftKey && (active === first || !dialog.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !dialog.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target.closest("[data-idcontact-purpose]") : null;
    if (!target) {
      return;
    }
    event.preventDefault();
    start({ purpose: target.getAttribute("data-idcontact-purpose"), lang: target.getAttribute("data-idcontact-lang") || undefined });
  });

  window.IdContact = { start: start };
})();
