import { h, api, short, when } from './ui.js';

/** The tenant's batches, from GET /v1/batches. */
export async function render(main) {
  document.title = 'Batches · Pipeline';
  main.append(h('h1', {}, 'Batches'));
  let batches;
  try {
    batches = await api('/v1/batches');
  } catch (e) {
    main.append(h('p', { class: 'empty' }, e.status === 404 || e.status === 405 ? 'Batches are not available on this server yet.' : `Could not load batches: ${e.message}`));
    return;
  }
  const list = Array.isArray(batches) ? batches : batches?.items ?? [];
  if (!list.length) {
    main.append(h('p', { class: 'empty' }, 'No batches yet. Submit one through the API from a catalog manifest.'));
    return;
  }
  main.append(h('table', { id: 'batches' },
    h('thead', {}, h('tr', {}, ['Batch', 'Name', 'Created', 'Queued', 'Running', 'Succeeded', 'Failed', 'Cancelled'].map(t => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, list.map(b => h('tr', {},
      h('td', {}, h('a', { href: `/batches/${b.id}` }, h('code', {}, short(b.id)))), h('td', {}, b.name ?? ''), h('td', {}, when(b.createdAt)),
      ['queued', 'running', 'succeeded', 'failed', 'cancelled'].map(k => h('td', { class: 'num' }, b.counts?.[k] ?? '—')))))));
}
