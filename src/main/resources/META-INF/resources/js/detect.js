// The Detect page: one POST /detect at a low confidence, then every filter (confidence, classes) runs here.
// NMS is done server-side, so dropping boxes under a threshold afterwards gives the set the server would give.
import { apiFetch, fetchJson, initHeader, drawOverlay, reportLine, countByLabel, classColour, el } from './common.js';

const REQUEST = '/detect?conf=0.01&maxDet=1000';
const $ = id => document.getElementById(id);

const state = { result: null, hidden: new Set(), request: 0, imageUrl: null };

function showMessage(text) {
  $('message').textContent = text;
  $('message').hidden = !text;
}

async function detect(blob, name) {
  const request = ++state.request;
  showMessage('');
  $('busy').hidden = false;
  try {
    const type = blob.type || 'application/octet-stream';
    const result = await fetchJson(REQUEST, { method: 'POST', headers: { 'Content-Type': type }, body: blob });
    if (request !== state.request) return; // a newer image was chosen meanwhile
    if (state.imageUrl) URL.revokeObjectURL(state.imageUrl);
    state.imageUrl = URL.createObjectURL(blob);
    state.result = result;
    state.hidden = new Set();
    $('image').alt = `${name} with the detected objects outlined`;
    $('image').src = state.imageUrl;
    buildClassFilter();
    showResult();
    $('result').hidden = false;
  } catch (e) {
    if (request !== state.request) return;
    $('result').hidden = true;
    showMessage(`Detection failed: ${e.message}`);
  } finally {
    if (request === state.request) $('busy').hidden = true;
  }
}

function threshold() {
  return Number($('conf').value);
}

/** Above the slider's confidence (strictly, like the server) and of a class that is not unticked. */
function shown() {
  const conf = threshold();
  return state.result.detections.filter(d => d.confidence > conf && !state.hidden.has(d.label));
}

function buildClassFilter() {
  const labels = countByLabel(state.result.detections).map(([label]) => label).sort();
  const classIds = new Map(state.result.detections.map(d => [d.label, d.classId]));
  $('class-list').replaceChildren(...labels.map((label, i) => {
    const id = `class-${i}`;
    const box = el('input', { type: 'checkbox', id, value: label, checked: '' });
    box.addEventListener('change', () => {
      if (box.checked) state.hidden.delete(label); else state.hidden.add(label);
      showResult();
    });
    const swatch = el('span', { class: 'swatch', style: `background:${classColour(classIds.get(label))}` });
    return el('label', { for: id, class: 'class' }, box, swatch, label, el('span', { class: 'n', 'data-label': label }));
  }));
  $('classes').hidden = labels.length === 0;
}

function showResult() {
  const { result } = state;
  const detections = shown();
  $('conf-value').textContent = threshold().toFixed(2);
  $('report').textContent = reportLine(detections) || 'nothing found';

  // Classes with nothing above the threshold are left out of the filter, unless they are unticked.
  const counts = new Map(countByLabel(result.detections.filter(d => d.confidence > threshold())));
  for (const n of $('class-list').querySelectorAll('.n')) {
    const count = counts.get(n.dataset.label) || 0;
    n.textContent = ` (${count})`;
    n.parentElement.hidden = count === 0 && !state.hidden.has(n.dataset.label);
  }

  drawOverlay($('overlay'), result.image.width, result.image.height, detections);

  $('rows').replaceChildren(...detections.map((d, i) => el('tr', {},
    el('td', {}, String(i + 1)),
    el('td', {}, d.label),
    el('td', {}, d.confidence.toFixed(3)),
    el('td', {}, [d.box.x1, d.box.y1, d.box.x2, d.box.y2].map(v => Math.round(v)).join(', ')))));

  const t = result.timings || {};
  $('timings').replaceChildren(...[['decode', t.decodeMs], ['preprocess', t.preprocessMs],
    ['inference', t.inferenceMs], ['postprocess', t.postprocessMs], ['total', t.totalMs]]
    .flatMap(([name, ms]) => [el('dt', {}, name), el('dd', {}, ms === undefined ? '–' : `${ms.toFixed(1)} ms`)]));

  const c = result.cache;
  $('cache').textContent = c
    ? `${c.hit ? 'hit' : 'miss'}${c.hit ? `, ${c.ageMs} ms old` : ''}${c.scene ? `, scene ${c.scene}` : ''}`
    : 'not consulted';
  const m = result.model || {};
  $('answer-model').textContent = [m.name, m.version].filter(Boolean).join(' ');
  $('image-size').textContent = `${result.image.width} × ${result.image.height}`;
}

async function loadSamples() {
  let names;
  try {
    names = await fetchJson('/samples');
  } catch {
    names = [];
  }
  if (!Array.isArray(names) || names.length === 0) return;
  $('sample').append(...names.map(n => el('option', { value: n }, n)));
  $('samples').hidden = false;
}

async function pickSample(name) {
  if (!name) return;
  $('file').value = '';
  showMessage('');
  try {
    const response = await apiFetch(`/samples/${encodeURIComponent(name)}`);
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
    await detect(await response.blob(), name);
  } catch (e) {
    showMessage(`Cannot load the sample ${name}: ${e.message}`);
  }
}

function setUp() {
  initHeader();
  loadSamples();
  $('file').addEventListener('change', e => {
    const file = e.target.files[0];
    $('sample').value = '';
    if (file) detect(file, file.name);
  });
  $('sample').addEventListener('change', e => pickSample(e.target.value));
  $('conf').addEventListener('input', () => state.result && showResult());

  const drop = $('drop');
  for (const type of ['dragenter', 'dragover']) {
    drop.addEventListener(type, e => { e.preventDefault(); drop.classList.add('over'); });
  }
  for (const type of ['dragleave', 'drop']) {
    drop.addEventListener(type, () => drop.classList.remove('over'));
  }
  drop.addEventListener('drop', e => {
    e.preventDefault();
    const file = e.dataTransfer.files[0];
    $('sample').value = '';
    if (file) detect(file, file.name);
  });
}

setUp();
