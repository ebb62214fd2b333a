// A table region (TableScroll.razor) is a Tab stop so that keyboard users can scroll it (axe: scrollable-region-focusable),
// but where nothing scrolls that stop only leads nowhere. The server renders tabindex="0" (without script it stays);
// here it is kept only while the region overflows: checked on load, whenever a region or its table changes size (a
// narrower window, zoom, new rows) and when a live list swaps a new region in. A focused region keeps it until left.
(function () {
  const watched = new WeakSet();

  function update(region) {
    const overflows = region.scrollWidth > region.clientWidth || region.scrollHeight > region.clientHeight;
    if (overflows) region.setAttribute('tabindex', '0');
    else if (document.activeElement !== region) region.removeAttribute('tabindex');
  }

  const sizes = new ResizeObserver(entries => {
    for (const entry of entries) {
      const region = entry.target.closest('.idc-table-scroll');
      if (region) update(region);
    }
  });

  function watch() {
    for (const region of document.querySelectorAll('.idc-table-scroll')) {
      if (watched.has(region)) continue;
      watched.add(region);
      sizes.observe(region);
      for (const child of region.children) sizes.observe(child);
      update(region);
    }
  }

  watch();
  new MutationObserver(records => { if (records.some(r => r.addedNodes.length > 0)) watch(); })
    .observe(document.body, { childList: true, subtree: true });
  document.addEventListener('focusout', e => {
    if (e.target instanceof Element && e.target.classList.contains('idc-table-scroll')) update(e.target);
  });
})();
