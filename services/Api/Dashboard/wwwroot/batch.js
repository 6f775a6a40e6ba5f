import { h, api, short, when, statusBadge, follow } from './ui.js';

const kinds = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

/** One batch: counts by status and its failures, re-read as its jobs change. */
export async function render(main, id) {
  document.title = `Batch ${short(id)} · Pipeline`;
  const head = h('h1', {}, 'Batch ', h('code', {}, short(id)));
  const body = h('div', { id: 'batch' });
  main.append(head, body);

  const draw = async () => {
    let batch;
    try {
      batch = await api(`/v1/batches/${id}`);
    } catch (e) {
      body.replaceChildren(h('p', { class: 'empty' }, e.status === 404 ? 'No such batch (or batches are not available on this server yet).' : `Could not load the batch: ${e.message}`));
      return false;
    }
    head.replaceChildren('Batch ', batch.name ? `${batch.name} ` : '', h('code', {}, short(id)));
    const failures = batch.failures ?? [];
    body.replaceChildren(
      h('p', { class: 'muted' }, 'Created ', when(batch.createdAt)),
      h('div', { class: 'counts', id: 'batch-counts' }, kinds.map(k => h('div', { 'data-count': k }, h('b', {}, batch.counts?.[k] ?? 0), k))),
      h('h2', {}, `Failures (${failures.length})`),
      failures.length
        ? h('table', { id: 'failures' }, h('thead', {}, h('tr', {}, ['Row', 'Job', 'Stage', 'Reason'].map(t => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, failures.map(f => h('tr', {}, h('td', {}, f.ref ?? f.row ?? ''), h('td', {}, f.jobId ? h('a', { href: `/jobs/${f.jobId}` }, h('code', {}, short(f.jobId))) : '—'),
            h('td', {}, f.stage ?? ''), h('td', { class: 'error' }, f.reason ?? f.error ?? '')))))
        : h('p', { class: 'muted' }, 'None.'),
      Array.isArray(batch.rows) && batch.rows.length ? [h('h2', {}, 'Rows'), h('table', { id: 'rows' },
        h('thead', {}, h('tr', {}, ['Row', 'Job', 'Status', 'Error'].map(t => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, batch.rows.map(r => h('tr', {}, h('td', {}, r.ref ?? r.row ?? r.index ?? ''),
          h('td', {}, r.jobId ? h('a', { href: `/jobs/${r.jobId}` }, h('code', {}, short(r.jobId))) : '—'),
          h('td', {}, r.status ? statusBadge(r.status[0].toUpperCase() + r.status.slice(1)) : ''), h('td', { class: 'error' }, r.error ?? r.reason ?? '')))))] : null);
    return true;
  };

  if (await draw()) {
    let pending = null;
    follow({}, { onJob: job => { if (job.batchId === id) pending ??= setTimeout(() => { pending = null; draw(); }, 500); } });
  }
}
