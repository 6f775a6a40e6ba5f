// Small helpers every page shares: element building, the REST calls, formatting, the live event stream.

/** h('a', {href: '/'}, 'text', child) builds an element; attributes starting with "on" become listeners. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else if (name === 'style') el.style.cssText = value; // CSSOM: allowed where the CSP forbids inline style attributes
    else el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** A REST call; throws an Error carrying the API's own message (and .status) on failure. */
export async function api(path, options = {}) {
  const response = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' }, ...options });
  if (response.status === 401) { location.href = '/login'; throw new Error('not logged in'); }
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = null; }
  if (!response.ok) {
    const error = new Error(body?.error ?? body?.title ?? (text || `${response.status} ${response.statusText}`));
    error.status = response.status;
    throw error;
  }
  return body;
}

export const short = id => String(id).slice(0, 8);

export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function seconds(from, to) {
  if (!from) return '—';
  const s = ((to ? new Date(to) : new Date()) - new Date(from)) / 1000;
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export const percent = p => `${Math.round((p ?? 0) * 100)} %`;

export function statusBadge(status) {
  return h('span', { class: `status ${status}`, 'data-status': status }, status.toLowerCase());
}

export function progressBar(job) {
  const bar = h('div', { class: `bar ${job.status}`, role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100,
    'aria-valuenow': Math.round(job.progress * 100), 'aria-label': 'progress' }, h('span'));
  bar.firstChild.style.width = `${job.status === 'Succeeded' ? 100 : Math.round(job.progress * 100)}%`;
  return bar;
}

/** One segment per stage run: filled as far as it got, coloured by how it ended. */
export function timeline(stages) {
  const line = h('div', { class: 'timeline', 'aria-label': 'stage timeline' });
  for (const s of stages ?? []) {
    const fill = s.status === 'Succeeded' || s.status === 'Failed' || s.status === 'Cancelled' ? 1 : s.progress;
    const seg = h('span', { class: `${s.status}${s.cacheHit ? ' cache' : ''}`,
      title: `${s.node}: ${s.status.toLowerCase()}${s.cacheHit ? ' (cached)' : ''}${s.startedAt ? `, ${seconds(s.startedAt, s.finishedAt)}` : ''}` }, h('i'));
    seg.firstChild.style.width = `${Math.round(fill * 100)}%`;
    line.append(seg);
  }
  return line;
}

export const finished = status => status === 'Succeeded' || status === 'Failed' || status === 'Cancelled';

/**
 * Follows /v1/events (server-sent events): onSnapshot(jobs) once, then onJob(job) per change. EventSource reconnects
 * by itself (onOpen then lets a page re-read what it may have missed); the header's indicator says whether it is live.
 */
export function follow(params, { onSnapshot, onJob, onOpen }) {
  const live = document.getElementById('live');
  const source = new EventSource(`/v1/events?${new URLSearchParams(params)}`);
  source.addEventListener('open', () => { if (live) live.textContent = '● live'; onOpen?.(); });
  source.addEventListener('error', () => { if (live) live.textContent = '○ reconnecting…'; });
  if (onSnapshot) source.addEventListener('snapshot', e => onSnapshot(JSON.parse(e.data)));
  if (onJob) source.addEventListener('job', e => onJob(JSON.parse(e.data)));
  addEventListener('pagehide', () => source.close());
  return source;
}
