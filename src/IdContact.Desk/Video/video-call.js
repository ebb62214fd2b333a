// The WebRTC part of a video call, shared by the resident's and the agent's page: camera and microphone, one peer
// connection, signalling over the desk's SignalR hub, mute, camera off, another camera or microphone, and hang up. The
// agent offers; each offer has a number that its answer and ICE candidates carry, so a late answer to an older offer is
// ignored. When the media path breaks (another network, a NAT or TURN binding gone) the call restarts by itself.
window.IdContactCall = function (options) {
  const local = document.getElementById('local-video');
  const remote = document.getElementById('remote-video');
  const unmute = document.getElementById('unmute-remote');
  const mute = document.getElementById('mute');
  const camera = document.getElementById('camera');
  const hangup = document.getElementById('hangup');
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(options.hubUrl)
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => Math.min(500 * (ctx.previousRetryCount + 1), 5000) })
    .build();
  let stream = null;
  let peer = null;
  let round = 0;
  let waiting = [];
  let iceServers = [];
  let ended = false;

  // Chromium reports "disconnected" only after some seconds without an answer from the other side, and ICE often comes
  // back by itself from a short loss (roaming between access points) or moves to another working candidate pair. Three
  // more seconds spare those a renegotiation (which blanks the picture) and still restart well before "failed".
  const DISCONNECTED_GRACE_MS = 3000;
  // Between attempts that did not connect: 2, 4, 8, 16, then every 30 seconds while the call lasts.
  const backoff = attempt => Math.min(1000 * 2 ** attempt, 30000);
  let everConnected = false;
  let reconnecting = false;
  let attempts = 0;
  let retry = null;
  let grace = null;

  async function media() {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      local.srcObject = stream;
      mute.disabled = false;
      camera.disabled = false;
      await listDevices();
    } catch (error) {
      options.mediaFailed(error && error.name);
    }
  }

  // The cameras and microphones the browser names (it does once the page may use them), the one in use selected.
  const devices = document.getElementById('devices');
  const selects = { audio: document.getElementById('microphone-select'), video: document.getElementById('camera-select') };
  const deviceError = document.getElementById('device-error');
  async function listDevices() {
    if (!stream || ended) return;
    const found = await navigator.mediaDevices.enumerateDevices();
    let choice = false;
    for (const kind of ['audio', 'video']) {
      const select = selects[kind];
      const inputs = found.filter(d => d.kind === kind + 'input' && d.deviceId);
      const current = stream.getTracks().find(t => t.kind === kind);
      const using = current ? current.getSettings().deviceId : '';
      select.replaceChildren(...inputs.map((d, i) => {
        const option = new Option(d.label || `${select.dataset.unnamed} ${i + 1}`, d.deviceId);
        option.selected = d.deviceId === using;
        return option;
      }));
      select.disabled = inputs.length < 2;
      choice = choice || inputs.length > 1;
    }
    devices.hidden = !choice;
  }

  // Another device replaces the track in the own picture and, without a new offer, in the call; off stays off.
  async function useDevice(kind, deviceId) {
    deviceError.textContent = '';
    const old = stream.getTracks().find(t => t.kind === kind);
    try {
      const fresh = (await navigator.mediaDevices.getUserMedia({ [kind]: { deviceId: { exact: deviceId } } })).getTracks()[0];
      fresh.enabled = old ? old.enabled : true;
      if (peer) {
        const sender = peer.getSenders().find(s => s.track && s.track.kind === kind);
        if (sender) await sender.replaceTrack(fresh);
      }
      if (old) { stream.removeTrack(old); old.stop(); }
      stream.addTrack(fresh);
      local.srcObject = stream;
    } catch {
      deviceError.textContent = deviceError.dataset.failed;
    }
    await listDevices();
  }
  Object.entries(selects).forEach(([kind, select]) => select.addEventListener('change', () => useDevice(kind, select.value)));
  navigator.mediaDevices.addEventListener('devicechange', () => { listDevices().catch(() => {}); });

  function show(video) {
    video.play().catch(() => {
      // Autoplay with sound refused: play muted and offer a button for the sound.
      video.muted = true;
      video.play().catch(() => {});
      unmute.hidden = false;
    });
  }

  function close() {
    clearTimeout(grace);
    grace = null;
    if (peer) { peer.onicecandidate = null; peer.ontrack = null; peer.onconnectionstatechange = null; peer.close(); }
    peer = null;
    remote.srcObject = null;
    remote.hidden = true;
  }

  function newPeer(number) {
    close();
    round = number;
    waiting = [];
    // A new round while an attempt is pending gets a full period before the next one.
    if (retry) arm();
    peer = new RTCPeerConnection({ iceServers });
    watch(peer);
    if (stream) stream.getTracks().forEach(track => peer.addTrack(track, stream));
    else if (options.offers) ['audio', 'video'].forEach(kind => peer.addTransceiver(kind, { direction: 'recvonly' }));
    peer.onicecandidate = event => { if (event.candidate) send('candidate', { round: number, candidate: event.candidate }); };
    peer.ontrack = event => {
      const incoming = event.streams[0] || new MediaStream([event.track]);
      if (remote.srcObject !== incoming) { remote.srcObject = incoming; remote.hidden = false; show(remote); }
    };
  }

  // The media path of this round: connected ends a reconnect; failed, or disconnected for longer than the grace,
  // starts one.
  function watch(pc) {
    pc.onconnectionstatechange = () => {
      if (pc !== peer || ended) return;
      clearTimeout(grace);
      grace = null;
      if (pc.connectionState === 'connected') recovered();
      else if (pc.connectionState === 'failed') broken();
      else if (pc.connectionState === 'disconnected') grace = setTimeout(broken, DISCONNECTED_GRACE_MS);
    };
  }

  function showReconnecting() {
    if (reconnecting || ended) return;
    reconnecting = true;
    options.reconnecting();
  }

  function broken() {
    grace = null;
    // While an attempt is pending its timer decides the next one.
    if (ended || retry) return;
    showReconnecting();
    restart().catch(() => {});
  }

  function arm() {
    clearTimeout(retry);
    retry = setTimeout(() => { restart().catch(() => {}); }, backoff(Math.max(attempts, 1)));
  }

  // A restart is a fresh round, as for every offer (a new RTCPeerConnection), not restartIce() on the old one: the
  // answering side builds a new connection for each offer anyway, a failed DTLS transport or a connection the other
  // side lost cannot be revived by an ICE restart, and the round number drops the broken connection's late
  // candidates. It costs a new DTLS handshake, a fraction of a second. The resident's side does not offer: it asks the
  // agent with Ready, as after a reload.
  async function restart() {
    retry = null;
    if (ended) return;
    attempts++;
    arm();
    // TURN credentials are time-limited: the new round takes fresh ones.
    iceServers = await connection.invoke('IceServers').catch(() => iceServers);
    if (ended || !retry) return;
    if (options.offers) await offer();
    else if (!await connection.invoke('Ready')) gone();
  }

  function recovered() {
    everConnected = true;
    clearTimeout(retry);
    retry = null;
    attempts = 0;
    if (reconnecting) { reconnecting = false; options.joined(); }
  }

  // The other side left (or the call ended): nothing to reconnect to until it comes back and greets again.
  function stopReconnecting() {
    clearTimeout(retry);
    clearTimeout(grace);
    retry = grace = null;
    attempts = 0;
    reconnecting = false;
    everConnected = false;
  }

  async function send(kind, value) {
    const refused = await connection.invoke('Signal', kind, JSON.stringify(value));
    if (refused === 'ended') gone();
  }

  async function offer() {
    newPeer(round + 1);
    await peer.setLocalDescription(await peer.createOffer());
    await send('offer', { round, description: peer.localDescription });
  }

  async function received(kind, data) {
    const message = JSON.parse(data);
    if (kind === 'offer' && !options.offers) {
      // A new offer while in a call that was up: the agent reconnects.
      if (peer && everConnected) showReconnecting();
      else if (!reconnecting) options.joined();
      newPeer(message.round);
      await peer.setRemoteDescription(message.description);
      await peer.setLocalDescription(await peer.createAnswer());
      await send('answer', { round, description: peer.localDescription });
    } else if (kind === 'answer' && options.offers && peer && message.round === round && peer.signalingState === 'have-local-offer') {
      await peer.setRemoteDescription(message.description);
    } else if (kind === 'candidate' && peer && message.round === round) {
      waiting.push(message.candidate);
      if (!peer.remoteDescription) return;
    } else {
      return;
    }

    // Candidates that came before the description they belong to.
    const ready = waiting;
    waiting = [];
    for (const candidate of ready) await peer.addIceCandidate(candidate).catch(() => {});
  }

  // The server no longer knows a call this page was in. Its answer can come before the push that says why ("deleted" by
  // retention, "ended" by a hang-up, sent once the rows are gone): wait a moment for that, then end as a hang-up.
  let greeted = false;
  function gone() {
    if (!ended) setTimeout(() => end(false), 2000);
  }

  // deleted: retention removed the appointment's contact (the page says so), rather than a hang-up.
  function end(deleted) {
    if (ended) return;
    ended = true;
    stopReconnecting();
    close();
    if (stream) stream.getTracks().forEach(track => track.stop());
    local.srcObject = null;
    [mute, camera, hangup].forEach(button => { button.disabled = true; });
    devices.hidden = true;
    clearTimeout(mediaRetry);
    showRemoteMedia(true, true);
    connection.stop();
    options.ended(deleted === true);
    retireStage();
  }

  // The stage is dead now (dark picture, disabled buttons): it goes, and focus that was on it (Hang up) or already
  // lost moves to the status, so a keyboard or screen reader user is not left on nothing (WCAG 2.4.3).
  function retireStage() {
    const stage = document.getElementById('call');
    const status = document.getElementById('call-status');
    const lost = document.activeElement === document.body || stage.contains(document.activeElement);
    stage.hidden = true;
    if (lost) { status.tabIndex = -1; status.focus(); }
  }

  function toggle(button, kind) {
    const off = button.getAttribute('aria-pressed') !== 'true';
    button.setAttribute('aria-pressed', String(off));
    if (stream) stream.getTracks().filter(track => track.kind === kind).forEach(track => { track.enabled = !off; });
    sendMedia();
  }

  // Camera and microphone on or off, both ways, so a dark picture or silence does not look like a broken call: each side
  // tells the other on a change and whenever the other greets (so a reload on either side shows the current state). No
  // camera or microphone at all (refused) counts as off. The other side's state shows on its picture and in the status.
  const remoteMedia = document.getElementById('remote-media');
  const remoteOff = { camera: document.getElementById('remote-camera-off'), microphone: document.getElementById('remote-microphone-off') };
  const mediaSaid = document.getElementById('media-state');
  let mediaRetry = null;
  const ownOn = kind => !!stream && stream.getTracks().some(track => track.kind === kind && track.enabled);

  async function sendMedia() {
    clearTimeout(mediaRetry);
    mediaRetry = null;
    if (ended) return;
    const refused = await connection.invoke('Media', ownOn('video'), ownOn('audio')).catch(() => null);
    // Past the limit (a click storm): the latest state goes again a little later.
    if (refused === 'too-many') mediaRetry = setTimeout(sendMedia, 10000);
  }

  function showRemoteMedia(camera, microphone) {
    remoteOff.camera.hidden = camera;
    remoteOff.microphone.hidden = microphone;
    remoteMedia.hidden = camera && microphone;
    const off = [remoteOff.camera, remoteOff.microphone].filter(line => !line.hidden).map(line => ' ' + line.textContent.trim());
    // Written only on a change: the status is a polite live region and is read again on each write.
    if (mediaSaid.textContent !== off.join('')) mediaSaid.textContent = off.join('');
  }

  mute.addEventListener('click', () => toggle(mute, 'audio'));
  camera.addEventListener('click', () => toggle(camera, 'video'));
  hangup.addEventListener('click', () => connection.invoke('HangUp').catch(() => {}).finally(() => end(false)));
  unmute.addEventListener('click', () => { remote.muted = false; unmute.hidden = true; });
  connection.on('signal', (kind, data) => { received(kind, data).catch(() => {}); });
  connection.on('ended', () => end(false));
  connection.on('deleted', () => end(true));
  connection.on('left', () => { stopReconnecting(); close(); showRemoteMedia(true, true); options.left(); });
  connection.on('media', (camera, microphone) => { if (!ended) showRemoteMedia(camera === true, microphone === true); });
  // The other side (re)joined, after a reload too: it learns this side's state.
  connection.on(options.offers ? 'ready' : 'agent-joined', () => { sendMedia(); });
  // The resident is ready (first, after a reload, or asking for a restart because its media path broke): a new offer.
  if (options.offers) {
    connection.on('ready', () => {
      if (peer && everConnected) showReconnecting();
      else if (!reconnecting) options.joined();
      offer().catch(() => {});
    });
  }

  async function start() {
    try {
      await connection.start();
      iceServers = await connection.invoke('IceServers');
      if (!await connection.invoke(options.greeting)) { if (greeted) gone(); else end(); return; }
      greeted = true;
      sendMedia();
      if (options.started) options.started();
    } catch {
      if (!ended) { options.offline(); setTimeout(start, 3000); }
    }
  }
  connection.onreconnected(() => connection.invoke(options.greeting).then(ok => { if (ok) sendMedia(); else gone(); }));
  // With Redis (the backplane) down a greeting may not reach the other side's instance: while no call is up the page
  // says it is reconnecting and greets again every 5 seconds, so the call starts once Redis is back.
  let unrelayed = false;
  setInterval(async () => {
    if (ended || peer || connection.state !== signalR.HubConnectionState.Connected) return;
    const down = await connection.invoke('BackplaneDown').catch(() => false);
    if (down) { unrelayed = true; options.reconnecting(); await connection.invoke(options.greeting).catch(() => {}); }
    else if (unrelayed) { unrelayed = false; options.waiting(); }
  }, 5000);
  connection.onclose(() => { if (!ended) { options.offline(); setTimeout(start, 3000); } });
  media().then(start);
  return { connection };
};
