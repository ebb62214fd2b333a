// The resident's call page: waiting room until the agent joins, clear messages (camera refused, connection lost,
// reconnecting, ended), and the identification dialog. Signing in happens in a pop-up so the call stays up; with
// pop-ups blocked the form posts in this tab and the sign-in returns to this page.
(function () {
  const script = document.currentScript;
  const en = script.dataset.lang === 'en';
  const t = {
    waiting: en ? 'Waiting for the agent …' : 'Wacht op de medewerker …',
    joined: en ? 'You are in the call with the agent.' : 'U bent in gesprek met de medewerker.',
    left: en ? 'The connection with the agent was lost. Please wait …' : 'De verbinding met de medewerker is weggevallen. Even geduld …',
    reconnecting: en ? 'Connection lost, reconnecting …' : 'Verbinding verbroken, opnieuw verbinden …',
    ended: en ? 'The call has ended. Your details have been deleted.' : 'Het gesprek is beëindigd. Uw gegevens zijn verwijderd.',
    deleted: en ? 'This conversation has ended and has been deleted.' : 'Dit gesprek is beëindigd en verwijderd.',
    offline: en ? 'No connection; trying again …' : 'Geen verbinding; we proberen het opnieuw …',
    denied: en
      ? 'Your browser does not allow this page to use your camera and microphone, so the agent cannot see or hear you. Allow camera and microphone in your browser (usually behind the lock next to the address) and reload the page.'
      : 'Uw browser staat deze pagina niet toe uw camera en microfoon te gebruiken, dus de medewerker kan u niet zien of horen. Sta camera en microfoon toe in uw browser (meestal achter het slotje naast het adres) en laad de pagina opnieuw.',
    missing: en
      ? 'No camera or microphone was found. Connect one and reload the page.'
      : 'Er is geen camera of microfoon gevonden. Sluit er een aan en laad de pagina opnieuw.',
    signIn: en ? 'Sign in in the new window; your call stays open here.' : 'Log in in het nieuwe venster; uw gesprek blijft hier open.',
    signInFailed: en ? 'The sign-in could not be started; try again.' : 'Het inloggen kon niet starten; probeer het opnieuw.',
    identified: en ? 'Identification succeeded.' : 'Identificatie gelukt.',
    identifyFailed: en ? 'Identification did not succeed.' : 'Identificatie is niet gelukt.',
  };
  const status = document.getElementById('call-status');
  // The call's state; the other side's camera and microphone follow it in the same status (video-call.js).
  const state = document.getElementById('call-state');
  const hint = document.getElementById('waiting-hint');
  const error = document.getElementById('media-error');
  const dialog = document.getElementById('identify');
  const methods = document.getElementById('identify-methods');
  const identifyError = document.getElementById('identify-error');
  const lang = en ? 'en' : 'nl';
  // A busy day: once the slot has begun and the agent is still in another call, the desk says so (and whether this
  // resident is next) in a polite status of its own; gone once the agent joins.
  const queue = document.getElementById('queue-notice');
  let over = false;

  function say(text) { state.textContent = text; }
  // Written only on a change: the live region is read again on each write.
  function showQueue(text) { if (queue.textContent !== text) queue.textContent = text; }
  function joined() { if (!over) { showQueue(''); say(t.joined); status.classList.remove('waiting'); hint.hidden = true; } }
  // Asked in the call too: when the agent's page is gone without a word (their laptop died) the desk says so, and that
  // the resident may wait; null while the agent is there.
  async function askQueue() {
    if (over || connection.state !== signalR.HubConnectionState.Connected) return;
    const notice = await connection.invoke('Waiting').catch(() => undefined);
    if (notice === undefined || over) return;
    showQueue(notice || '');
    // How many answers the page has had (tests wait for the next one rather than for a time).
    queue.dataset.asked = String(Number(queue.dataset.asked || 0) + 1);
  }

  const call = window.IdContactCall({
    hubUrl: `/${script.dataset.tenant}/video/hub?l=${encodeURIComponent(script.dataset.token)}&lang=${lang}`,
    offers: false,
    greeting: 'Ready',
    joined,
    left: () => { if (!over) { say(t.left); status.classList.add('waiting'); } },
    reconnecting: () => { if (!over) { say(t.reconnecting); status.classList.add('waiting'); } },
    waiting: () => { if (!over) say(t.waiting); },
    ended: deleted => {
      over = true; showQueue(''); say(deleted ? t.deleted : t.ended); hint.hidden = true; if (dialog.open) dialog.close();
      // Only the status and the way back stay (video-call.js retires the stage): "begins at …" no longer applies.
      const starts = document.getElementById('starts');
      if (starts) starts.hidden = true;
      const website = document.getElementById('website-link');
      if (website) website.hidden = false;
    },
    offline: () => { if (!over) say(t.offline); },
    // A request the server rendered open (after a reload) is shown again as a modal dialog once connected.
    started: () => { askQueue(); if (dialog.open) { dialog.close(); showIdentify().catch(() => {}); } },
    mediaFailed: name => { error.textContent = name === 'NotFoundError' || name === 'OverconstrainedError' ? t.missing : t.denied; },
  });
  const connection = call.connection;
  connection.on('agent-joined', () => { joined(); connection.invoke('Ready').catch(() => {}); });
  // The agents' list shows the resident waiting only while this page renews its lease (closing the page ends it at once).
  const renewSeconds = Number(script.dataset.renew) || 30;
  setInterval(() => {
    if (!over && connection.state === signalR.HubConnectionState.Connected) connection.invoke('StillHere').catch(() => {});
    askQueue();
  }, renewSeconds * 1000);

  // The agent opens the dialog, so no control of the resident's opened it (WCAG 2.4.3): when it closes (Not now, Escape,
  // a method chosen, the agent's answer) focus goes back to the control that had it, or else to the call's status, which
  // says what happened; never to the page's top.
  let focusBefore = null;
  dialog.addEventListener('close', () => {
    if (dialog.open) return; // closed to be shown again at once (a second request): its focus stays in it
    const back = focusBefore;
    focusBefore = null;
    if (!dialog.contains(document.activeElement) && document.activeElement !== document.body && document.activeElement !== null) return;
    if (back && back.isConnected && !back.disabled && back.getClientRects().length > 0) { back.focus(); return; }
    status.tabIndex = -1;
    status.focus();
  });

  async function showIdentify() {
    const offered = await connection.invoke('IdentifyMethods');
    if (!offered || offered.length === 0) return;
    methods.replaceChildren(...window.IdContactSignInButtons(offered));
    identifyError.textContent = '';
    if (dialog.open) {
      dialog.close();
    } else {
      const active = document.activeElement;
      focusBefore = active && active !== document.body && !dialog.contains(active) ? active : null;
    }
    dialog.showModal();
  }
  connection.on('identify', () => { showIdentify().catch(() => {}); });
  connection.on('identified', success => {
    if (dialog.open) dialog.close();
    error.textContent = '';
    say(success ? t.identified : t.identifyFailed);
  });

  methods.addEventListener('submit', async event => {
    // Opened at once, in the click, so the browser does not block it; blocked anyway: the form goes on in this tab.
    const popup = window.open('', 'idcontact-signin', 'popup,width=520,height=720');
    if (!popup) return;
    event.preventDefault();
    popup.opener = null;
    const form = new FormData(methods, event.submitter);
    form.set('popup', '1');
    try {
      const response = await fetch(methods.action, { method: 'POST', body: form, headers: { Accept: 'application/json' } });
      if (!response.ok) throw new Error(String(response.status));
      popup.location.href = (await response.json()).url;
      dialog.close();
      say(t.signIn);
    } catch {
      popup.close();
      identifyError.textContent = t.signInFailed;
    }
  });
})();
