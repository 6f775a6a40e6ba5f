import { h, api, when } from './ui.js';

/** The tenant's schedules (read-only): job requests re-submitted on a cron timetable. */
export async function render(main) {
  document.title = 'Schedules · Pipeline';
  main.append(h('h1', {}, 'Schedules'));
  let schedules;
  try {
    schedules = await api('/v1/schedules');
  } catch (e) {
    main.append(h('p', { class: 'error' }, `Could not load schedules: ${e.message}`));
    return;
  }
  if (!schedules.length) {
    main.append(h('p', { class: 'empty', id: 'schedules-empty' },
      'No schedules. A schedule re-submits a job on a cron timetable (UTC); this server does not create or run them yet.'));
    return;
  }
  main.append(h('table', { id: 'schedules' },
    h('thead', {}, h('tr', {}, ['Name', 'Cron (UTC)', 'Mode', 'Enabled', 'Next run', 'Last run'].map(t => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, schedules.map(s => h('tr', {}, h('td', {}, s.name), h('td', {}, h('code', {}, s.cron)), h('td', {}, s.mode ?? '—'),
      h('td', {}, s.enabled ? 'yes' : 'no'), h('td', {}, when(s.nextRunAt)), h('td', {}, when(s.lastRunAt)))))));
}
