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
