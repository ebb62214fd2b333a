// The result of an action that reloads the page (post-redirect-get) is marked data-focus-on-load: focus goes there, so a
// screen reader reads it (a role=status on a fresh page is not announced) and Tab continues from it, not from the top.
// Pattern of the GOV.UK notification banner and error summary.
(function () {
  const message = document.querySelector('[data-focus-on-load]');
  if (message && !document.querySelector('[autofocus]')) message.focus();

  // A link in an error summary puts the focus in its field and shows the field's label with it (the browser alone
  // would scroll the field to the very top, its label out of view).
  document.addEventListener('click', function (event) {
    const link = event.target.closest && event.target.closest('.error-summary a[href^="#"]');
    const field = link && document.getElementById(link.getAttribute('href').slice(1));
    if (!field) return;
    event.preventDefault();
    const label = field.id && document.querySelector('label[for="' + CSS.escape(field.id) + '"]');
    (label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
