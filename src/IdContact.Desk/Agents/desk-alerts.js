// Desktop notifications and a short sound when a new contact arrives, each as the agent switched it on for this
// browser (Mijn account, alert-settings.js). Only while the desk is out of view (another tab, or another window in
// front): in view, the agent sees the list change and a screen reader hears the overview's status line (overview.js).
// A notification names the kind, the channel and the municipality, never the resident: it shows on a shared screen
// and the lock screen.
window.IdContactAlerts = (function () {
  const script = document.currentScript;
  const en = script.dataset.lang === 'en';
  const brand = script.dataset.brand || '';
  const tenant = script.dataset.tenant || '';
  const keys = { notify: 'idcontact-alerts-notify', sound: 'idcontact-alerts-sound', hint: 'idcontact-alerts-hint-closed' };
  // Private browsing or storage switched off: both stay off.
  const stored = key => { try { return localStorage.getItem(key) === 'on'; } catch { return false; } };
  const store = (key, on) => { try { if (on) localStorage.setItem(key, 'on'); else localStorage.removeItem(key); } catch { /* stays off */ } };

  const phone = en ? 'Phone' : 'Telefoon';
  const video = 'Video';
  // Per kind: the title for n arrivals since the agent last looked, and the channel. One notification per kind (tag).
  const kinds = {
    call: { channel: phone, title: n => n === 1 ? (en ? 'New caller in the queue' : 'Nieuwe beller in de wachtrij') : (en ? `${n} new callers in the queue` : `${n} nieuwe bellers in de wachtrij`) },
    chat: { channel: 'Chat', title: n => n === 1 ? (en ? 'New chat in the queue' : 'Nieuwe chat in de wachtrij') : (en ? `${n} new chats in the queue` : `${n} nieuwe chats in de wachtrij`) },
    assigned: { channel: 'Chat', title: n => n === 1 ? (en ? 'A chat was assigned to you' : 'Er is een chat aan u toegewezen') : (en ? `${n} chats were assigned to you` : `Er zijn ${n} chats aan u toegewezen`) },
    message: { channel: 'Chat', title: n => n === 1 ? (en ? 'New message from a resident' : 'Nieuw bericht van een inwoner') : (en ? `${n} new messages from residents` : `${n} nieuwe berichten van inwoners`) },
    video: { channel: video, title: n => n === 1 ? (en ? 'A resident is waiting in the video waiting room' : 'Een inwoner wacht in de videowachtkamer') : (en ? `${n} residents are waiting in the video waiting room` : `${n} inwoners wachten in de videowachtkamer`) },
  };

  const inView = () => !document.hidden && document.hasFocus();
  // Arrivals per kind since the agent last looked; looking again starts the count anew.
  let counts = {};
  const looked = () => { if (inView()) counts = {}; };
  document.addEventListener('visibilitychange', looked);
  window.addEventListener('focus', looked);

  // Browsers start Web Audio only after a click or key on the page (autoplay rules): the first one prepares it.
  let audio = null;
  function context() {
    const Audio = window.AudioContext || window.webkitAudioContext;
    if (!audio && Audio) audio = new Audio();
    if (audio && audio.state === 'suspended') audio.resume().catch(() => {});
    return audio;
  }
  const unlock = () => { if (stored(keys.sound)) context(); };
  document.addEventListener('pointerdown', unlock, { once: true, capture: true });
  document.addEventListener('keydown', unlock, { once: true, capture: true });

  // Two short soft tones, rising: heard through a headset without startling; faded in and out so they do not click.
  function chime() {
    const ctx = context();
    if (!ctx) return;
    [660, 880].forEach((frequency, i) => {
      const start = ctx.currentTime + i * 0.18;
      const tone = ctx.createOscillator();
      const gain = ctx.createGain();
      tone.type = 'sine';
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.2, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.16);
      tone.connect(gain).connect(ctx.destination);
      tone.start(start);
      tone.stop(start + 0.17);
    });
  }

  function show(kind, n, focus) {
    if (!('Notification' in window) || Notification.permission !== 'granted') return;
    try {
      const shown = new Notification(kinds[kind].title(n), {
        body: `${kinds[kind].channel} · ${brand}`,
        tag: `idcontact:${tenant}:${kind}`,
        renotify: true,
        lang: en ? 'en' : 'nl',
      });
      shown.onclick = () => {
        window.focus();
        if (focus) focus();
        shown.close();
      };
    } catch { /* a browser that shows notifications only from a service worker: the sound still plays */ }
  }

  // The page tells of an arrival: kind (a key of kinds), and what to focus when the notification is clicked.
  function arrived(kind, focus) {
    if (inView() || !kinds[kind]) return;
    counts[kind] = (counts[kind] || 0) + 1;
    if (stored(keys.notify)) show(kind, counts[kind], focus);
    if (stored(keys.sound)) chime();
  }

  // Focuses an element for the agent, as a link to it would (a card is not a Tab stop of its own).
  function focusOn(element) {
    if (!element) return;
    if (!element.matches('a[href], button, input, select, textarea, [tabindex]')) element.tabIndex = -1;
    element.scrollIntoView({ block: 'nearest' });
    element.focus();
  }

  // The overview's line that says the alerts exist: until either is on, or the agent hides it.
  const hint = document.getElementById('alerts-hint');
  if (hint && !stored(keys.notify) && !stored(keys.sound) && !stored(keys.hint)) {
    hint.hidden = false;
    hint.querySelector('button').addEventListener('click', () => {
      store(keys.hint, true);
      hint.hidden = true;
      focusOn(document.querySelector('h1'));
    });
  }

  // The words for n arrivals of a kind, for the overview's status line (a screen reader in view hears them there).
  const title = (kind, n) => kinds[kind] ? kinds[kind].title(n) : '';

  return { arrived, focusOn, chime, stored, store, keys, title };
})();
