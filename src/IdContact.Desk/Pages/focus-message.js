// The result of an action that reloads the page (post-redirect-get) is marked data-focus-on-load: focus goes there, so a
// screen reader reads it (a role=status on a fresh page is not announced) and Tab continues from it, not from the top.
// Pattern of the GOV.UK notification banner and error summary.
(function () {
  const message = document.querySelector('[data-focus-on-load]');
  if (message && !document.querySelector('[autofocus]')) message.focus();
})();
