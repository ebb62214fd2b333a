// Keeps the agents' "Afspraken" page current: on "appointmentsChanged" (a booking, cancellation, arrival …) the
// server-rendered list is fetched again; a polite status tells screen-reader users when the list changed. A timer
// refreshes as well, so with the hub or its backplane down changes still arrive.
(function () {
  const script = document.currentScript;
  const tenant = script.dataset.tenant;
  const en = script.dataset.lang === 'en';
  const refreshSeconds = Number(script.dataset.refresh) || 30;
  const status = document.getElementById('live-status');
  const t = {
    updated: count => en
      ? `The appointments were updated: ${count} ${count === 1 ? 'appointment' : 'appointments'}.`
      : `De afspraken zijn bijgewerkt: ${count} ${count === 1 ? 'afspraak' : 'afspraken'}.`,
    stopped: en
      ? `Live updates stopped: the list is refreshed every ${script.dataset.every}.`
      : `Live bijwerken gestopt: de lijst wordt elke ${script.dataset.every} ververst.`,
    unavailable: en
      ? `Live updates unavailable: the list is refreshed every ${script.dataset.every}.`
      : `Live bijwerken niet beschikbaar: de lijst wordt elke ${script.dataset.every} ververst.`,
  };

  // The list as shown, without its hidden fields (each fetch carries a fresh antiforgery token) and the time left of
  // its leases (different on every fetch), both sides as the browser serialises them: the refresh after connecting
  // finds the page's own list unchanged and leaves it (and a click or the focus on it) alone.
  const content = html => html.replace(/<input type="hidden"[^>]*>/g, '').replace(/ data-lease-ms="\d+"/g, '').trim();
  let shown = content(document.getElementById('appointments-list').outerHTML);

  // At most one fetch at a time; changes during it cause exactly one more.
  const refresh = window.liveRefresh(load);
  const leases = window.leaseTimer(refresh);
  leases(document.getElementById('appointments-list'));

  // While the agent works a control in the list (choosing in a select), the list is not swapped under them.
  function busy() {
    const active = document.activeElement;
    return active && active.tagName === 'SELECT' && active.closest('#appointments-list');
  }

  async function load() {
    const response = await fetch(`/${tenant}/desk/appointments/list?lang=${en ? 'en' : 'nl'}`, { credentials: 'same-origin' });
    if (response.status === 401 || response.status === 403) { window.location.reload(); return; }
    if (!response.ok) return;
    const template = document.createElement('template');
    template.innerHTML = await response.text();
    const html = template.innerHTML;
    // The fetched leases count even when the list is left alone: a renewed one ends later.
    leases(template.content);
    const current = document.getElementById('appointments-list');
    if (content(html) === shown) return;
    if (busy()) {
      document.activeElement.addEventListener('blur', () => refresh(), { once: true });
      return;
    }
    const focusedRow = document.activeElement?.closest('[data-appointment]')?.dataset.appointment;
    const focusedClass = document.activeElement?.classList?.[document.activeElement.classList.length - 1];
    const restore = window.keepRegionFocus(current);
    current.outerHTML = html;
    const list = document.getElementById('appointments-list');
    restore(list);
    shown = content(list.outerHTML);
    if (focusedRow) {
      const row = list.querySelector(`[data-appointment="${CSS.escape(focusedRow)}"]`);
      (row?.querySelector(focusedClass ? `.${CSS.escape(focusedClass)}` : 'a, button') || row?.querySelector('a, button'))?.focus();
    }
    status.textContent = t.updated(Number(list.dataset.count));
  }

  const connection = new signalR.HubConnectionBuilder()
    // A watcher, as the staffing page: the pushes arrive, but only the overview and chat pages renew the chat lease.
    .withUrl(`/${tenant}/desk/hub?watching=true`)
    .withAutomaticReconnect()
    .build();
  connection.on('appointmentsChanged', refresh);
  // Retention's deletions (ids only, for the overview): a swept video contact may change a row; an unchanged list is left alone.
  connection.on('contactsDeleted', refresh);
  connection.onreconnected(refresh);
  setInterval(refresh, refreshSeconds * 1000);
  connection.onclose(() => { status.dataset.live = 'stopped'; status.textContent = t.stopped; });
  // Live only once the hub answers: the handshake ends start() before the server has put the page in its group.
  connection.start().then(() => connection.invoke('Joined').catch(() => {}))
    .then(() => { status.dataset.live = 'connected'; return refresh(); })
    .catch(() => { status.textContent = t.unavailable; });
})();
