// Measures the explorer in headless Chromium (a measurement, not a test):
//
//  - first paint of /explore: first-contentful-paint of a cold load (a new
//    browser context, so nothing cached), the median of --runs loads, and the
//    time until the picture of --center is drawn;
//  - frames per second while a node is dragged in a picture of at least
//    --nodes nodes: requestAnimationFrame callbacks counted in the page while
//    the mouse drags the center node in circles for --seconds.
//
//   THRIVEGRAPH_URL=http://127.0.0.1:PORT node explorer/e2e/measure.mjs [--nodes 2000] [--seconds 4] [--runs 5] [--draglod 0] [--renderer webgl]
//
// --draglod 0 opens the picture with ?draglod=0 (cytoscape's own drawing of
// a drag, without drag.js), --renderer webgl with ?renderer=webgl
// (cytoscape's WebGL renderer; SwiftShader with --disable-gpu), to compare.
//
// explorer/e2e/measure.sh generates and loads a graph and runs this. A
// neighbourhood answers at most 1000 nodes, so the picture is the
// neighbourhood of the best-connected organization (depth 2, limit 1000)
// with the next best-connected organizations expanded (?expand=) until it
// holds --nodes nodes. Prints one JSON object.
import { chromium } from 'playwright-core';
import { base, executablePath, chromiumArgs, LOOPBACK, gql } from './common.mjs';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    nodes: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '4' },
    runs: { type: 'string', default: '5' },
    center: { type: 'string' },
    draglod: { type: 'string', default: '1' },
    renderer: { type: 'string' },
  },
});
const want = Number(opt.nodes);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

const browser = await chromium.launch({ executablePath, args: chromiumArgs });
const errors = [];
async function newPage() {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await ctx.route('**/*', (r) => (LOOPBACK.has(new URL(r.request().url()).hostname) ? r.continue() : r.abort()));
  const page = await ctx.newPage();
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  return page;
}
const settled = (page) => page.waitForFunction(() => document.body.dataset.busy === '0', null, { timeout: 120000 });

const top = (await gql('{ organizations(orderBy: DEGREE, first: 20) { nodes { id } } }')).organizations.nodes.map((n) => n.id);
const center = opt.center || top[0];
void top;

// First paint, cold, and the seed-sized picture.
const paint = [];
const drawn = [];
for (let i = 0; i < Number(opt.runs); i++) {
  const page = await newPage();
  const t0 = Date.now();
  await page.goto(`${base}/explore`, { waitUntil: 'load' });
  const fcp = await page.evaluate(() => new Promise((resolve) => {
    const e = performance.getEntriesByName('first-contentful-paint')[0];
    if (e) return resolve(e.startTime);
    new PerformanceObserver((l) => resolve(l.getEntries()[0].startTime)).observe({ type: 'paint', buffered: true });
  }));
  paint.push(fcp);
  void t0;
  const t1 = Date.now();
  await page.goto(`${base}/explore?node=${encodeURIComponent(center)}&depth=1`);
  await settled(page);
  drawn.push(Date.now() - t1);
  await page.context().close();
}

// The big picture: the center's neighbourhood with the best-connected
// organizations not yet in it expanded, until it holds enough nodes; the
// union is computed from the API's answers, then the page draws that URL.
const NB = 'query($id: ID!, $depth: Int!) { neighborhood(id: $id, depth: $depth, limit: 1000) { nodes { node { id } } } }';
const ids = new Set((await gql(NB, { id: center, depth: 2 })).neighborhood.nodes.map((n) => n.node.id));
const expand = [];
let cursor = null;
for (let pageNo = 0; pageNo < 20 && ids.size < want; pageNo++) {
  const conn = (await gql('query($after: String) { organizations(orderBy: EVENTS, first: 100, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }', { after: cursor })).organizations;
  for (const { id } of conn.nodes) {
    if (ids.size >= want) break;
    if (ids.has(id)) continue;
    expand.push(id);
    for (const n of (await gql(NB, { id, depth: 1 })).neighborhood.nodes) ids.add(n.node.id);
  }
  if (!conn.pageInfo.hasNextPage) break;
  cursor = conn.pageInfo.endCursor;
}
const page = await newPage();
const q = new URLSearchParams({ node: center, limit: '1000' });
if (opt.draglod === '0') q.set('draglod', '0');
if (opt.renderer) q.set('renderer', opt.renderer);
if (expand.length) q.set('expand', expand.join(','));
const tLoad = Date.now();
await page.goto(`${base}/explore?${q.toString().replace(/%2C/g, ',')}`);
await settled(page);
const loadMs = Date.now() - tLoad;
const count = await page.evaluate(() => window.thrivegraphExplorer.cy.nodes(':visible').length);
if (count !== ids.size) errors.push(`the page drew ${count} nodes, the API answered ${ids.size}`);
const edges = await page.evaluate(() => window.thrivegraphExplorer.cy.edges(':visible').length);
const fastDrag = await page.evaluate(() => window.thrivegraphExplorer.fastDrag === true);

// Drag the center node in circles and count frames.
await page.evaluate((id) => {
  const cy = window.thrivegraphExplorer.cy;
  cy.center(cy.getElementById(id));
}, center);
const start = await page.evaluate((id) => window.thrivegraphExplorer.cy.getElementById(id).renderedPosition(), center);
const before = await page.evaluate((id) => ({ ...window.thrivegraphExplorer.cy.getElementById(id).position() }), center);
const box = await page.locator('#cy').boundingBox();
const x0 = box.x + start.x;
const y0 = box.y + start.y;
await page.mouse.move(x0, y0);
await page.mouse.down();
await page.mouse.move(x0 + 6, y0 + 6);
// Every animation frame moves the mouse on along a circle (a mousemove
// event as the browser would send it), so each frame counted is a frame of
// the drag; frames are counted with requestAnimationFrame.
const ms = Number(opt.seconds) * 1000;
// CPU time of the page's main thread and of its renderer process while
// dragging (Chrome's ThreadTime and ProcessTime): what the frames cost,
// less sensitive than the frame rate to other jobs on a shared machine.
const cdp = await page.context().newCDPSession(page);
await cdp.send('Performance.enable');
const cpu = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
const cpu0 = await cpu();
const { frames, moves } = await page.evaluate(({ x0, y0, ms }) => new Promise((resolve) => {
  const frames = [];
  let moves = 0;
  const t0 = performance.now();
  const tick = (t) => {
    frames.push(t);
    if (t - t0 > ms) return resolve({ frames, moves });
    const a = (moves++ / 60) * 2 * Math.PI;
    const ev = { clientX: x0 + 6 + 120 * Math.sin(a), clientY: y0 + 6 + 80 * (1 - Math.cos(a)), buttons: 1, button: 0, bubbles: true, cancelable: true, view: window };
    document.getElementById('cy').querySelector('canvas:last-of-type').dispatchEvent(new MouseEvent('mousemove', ev));
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}), { x0, y0, ms });
const cpu1 = await cpu();
const i = moves;
const last = { x: x0 + 6 + 120 * Math.sin(((moves - 1) / 60) * 2 * Math.PI), y: y0 + 6 + 80 * (1 - Math.cos(((moves - 1) / 60) * 2 * Math.PI)) };
await page.mouse.move(last.x, last.y);
await page.mouse.up();
const after = await page.evaluate((id) => ({ ...window.thrivegraphExplorer.cy.getElementById(id).position() }), center);
const gaps = frames.slice(1).map((t, j) => t - frames[j]);
const span = frames[frames.length - 1] - frames[0];

const result = {
  firstContentfulPaintMs: { median: round(median(paint)), runs: paint.map((x) => round(x)) },
  seedLikePictureMs: { center, depth: 1, median: median(drawn), runs: drawn },
  drag: {
    fastDrag, // false with --draglod 0: cytoscape redraws the whole picture every frame
    renderer: opt.renderer || 'canvas',
    nodes: count,
    relations: edges,
    center,
    expanded: expand,
    pictureLoadMs: loadMs,
    mouseMoves: i,
    nodeMoved: Math.hypot(after.x - before.x, after.y - before.y) > 1,
    frames: frames.length,
    seconds: round(span / 1000, 2),
    fps: round(((frames.length - 1) * 1000) / span),
    medianFrameMs: round(median(gaps)),
    p95FrameMs: round([...gaps].sort((a, b) => a - b)[Math.floor(gaps.length * 0.95)]),
    longestFrameMs: round(Math.max(...gaps)),
    mainThreadCpuMsPerFrame: round(((cpu1.ThreadTime - cpu0.ThreadTime) * 1000) / (frames.length - 1)),
    rendererCpuMsPerFrame: round(((cpu1.ProcessTime - cpu0.ProcessTime) * 1000) / (frames.length - 1)),
  },
  errors,
};
console.log(JSON.stringify(result, null, 2));
await browser.close();
if (errors.length || count < want || !result.drag.nodeMoved) process.exitCode = 1;
