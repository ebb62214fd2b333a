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

// A shown waiting-room lease (Wacht in de wachtkamer) can run out with no push at all (the instance holding the
// resident's connection died): ask again a second after the first one shown ends. data-lease-ms is the time left when
// the server rendered the list, so the browser's clock does not matter. Call the result with each list as fetched.
window.leaseTimer = function (refresh) {
  let timer = null;
  return root => {
    clearTimeout(timer);
    const left = Array.from(root.querySelectorAll('[data-lease-ms]'), e => Number(e.dataset.leaseMs)).filter(n => n >= 0);
    if (left.length > 0) timer = setTimeout(refresh, Math.min(...left) + 1000);
  };
};

// A list swapped while the agent scrolls its table region by keyboard (the region has focus) would drop the focus to
// the page: call before the swap, and call what it returns with the new list to give focus and position back.
window.keepRegionFocus = function (container) {
  const active = document.activeElement;
  if (!active || !active.classList.contains('idc-table-scroll') || !container.contains(active)) return () => {};
  const left = active.scrollLeft;
  return swapped => {
    const region = swapped.querySelector('.idc-table-scroll');
    if (region) { region.scrollLeft = left; region.focus({ preventScroll: true }); }
  };
};
