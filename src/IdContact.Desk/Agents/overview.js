// Keeps the agent's contact list current: on every "contactsChanged" the server-rendered list is fetched again.
(function () {
  const script = document.currentScript;
  const tenant = script.dataset.tenant;
  const lang = script.dataset.lang;
  const call = script.dataset.call;
  const refreshSeconds = Number(script.dataset.refresh) || 30;
  const status = document.getElementById('live-status');

  // At most one fetch at a time; changes during it cause exactly one more.
  let running = null;
  let again = false;
  function refresh() {
    if (running) { again = true; return running; }
    running = load().finally(() => {
      running = null;
      if (again) { again = false; refresh(); }
    });
    return running;
  }

  async function load() {
    // Stay on the page the agent is reading; the server clamps it when the list has shrunk.
    const page = document.getElementById('contacts')?.dataset.page || '1';
    const query = `lang=${lang}` + (call ? `&call=${encodeURIComponent(call)}` : `&page=${encodeURIComponent(page)}`);
    const response = await fetch(`/${tenant}/desk/contacts?${query}`, { credentials: 'same-origin' });
    if (response.status === 401 || response.status === 403) { window.location.reload(); return; }
    if (!response.ok) return;
    const html = await response.text();
    const current = document.getElementById('contacts');
    const focusedSession = document.activeElement?.closest('[data-session]')?.dataset.session;
    current.outerHTML = html;
    if (focusedSession) {
      document.querySelector(`[data-session="${CSS.escape(focusedSession)}"] button`)?.focus();
    }
  }

  const connection = new signalR.HubConnectionBuilder()
    .withUrl(`/${tenant}/desk/hub`)
    .withAutomaticReconnect()
    .build();
  connection.on('contactsChanged', refresh);
  connection.onreconnected(refresh);
  // A safety net under the live updates: when the backplane is down, changes from other instances arrive this way.
  setInterval(refresh, refreshSeconds * 1000);
  connection.onclose(() => {
    status.textContent = lang === 'en'
      ? `Live updates stopped: the list is refreshed every ${refreshSeconds} seconds.`
      : `Live bijwerken gestopt: de lijst wordt elke ${refreshSeconds} seconden ververst.`;
  });
  connection.start().then(refresh).catch(() => {
    status.textContent = lang === 'en' ? 'Live updates unavailable: reload the page.' : 'Live bijwerken niet beschikbaar: laad de pagina opnieuw.';
  });
})();
