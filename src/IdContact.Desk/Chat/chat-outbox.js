// The messages a chat page has typed and the server has not yet confirmed, kept in sessionStorage so a reload keeps
// them too. They go out in the order typed, each with the id it got when typed, so a resend is stored once. A send that
// fails (the connection dropped, or the server could not store it) is tried again by itself: at once when the
// connection is back, otherwise after 2, 4, 8… up to 30 seconds. Shared by the resident's and the agent's chat pages.
window.IdContactOutbox = function (key, { send, delivered, failed, canSend }) {
  let flushing = false;
  let delay = 0;
  let timer;

  function items() { try { return JSON.parse(sessionStorage.getItem(key) || '[]'); } catch { return []; } }
  function save(list) { sessionStorage.setItem(key, JSON.stringify(list)); }

  // Sends what waits, oldest first; one flush at a time (a message typed meanwhile is picked up by the running one).
  async function flush() {
    if (flushing || !canSend()) return;
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
      failed();
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
