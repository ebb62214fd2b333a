// Keeps the administrator's "Bezetting" page current: on every push of the agents' hub (a contact or an agent's
// availability changed, an appointment moved) and every Desk:AgentRefreshSeconds (a lapsed lease changes nothing
// anyone could push), the server-rendered table is fetched again and, when it changed, swapped in; a polite status says
// when. The page connects as a watcher: it does not make the administrator available for chats. Without script a
// reload shows the same.
(function () {
  const script = document.currentScript;
  const tenant = script.dataset.tenant;
  const en = script.dataset.lang === 'en';
  const refreshSeconds = Number(script.dataset.refresh) || 30;
  const status = document.getElementById('staffing-updated');

  async function load() {
    try {
      const response = await fetch(`/${tenant}/desk/admin/staffing/list?lang=${en ? 'en' : 'nl'}`, { credentials: 'same-origin' });
      if (response.status === 401 || response.status === 403) { window.location.reload(); return; }
      if (!response.ok) return;
      const template = document.createElement('template');
      template.innerHTML = (await response.text()).trim();
      const next = template.content.firstElementChild;
      const current = document.getElementById('staffing-list');
      // Unchanged: nothing to swap and nothing to announce (the status is polite, but every 30 s would still be chatty).
      if (!next || next.innerHTML === current.innerHTML) return;
      const restore = window.keepRegionFocus(current);
      current.replaceWith(next);
      restore(next);
      status.textContent = (en ? 'Updated at ' : 'Bijgewerkt om ') + next.dataset.updated;
    } catch {
      // Offline for a moment: the next push or tick tries again.
    }
  }

  // At most one fetch at a time; a change during it causes exactly one more (a push is never dropped).
  const refresh = window.liveRefresh(load);

  setInterval(refresh, refreshSeconds * 1000);

  const connection = new signalR.HubConnectionBuilder()
    .withUrl(`/${tenant}/desk/hub?watching=true`)
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => Math.min(2000 * (ctx.previousRetryCount + 1), 30000) })
    .build();
  connection.on('contactsChanged', refresh);
  connection.on('appointmentsChanged', refresh);
  // Retention's deletions (ids only, for the overview): a held chat may be gone; the fetch coalesces with the sweep's contactsChanged.
  connection.on('contactsDeleted', refresh);
  // data-live says whether pushes arrive (the timer alone is slow); it is read by nobody but tests and the curious.
  connection.onreconnecting(() => { delete status.dataset.live; });
  // Live only once the hub answers: the handshake ends start() before the server has put the page in its group.
  connection.onreconnected(async () => { await connection.invoke('Joined').catch(() => {}); status.dataset.live = 'true'; refresh(); });
  async function start() {
    try {
      await connection.start();
      await connection.invoke('Joined').catch(() => {});
      status.dataset.live = 'true';
      refresh();
    } catch {
      // The timer above keeps the page current meanwhile.
      setTimeout(start, 10000);
    }
  }
  start();
})();
