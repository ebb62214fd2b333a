// Polls this role's status endpoint about once a second and moves on to the finish page when the
// IRMA session has ended. The page works without it: the resident presses the continue link.
(function () {
  "use strict";
  var main = document.getElementById("irma-session");
  var status = document.getElementById("irma-status");
  if (!main || !status || !window.fetch) {
    return;
  }

  var shown = "";
  function say(text) {
    // Only real changes: a live region that repeats itself every second is noise for screen readers.
    if (text && text !== shown) {
      shown = text;
      status.textContent = text;
    }
  }

  function poll() {
    fetch(main.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (answer) {
        if (answer.finished) {
          say(main.dataset.textFinished);
          window.location.assign(main.dataset.finishUrl);
          return;
        }
        say(answer.status === "CONNECTED" || answer.status === "PAIRING" ? main.dataset.textConnected : main.dataset.textWaiting);
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        say(main.dataset.textError);
        window.setTimeout(poll, 3000);
      });
  }

  window.setTimeout(poll, 1000);
})();
