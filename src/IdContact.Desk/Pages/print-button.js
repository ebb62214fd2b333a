// A button marked data-print opens the browser's print dialog (the page's print styles leave the forms out); it stays
// hidden without script, where the browser's own print command does the same.
(function () {
  for (const button of document.querySelectorAll('[data-print]')) {
    button.hidden = false;
    button.addEventListener('click', function () { window.print(); });
  }
})();
