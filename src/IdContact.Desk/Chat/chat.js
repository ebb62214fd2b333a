// The resident's chat: live lines, typing, queue place, identification dialog. Messages wait in the outbox
// (chat-outbox.js) until the server confirms them, so a dropped connection or a failed store loses none.
(function () {
  const script = document.currentScript;
  const tenant = script.dataset.tenant;
  const capability = script.dataset.capability;
  const en = script.dataset.lang === 'en';
  const t = {
    you: en ? 'You' : 'U',
    notice: en ? 'Notice' : 'Melding',
    typing: en ? 'The agent is typing…' : 'De medewerker typt…',
    ended: en ? 'The chat has ended. The conversation has been deleted.' : 'De chat is beëindigd. Het gesprek is verwijderd.',
    deleted: en ? 'This conversation has ended and has been deleted.' : 'Dit gesprek is beëindigd en verwijderd.',
    offline: en ? 'Connection lost; your messages are sent when it is back.' : 'Verbinding verbroken; uw berichten worden verstuurd zodra die terug is.',
    notSent: en ? 'Your message has not been sent yet; it is tried again shortly.' : 'Uw bericht is nog niet verstuurd; het wordt zo opnieuw geprobeerd.',
    unsent: en ? 'Not sent' : 'Niet verstuurd',
    queued: n => en ? `You are waiting for an agent. You are number ${n} in the queue.` : `U wacht op een medewerker. U bent nummer ${n} in de wachtrij.`,
    active: name => en ? `You are chatting with ${name}.` : `U chat met ${name}.`,
    // The page title follows the same states (ChatTexts.Title on the server).
    titles: {
      queued: () => en ? 'Waiting for an agent' : 'Wachten op een medewerker',
      active: name => en ? `Chat with ${name}` : `Chat met ${name}`,
      ended: () => en ? 'Chat ended' : 'Chat beëindigd',
    },
    events: {
      joined: name => en ? `${name} has joined the chat.` : `${name} neemt deel aan het gesprek.`,
      transferred: name => en ? `The chat was handed over to ${name}.` : `Het gesprek is overgedragen aan ${name}.`,
      handed_back: () => en ? 'The previous agent is no longer available; the conversation goes to another colleague.' : 'De vorige medewerker is niet meer beschikbaar; het gesprek gaat naar een andere collega.',
      identify: () => en ? 'The agent asked for identification.' : 'De medewerker vroeg om identificatie.',
      identified: () => en ? 'Identification succeeded.' : 'Identificatie gelukt.',
      identify_failed: () => en ? 'Identification did not succeed.' : 'Identificatie is niet gelukt.',
      unreadable: () => en ? '[message cannot be read]' : '[bericht niet leesbaar]',
    },
  };
  const list = document.getElementById('messages');
  const status = document.getElementById('chat-status');
  const typing = document.getElementById('typing');
  const form = document.getElementById('send');
  const box = document.getElementById('message');
  const error = document.getElementById('send-error');
  const dialog = document.getElementById('identify');
  IdContactCount(box, document.getElementById('message-count'), en);
  const rules = IdContactChatRules;
  const maxLineBreaks = Number(script.dataset.maxLineBreaks);
  const outboxKey = 'idcontact-chat-outbox:' + capability;
  let ended = false;
  // The first keystroke after a send always says "typing"; further ones at most every two seconds.
  let lastTyping = 0;

  function newId() { return Array.from(crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, '0')).join(''); }
  function lastSeq() { let max = 0; list.querySelectorAll('li[data-seq]').forEach(li => { max = Math.max(max, Number(li.dataset.seq)); }); return max; }
  function time(at) { return new Date(at).toLocaleTimeString(en ? 'en-GB' : 'nl-NL', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Amsterdam' }); }

  function render(li, line, pending) {
    li.className = 'line ' + line.sender + (pending ? ' pending' : '');
    li.dataset.client = line.clientId;
    if (!pending) li.dataset.seq = line.seq;
    li.replaceChildren();
    const who = document.createElement('span'); who.className = 'who';
    who.textContent = line.sender === 'resident' ? t.you : line.sender === 'agent' ? line.agentName : t.notice;
    // dir=auto: a right-to-left message keeps its own direction without moving the name and time around it.
    const text = document.createElement('span'); text.className = 'text'; text.dir = 'auto';
    // A pending line as the server will store it: a pile of combining marks must not paint over the lines around it.
    text.textContent = line.kind !== 'text' ? (t.events[line.kind] || (() => ''))(line.agentName) : pending ? rules.tidy(line.text) : line.text;
    li.append(who, ' ', text);
    if (!pending) { const at = document.createElement('time'); at.dateTime = line.at; at.textContent = time(line.at); li.append(' ', at); }
  }

  // Lines of the agent (or the desk's notices) that arrive while the tab is in the background are counted in its
  // title until the resident looks: waiting in the queue in another tab, they see the agent has answered.
  let baseTitle = document.title;
  let unseen = 0;
  function showTitle() { document.title = unseen > 0 ? `(${unseen}) ${baseTitle}` : baseTitle; }
  function setTitle(state) { baseTitle = `${state} – ${script.dataset.municipality}`; showTitle(); }
  document.addEventListener('visibilitychange', () => { if (!document.hidden) { unseen = 0; showTitle(); } });

  // The log scrolls by itself. A new line brings the newest into view unless the resident scrolled up to read: they
  // stay where they are, and a button (reached by Tab after the log) says new lines wait below.
  const log = document.getElementById('chat-log');
  const newLines = document.getElementById('new-lines');
  function atBottom() { return log.scrollHeight - log.scrollTop - log.clientHeight < 24; }
  function toBottom() { log.scrollTop = log.scrollHeight; newLines.hidden = true; }
  log.addEventListener('scroll', () => { if (atBottom()) newLines.hidden = true; });
  // The button goes once used: focus moves to the log it scrolled, not to nowhere.
  newLines.addEventListener('click', () => { toBottom(); log.focus(); });

  // Each line once, in server order: a line already shown (by sequence) is skipped, a pending one is confirmed in place.
  function add(line) {
    if (list.querySelector(`li[data-seq="${line.seq}"]`)) return;
    if (document.hidden && line.sender !== 'resident') { unseen++; showTitle(); }
    let li = list.querySelector(`li.pending[data-client="${CSS.escape(line.clientId)}"]`);
    const follow = atBottom();
    const fresh = !li;
    if (fresh) {
      li = document.createElement('li');
      const after = Array.from(list.querySelectorAll('li[data-seq]')).find(x => Number(x.dataset.seq) > line.seq);
      list.insertBefore(li, after || list.querySelector('li.pending'));
    }
    render(li, line, false);
    if (fresh && follow) toBottom();
    else if (fresh) newLines.hidden = false;
    if (line.kind === 'identify') showIdentify();
    if (line.sender === 'agent') typing.textContent = '';
  }

  // An ended chat keeps its lines and the save button; the message box and "end chat" go, as nothing is sent or ended
  // any more. Focus that was in them moves to the save button, so a keyboard or screen reader user is not left nowhere.
  function end() {
    ended = true;
    status.textContent = t.ended;
    setTitle(t.titles.ended());
    const endForm = document.querySelector('form.chat-end');
    const focusLost = form.contains(document.activeElement) || endForm.contains(document.activeElement);
    form.querySelectorAll('textarea, button').forEach(e => { e.disabled = true; });
    form.hidden = true;
    endForm.hidden = true;
    const website = document.getElementById('website-link');
    if (website) website.hidden = false;
    if (dialog.open) dialog.close();
    if (focusLost) document.getElementById('save').focus();
    outbox.abandon();
    connection.stop();
  }

  // Retention deleted the chat (no activity for a long while): it ends, and its lines leave the page as they left the
  // desk, so a screen left open shows nothing of it; the way back to the municipality's site stays.
  function deleted() {
    if (ended) return;
    const saveChat = document.getElementById('save-chat');
    const focusLost = [form, document.querySelector('form.chat-end'), saveChat].some(e => e.contains(document.activeElement));
    end();
    status.textContent = t.deleted;
    list.replaceChildren();
    newLines.hidden = true;
    typing.textContent = '';
    saveChat.hidden = true;
    if (focusLost) document.getElementById('website-link')?.querySelector('a')?.focus();
  }

  const connection = new signalR.HubConnectionBuilder()
    .withUrl(`/${tenant}/chat/hub?c=${encodeURIComponent(capability)}&lang=${en ? 'en' : 'nl'}`)
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => Math.min(500 * (ctx.previousRetryCount + 1), 5000) })
    .build();
  connection.on('line', add);
  connection.on('ended', end);
  connection.on('deleted', deleted);
  connection.on('status', refreshStatus);
  connection.on('identify', showIdentify);
  // The desk lost another connection of this chat (a closed tab, or one on another server): this page says it is here,
  // so the agent is not told the resident left.
  connection.on('present', () => { if (!ended) connection.invoke('Here').catch(() => {}); });
  let typingTimer;
  connection.on('typing', () => {
    typing.textContent = t.typing;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => { typing.textContent = ''; }, 4000);
  });
  connection.onreconnecting(() => { if (!ended) error.textContent = t.offline; });
  connection.onreconnected(sync);
  connection.onclose(() => { if (!ended) setTimeout(start, 3000); });

  // The status line is a live region, read again at each write: it is written only when its words change, not at every
  // catch-up (each data-refresh seconds) or queue push (any chat arriving behind this one).
  function showStatus(text) { if (status.textContent !== text) status.textContent = text; }
  async function refreshStatus() {
    const s = await connection.invoke('Status');
    if (s === null) { end(); return; }
    if (s.state === 'queued') { showStatus(t.queued(s.position)); setTitle(t.titles.queued()); }
    else if (s.state === 'active') { showStatus(t.active(s.agentName)); setTitle(t.titles.active(s.agentName)); }
    // How many answers the page has had (tests wait for the next one rather than for a time).
    status.dataset.asked = String(Number(status.dataset.asked || 0) + 1);
  }

  // The lines after the last one shown, and the status (queue place, agent, ended). False when the chat has ended.
  async function catchUp() {
    const missed = await connection.invoke('Lines', lastSeq());
    if (missed === null) { end(); return false; }
    missed.forEach(add);
    await refreshStatus();
    return true;
  }

  // After (re)connecting: fetch what was missed, then send again what was not confirmed.
  async function sync() {
    error.textContent = '';
    if (await catchUp()) await outbox.flush();
  }

  // Without Redis (the backplane) no push crosses from another instance: the page also catches up every
  // data-refresh seconds, one small query when all is well. A line both fetched and pushed is shown once (add).
  setInterval(() => {
    if (!ended && connection.state === signalR.HubConnectionState.Connected) catchUp().catch(() => {});
  }, (Number(script.dataset.refresh) || 30) * 1000);

  const outbox = IdContactOutbox(outboxKey, {
    send: item => connection.invoke('Send', item.id, item.text),
    shown: add,
    ended: end,
    connected: () => !ended && connection.state === signalR.HubConnectionState.Connected,
    list, box, error, texts: t,
  });

  form.addEventListener('submit', async event => {
    event.preventDefault();
    const text = box.value;
    if (!text.trim() || ended) return;
    // What the server would refuse is said at once, and the text stays in the box to be changed.
    const refusal = rules.refusal(rules.tidy(text), maxLineBreaks, en);
    if (refusal) { error.textContent = refusal; return; }
    error.textContent = '';
    const item = { id: newId(), text };
    outbox.add(item);
    const li = document.createElement('li');
    render(li, { sender: 'resident', clientId: item.id, kind: 'text', text }, true);
    list.append(li);
    toBottom();
    box.value = '';
    box.dispatchEvent(new Event('change'));
    lastTyping = 0;
    box.focus();
    if (connection.state === signalR.HubConnectionState.Connected) await outbox.flush();
    else error.textContent = t.offline;
  });

  box.addEventListener('keydown', event => {
    if (event.key === 'Enter' && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  box.addEventListener('input', () => {
    const now = Date.now();
    if (now - lastTyping > 2000 && connection.state === signalR.HubConnectionState.Connected) {
      lastTyping = now;
      connection.invoke('Typing').catch(() => {});
    }
  });

  async function showIdentify() {
    const methods = await connection.invoke('IdentifyMethods');
    if (!methods || methods.length === 0) return;
    const buttons = document.getElementById('identify-methods');
    buttons.replaceChildren(...window.IdContactSignInButtons(methods));
    if (dialog.open) dialog.close();
    dialog.showModal();
  }

  // The resident's own copy: the confirmed lines as the page shows them, in a text file made here. It still works after
  // the chat ended (the lines stay on the page), and sends or keeps nothing.
  const save = document.getElementById('save');
  document.getElementById('save-chat').hidden = false;
  save.addEventListener('click', () => {
    const day = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Amsterdam' });
    const lines = Array.from(list.querySelectorAll('li[data-seq]'), li => {
      const at = li.querySelector('time');
      return `${at ? at.textContent + ' ' : ''}${li.querySelector('.who').textContent}: ${li.querySelector('.text').textContent}`;
    });
    const file = new Blob([`${save.dataset.title}, ${day}\r\n\r\n${lines.join('\r\n')}\r\n`], { type: 'text/plain;charset=utf-8' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(file);
    link.download = `${save.dataset.file}-${day}.txt`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  });

  // Lines typed before a reload are shown again as pending until the server confirms them.
  outbox.items().forEach(item => {
    const li = document.createElement('li');
    render(li, { sender: 'resident', clientId: item.id, kind: 'text', text: item.text }, true);
    list.append(li);
  });
  toBottom();

  async function start() {
    try {
      await connection.start();
      await sync();
      if (dialog.open) await showIdentify();
    } catch {
      error.textContent = t.offline;
      setTimeout(start, 3000);
    }
  }
  start();
})();
