// Keeps the administrator's "Bezetting" page current: every Desk:AgentRefreshSeconds the server-rendered table is
// fetched again and, when it changed, swapped in; a polite status says when. Without script a reload shows the same.
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
      const template = document.createElement('template');
      template.innerHTML = (await response.text()).trim();
      const next = template.content.firstElementChild;
      const current = document.getElementById('staffing-list');
      // Unchanged: nothing to swap and nothing to announce (the status is polite, but every 30 s would still be chatty).
      if (!next || next.innerHTML === current.innerHTML) return;
      current.replaceWith(next);
      status.textContent = (en ? 'Updated at ' : 'Bijgewerkt om ') + next.dataset.updated;
    } catch {
      // Offline for a moment: the next tick tries again.
    } finally {
      running = false;
    }
  }

  setInterval(refresh, refreshSeconds * 1000);
})();
