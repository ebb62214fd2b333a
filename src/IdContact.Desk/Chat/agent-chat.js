// The agent's conversation view: live lines of the open chat, unread counts of the agent's other chats (in the list and
// the page title), typing, the data panel refreshed when a result arrives. Messages wait in the outbox (chat-outbox.js)
// until the server confirms them.
(function () {
  const script = document.currentScript;
  const tenant = script.dataset.tenant;
  const current = script.dataset.session;
  const en = script.dataset.lang === 'en';
  const me = script.dataset.me;
  const t = {
    you: en ? 'You' : 'U',
    resident: en ? 'Resident' : 'Inwoner',
    notice: en ? 'Notice' : 'Melding',
    typing: en ? 'The resident is typing…' : 'De inwoner typt…',
    ended: en ? 'The chat has ended; its data has been deleted.' : 'De chat is beëindigd; de gegevens zijn verwijderd.',
    deleted: en ? 'This conversation has been deleted (retention period expired).' : 'Dit gesprek is verwijderd (bewaartermijn verlopen).',
    handedOn: en ? 'This chat is no longer yours: it went back to the queue or to a colleague while this page was away.' : 'Deze chat is niet meer van u: hij ging terug naar de wachtrij of naar een collega terwijl deze pagina weg was.',
    signedOut: en ? 'You are signed out. Sign in again to continue this chat; it stays yours for a few minutes.' : 'U bent uitgelogd. Log opnieuw in om deze chat voort te zetten; hij blijft enkele minuten van u.',
    residentGone: en
      ? 'The resident is no longer connected to the chat (page closed or connection lost). You can end the chat; if the resident comes back, you will see that here.'
      : 'De inwoner is niet meer verbonden met de chat (pagina gesloten of verbinding verbroken). U kunt het gesprek beëindigen; komt de inwoner terug, dan ziet u dat hier.',
    residentBack: en ? 'The resident is connected again.' : 'De inwoner is weer verbonden.',
    offline: en ? 'Connection lost; messages are sent when it is back.' : 'Verbinding verbroken; berichten worden verstuurd zodra die terug is.',
    unsent: en ? 'Not sent' : 'Niet verstuurd',
    notSent: en ? 'The message has not been sent yet; it is tried again shortly.' : 'Het bericht is nog niet verstuurd; het wordt zo opnieuw geprobeerd.',
    unread: n => en ? `${n} new` : `${n} nieuw`,
    newLines: n => en ? `${n} new messages` : `${n} nieuwe berichten`,
    longLine: n => en ? `… (long message, ${n} characters)` : `… (lang bericht, ${n} tekens)`,
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
  const typing = document.getElementById('typing');
  const form = document.getElementById('send');
  const box = document.getElementById('message');
  const error = document.getElementById('send-error');
  const live = document.getElementById('live-status');
  const announcer = document.getElementById('announcer');
  IdContactCount(box, document.getElementById('message-count'), en);
  const rules = IdContactChatRules;
  const maxLineBreaks = Number(script.dataset.maxLineBreaks);
  const baseTitle = document.title;
  const unread = {};
  const outboxKey = 'idcontact-agent-outbox:' + current;
  let ended = false;
  // The first keystroke after a send always says "typing"; further ones at most every two seconds.
  let lastTyping = 0;

  function newId() { return Array.from(crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, '0')).join(''); }
  function lastSeq() { let max = 0; list.querySelectorAll('li[data-seq]').forEach(li => { max = Math.max(max, Number(li.dataset.seq)); }); return max; }

  function render(li, line, pending) {
    li.className = 'line ' + line.sender + (pending ? ' pending' : '');
    li.dataset.client = line.clientId;
    if (!pending) li.dataset.seq = line.seq;
    li.replaceChildren();
    const who = document.createElement('span'); who.className = 'who';
    // The agent's own lines say "U (name)"; a colleague's (before a hand-over to this agent) only the colleague's name.
    const agentWho = !line.agentName ? t.you : line.agentName === me ? `${t.you} (${line.agentName})` : line.agentName;
    who.textContent = line.sender === 'resident' ? t.resident : line.sender === 'agent' ? agentWho : t.notice;
    // dir=auto: a right-to-left message keeps its own direction without moving the name and time around it.
    const text = document.createElement('span'); text.className = 'text'; text.dir = 'auto';
    // A pending line as the server will store it: a pile of combining marks must not paint over the lines around it.
    text.textContent = line.kind !== 'text' ? (t.events[line.kind] || (() => ''))(line.agentName) : pending ? rules.tidy(line.text) : line.text;
    li.append(who, ' ', text);
    if (!pending) {
      const at = document.createElement('time'); at.dateTime = line.at;
      at.textContent = new Date(line.at).toLocaleTimeString(en ? 'en-GB' : 'nl-NL', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Amsterdam' });
      li.append(' ', at);
    }
  }

  // What the screen reader says of lines that arrive (the log itself is silent): a resident's line over 300 characters
  // as its first 200 or so and its length; a line at once, the lines after it within two seconds once, as a count.
  // The agent's own lines are not read back to them. Characters are what a reader sees as one (graphemes, not UTF-16
  // units: a cut never splits an emoji), and a pictograph weighs ten, as it is spoken as its name of a few words.
  let heard = [];
  let hearTimer;
  const graphemes = typeof Intl.Segmenter === 'function'
    ? text => Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text), s => s.segment)
    : text => Array.from(text);
  const weight = g => /\p{Extended_Pictographic}/u.test(g) ? 10 : 1;
  function spoken(line) {
    const who = line.sender === 'resident' ? t.resident : t.notice;
    const text = line.kind === 'text' ? line.text : (t.events[line.kind] || (() => ''))(line.agentName);
    const parts = graphemes(text);
    if (parts.reduce((sum, g) => sum + weight(g), 0) <= 300) return `${who}: ${text}`;
    let kept = 0;
    for (let sum = 0; kept < parts.length && sum + weight(parts[kept]) <= 200; kept++) sum += weight(parts[kept]);
    const cut = parts.slice(0, kept);
    const space = cut.lastIndexOf(' ');
    return `${who}: ${(space > 150 ? cut.slice(0, space) : cut).join('')}${t.longLine(parts.length)}`;
  }
  // A line is spoken at once; lines that follow within two seconds wait and are then counted in one announcement, so a
  // burst costs the agent one sentence, not every line, and a single line is never held back.
  function announce(line) {
    if (hearTimer) {
      heard.push(line);
      return;
    }
    announcer.textContent = spoken(line);
    quiet(false);
  }
  function quiet(done) {
    if (done) {
      hearTimer = undefined;
      delete announcer.dataset.counting;
      return;
    }
    announcer.dataset.counting = 'true';
    hearTimer = setTimeout(() => {
      if (heard.length === 0) return quiet(true);
      announcer.textContent = heard.length === 1 ? spoken(heard[0]) : t.newLines(heard.length);
      heard = [];
      quiet(false);
    }, 2000);
  }

  function add(line) {
    if (list.querySelector(`li[data-seq="${line.seq}"]`)) return;
    if (line.sender !== 'agent') announce(line);
    let li = list.querySelector(`li.pending[data-client="${CSS.escape(line.clientId)}"]`);
    if (!li) {
      li = document.createElement('li');
      const after = Array.from(list.querySelectorAll('li[data-seq]')).find(x => Number(x.dataset.seq) > line.seq);
      list.insertBefore(li, after || list.querySelector('li.pending'));
    }
    render(li, line, false);
    if (line.sender === 'resident') typing.textContent = '';
    list.scrollTop = list.scrollHeight;
  }

  function showUnread() {
    let total = 0;
    document.querySelectorAll('[data-unread-for]').forEach(span => {
      const n = unread[span.dataset.unreadFor] || 0;
      span.textContent = n > 0 ? t.unread(n) : '';
      total += n;
    });
    document.title = total > 0 ? `(${total}) ${baseTitle}` : baseTitle;
  }

  const connection = new signalR.HubConnectionBuilder()
    .withUrl(`/${tenant}/desk/chat/hub?lang=${en ? 'en' : 'nl'}`)
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => Math.min(500 * (ctx.previousRetryCount + 1), 5000) })
    .build();
  // A resident's message while the page is out of view: a notification and sound (desk-alerts.js), if switched on.
  // A click on it comes back to the message box, or to the other chat's link in Mijn chats.
  const alerts = window.IdContactAlerts;
  function tell(id) {
    alerts.arrived('message', () => alerts.focusOn(id === current ? box
      : Array.from(document.querySelectorAll('#my-chats a')).find(a => a.pathname.endsWith(`/desk/chats/${id}`))));
  }
  connection.on('line', (id, line) => {
    if (line.sender === 'resident' && (id !== current || !list.querySelector(`li[data-seq="${line.seq}"]`))) tell(id);
    if (id === current) { add(line); return; }
    if (line.sender === 'resident') { unread[id] = (unread[id] || 0) + 1; showUnread(); }
  });
  let typingTimer;
  connection.on('typing', id => {
    if (id !== current) return;
    typing.textContent = t.typing;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => { typing.textContent = ''; }, 4000);
  });
  // The resident's page went ('resident', id, false) or is there ('resident', id, true). The grace is timed here, not
  // on the server: a reload or short drop may come back on another instance, whose push (over the backplane) reaches
  // this page but not the first instance's timer. Said once, and "back" only after "gone" was said.
  const residentGrace = Number(script.dataset.residentGone) * 1000;
  let residentTimer;
  let residentGone = false;
  function residentLeft() {
    if (residentGone) return;
    residentTimer = setTimeout(() => {
      if (ended || signedOut) return;
      residentGone = true;
      typing.textContent = '';
      live.textContent = t.residentGone;
    }, residentGrace);
  }
  connection.on('resident', (id, connected) => {
    if (id !== current || ended) return;
    clearTimeout(residentTimer);
    if (connected) {
      if (residentGone) live.textContent = t.residentBack;
      residentGone = false;
    } else residentLeft();
  });
  // A resident who left before this page was open (or while its connection was down) sent no "gone" it could hear:
  // the page asks the resident's pages to answer (AskResident) and, with no answer within the same grace, says the
  // same as when the resident leaves during the chat.
  async function askResident() {
    if (ended || residentGone) return;
    clearTimeout(residentTimer);
    residentLeft();
    await connection.invoke('AskResident', current).catch(() => {});
  }
  // Controls disabled or removed under a keyboard agent (typing in the message box when the chat ends) would drop the
  // focus to the page's start: it goes to the line that says why instead.
  function keepFocus(change) {
    const had = document.activeElement;
    change();
    if (!had || had === document.body || (had.isConnected && !had.disabled)) return;
    live.tabIndex = -1;
    live.focus();
  }
  // Ended (by the resident, or elsewhere): the desk deleted the resident's data, so it leaves this page too, with the
  // actions on the chat; the lines stay to read back.
  function end() { keepFocus(ending); }
  function ending() {
    ended = true;
    live.textContent = t.ended;
    form.querySelectorAll('textarea, button').forEach(e => { e.disabled = true; });
    outbox.abandon();
    typing.textContent = '';
    document.getElementById('details')?.replaceChildren();
    document.querySelectorAll('form[action*="/desk/chats/"] button, form[action*="/desk/chats/"] select').forEach(e => { e.disabled = true; });
    document.getElementById('quick-replies')?.remove();
  }
  // Retention deleted the chat: the lines go as well; the line that says why stays, and the chat list is fetched again
  // without it.
  function deleted() {
    end();
    live.textContent = t.deleted;
    list.replaceChildren();
    // The screen reader's copy of the last line goes too (a reader could still browse to it), and no count follows.
    clearTimeout(hearTimer);
    heard = [];
    quiet(true);
    announcer.textContent = '';
  }
  // Signed out (in another tab, or the sign-in was ended): the open hub connection would go on working, so the page
  // stops it, says so and offers to sign in again. The chat stays the agent's until the hand-back (HandBackAfterMinutes).
  let signedOut = false;
  function signOut() {
    if (signedOut) return;
    signedOut = true;
    live.textContent = t.signedOut;
    document.getElementById('signed-out').hidden = false;
    keepFocus(() => form.querySelectorAll('textarea, button').forEach(e => { e.disabled = true; }));
    connection.stop();
  }
  // A desk fetch; null when the desk sends the page to sign in (a redirect, not followed) or refuses it.
  async function deskFetch(url) {
    const response = await fetch(url, { credentials: 'same-origin', redirect: 'manual' });
    if (response.type === 'opaqueredirect' || response.status === 401) { signOut(); return null; }
    return response.ok ? response : null;
  }
  async function refreshDetails() {
    const response = await deskFetch(`/${tenant}/desk/chats/${encodeURIComponent(current)}/details?lang=${en ? 'en' : 'nl'}`);
    if (!response) return;
    document.getElementById('details').outerHTML = await response.text();
    // A result answers the request for identification, as a reload would show: with data the button goes, after a
    // failure it stays without "asked; waiting".
    const identify = document.querySelector('form[action*="/identify"]');
    if (identify && document.querySelector('#details table')) identify.remove();
    else identify?.querySelector('.state')?.remove();
  }
  // No longer this agent's chat: ended (and deleted), or handed on while the page was away (the laptop slept past
  // Desk:Chat:HandBackAfterMinutes). Only a chat that is gone may be called deleted.
  async function gone() {
    if (ended) return;
    if (!(await connection.invoke('Exists', current))) { end(); return; }
    ended = true;
    live.textContent = t.handedOn;
    keepFocus(() => form.querySelectorAll('textarea, button').forEach(e => { e.disabled = true; }));
    // Lines still waiting went nowhere (right: they must not land in a colleague's chat); they say so.
    outbox.abandon();
    refreshChats().catch(() => {});
  }
  connection.on('ended', id => {
    if (id === current) end();
    refreshChats();
  });
  connection.on('deleted', id => {
    if (id === current && !signedOut) deleted();
    refreshChats().catch(() => {});
  });
  connection.on('details', id => { if (id === current) refreshDetails(); });
  connection.on('chats', refreshChats);
  connection.onreconnecting(() => { error.textContent = t.offline; refreshChats().catch(() => {}); });
  // Connecting renews the agent's lease on the server (available for chats only while a page of theirs is open).
  connection.onreconnected(sync);
  // The desk closed the connection for good (a sign-out, here or on another device, or a reset): the list fetch
  // finds the session ended and the page says so, instead of sitting silent without its connection.
  connection.onclose(() => { if (!signedOut) refreshChats().catch(() => {}); });
  // Without Redis (the backplane) no push crosses from another instance: each renewal also catches up (lines,
  // ended, the chat list). A line both fetched and pushed is shown once (add).
  function renew() {
    if (connection.state !== signalR.HubConnectionState.Connected) return;
    connection.invoke('Renew').catch(() => {});
    if (!ended) catchUp().then(refreshChats).catch(() => {});
  }
  setInterval(renew, (Number(script.dataset.renew) || 30) * 1000);
  document.addEventListener('visibilitychange', () => { if (!document.hidden) renew(); });

  async function refreshChats() {
    const response = await deskFetch(`/${tenant}/desk/chats/mine?current=${encodeURIComponent(current)}&lang=${en ? 'en' : 'nl'}`);
    if (!response) return;
    const html = await response.text();
    // A keyboard agent on a link under Mijn chats keeps it when the list is swapped (at every renewal): the same chat's
    // link, else the list itself (that chat has gone).
    const on = document.activeElement?.closest('#my-chats li[data-chat]')?.dataset.chat;
    document.getElementById('my-chats').outerHTML = html;
    showUnread();
    if (on === undefined) return;
    const mine = document.getElementById('my-chats');
    const again = mine.querySelector(`li[data-chat="${CSS.escape(on)}"] a`);
    if (again) { again.focus(); return; }
    mine.tabIndex = -1;
    mine.focus();
  }

  // The lines after the last one shown; a result among them means new proven data. False when the chat is no longer this agent's.
  async function catchUp() {
    const missed = await connection.invoke('Lines', current, lastSeq());
    if (missed === null) { await gone(); return false; }
    missed.forEach(add);
    if (missed.some(line => line.kind === 'identified' || line.kind === 'identify_failed')) await refreshDetails();
    return true;
  }

  async function sync() {
    error.textContent = '';
    if (await catchUp()) {
      await askResident();
      await outbox.flush();
    }
  }

  const outbox = IdContactOutbox(outboxKey, {
    send: item => connection.invoke('Send', current, item.id, item.text),
    shown: add,
    ended: () => { gone().catch(() => {}); },
    connected: () => connection.state === signalR.HubConnectionState.Connected,
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
    render(li, { sender: 'agent', clientId: item.id, kind: 'text', text, agentName: '' }, true);
    list.append(li);
    box.value = '';
    box.dispatchEvent(new Event('change'));
    lastTyping = 0;
    box.focus();
    if (connection.state === signalR.HubConnectionState.Connected) await outbox.flush();
    else error.textContent = t.offline;
  });
  // A standard text goes in at the cursor (replacing a selection), to be edited and sent like anything typed.
  document.querySelectorAll('button.quick-reply').forEach(button => button.addEventListener('click', () => {
    if (ended) return;
    box.setRangeText(button.dataset.text, box.selectionStart, box.selectionEnd, 'end');
    box.focus();
    box.dispatchEvent(new Event('input'));
  }));
  box.addEventListener('keydown', event => {
    if (event.key === 'Enter' && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  box.addEventListener('input', () => {
    const now = Date.now();
    if (now - lastTyping > 2000 && connection.state === signalR.HubConnectionState.Connected) {
      lastTyping = now;
      connection.invoke('Typing', current).catch(() => {});
    }
  });

  outbox.items().forEach(item => {
    const li = document.createElement('li');
    render(li, { sender: 'agent', clientId: item.id, kind: 'text', text: item.text, agentName: '' }, true);
    list.append(li);
  });
  list.scrollTop = list.scrollHeight;
  async function start() {
    if (signedOut) return;
    try { await connection.start(); await sync(); } catch {
      error.textContent = t.offline;
      // A connection refused for want of a sign-in looks like any failure here; the list's fetch tells them apart.
      refreshChats().catch(() => {});
      setTimeout(start, 3000);
    }
  }
  start();
})();
