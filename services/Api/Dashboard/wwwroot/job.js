import { h, api, short, when, seconds, statusBadge, progressBar, timeline, follow, finished } from './ui.js';

/** One job: state, players, per-stage timings and attempts, cancel and retry; redrawn live as it changes. */
export async function render(main, id) {
  document.title = `Job ${short(id)} · Pipeline`;
  // A job just submitted is filed by the orchestrator a moment after the 202: a 404 is retried for a few seconds.
  let job;
  for (let tries = 0; ; tries++) {
    try {
      job = await api(`/v1/jobs/${id}`);
      break;
    } catch (e) {
      if (e.status !== 404 || tries >= 40) {
        main.replaceChildren(h('h1', {}, 'Job not found'), h('p', { class: 'error' }, e.message));
        return;
      }
      if (tries === 0) main.replaceChildren(h('p', { class: 'muted', role: 'status' }, 'Waiting for the job to be filed…'));
      await new Promise(resolve => setTimeout(resolve, 250));
    }
  }
  main.replaceChildren();
  const spec = await api(`/v1/jobs/${id}/spec`).catch(() => null);

  const status = h('span', { id: 'job-status' });
  const pct = h('span', { id: 'job-progress', class: 'num' });
  const bar = h('div', { id: 'job-bar' });
  const stage = h('span', { id: 'job-stage', class: 'muted' });
  const actions = h('div', { class: 'row', id: 'job-actions' });
  const message = h('p', { id: 'action-message', role: 'alert', class: 'error' });
  const failure = h('div', { id: 'job-failure' });
  const outputs = h('div', { class: 'players', id: 'outputs' });
  const stages = h('tbody');
  const attempts = h('tbody');
  const inputs = h('div', { class: 'players', id: 'inputs' });

  main.append(
    h('h1', {}, 'Job ', h('code', {}, short(id)), ' ', h('span', { class: 'muted' }, `(${job.mode.toLowerCase()})`)),
    h('div', { class: 'card stack' },
      h('div', { class: 'row' }, status, h('div', { style: 'flex:1' }, bar), pct, stage),
      h('p', { class: 'muted' }, 'Created ', when(job.createdAt), ' · id ', h('code', {}, id)),
      actions, message),
    failure,
    h('h2', {}, 'Output'), outputs,
    h('h2', {}, 'Inputs'), inputs,
    h('h2', {}, 'Stages'),
    h('table', { id: 'stages' }, h('thead', {}, h('tr', {}, ['Stage', 'Status', 'Attempts', 'Worker', 'Started', 'Finished', 'Duration', 'Work', 'Cache', 'Error'].map(t => h('th', { scope: 'col' }, t)))), stages),
    h('h2', {}, 'Attempts'),
    h('table', { id: 'attempts' }, h('thead', {}, h('tr', {}, ['Stage', '#', 'Worker', 'Started', 'Finished', 'Duration', 'Outcome', 'Error'].map(t => h('th', { scope: 'col' }, t)))), attempts));

  drawInputs(inputs, id, spec);

  const act = async (button, path, done) => {
    button.disabled = true;
    message.textContent = '';
    try {
      await api(path, { method: 'POST' });
      if (done) message.textContent = '';
      await refresh();
    } catch (e) {
      message.textContent = e.message;
    } finally {
      button.disabled = false;
    }
  };

  let drawnOutput = null;
  const drawSummary = j => {
    status.replaceChildren(statusBadge(j.status));
    bar.replaceChildren(progressBar(j));
    pct.textContent = `${Math.round((j.status === 'Succeeded' ? 1 : j.progress) * 100)}%`;
    stage.textContent = finished(j.status) ? '' : (j.currentStage ? `at ${j.currentStage}` : 'waiting for a worker');
    actions.replaceChildren();
    if (!finished(j.status)) {
      const cancel = h('button', { type: 'button', class: 'danger', id: 'cancel' }, 'Cancel');
      cancel.addEventListener('click', () => act(cancel, `/v1/jobs/${id}/cancel`));
      actions.append(cancel);
    }
    if (j.status === 'Failed' || j.status === 'Cancelled') {
      const retry = h('button', { type: 'button', id: 'retry' }, j.status === 'Failed' ? 'Retry failed stage' : 'Retry');
      retry.addEventListener('click', () => act(retry, `/v1/jobs/${id}/retry?scope=${j.status === 'Failed' ? 'failed-stage' : 'job'}`));
      actions.append(retry);
    }
    failure.replaceChildren(...(j.status === 'Failed' ? [h('div', { class: 'alert', id: 'failure-reason' },
      h('strong', {}, `Failed${j.failedStage ? ` in ${j.failedStage}` : ''}: `), j.error ?? 'no reason recorded')] : []));
  };

  const drawDetail = (j, tries) => {
    drawSummary(j);
    if (j.status === 'Succeeded' && drawnOutput !== j.outputKey) {
      drawnOutput = j.outputKey;
      const mux = j.stages.find(s => s.node === 'mux')?.result;
      outputs.replaceChildren(
        h('figure', {}, h('video', { id: 'output-video', controls: true, preload: 'auto', src: `/v1/jobs/${id}/output`, poster: mux?.thumbnail ? artifact(id, mux.thumbnail.key) : null }),
          h('figcaption', {}, h('a', { href: `/v1/jobs/${id}/output`, download: true }, 'Download'), j.outputSizeBytes ? ` · ${(j.outputSizeBytes / 1e6).toFixed(2)} MB` : '')),
        mux?.thumbnail ? h('figure', {}, h('img', { id: 'thumbnail', src: artifact(id, mux.thumbnail.key), alt: 'Thumbnail of the output' }), h('figcaption', {}, 'Thumbnail')) : null,
        mux?.preview ? h('figure', {}, h('img', { src: artifact(id, mux.preview.key), alt: 'Preview strip of the output' }), h('figcaption', {}, 'Preview strip')) : null);
    } else if (j.status !== 'Succeeded') {
      drawnOutput = null;
      outputs.replaceChildren(h('p', { class: 'muted' }, finished(j.status) ? 'No output.' : 'The output appears here when the job succeeds.'));
    }
    stages.replaceChildren(...j.stages.map(s => h('tr', { 'data-node': s.node },
      h('td', {}, s.node), h('td', {}, statusBadge(s.status)), h('td', { class: 'num' }, s.attempts), h('td', {}, s.worker ?? '—'),
      h('td', {}, when(s.startedAt)), h('td', {}, when(s.finishedAt)), h('td', { class: 'num' }, s.startedAt ? seconds(s.startedAt, s.finishedAt) : '—'),
      h('td', { class: 'num' }, s.workSeconds != null ? `${s.workSeconds.toFixed(2)} s` : '—'), h('td', {}, s.cacheHit ? 'hit' : ''),
      h('td', { class: 'error' }, s.error ?? ''))));
    attempts.replaceChildren(...tries.map(a => h('tr', {},
      h('td', {}, a.node), h('td', { class: 'num' }, a.attempt), h('td', {}, a.worker), h('td', {}, when(a.startedAt)), h('td', {}, when(a.finishedAt)),
      h('td', { class: 'num' }, seconds(a.startedAt, a.finishedAt)), h('td', {}, a.outcome ?? 'running'), h('td', { class: 'error' }, a.error ?? ''))));
    if (!tries.length) attempts.append(h('tr', {}, h('td', { colspan: 8, class: 'muted' }, 'No attempts yet.')));
  };

  // Every change redraws the summary at once and re-reads the full job (results, attempts) at most twice a second.
  let pending = null;
  const refresh = async () => {
    const [j, tries] = await Promise.all([api(`/v1/jobs/${id}`), api(`/v1/jobs/${id}/attempts`).catch(() => [])]);
    drawDetail(j, tries);
  };
  const later = () => { pending ??= setTimeout(() => { pending = null; refresh().catch(e => { message.textContent = e.message; }); }, 400); };

  drawDetail(job, await api(`/v1/jobs/${id}/attempts`).catch(() => []));
  follow({ job: id }, { onJob: j => { drawSummary(j); later(); }, onOpen: later });
}

const artifact = (id, key) => `/v1/jobs/${id}/artifacts/${key}`;

function drawInputs(container, id, spec) {
  const inputs = spec?.inputs ?? {};
  const items = [];
  if (inputs.video) items.push(h('figure', {}, h('video', { controls: true, preload: 'metadata', src: artifact(id, inputs.video.key) }), h('figcaption', {}, 'Video')));
  if (inputs.image) items.push(h('figure', {}, h('img', { src: artifact(id, inputs.image.key), alt: 'Input image' }), h('figcaption', {}, 'Image')));
  if (inputs.audio) items.push(h('figure', {}, h('audio', { controls: true, preload: 'metadata', src: artifact(id, inputs.audio.key) }), h('figcaption', {}, 'Audio')));
  if (inputs.text) items.push(h('figure', {}, h('blockquote', {}, inputs.text), h('figcaption', {}, 'Text')));
  container.replaceChildren(...(items.length ? items : [h('p', { class: 'muted' }, 'No inputs recorded.')]));
}
