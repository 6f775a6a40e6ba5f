import { h, short, when, statusBadge, progressBar, timeline, follow } from './ui.js';

const statuses = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

/** The job list: newest first, every row kept current by the event stream. */
export function render(main) {
  document.title = 'Jobs · Pipeline';
  const wanted = new URLSearchParams(location.search).get('status') ?? '';
  const filter = h('select', { id: 'status-filter', onchange: e => {
    const url = new URL(location.href);
    if (e.target.value) url.searchParams.set('status', e.target.value); else url.searchParams.delete('status');
    location.href = url;
  } }, h('option', { value: '' }, 'All'), statuses.map(s => h('option', { value: s, selected: s === wanted }, s)));
  const body = h('tbody');
  const empty = h('p', { class: 'empty', hidden: true }, 'No jobs yet. ', h('a', { href: '/submit' }, 'Submit one'), '.');
  main.append(
    h('div', { class: 'row' }, h('h1', {}, 'Jobs'), h('label', { for: 'status-filter', class: 'muted' }, 'Status'), filter,
      h('a', { class: 'button', href: '/submit', style: 'margin-left:auto' }, 'New job')),
    h('table', { id: 'jobs' },
      h('thead', {}, h('tr', {}, ['Job', 'Mode', 'Status', 'Progress', 'Stages', 'Current stage', 'Created', 'Updated'].map(t => h('th', { scope: 'col' }, t)))),
      body),
    empty);

  const rows = new Map();
  const draw = job => {
    const row = h('tr', { 'data-job': job.id },
      h('td', {}, h('a', { href: `/jobs/${job.id}` }, h('code', {}, short(job.id)))),
      h('td', {}, job.mode.toLowerCase()),
      h('td', { class: 'job-status' }, statusBadge(job.status)),
      h('td', { class: 'num' }, h('div', { class: 'row', style: 'gap:.5rem;flex-wrap:nowrap' }, progressBar(job), h('span', { class: 'pct' }, `${Math.round(job.progress * 100)}%`))),
      h('td', {}, timeline(job.stages)),
      h('td', {}, job.currentStage ?? '—'),
      h('td', {}, when(job.createdAt)),
      h('td', {}, when(job.updatedAt)));
    const old = rows.get(job.id);
    rows.set(job.id, row);
    return old ? (old.replaceWith(row), row) : row;
  };
  const matches = job => !wanted || job.status.toLowerCase() === wanted;

  follow({ snapshot: 100, ...(wanted ? { status: wanted } : {}) }, {
    onSnapshot: jobs => {
      rows.clear();
      body.replaceChildren(...jobs.map(draw));
      empty.hidden = jobs.length > 0;
    },
    onJob: job => {
      if (!matches(job)) {
        rows.get(job.id)?.remove();
        rows.delete(job.id);
      } else if (rows.has(job.id)) {
        draw(job);
      } else {
        body.prepend(draw(job));
      }
      empty.hidden = rows.size > 0;
    },
  });
}
