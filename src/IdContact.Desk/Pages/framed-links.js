// Framed by the agent workspace (Desk:EmbedOrigins), a link to a desk page that is never framed (administration, access
// log, account: DeskPageHeaders) would show the browser's blocked-frame error inside the workspace. Such links are
// marked data-unframed; here they open in a new tab, which keeps the workspace and its call in place (target=_top would
// replace it), and their hidden hint is shown: an arrow (↗) to see and "(opens in a new tab)" to hear. Not framed: nothing changes.
(function () {
  if (window.top === window.self) return;
  document.querySelectorAll('a[data-unframed]').forEach(function (link) {
    link.target = '_blank';
    link.rel = 'noopener';
    const hint = link.querySelector('[data-unframed-hint]');
    if (hint) hint.hidden = false;
  });
  // The sign-out then lands on the sign-in page, not the identity provider's (which refuses frames): for browsers that
  // send no Sec-Fetch-Dest.
  document.querySelectorAll('input[data-framed]').forEach(function (field) { field.value = '1'; });
})();
