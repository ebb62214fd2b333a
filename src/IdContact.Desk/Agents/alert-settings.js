// The two switches of Meldingen en geluid on Mijn account, stored in this browser (desk-alerts.js reads them): the
// permission and the headset belong to the workstation, not to the account. The browser's permission is asked only
// from a click on the switch (browsers ignore or block a prompt nobody asked for).
(function () {
  const script = document.currentScript;
  const en = script.dataset.lang === 'en';
  const alerts = window.IdContactAlerts;
  const panel = document.getElementById('alerts-switches');
  const notify = document.getElementById('alert-notify');
  const sound = document.getElementById('alert-sound');
  const state = document.getElementById('alert-notify-state');
  const t = {
    unsupported: en ? 'This browser cannot show desktop notifications.' : 'Deze browser kan geen meldingen op het bureaublad tonen.',
    blocked: en
      ? 'Your browser blocks notifications from this site. Allow them in the site settings (the icon left of the address, Notifications: Allow), then turn the switch on again.'
      : 'Uw browser blokkeert meldingen van deze site. Sta ze toe in de site-instellingen (het pictogram links van het adres, Meldingen: Toestaan) en zet de schakelaar daarna opnieuw aan.',
    notAnswered: en ? 'The browser did not allow notifications; turn the switch on to be asked again.' : 'De browser heeft meldingen niet toegestaan; zet de schakelaar aan om het opnieuw te vragen.',
    on: en ? 'Notifications are on in this browser.' : 'Meldingen staan aan in deze browser.',
  };
  const supported = 'Notification' in window;
  const permission = () => supported ? Notification.permission : 'denied';

  document.getElementById('alerts-noscript').remove();
  panel.hidden = false;
  sound.checked = alerts.stored(alerts.keys.sound);
  notify.checked = alerts.stored(alerts.keys.notify) && permission() === 'granted';
  if (!supported) state.textContent = t.unsupported;
  else if (alerts.stored(alerts.keys.notify) && permission() === 'denied') state.textContent = t.blocked;
  else if (notify.checked) state.textContent = t.on;

  notify.addEventListener('change', async () => {
    if (!notify.checked) {
      alerts.store(alerts.keys.notify, false);
      state.textContent = '';
      return;
    }
    if (!supported) { notify.checked = false; state.textContent = t.unsupported; return; }
    let answer = permission();
    if (answer === 'default') answer = await Notification.requestPermission();
    const granted = answer === 'granted';
    notify.checked = granted;
    alerts.store(alerts.keys.notify, granted);
    state.textContent = granted ? t.on : answer === 'denied' ? t.blocked : t.notAnswered;
  });

  // Turning the sound on plays it once, so the agent hears how it sounds and how loud.
  sound.addEventListener('change', () => {
    alerts.store(alerts.keys.sound, sound.checked);
    if (sound.checked) alerts.chime();
  });
})();
