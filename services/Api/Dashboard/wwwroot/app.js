// The dashboard's one shell: picks the page the path names and draws it into <main>.
const routes = [
  [/^\/$/, 'jobs', () => import('./jobs.js')],
  [/^\/jobs\/([0-9a-f-]{36})$/i, 'jobs', () => import('./job.js')],
  [/^\/submit$/, 'submit', () => import('./submit.js')],
  [/^\/batches$/, 'batches', () => import('./batches.js')],
  [/^\/batches\/([0-9a-f-]{36})$/i, 'batches', () => import('./batch.js')],
  [/^\/schedules$/, 'schedules', () => import('./schedules.js')],
];

const main = document.getElementById('main');
const path = location.pathname.replace(/\/+$/, '') || '/';
const route = routes.find(([pattern]) => pattern.test(path));
if (!route) {
  main.textContent = 'No such page.';
} else {
  const [pattern, nav, load] = route;
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === nav) link.setAttribute('aria-current', 'page');
  }
  const page = await load();
  main.replaceChildren();
  await page.render(main, ...path.match(pattern).slice(1));
}
