// The Cameras page: a tile per camera, updated from its Server-Sent Events (event "count"), or by polling
// GET /count?camera=ID when the event stream fails. GET /cameras is re-read now and then for status and errors.
import { apiFetch, apiKey, fetchJson, initHeader, drawOverlay, reportOfCounts, formatTime, el } from './common.js';

const POLL_MS = 3_000;
const SSE_RETRY_MS = 30_000;
const CAMERAS_REFRESH_MS = 10_000;
const SHORT_ERROR = 120; // longer errors are cut, the whole text one click away

/** What a shop floor reads for an rtsp:// camera (the bundled OpenCV has no video backend for RTSP). */
const RTSP_UNSUPPORTED = 'This camera\'s video stream (RTSP) is not supported yet; use its snapshot or MJPEG address.';

const tiles = new Map(); // camera id -> Tile

class Tile {
  constructor(camera) {
    this.id = camera.id;
    this.zones = camera.zones || {};
    this.latest = null;
    this.pending = null;
    this.node = el('article', { class: 'tile', 'data-camera': camera.id, 'data-seq': '-1',
      'aria-labelledby': `cam-${camera.id}` });
    this.status = el('span', { class: 'status' });
    this.img = el('img', { alt: `Latest frame of camera ${camera.id}`, hidden: '' });
    this.placeholder = el('p', { class: 'placeholder' }, 'No frame yet');
    this.svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    this.svg.setAttribute('class', 'overlay');
    this.svg.setAttribute('aria-hidden', 'true');
    this.svg.setAttribute('preserveAspectRatio', 'none');
    this.report = el('p', { class: 'report' }, 'waiting for the first frame');
    this.zoneList = el('ul', { class: 'zones', 'aria-label': 'Zones' });
    this.meta = el('p', { class: 'small' });
    this.problem = el('div', { class: 'problem', hidden: '' });
    this.node.append(
      el('header', {}, el('h2', { id: `cam-${camera.id}` }, camera.id), this.status),
      el('div', { class: 'stage' }, this.placeholder, this.img, this.svg),
      this.report, this.zoneList, this.problem, this.meta);
    this.img.addEventListener('load', () => this.rendered(true));
    this.img.addEventListener('error', () => this.rendered(false));
    this.describe(camera);
    if (camera.latest) this.update(camera.latest);
    this.listen();
  }

  /** Status, interval and the last error from GET /cameras. */
  describe(camera) {
    this.camera = camera;
    this.zones = camera.zones || this.zones;
    const status = camera.status || (camera.healthy ? 'ok' : 'waiting');
    this.status.textContent = status;
    this.status.className = `status status-${status}`;
    this.showProblem(status === 'failing' ? camera.lastError : null);
    if (!this.latest) {
      // Only a waiting camera waits; a failing one says why (above), an ok one is loading its frame.
      this.report.textContent = status === 'waiting' ? 'waiting for the first frame'
        : status === 'ok' ? 'loading the latest frame…' : '';
      this.report.hidden = status === 'failing';
      this.placeholder.textContent = status === 'failing' ? 'No frame' : 'No frame yet';
    }
    this.showMeta();
  }

  /** A failing camera's error: one short line, the whole technical text in a <details> when there is more. */
  showProblem(error) {
    this.problem.hidden = !error;
    if (error === this.problemShown) return; // unchanged: leave it (and an opened <details>) as it is
    this.problemShown = error;
    if (!error) {
      this.problem.replaceChildren();
      return;
    }
    const rtsp = /^rtsps?:/i.test(this.camera.source || '');
    const long = error.length > SHORT_ERROR;
    const short = rtsp ? RTSP_UNSUPPORTED : long ? `${error.slice(0, SHORT_ERROR - 1).trimEnd()}…` : error;
    const parts = [el('p', { class: 'error' }, short)];
    if (rtsp || long) {
      parts.push(el('details', {}, el('summary', {}, 'Technical details'), el('p', { class: 'technical' }, error)));
    }
    this.problem.replaceChildren(...parts);
  }

  showMeta() {
    const at = this.latest ? this.latest.timestamp : this.camera.lastFrameAt;
    const parts = [`Last frame ${formatTime(at)}`];
    if (this.latest && this.latest.frameSeq !== undefined) parts.push(`#${this.latest.frameSeq}`);
    if (this.camera.interval) parts.push(`every ${formatInterval(this.camera.interval)}`);
    this.meta.textContent = parts.join(' · ');
  }

  /** A CameraCount: load its frame; boxes, counts and data-seq follow once the frame is there. */
  update(count) {
    const seq = Number(count.frameSeq);
    const current = this.pending ? Number(this.pending.frameSeq) : Number(this.node.dataset.seq);
    if (!Number.isFinite(seq) || seq <= current) return;
    this.pending = count;
    const url = `/cameras/${encodeURIComponent(this.id)}/frame?seq=${seq}`;
    if (!apiKey()) {
      this.img.src = url;
      return;
    }
    // An <img> cannot send the key: fetch the frame with it and show the bytes.
    apiFetch(url).then((r) => (r.ok ? r.blob() : Promise.reject(new Error(r.status))))
      .then((blob) => {
        if (this.img.src.startsWith('blob:')) URL.revokeObjectURL(this.img.src);
        this.img.src = URL.createObjectURL(blob);
      })
      .catch(() => this.rendered(false));
  }

  rendered(loaded) {
    const count = this.pending;
    if (!count) return;
    this.pending = null;
    this.latest = count;
    this.img.hidden = !loaded;
    this.svg.style.display = loaded ? '' : 'none';
    this.placeholder.hidden = loaded;
    const { width, height } = count.image || { width: this.img.naturalWidth, height: this.img.naturalHeight };
    drawOverlay(this.svg, width, height, count.detections || [], this.zones);
    this.report.textContent = count.report || reportOfCounts(count.counts) || 'nothing found';
    this.report.hidden = false;
    // zones.{name} is {counts: {class: n}, total}: "entrance: person 1", "queue: person 3, cart 1", "aisle: nothing"
    this.zoneList.replaceChildren(...Object.entries(count.zones || {}).map(([zone, z]) =>
      el('li', {}, el('strong', {}, zone), `: ${reportOfCounts(z && z.counts) || 'nothing'}`)));
    if (this.camera.status !== 'failing') {
      this.status.textContent = 'ok';
      this.status.className = 'status status-ok';
    }
    this.showMeta();
    this.node.dataset.seq = String(count.frameSeq);
  }

  listen() {
    if (typeof EventSource === 'undefined' || apiKey()) {
      this.poll();
      return;
    }
    const events = new EventSource(`/cameras/${encodeURIComponent(this.id)}/events`);
    events.addEventListener('count', e => {
      try {
        this.update(JSON.parse(e.data));
      } catch (err) {
        console.warn(`camera ${this.id}: bad event`, err);
      }
    });
    events.onerror = () => {
      events.close();
      this.poll();
    };
  }

  /** Polling until the event stream is tried again. */
  poll() {
    const started = Date.now();
    const timer = setInterval(async () => {
      if (Date.now() - started > SSE_RETRY_MS) {
        clearInterval(timer);
        this.listen();
        return;
      }
      try {
        this.update(await fetchJson(`/count?camera=${encodeURIComponent(this.id)}`));
      } catch (e) {
        if (e.status !== 503) console.warn(`camera ${this.id}: ${e.message}`);
      }
    }, POLL_MS);
  }
}

/** "PT1S" / "PT0.5S" / "PT2M" (a Java Duration in JSON) or a number of seconds, as "1 s", "0.5 s", "2 min". */
function formatInterval(value) {
  if (typeof value === 'number') return `${value} s`;
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(String(value));
  if (!m) return String(value);
  return [[m[1], 'h'], [m[2], 'min'], [m[3], 's']].filter(([n]) => n).map(([n, unit]) => `${Number(n)} ${unit}`).join(' ');
}

let refreshing = false; // one GET /cameras at a time (it may wait for the API key)

async function refreshCameras() {
  if (refreshing) return;
  refreshing = true;
  const message = document.getElementById('message');
  let cameras;
  try {
    cameras = await fetchJson('/cameras');
  } catch (e) {
    message.textContent = `Cannot list the cameras: ${e.message}`;
    message.hidden = false;
    return;
  } finally {
    refreshing = false;
  }
  cameras = Array.isArray(cameras) ? cameras : [];
  message.textContent = cameras.length ? '' : 'No cameras are configured.';
  message.hidden = cameras.length > 0;
  for (const camera of cameras) {
    const tile = tiles.get(camera.id);
    if (tile) {
      tile.describe(camera);
    } else {
      const created = new Tile(camera);
      tiles.set(camera.id, created);
      document.getElementById('tiles').append(created.node);
    }
  }
}

initHeader();
refreshCameras();
setInterval(refreshCameras, CAMERAS_REFRESH_MS);
