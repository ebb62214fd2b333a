// Keeps the administrator's "Bezetting" page current: every Desk:AgentRefreshSeconds the server-rendered table is
// fetched again and swapped in; a polite status says when. Without script a reload shows the same.
(function () {
  const script = document.currentScript;
  const tenant = script.dataset.tenant;
  const en = script.dataset.lang === 'en';
  const refreshSeconds = Number(script.dataset.refresh) || 30;
  const status = document.getElementById('staffing-updated');

  let running = false;
  async function refresh() {
    if (running) return;
    running = true;
    try {
      const response = await fetch(`/${tenant}/desk/admin/staffing/list?lang=${en ? 'en' : 'nl'}`, { credentials: 'same-origin' });
      if (response.status === 401 || response.status === 403) { window.location.reload(); return; }
      if (!response.ok) return;
      const current = document.getElementById('staffing-list');
      current.outerHTML = await response.text();
      const updated = document.getElementById('staffing-list').dataset.updated;
      status.textContent = (en ? 'Updated at ' : 'Bijgewerkt om ') + updated;
    } catch {
      // Offline for a moment: the next tick tries again.
    } finally {
      running = false;
    }
  }

  setInterval(refresh, refreshSeconds * 1000);
})();
