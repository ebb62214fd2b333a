// The messages a chat page has typed and the server has not yet confirmed, kept in sessionStorage so a reload keeps
// them too. They go out in the order typed, each with the id it got when typed, so a resend is stored once. A send that
// fails (the connection dropped, or the server could not store it) is tried again by itself: at once when the
// connection is back, otherwise after 2, 4, 8… up to 30 seconds. Shared by the resident's and the agent's chat pages.
//   key        sessionStorage key of this chat
//   send       item => the hub's SendResult ({ line, error, ended })
//   shown      line => the stored line, shown in place of its pending one
//   ended      () => the chat has ended
//   connected  () => the hub connection is up
//   list, error, texts: { notSent, offline }   the page's message list, its error line and the two sentences
window.IdContactOutbox = function (key, { send, shown, ended, connected, list, error, texts }) {
  let flushing = false;
  let delay = 0;
  let timer;

  function items() { try { return JSON.parse(sessionStorage.getItem(key) || '[]'); } catch { return []; } }
  function save(list) { sessionStorage.setItem(key, JSON.stringify(list)); }

  function delivered(item, result) {
    if (result.ended) { ended(); return; }
    if (result.error) {
      // Refused for good (too long, too many): said once, and the pending line goes.
      error.textContent = result.error;
      list.querySelector(`li.pending[data-client="${CSS.escape(item.id)}"]`)?.remove();
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
    flush,
  };
};
