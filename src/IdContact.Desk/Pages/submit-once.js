// A form marked data-submit-once posts once: the first submit disables its button (a double click does not post it
// twice) and a later one is dropped. Without script the server answers a second post with the outcome of the first.
(function () {
  document.addEventListener('submit', function (event) {
    const form = event.target;
    if (!form.hasAttribute('data-submit-once')) return;
    if (form.dataset.submitted) { event.preventDefault(); return; }
    form.dataset.submitted = 'true';
    // After this handler, so the browser still sends the form: a disabled button would not submit it.
    setTimeout(function () { form.querySelectorAll('button[type=submit]').forEach(b => { b.disabled = true; }); });
  });
  // Back from the next page (back/forward cache): the form may be used again.
  window.addEventListener('pageshow', function (event) {
    if (!event.persisted) return;
    document.querySelectorAll('form[data-submit-once]').forEach(form => {
      delete form.dataset.submitted;
      form.querySelectorAll('button[type=submit]').forEach(b => { b.disabled = false; });
    });
  });
})();
