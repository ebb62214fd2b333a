// The phone page follows its session: it asks the core for the state (with the page's own token), less often as time
// passes, and says in the status line when the code was used or expired. The code itself stays
// visible until it no longer works; without script the page simply keeps showing it.
(() => {
  'use strict';
  const script = document.currentScript;
  const status = document.getElementById('phone-status');
  if (!script || !status) return;
  let wait = 3000;
  const maxWait = 30000;

  async function check() {
    let state = null;
    try {
      const response = await fetch(script.dataset.status, { headers: { Accept: 'application/json' }, cache: 'no-store' });
      // A token that expired, a session gone, or a plugin that tells no state: nothing to follow, the code stays.
      if (response.status === 404 || response.status === 400) return;
      if (response.ok) state = (await response.json()).state;
    } catch {
      // Offline for a moment: ask again later.
    }

    // Signing in failed: nothing was passed on, but the code still calls (the agent then asks who is calling).
    if (state === 'failed') {
      status.textContent = script.dataset.failed;
      return;
    }

    if (state === 'identified' || state === 'expired') {
      status.textContent = script.dataset[state];
      if (state !== 'identified') {
        const code = document.getElementById('phone-code');
        if (code) code.hidden = true;
      }
      // The page's path ends here: the way back to the municipality's website, when it has one configured.
      const website = document.getElementById('website-link');
      if (website) website.hidden = false;
      return;
    }

    setTimeout(check, wait);
    wait = Math.min(maxWait, Math.round(wait * 1.5));
  }

  setTimeout(check, wait);
})();
