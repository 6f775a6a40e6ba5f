import { h } from './ui.js';

// The values of Pipeline.Contracts.Jobs: EmotionLabel, FaceSelectionKind, LengthPolicy.
const emotions = ['Neutral', 'Happy', 'Sad', 'Surprised', 'Fearful', 'Disgusted', 'Angry', 'Contempt'];
const faces = [['Largest', 'The largest face'], ['Index', 'The n-th face, left to right'], ['Box', 'The face in a box'], ['All', 'Every face']];
const policies = [['Cut', 'cut the video to the speech'], ['Loop', 'loop the video'], ['Bounce', 'play it forwards and back'], ['Hold', 'hold the last frame'], ['Pad', 'pad the speech with silence']];

const field = (id, text, control, hint) => h('div', { class: 'field' }, h('label', { for: id }, text), control, hint ? h('small', { class: 'muted', id: `${id}-hint` }, hint) : null);
const number = (id, attrs = {}) => h('input', { id, name: id, type: 'number', inputmode: 'numeric', ...attrs });

/** The submit form: files stream to POST /v1/jobs as multipart, with upload progress; then the job's page. */
export function render(main) {
  document.title = 'Submit · Pipeline';
  const media = h('input', { id: 'media', name: 'media', type: 'file', accept: 'video/*,image/*', required: true, 'aria-describedby': 'media-hint' });
  const audio = h('input', { id: 'audio', name: 'audio', type: 'file', accept: 'audio/*,video/*', 'aria-describedby': 'audio-hint' });
  const text = h('textarea', { id: 'text', name: 'text', rows: 3, 'aria-describedby': 'text-hint' });
  const mode = h('select', { id: 'mode', name: 'mode' }, h('option', { value: '' }, 'from the file (video: dub, photo: animate)'), h('option', { value: 'dub' }, 'dub'), h('option', { value: 'animate' }, 'animate'));
  const emotion = h('select', { id: 'emotion', name: 'emotion' }, h('option', { value: 'FromAudio' }, 'from the speech'), emotions.map(e => h('option', { value: e, selected: e === 'Neutral' }, e.toLowerCase())));
  const intensity = h('input', { id: 'intensity', name: 'intensity', type: 'range', min: 0, max: 1, step: 0.05, value: 0.6 });
  const face = h('select', { id: 'face', name: 'face' }, faces.map(([v, t]) => h('option', { value: v }, t)));
  const faceIndex = number('face-index', { min: 0, value: 0 });
  const box = ['x', 'y', 'width', 'height'].map(n => number(`box-${n}`, { min: 0, 'aria-label': `box ${n} (pixels)`, placeholder: n }));
  const boxAt = number('box-at', { min: 0, step: 0.1, value: 0, 'aria-label': 'at second' });
  const policy = h('select', { id: 'length-policy', name: 'lengthPolicy' }, policies.map(([v, t]) => h('option', { value: v }, `${v.toLowerCase()}: ${t}`)));
  const outputName = h('input', { id: 'output-name', name: 'outputName', placeholder: 'output.mp4' });
  const submit = h('button', { type: 'submit', id: 'submit' }, 'Submit job');
  const progress = h('progress', { id: 'upload-progress', max: 100, value: 0, hidden: true, 'aria-label': 'upload progress' });
  const state = h('p', { id: 'submit-state', role: 'status', 'aria-live': 'polite' });
  const error = h('p', { id: 'submit-error', role: 'alert', class: 'error' });
  const indexRow = h('div', { class: 'row', hidden: true }, field('face-index', 'Face number (0 = leftmost)', faceIndex));
  const boxRow = h('div', { class: 'row', hidden: true }, h('span', {}, 'Box (pixels):'), box, h('span', {}, 'at second'), boxAt);
  face.addEventListener('change', () => { indexRow.hidden = face.value !== 'Index'; boxRow.hidden = face.value !== 'Box'; });
  emotion.addEventListener('change', () => { intensity.disabled = emotion.value === 'FromAudio' || emotion.value === 'Neutral'; });

  const form = h('form', { class: 'stack', id: 'submit-form', novalidate: false },
    h('fieldset', { class: 'stack' }, h('legend', {}, 'Inputs'),
      field('media', 'Video or photo of the speaker', media, 'A video is dubbed; a photo is animated.'),
      field('audio', 'New speech (audio file)', audio, 'Or type text below instead.'),
      field('text', 'Text to speak (when there is no audio file)', text, 'Needs a speech voice on the server.'),
      field('mode', 'Mode', mode)),
    h('fieldset', { class: 'stack' }, h('legend', {}, 'Options'),
      h('div', { class: 'row' }, field('emotion', 'Emotion', emotion), field('intensity', 'Intensity', intensity)),
      field('face', 'Face to animate', face), indexRow, boxRow,
      h('div', { class: 'row' }, field('length-policy', 'When video and speech differ in length', policy), field('output-name', 'Output file name', outputName))),
    h('div', { class: 'row' }, submit, h('div', { style: 'flex:1' }, progress), state), error);

  form.addEventListener('submit', event => {
    event.preventDefault();
    error.textContent = '';
    const file = media.files[0];
    if (!file) { error.textContent = 'Choose a video or a photo.'; media.focus(); return; }
    if (!audio.files[0] && !text.value.trim()) { error.textContent = 'Choose an audio file or type the text to speak.'; audio.focus(); return; }

    const data = new FormData();
    data.append(file.type.startsWith('image/') ? 'image' : 'video', file, file.name);
    if (audio.files[0]) data.append('audio', audio.files[0], audio.files[0].name);
    else data.append('text', text.value);
    if (mode.value) data.append('mode', mode.value);
    if (outputName.value.trim()) data.append('outputName', outputName.value.trim());
    data.append('options', JSON.stringify(options()));
    send(data);
  });

  function options() {
    const selection = { kind: face.value };
    if (face.value === 'Index') selection.index = Number(faceIndex.value || 0);
    if (face.value === 'Box') {
      const [x, y, width, height] = box.map(b => Number(b.value || 0));
      selection.box = { x, y, width, height };
      selection.atSeconds = Number(boxAt.value || 0);
    }
    const feeling = emotion.value === 'FromAudio'
      ? { source: 'FromAudio', timeline: [] }
      : { source: 'Requested', timeline: [{ atSeconds: 0, label: emotion.value, intensity: emotion.value === 'Neutral' ? 0 : Number(intensity.value) }] };
    return { face: selection, emotion: feeling, lengthPolicy: policy.value };
  }

  function send(data) {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/v1/jobs');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.addEventListener('progress', e => {
      if (!e.lengthComputable) return;
      progress.value = Math.round(e.loaded / e.total * 100);
      state.textContent = `Uploading… ${progress.value}%`;
    });
    xhr.addEventListener('load', () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { body = null; }
      if (xhr.status === 202 && body?.id) {
        state.textContent = 'Submitted.';
        location.href = `/jobs/${body.id}`;
        return;
      }
      if (xhr.status === 401) { location.href = '/login'; return; }
      done();
      error.textContent = body?.error ?? `The job was refused (${xhr.status} ${xhr.statusText}).`;
    });
    xhr.addEventListener('error', () => { done(); error.textContent = 'The upload failed: the server could not be reached.'; });
    submit.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    state.textContent = 'Uploading…';
    xhr.send(data);
  }

  function done() { submit.disabled = false; progress.hidden = true; state.textContent = ''; }

  main.append(h('h1', {}, 'Submit a job'), h('div', { class: 'card' }, form));
}
