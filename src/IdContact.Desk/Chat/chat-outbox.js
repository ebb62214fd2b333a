// The messages a chat page has typed and the server has not yet confirmed, kept in sessionStorage so a reload keeps
// them too. They go out in the order typed, each with the id it got when typed, so a resend is stored once. A send that
// fails (the connection dropped, or the server could not store it) is tried again by itself: at once when the
// connection is back, otherwise after 2, 4, 8… up to 30 seconds. Shared by the resident's and the agent's chat pages.
//   key        sessionStorage key of this chat
//   send       item => the hub's SendResult ({ line, error, ended })
//   shown      line => the stored line, shown in place of its pending one
//   ended      () => the chat has ended
//   connected  () => the hub connection is up
//   list, box, error, texts: { notSent, offline, unsent }   the page's message list, message box, error line and sentences
window.IdContactOutbox = function (key, { send, shown, ended, connected, list, box, error, texts }) {
  let flushing = false;
  let delay = 0;
  let timer;

  function items() { try { return JSON.parse(sessionStorage.getItem(key) || '[]'); } catch { return []; } }
  function save(list) { sessionStorage.setItem(key, JSON.stringify(list)); }

  function delivered(item, result) {
    if (result.ended) { ended(); return; }
    if (result.error) {
      // Refused for good (too long, too many): said once, the pending line goes and its text returns to the box, so the
      // writer can send it after the wait or shorten it. Anything typed since stays after it.
      error.textContent = result.error;
      list.querySelector(`li.pending[data-client="${CSS.escape(item.id)}"]`)?.remove();
      box.value = box.value.trim() ? item.text + '\n' + box.value : item.text;
      box.dispatchEvent(new Event('change'));
      return;
    }
    if (error.textContent === texts.notSent) error.textContent = '';
    shown(result.line);
  }

  // Sends what waits, oldest first; one flush at a time (a message typed meanwhile is picked up by the running one).
  async function flush() {
    if (flushing || !connected()) return;
    flushing = true;
    clearTimeout(timer);
    try {
      for (let item = items()[0]; item; item = items()[0]) {
        const result = await send(item);
        save(items().filter(x => x.id !== item.id));
        delay = 0;
        delivered(item, result);
      }
    } catch {
      delay = Math.min(delay ? delay * 2 : 2000, 30000);
      timer = setTimeout(flush, delay);
      error.textContent = connected() ? texts.notSent : texts.offline;
    } finally {
      flushing = false;
    }
  }

  return {
    items,
    add(item) { save([...items(), item]); },
    clear() { clearTimeout(timer); save([]); },
    // The chat is no longer this page's (ended, handed on): what still waits is never sent, and the lines say so.
    abandon() {
      clearTimeout(timer);
      save([]);
      list.querySelectorAll('li.pending').forEach(li => {
        li.classList.replace('pending', 'unsent');
        const note = document.createElement('strong'); note.className = 'unsent-note'; note.textContent = texts.unsent;
        li.append(' ', note);
      });
    },
    flush,
  };
};

// GOV.UK's character count: from 90 % of the limit a polite live line under the box says how many characters are left
// (or too many). The box has no maxlength, so a long paste is not cut without a word; the page and the server refuse
// the send instead, and the text stays in the box. It counts the text as the server will judge it (tidied: marks past
// four in a row and extra blank lines do not count), so what it calls within the limit is never refused as too long.
window.IdContactCount = function (box, line, en) {
  const max = IdContactChatRules.maxLength;
  const noun = n => n === 1 ? (en ? 'character' : 'teken') : (en ? 'characters' : 'tekens');
  function show() {
    const length = IdContactChatRules.tidy(box.value).length;
    const left = max - length;
    line.textContent = length < max * 0.9 ? ''
      : left >= 0 ? (en ? `${left} ${noun(left)} left` : `Nog ${left} ${noun(left)}`)
      : (en ? `${-left} ${noun(-left)} too many` : `${-left} ${noun(-left)} te veel`);
    line.classList.toggle('over', left < 0);
  }
  // 'change' too: the page sets the box itself after a send or a refusal, without the 'typing' an input would signal.
  box.addEventListener('input', show);
  box.addEventListener('change', show);
  show();
};

// ChatRules on the server, mirrored for a line the page shows before the server has confirmed it: tidy is what the
// server stores (line breaks one "\n", more than two blank lines one, at most four combining marks in a row; an
// invisible format character between marks ends no run), refusal says why the server would refuse it (null: it would not).
window.IdContactChatRules = (function () {
  const maxLength = 2000;
  const maxMarks = 4;
  // .NET's \s less "\n", as the server's BlankRun has it (the other breaks are "\n" by then).
  const blankRun = /\n(?:[\t\x0B\f\r\x85\p{Z}]*\n){3,}/gu;
  function tidy(text) {
    let run = 0;
    let out = '';
    for (const ch of text.replace(/\r\n|[\r\v\f\u0085\u2028\u2029]/g, '\n').replace(blankRun, '\n\n')) {
      const mark = /[\p{Mn}\p{Me}]/u.test(ch);
      run = mark ? run + 1 : /\p{Cf}/u.test(ch) ? run : 0;
      if (run <= maxMarks) out += ch;
    }
    return out;
  }
  function refusal(text, maxLineBreaks, en) {
    if (!text.trim()) return en ? 'Type a message first.' : 'Typ eerst een bericht.';
    if (text.length > maxLength) return en ? `A message can be at most ${maxLength} characters long.` : `Een bericht mag hoogstens ${maxLength} tekens lang zijn.`;
    const lines = maxLineBreaks + 1;
    return text.split('\n').length > lines ? (en ? `A message can have at most ${lines} lines.` : `Een bericht mag hoogstens ${lines} regels hebben.`) : null;
  }
  return { maxLength, tidy, refusal };
})();
