// Shared by every page: the header (model in service, readiness), API calls, the report line and SVG drawing.

const SVG = 'http://www.w3.org/2000/svg';
const HEALTH_REFRESH_MS = 10_000;

/** An answer of the API that is not 2xx, with the message of its JSON body {"error", "status"}. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const KEY_STORE = 'edge.apiKey';

/** The API key this browser uses (edge.api.keys), asked for in the page when the service answers 401. */
export function apiKey() {
  return localStorage.getItem(KEY_STORE);
}

let keyWanted = null; // the panel's answer while it is shown: every request refused meanwhile waits for it

/**
 * The key panel at the top of the page (no browser dialog: prompt() blocks the page and headless browsers): an
 * explanation, the 401 message after a refused key, a password field and "Use key".
 */
function keyPanel() {
  let panel = document.getElementById('key-panel');
  if (panel) return panel;
  panel = el('form', { id: 'key-panel', class: 'key-panel', 'aria-labelledby': 'key-title', hidden: '' },
    el('p', { id: 'key-title', class: 'key-title' }, 'This service needs an API key (X-API-Key).'),
    el('p', { id: 'key-message', class: 'error', role: 'alert', hidden: '' }),
    el('div', { class: 'key-row' },
      el('label', { for: 'api-key' }, 'API key'),
      el('input', { type: 'password', id: 'api-key', name: 'api-key', autocomplete: 'off', spellcheck: 'false',
        required: '' }),
      el('button', { type: 'submit', id: 'use-key' }, 'Use key')),
    el('p', { class: 'small' }, 'Ask the service\'s operator for one. It is kept in this browser only.'));
  (document.querySelector('main') || document.body).prepend(panel);
  return panel;
}

/** Shows the key panel (with why, after a refused key) and resolves once a key is stored. */
function askForKey(refusal) {
  const panel = keyPanel();
  const message = panel.querySelector('#key-message');
  message.textContent = refusal || '';
  message.hidden = !refusal;
  if (!keyWanted) {
    keyWanted = new Promise(resolve => {
      panel.onsubmit = (e) => {
        e.preventDefault();
        const key = panel.querySelector('#api-key').value.trim();
        if (!key) return;
        localStorage.setItem(KEY_STORE, key);
        panel.querySelector('#api-key').value = '';
        panel.hidden = true;
        keyWanted = null;
        resolve();
      };
    });
    panel.hidden = false;
    panel.querySelector('#api-key').focus();
  }
  return keyWanted;
}

/** The message of a JSON error body {"error"}, else the status line. */
async function errorMessage(response) {
  try {
    const body = await response.clone().json();
    if (body && body.error) return body.error;
  } catch {
    // not JSON
  }
  return `${response.status} ${response.statusText}`.trim();
}

/**
 * fetch() with the API key, if one was given. On 401 it shows the key panel, waits for a key (kept in this browser's
 * local storage) and tries again; a refused key shows the panel again with the service's message.
 */
export async function apiFetch(url, init = {}) {
  for (;;) {
    const key = apiKey();
    const headers = new Headers(init.headers || {});
    if (key) headers.set('X-API-Key', key);
    const response = await fetch(url, { ...init, headers });
    if (response.status !== 401) return response;
    if (apiKey() !== key) continue; // a key was given meanwhile (for another request): try that one
    await askForKey(key ? `This key was refused: ${await errorMessage(response)}` : null);
  }
}

/** fetch() that answers parsed JSON, or throws ApiError with the server's message (or the network failure). */
export async function fetchJson(url, init) {
  let response;
  try {
    response = await apiFetch(url, init);
  } catch (e) {
    throw new ApiError(0, `cannot reach the service (${e.message})`);
  }
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: reported below with the status line
  }
  if (!response.ok) {
    const message = body && body.error ? body.error : `${response.status} ${response.statusText}`.trim();
    throw new ApiError(response.status, message);
  }
  return body;
}

/** Counts per label, most frequent first, ties by label (code-unit order, as the server sorts). */
export function countByLabel(detections) {
  const counts = new Map();
  for (const d of detections) counts.set(d.label, (counts.get(d.label) || 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The server's report line: "person 4, bus 1"; "" when nothing was found. */
export function reportLine(detections) {
  return countByLabel(detections).map(([label, n]) => `${label} ${n}`).join(', ');
}

/** The same line from a counts object whose keys are already in report order (as the server sends them). */
export function reportOfCounts(counts) {
  return Object.entries(counts || {}).map(([label, n]) => `${label} ${n}`).join(', ');
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== null) node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
}

function svgEl(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

/** A colour per class, stable across pages; all light enough for dark label text (contrast above 6:1). */
const PALETTE = ['#ff6b6b', '#4dabf7', '#ffd43b', '#69db7c', '#da77f2', '#ffa94d',
  '#3bc9db', '#a9e34b', '#f783ac', '#748ffc', '#38d9a9', '#e9a66b'];

export function classColour(classId) {
  return PALETTE[Math.abs(classId) % PALETTE.length];
}

/**
 * Draws boxes (image pixels) and zones (normalised polygons) into an SVG laid over an image of width x height:
 * one rect.box and one text.label per detection.
 */
export function drawOverlay(svg, width, height, detections, zones = {}) {
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.replaceChildren();
  const font = Math.max(10, Math.round(Math.max(width, height) / 45));
  for (const [name, points] of Object.entries(zones || {})) {
    if (!Array.isArray(points) || points.length < 3) continue;
    const px = points.map(([x, y]) => `${(x * width).toFixed(1)},${(y * height).toFixed(1)}`).join(' ');
    const g = svgEl('g', { class: 'zone' });
    g.append(svgEl('polygon', { points: px }));
    const t = svgEl('text', { x: points[0][0] * width + font * 0.3, y: points[0][1] * height + font * 1.1,
      'font-size': font, class: 'zone-label' });
    t.textContent = name;
    g.append(t);
    svg.append(g);
  }
  for (const d of detections) {
    const { x1, y1, x2, y2 } = d.box;
    const colour = classColour(d.classId);
    const g = svgEl('g', { class: 'det' });
    const box = svgEl('rect', { class: 'box', x: x1, y: y1, width: Math.max(0, x2 - x1),
      height: Math.max(0, y2 - y1), stroke: colour });
    const title = svgEl('title', {});
    title.textContent = `${d.label} ${d.confidence.toFixed(2)}`;
    box.append(title);
    const text = `${d.label} ${d.confidence.toFixed(2)}`;
    // Above the box when there is room, else inside it; never past the right edge.
    const labelWidth = text.length * font * 0.6 + font * 0.4;
    const labelX = Math.max(0, Math.min(x1, width - labelWidth));
    const labelY = y1 >= font * 1.3 ? y1 - font * 1.3 : y1;
    const bg = svgEl('rect', { class: 'label-bg', x: labelX, y: labelY, width: labelWidth, height: font * 1.3,
      fill: colour });
    const label = svgEl('text', { class: 'label', x: labelX + font * 0.2, y: labelY + font, 'font-size': font });
    label.textContent = text;
    g.append(box, bg, label);
    svg.append(g);
  }
}

export function formatTime(value) {
  if (value === null || value === undefined || value === '') return 'never';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleTimeString();
}

/** The header's model line: name, version, digest, readiness; from /q/health/ready (503 still carries the JSON). */
async function refreshHealth(target) {
  let health;
  try {
    const response = await fetch('/q/health/ready', { headers: { Accept: 'application/json' } });
    health = await response.json();
  } catch (e) {
    target.dataset.ready = 'unknown';
    target.textContent = 'Service unreachable';
    return;
  }
  const check = (health.checks || []).find(c => c.name === 'model');
  const data = (check && check.data) || {};
  const up = health.status === 'UP';
  target.dataset.ready = up ? 'up' : 'down';
  const parts = [el('span', { class: 'badge' }, up ? 'ready' : 'not ready')];
  if (data.name) {
    parts.push(' ', el('strong', {}, data.name));
    if (data.version) parts.push(` ${data.version}`);
    const digest = data.digest || (data.sha256 ? `sha256:${data.sha256}` : null);
    if (digest) parts.push(' ', el('code', { title: digest }, shortDigest(digest)));
  }
  if (!up && data.reason) parts.push(' – ', data.reason);
  target.replaceChildren(...parts);
}

function shortDigest(digest) {
  const [algo, hex] = digest.includes(':') ? digest.split(':', 2) : ['', digest];
  return (algo ? `${algo}:` : '') + hex.slice(0, 12);
}

export function initHeader() {
  const target = document.getElementById('model-status');
  if (!target) return;
  refreshHealth(target);
  setInterval(() => refreshHealth(target), HEALTH_REFRESH_MS);
}
