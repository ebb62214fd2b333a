// A costly action (deleting an account) asks first: a form marked data-confirm submits only when the browser's own
// dialog, which screen readers and keyboards handle, is accepted. Accepted, it marks the form confirmed (its
// data-confirmed field), so the one click deletes; without script the server asks on a page of its own instead.
(function () {
  document.addEventListener('submit', function (event) {
    const question = event.target.getAttribute('data-confirm');
    if (!question) return;
    if (!window.confirm(question)) {
      event.preventDefault();
      return;
    }
    const confirmed = event.target.querySelector('[data-confirmed]');
    if (confirmed) confirmed.value = 'yes';
  });
})();
