// One fetch at a time for a live list: a change announced while a fetch runs causes exactly one more, so a push is
// never dropped and a burst is never a fetch per message. Shared by the overview, Afspraken and Bezetting.
window.liveRefresh = function (load) {
  let running = null;
  let again = false;
  return function refresh() {
    if (running) { again = true; return running; }
    running = load().catch(() => {}).finally(() => {
      running = null;
      if (again) { again = false; refresh(); }
    });
    return running;
  };
};
