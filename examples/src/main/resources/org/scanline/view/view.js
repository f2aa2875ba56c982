'use strict';
// The page of org.scanline.view.ScanView. The server levels every line and picks the colour scale
// (HeightImage); this script only paints with the same afmhot ramp, so the page and the demo's PNGs agree.

const CLASS_COLOURS = ['#1b9e77', '#7570b3', '#d95f02', '#e7298a'];
const $ = (id) => document.getElementById(id);

// HeightImage.afmhot, line for line
function afmhot(x) {
  const c = (v) => Math.round(255 * Math.max(0, Math.min(1, v)));
  return [c(2 * x), c(2 * x - 0.5), c(2 * x - 1)];
}

// HeightImage.Scale.position
function position(v, lo, hi) {
  if (v === null || !Number.isFinite(v) || !(hi > lo)) return 0.5;
  return Math.max(0, Math.min(1, (v - lo) / (hi - lo)));
}

let scan = null;
let latencies = [];
let lastSeq = 0;
// events up to this one are the replay a page gets on connecting: older ones are gone on purpose, not dropped
let liveFrom = 0;
let pageDropped = 0;
let viewDropped = 0;

function status(state, text) {
  const s = $('status');
  s.dataset.state = state;
  s.textContent = text;
}

function reset() {
  scan = null;
  latencies = [];
  pageDropped = 0;
  $('timeline').replaceChildren();
  $('scans').replaceChildren();
  $('lines').tBodies[0].replaceChildren();
}

function startScan(d, scanId) {
  scan = { id: scanId, lines: d.lines, pixels: d.pixels, rows: [], lo: 0, hi: 0, classes: d.classes || [], drawn: 0 };
  latencies = [];
  $('title').textContent = d.title || 'scan';
  const c = $('scan');
  c.width = d.pixels;
  c.height = d.lines;
  c.style.height = Math.round(512 * d.lines / d.pixels) + 'px';
  c.getContext('2d').clearRect(0, 0, c.width, c.height);
  c.dataset.linesDrawn = '0';
  const s = $('strip');
  s.height = d.lines;
  s.style.height = c.style.height;
  $('colourbar').style.height = Math.max(64, Math.round(512 * d.lines / d.pixels) - 40) + 'px';
  s.getContext('2d').clearRect(0, 0, s.width, s.height);
  $('lines').tBodies[0].replaceChildren();
  $('legend').replaceChildren(...scan.classes.map((name, i) => {
    const li = document.createElement('li');
    const sw = document.createElement('i');
    sw.style.background = CLASS_COLOURS[i % CLASS_COLOURS.length];
    li.append(sw, name);
    return li;
  }));
  $('lines-count').textContent = '0 of ' + d.lines;
  status('live', 'live');
}

function drawRow(line) {
  const z = scan.rows[line];
  if (!z) return;
  const ctx = $('scan').getContext('2d');
  const img = ctx.createImageData(z.length, 1);
  for (let x = 0; x < z.length; x++) {
    const [r, g, b] = afmhot(position(z[x], scan.lo, scan.hi));
    img.data.set([r, g, b, 255], 4 * x);
  }
  ctx.putImageData(img, 0, line);
}

function drawScale(d) {
  const bar = $('colourbar');
  const ctx = bar.getContext('2d');
  for (let y = 0; y < bar.height; y++) {
    const [r, g, b] = afmhot(1 - y / (bar.height - 1));
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fillRect(0, y, 1, 1);
  }
  $('hi').textContent = d.hi_label;
  $('lo').textContent = d.lo_label;
}

function duration(us) {
  return us < 1000 ? `${us} µs` : `${(us / 1000).toFixed(1)} ms`;
}

function pale(colour) {
  return colour + '66';
}

function addLine(d, scanId) {
  if (!scan || scan.id !== scanId) startScan({ title: $('title').textContent, lines: d.lines, pixels: d.pixels }, scanId);
  scan.rows[d.line] = d.z;
  if (d.lo !== scan.lo || d.hi !== scan.hi) {
    scan.lo = d.lo;
    scan.hi = d.hi;
    scan.rows.forEach((_, l) => drawRow(l));
    drawScale(d);
  } else {
    drawRow(d.line);
  }
  scan.drawn = Math.max(scan.drawn, d.line + 1);
  $('scan').dataset.linesDrawn = String(scan.drawn);
  const strip = $('strip').getContext('2d');
  const colour = CLASS_COLOURS[d.class_index % CLASS_COLOURS.length];
  strip.fillStyle = d.uncertain ? pale(colour) : colour;
  strip.fillRect(0, d.line, 10, 1);
  if (d.state !== undefined) {
    strip.fillStyle = CLASS_COLOURS[d.state_index % CLASS_COLOURS.length];
    strip.fillRect(12, d.line, 10, 1);
  }
  if (d.tip_change) {
    strip.fillStyle = '#000';
    strip.fillRect(0, d.tip_change.line, 22, 1);
  }
  const tr = document.createElement('tr');
  tr.className = 'line' + (d.uncertain ? ' uncertain' : '') + (d.tip_change ? ' change' : '');
  tr.dataset.line = d.line;
  tr.dataset.class = d.class;
  const cells = [d.line, d.class, d.p.toFixed(3), d.reason_texts.join(', '),
    d.state !== undefined ? `${d.state} ${d.state_p.toFixed(2)}` : '–',
    d.latency_us !== undefined ? duration(d.latency_us) : '–'];
  if (d.tip_change) cells[4] += ` ◀ tip change at line ${d.tip_change.line}: ${d.tip_change.from} → ${d.tip_change.to}`;
  ['n', 'class', 'p', 'reasons', 'state', 'latency'].forEach((name, i) => {
    const td = document.createElement('td');
    td.className = name;
    td.textContent = cells[i];
    if (name === 'reasons') td.title = d.reasons.join(' ');
    tr.append(td);
  });
  const body = $('lines').tBodies[0];
  body.append(tr);
  tr.scrollIntoView({ block: 'nearest' });
  $('lines-count').textContent = `${scan.drawn} of ${scan.lines}`;
  if (d.latency_us !== undefined) {
    latencies.push(d.latency_us);
    const sorted = [...latencies].sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
    $('latency').textContent = `last ${duration(d.latency_us)}, p50 ${duration(at(0.5))}, p99 ${duration(at(0.99))} (this scan)`;
  }
}

function addDecision(d) {
  const li = document.createElement('li');
  li.className = 'decision';
  li.dataset.kind = d.kind;
  const where = d.scan >= 0 ? `scan ${d.scan}` + (d.line >= 0 ? `, line ${d.line}` : '') : '';
  li.textContent = `${where ? where + ': ' : ''}${d.kind}: ${d.message}`;
  $('timeline').append(li);
}

function showDropped() {
  $('dropped').textContent = `${viewDropped} by the view, ${pageDropped} by this page`;
}

function handle(type, e) {
  const d = JSON.parse(e.data);
  const seq = Number(e.lastEventId);
  if (seq > liveFrom) {
    if (seq > lastSeq + 1) pageDropped += seq - lastSeq - 1;
    lastSeq = seq;
  }
  if (d.view_dropped !== undefined) viewDropped = d.view_dropped;
  if (type === 'start') startScan(d, d.scan);
  else if (type === 'line') addLine(d, d.scan);
  else if (type === 'decision') addDecision(d);
  else if (type === 'stats') {
    $('session').textContent = `${d.lines} lines, ${d.dropped} not classified; ${d.latency}: p50 ${duration(d.p50_us)}, p99 ${duration(d.p99_us)}`;
  } else if (type === 'end') {
    const li = document.createElement('li');
    li.className = 'scan-end';
    li.textContent = d.summary;
    $('scans').append(li);
    if (scan && scan.id === d.scan && (d.lo !== scan.lo || d.hi !== scan.hi)) {
      scan.lo = d.lo;
      scan.hi = d.hi;
      scan.rows.forEach((_, l) => drawRow(l));
      drawScale(d);
    }
    status('ended', 'scan ended');
  }
  showDropped();
}

const events = new EventSource('events');
events.addEventListener('hello', (e) => {
  reset();
  liveFrom = lastSeq = JSON.parse(e.data).events;
  status('live', 'connected');
});
['start', 'line', 'decision', 'stats', 'end'].forEach((t) => events.addEventListener(t, (e) => handle(t, e)));
events.addEventListener('bye', () => {
  events.close();
  document.body.dataset.finished = 'true';
  status('closed', 'finished: the run is over and its server has stopped; this page keeps what it shows');
});
events.onerror = () => {
  if (events.readyState !== EventSource.CLOSED) status('reconnecting', 'connection lost, reconnecting…');
};
