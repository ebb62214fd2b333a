// The WebRTC part of a video call, shared by the resident's and the agent's page: camera and microphone, one peer
// connection, signalling over the desk's SignalR hub, mute, camera off, another camera or microphone, and hang up. The
// agent offers; each offer has a number that its answer and ICE candidates carry, so a late answer to an older offer is
// ignored.
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
    if (peer) { peer.onicecandidate = null; peer.ontrack = null; peer.close(); }
    peer = null;
    remote.srcObject = null;
    remote.hidden = true;
  }

  function newPeer(number) {
    close();
    round = number;
    waiting = [];
    peer = new RTCPeerConnection({ iceServers });
    if (stream) stream.getTracks().forEach(track => peer.addTrack(track, stream));
    else if (options.offers) ['audio', 'video'].forEach(kind => peer.addTransceiver(kind, { direction: 'recvonly' }));
    peer.onicecandidate = event => { if (event.candidate) send('candidate', { round: number, candidate: event.candidate }); };
    peer.ontrack = event => {
      const incoming = event.streams[0] || new MediaStream([event.track]);
      if (remote.srcObject !== incoming) { remote.srcObject = incoming; remote.hidden = false; show(remote); }
    };
  }

  async function send(kind, value) {
    const refused = await connection.invoke('Signal', kind, JSON.stringify(value));
    if (refused === 'ended') end();
  }

  async function offer() {
    newPeer(round + 1);
    await peer.setLocalDescription(await peer.createOffer());
    await send('offer', { round, description: peer.localDescription });
  }

  async function received(kind, data) {
    const message = JSON.parse(data);
    if (kind === 'offer' && !options.offers) {
      newPeer(message.round);
      await peer.setRemoteDescription(message.description);
      await peer.setLocalDescription(await peer.createAnswer());
      await send('answer', { round, description: peer.localDescription });
      options.joined();
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

  function end() {
    if (ended) return;
    ended = true;
    close();
    if (stream) stream.getTracks().forEach(track => track.stop());
    local.srcObject = null;
    [mute, camera, hangup].forEach(button => { button.disabled = true; });
    devices.hidden = true;
    connection.stop();
    options.ended();
  }

  function toggle(button, kind) {
    const off = button.getAttribute('aria-pressed') !== 'true';
    button.setAttribute('aria-pressed', String(off));
    if (stream) stream.getTracks().filter(track => track.kind === kind).forEach(track => { track.enabled = !off; });
  }

  mute.addEventListener('click', () => toggle(mute, 'audio'));
  camera.addEventListener('click', () => toggle(camera, 'video'));
  hangup.addEventListener('click', () => connection.invoke('HangUp').catch(() => {}).finally(end));
  unmute.addEventListener('click', () => { remote.muted = false; unmute.hidden = true; });
  connection.on('signal', (kind, data) => { received(kind, data).catch(() => {}); });
  connection.on('ended', end);
  connection.on('left', () => { close(); options.left(); });

  async function start() {
    try {
      await connection.start();
      iceServers = await connection.invoke('IceServers');
      if (!await connection.invoke(options.greeting)) { end(); return; }
      if (options.started) options.started();
    } catch {
      if (!ended) { options.offline(); setTimeout(start, 3000); }
    }
  }
  connection.onreconnected(() => connection.invoke(options.greeting).then(ok => { if (!ok) end(); }));
  connection.onclose(() => { if (!ended) { options.offline(); setTimeout(start, 3000); } });
  media().then(start);
  return { connection, offer };
};
