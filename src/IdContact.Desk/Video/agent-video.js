// The agent's call page: says how the call stands (video-call.js offers when the resident is ready), fills in the
// data panel live when a result arrives (the server renders and audits it), and asks for identification without
// leaving the call.
(function () {
  const script = document.currentScript;
  const tenant = script.dataset.tenant;
  const session = script.dataset.session;
  const en = script.dataset.lang === 'en';
  const lang = en ? 'en' : 'nl';
  const t = {
    waiting: en ? 'Waiting for the resident …' : 'Wacht op de inwoner …',
    inCall: en ? 'In the call with the resident.' : 'In gesprek met de inwoner.',
    left: en ? 'The resident left or lost the connection; waiting for the resident …' : 'De inwoner is weg of de verbinding viel weg; wacht op de inwoner …',
    reconnecting: en ? 'Connection lost, reconnecting …' : 'Verbinding verbroken, opnieuw verbinden …',
    ended: en ? 'The call has ended; its data has been deleted.' : 'Het gesprek is beëindigd; de gegevens zijn verwijderd.',
    deleted: en ? 'This conversation has ended and has been deleted (retention period expired).' : 'Dit gesprek is beëindigd en verwijderd (bewaartermijn verlopen).',
    offline: en ? 'No connection; trying again …' : 'Geen verbinding; we proberen het opnieuw …',
    denied: en ? 'Camera or microphone not allowed: the resident cannot see or hear you. Allow them in the browser and reload.' : 'Camera of microfoon niet toegestaan: de inwoner kan u niet zien of horen. Sta ze toe in de browser en laad opnieuw.',
    identified: en ? 'Identification succeeded.' : 'Identificatie gelukt.',
    identifyFailed: en ? 'Identification did not succeed.' : 'Identificatie is niet gelukt.',
    asked: en ? 'Identification asked; the resident sees the request in the call.' : 'Identificatie gevraagd; de inwoner ziet het verzoek in het gesprek.',
    notAsked: en ? 'Identification could not be requested.' : 'Identificatie kon niet worden gevraagd.',
  };
  // The call's state; the resident's camera and microphone follow it in the same status (video-call.js).
  const callState = document.getElementById('call-state');
  const say = text => { callState.textContent = text; };
  const area = document.getElementById('identify-area');
  const state = document.getElementById('identify-state');
  let over = false;
  // Once the slot has ended the call goes on; the page says its time is up and whether the next resident waits.
  const slotNotice = document.getElementById('slot-notice');
  async function askSlot() {
    if (over || connection.state !== signalR.HubConnectionState.Connected) return;
    const notice = await connection.invoke('SlotNotice').catch(() => undefined);
    // Written only on a change: the live region is read again on each write.
    if (notice === undefined || over) return;
    if (slotNotice.textContent !== (notice || '')) slotNotice.textContent = notice || '';
    // How many answers the page has had (tests wait for the next one rather than for a time).
    slotNotice.dataset.asked = String(Number(slotNotice.dataset.asked || 0) + 1);
  }

  // The resident arriving while this page is out of view: a notification and sound (desk-alerts.js), if switched on;
  // once per arrival, not again when the media flows again after a reconnect.
  let present = false;
  function arrived() {
    if (!present) window.IdContactAlerts.arrived('video', () => window.IdContactAlerts.focusOn(callState));
    present = true;
  }

  const call = window.IdContactCall({
    hubUrl: `/${tenant}/desk/video/hub?s=${encodeURIComponent(session)}&lang=${lang}`,
    offers: true,
    greeting: 'Hello',
    // The resident is ready (video-call.js then offers), or the media flows again after a reconnect.
    joined: () => { if (!over) { say(t.inCall); arrived(); } },
    left: () => { present = false; if (!over) say(t.left); },
    reconnecting: () => { if (!over) say(t.reconnecting); },
    waiting: () => { present = false; if (!over) say(t.waiting); },
    // The status says the data is deleted, so the panel no longer shows it (as the chat page on retention).
    ended: deleted => {
      over = true; slotNotice.textContent = ''; say(deleted ? t.deleted : t.ended); if (area) area.hidden = true;
      document.getElementById('details')?.replaceChildren();
    },
    offline: () => { if (!over) say(t.offline); },
    started: () => { askSlot(); },
    mediaFailed: () => { document.getElementById('media-error').textContent = t.denied; },
  });
  const connection = call.connection;
  // The call counts as running only while this page renews the agent's lease (closing the page ends it at once): a
  // colleague may take over a call whose page is gone, and the resident's page says the agent's connection is gone.
  setInterval(() => {
    if (!over && connection.state === signalR.HubConnectionState.Connected) connection.invoke('StillHere').catch(() => {});
    askSlot();
  }, (Number(script.dataset.renew) || 30) * 1000);
  connection.on('details', async () => {
    if (over) return;
    const response = await fetch(`/${tenant}/desk/video/${encodeURIComponent(session)}/details?lang=${lang}`, { credentials: 'same-origin' });
    if (!response.ok) return;
    document.getElementById('details').outerHTML = await response.text();
    // The panel is no live region (swapped whole): the outcome is said in a status line of its own, in the words of
    // the chat's event line, while the agent stays where they were (on Microfoon uit, say).
    const identified = document.querySelector('#details table') !== null;
    document.getElementById('details-status').textContent = identified ? t.identified
      : document.querySelector('#details .error') ? t.identifyFailed : '';
    if (area) {
      state.textContent = '';
      // Focus left on the status (after asking) is not lost when the area goes: it moves to the panel's heading.
      const focused = area.contains(document.activeElement);
      area.hidden = document.querySelector('#details table') !== null;
      if (focused && area.hidden) { const title = document.getElementById('data-title'); title.tabIndex = -1; title.focus(); }
    }
  });
  document.getElementById('identify')?.addEventListener('click', async () => {
    const asked = await connection.invoke('Identify').catch(() => false);
    state.textContent = asked ? t.asked : t.notAsked;
    // The focus goes to what happened, as on the chat page after the same button (WCAG 2.4.3).
    state.focus();
  });
})();
