// A costly action (deleting an account) asks first: a form marked data-confirm submits only when the browser's own
// dialog, which screen readers and keyboards handle, is accepted. Without script the server's notice still follows.
(function () {
  document.addEventListener('submit', function (event) {
    const question = event.target.getAttribute('data-confirm');
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
