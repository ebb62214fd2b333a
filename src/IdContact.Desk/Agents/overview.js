// Keeps the agent's contact list current: on every "contactsChanged" the server-rendered list is fetched again; in a
// background tab the title counts the new arrivals.
(function () {
  const script = document.currentScript;
  const tenant = script.dataset.tenant;
  const lang = script.dataset.lang;
  const call = script.dataset.call;
  const session = script.dataset.session;
  const refreshSeconds = Number(script.dataset.refresh) || 30;
  const status = document.getElementById('live-status');

  // Contacts that arrive while the page is in the background are counted in the tab's title until the agent looks.
  const baseTitle = document.title;
  const shown = () => new Set(Array.from(document.querySelectorAll('#contacts [data-session]'), card => card.dataset.session));
  let known = shown();
  let unseen = 0;
  function countArrivals() {
    const now = shown();
    if (document.hidden) {
      now.forEach(id => { if (!known.has(id)) unseen++; });
      if (unseen > 0) document.title = `(${unseen}) ${baseTitle}`;
    }
    known = now;
  }
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) { unseen = 0; document.title = baseTitle; }
  });

  // What each card is worth telling (data-alert, ContactAlerts on the server): a card that newly says so is an arrival,
  // told by desk-alerts.js (notification, sound) when the agent switched that on and the page is out of view, and
  // always in the status line #arrival-status, in the notification's words: once, the kind only. The list itself is
  // no live region (it is swapped whole), so a screen reader hears this, not every card again.
  const alertable = () => new Set(Array.from(document.querySelectorAll('#contacts [data-alert]'), card => `${card.dataset.session} ${card.dataset.alert}`));
  let alerted = alertable();
  const arrivalStatus = document.getElementById('arrival-status');
  let sayTimer;
  function tellArrivals() {
    const now = alertable();
    const kinds = {};
    now.forEach(key => {
      if (alerted.has(key)) return;
      const [id, kind] = key.split(' ');
      kinds[kind] = (kinds[kind] || 0) + 1;
      window.IdContactAlerts.arrived(kind, () => window.IdContactAlerts.focusOn(document.querySelector(`#contacts [data-session="${CSS.escape(id)}"]`)));
    });
    alerted = now;
    const text = Object.entries(kinds).map(([kind, n]) => window.IdContactAlerts.title(kind, n)).filter(Boolean).join('. ');
    if (!text) return;
    // Emptied first, so the same words for the next arrival of that kind are a change a screen reader speaks again.
    clearTimeout(sayTimer);
    arrivalStatus.textContent = '';
    sayTimer = setTimeout(() => { arrivalStatus.textContent = text; }, 150);
  }

  // At most one fetch at a time; changes during it cause exactly one more.
  const refresh = window.liveRefresh(load);
  const leases = window.leaseTimer(refresh);
  leases(document.getElementById('contacts'));

  async function load() {
    // Stay on the page the agent is reading; the server clamps it when the list has shrunk.
    const page = document.getElementById('contacts')?.dataset.page || '1';
    const query = `lang=${lang}` + (call ? `&call=${encodeURIComponent(call)}`
      : session ? `&session=${encodeURIComponent(session)}` : `&page=${encodeURIComponent(page)}`);
    const response = await fetch(`/${tenant}/desk/contacts?${query}`, { credentials: 'same-origin' });
    if (response.status === 401 || response.status === 403) { window.location.reload(); return; }
    if (!response.ok) return;
    const html = await response.text();
    const current = document.getElementById('contacts');
    const focused = focusedControl(current);
    current.outerHTML = html;
    leases(document.getElementById('contacts'));
    countArrivals();
    tellArrivals();
    if (focused) focused();
  }

  // A keyboard agent on a control in the list (a contact's button or link, a take button of the queue panel) keeps
  // their place when the list is swapped: the same control of the same contact or queue line, else that box itself.
  const controls = 'a[href], button, input, select, textarea';
  function focusedControl(list) {
    const active = document.activeElement;
    const box = active && list.contains(active) ? active.closest('[data-session], li[id]') : null;
    if (!box) return null;
    const selector = box.dataset.session ? `[data-session="${CSS.escape(box.dataset.session)}"]` : `#${CSS.escape(box.id)}`;
    const index = Array.from(box.querySelectorAll(controls)).indexOf(active);
    return () => {
      const again = document.querySelector(`#contacts ${selector}`);
      if (!again) return;
      const target = again.querySelectorAll(controls)[index] || again.querySelector(controls);
      if (target) { target.focus(); return; }
      again.tabIndex = -1;
      again.focus();
    };
  }

  const live = status.textContent;
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(`/${tenant}/desk/hub`)
    // Never give up: while the page cannot reach the desk, the agent stops counting as available for chats (the lease).
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => Math.min(2000 * (ctx.previousRetryCount + 1), 30000) })
    .build();
  connection.on('contactsChanged', refresh);
  // Retention deleted contacts (ids only): their rows go at once, before the list is fetched again, and a polite line
  // says why, so a contact that vanishes while the agent reads it is not a mystery.
  const deletedStatus = document.getElementById('deleted-status');
  // Durations come as text from the server (CountText), singular for 1.
  const minutes = script.dataset.retention;
  connection.on('contactsDeleted', ids => {
    const rows = (ids || []).map(id => document.querySelector(`#contacts [data-session="${CSS.escape(String(id))}"]`)).filter(Boolean);
    const focusLost = rows.some(row => row.contains(document.activeElement));
    rows.forEach(row => row.remove());
    known = shown();
    const n = (ids || []).length;
    deletedStatus.textContent = lang === 'en'
      ? (n === 1 ? `A contact was deleted after ${minutes} without activity.` : `${n} contacts were deleted after ${minutes} without activity.`)
      : (n === 1 ? `Een contact is verwijderd na ${minutes} zonder activiteit.` : `${n} contacten zijn verwijderd na ${minutes} zonder activiteit.`);
    // Focus that was on a removed row goes to the line that says why, not to the page's start.
    if (focusLost) deletedStatus.focus();
    refresh();
  });
  // data-live says whether pushes arrive (as on the staffing and appointments pages): read by tests and the curious.
  connection.onreconnecting(() => {
    delete status.dataset.live;
    status.textContent = lang === 'en'
      ? `Connection lost, reconnecting. The list is refreshed every ${script.dataset.every}; without a connection you are soon offered no chats.`
      : `Verbinding verbroken, opnieuw verbinden. De lijst wordt elke ${script.dataset.every} ververst; zonder verbinding krijgt u straks geen chats.`;
  });
  // Connecting, and connecting again, renews the lease on the server.
  // Live only once the hub answers: the handshake ends start() before the server has put the page in its group.
  connection.onreconnected(async () => {
    await connection.invoke('Joined').catch(() => {});
    status.textContent = live;
    status.dataset.live = 'connected';
    refresh();
  });
  // A safety net under the live updates: when the backplane is down, changes from other instances arrive this way.
  setInterval(refresh, refreshSeconds * 1000);
  // The agent counts as available for chats only while a page of theirs renews the desk's lease: now and then, and
  // at once when the page is shown again (a laptop waking up).
  function renew() {
    if (connection.state === signalR.HubConnectionState.Connected) connection.invoke('Renew').catch(() => {});
  }
  setInterval(renew, (Number(script.dataset.renew) || 30) * 1000);
  document.addEventListener('visibilitychange', () => { if (!document.hidden) renew(); });
  async function start() {
    try {
      await connection.start();
      await connection.invoke('Joined').catch(() => {});
      status.textContent = live;
      status.dataset.live = 'connected';
      refresh();
    } catch {
      status.textContent = lang === 'en' ? 'Live updates unavailable: trying again.' : 'Live bijwerken niet beschikbaar: opnieuw proberen.';
      setTimeout(start, 10000);
    }
  }
  start();
})();
