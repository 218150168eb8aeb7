// End-to-end test of /explore in a real browser: Debian's headless Chromium
// driven by playwright-core, against a real server on loopback serving the
// seed graph. Every step is checked against the GraphQL API's own answer and
// saved as a screenshot under $THRIVEGRAPH_E2E_OUT.
//
//   THRIVEGRAPH_URL=http://127.0.0.1:PORT node --test explorer/e2e/explore.test.mjs
//
// (explorer/e2e/run.sh starts the server and runs this.) Fails on any
// console error or page error (a CSP violation is one) and on any request
// to a host other than the loopback.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { base, executablePath, chromiumArgs, LOOPBACK, gql } from './common.mjs';

const out = path.resolve(process.env.THRIVEGRAPH_E2E_OUT || 'explorer/e2e/out');
fs.mkdirSync(out, { recursive: true });

const problems = []; // console errors, page errors, requests that left the machine
const offHost = [];
let browser;
let context;
let page;
let userDataDir;
let shot = 0;

async function screenshot(p, name) {
  shot++;
  // The picture is a canvas that cytoscape paints on the next frames.
  await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const file = path.join(out, `${String(shot).padStart(2, '0')}-${name}.png`);
  await p.screenshot({ path: file, fullPage: false });
  return file;
}

/** settled waits until the page has no request of its own in flight. */
async function settled(p = page) {
  await p.waitForFunction(() => document.body.dataset.busy === '0', null, { timeout: 30000 });
}

function watch(p) {
  p.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
}

/** clickNode clicks a node where the picture draws it, as a person would. */
async function clickNode(id) {
  await page.evaluate(() => window.scrollTo(0, 0));
  const pos = await page.evaluate((id) => {
    const cy = window.thrivegraphExplorer.cy;
    const n = cy.getElementById(id);
    if (n.empty()) return null;
    // Bring it into view and make it big enough to hit, as a person would zoom.
    cy.zoom({ level: Math.max(cy.zoom(), 2), position: n.position() });
    cy.center(n);
    return n.renderedPosition();
  }, id);
  assert.ok(pos, `node ${id} is not drawn`);
  const box = await page.locator('#cy').boundingBox();
  await page.mouse.click(box.x + pos.x, box.y + pos.y);
  await page.waitForFunction((id) => window.thrivegraphExplorer.state().sel === id, id, { timeout: 10000 });
  await settled();
}

async function drawnIds(p = page) {
  return p.$$eval('#node-table tbody tr', (rows) => rows.map((r) => r.dataset.node));
}

const NB = `query($id: ID!) { neighborhood(id: $id, depth: 2, limit: 300) { nodes { node { id } } edges { from { id } } } }`;

describe('network explorer in Chromium', () => {
  before(async () => {
    assert.ok(fs.existsSync(executablePath), `no Chromium at ${executablePath}`);
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'thrivegraph-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: chromiumArgs,
      viewport: { width: 1440, height: 900 },
      acceptDownloads: true,
    });
    browser = context.browser();
    await context.route('**/*', (route) => {
      const u = new URL(route.request().url());
      if ((u.protocol === 'http:' || u.protocol === 'https:') && !LOOPBACK.has(u.hostname)) {
        offHost.push(u.href);
        return route.abort('blockedbyclient');
      }
      return route.continue();
    });
    context.on('request', (r) => {
      const u = new URL(r.url());
      if (!['http:', 'https:', 'data:', 'blob:'].includes(u.protocol)) offHost.push(u.href);
    });
    page = context.pages()[0] || (await context.newPage());
    watch(page);
  });

  after(async () => {
    await context?.close();
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
    void browser;
  });

  it('opens /explore with its content-security policy and paints', async () => {
    const res = await page.goto(`${base}/explore`);
    assert.equal(res.status(), 200);
    assert.match(res.headers()['content-security-policy'], /script-src 'self';/);
    await settled();
    assert.equal(await page.title(), 'ThriveGraph — network explorer');
    await page.waitForSelector('#start a.node-link');
    await screenshot(page, 'start');
  });

  it('searches "Workers Defense" as you type and draws its neighbourhood', async () => {
    await page.locator('#q').pressSequentially('Workers Defense', { delay: 40 });
    const option = page.locator('#q-results[data-for="Workers Defense"] li[data-node="workers-defense-project"]');
    await option.waitFor();
    assert.equal(await page.getAttribute('#q', 'aria-expanded'), 'true');
    assert.equal(await option.getAttribute('aria-selected'), 'true', 'the best hit is the active option');
    await screenshot(page, 'search');
    await page.keyboard.press('Enter');
    await page.waitForURL(/node=workers-defense-project/);
    await settled();
    const want = (await gql(NB, { id: 'workers-defense-project' })).neighborhood;
    const reported = await page.getAttribute('#cy', 'data-nodes');
    assert.equal(Number(reported), want.nodes.length, 'nodes the page reports');
    assert.equal(Number(await page.getAttribute('#cy', 'data-edges')), want.edges.length, 'stated relations the page reports');
    assert.match(await page.textContent('#status'), new RegExp(`${want.nodes.length} nodes, ${want.edges.length} relations stated`));
    const ids = await drawnIds();
    assert.deepEqual([...ids].sort(), want.nodes.map((n) => n.node.id).sort(), 'the list view mirrors the GraphQL answer');
    const inPicture = await page.evaluate(() => window.thrivegraphExplorer.cy.nodes(':visible').length);
    assert.equal(inPicture, want.nodes.length, 'nodes drawn in the picture');
    assert.equal(await page.textContent('#card-h'), 'Workers Defense Project');
    await screenshot(page, 'neighbourhood');
  });

  it('marks derived relations and names the source of stated ones', async () => {
    await page.click('#edge-list summary');
    const derived = await page.$$eval('#edge-list tr[data-kind="derived"]', (r) => r.map((x) => x.textContent));
    assert.ok(derived.length > 0, 'Workers Defense Project has themes derived from its events');
    assert.ok(derived.every((t) => /derived via /.test(t)), derived.join('\n'));
    const stated = await page.$$eval('#edge-list tr[data-kind="stated"]', (r) => r.map((x) => x.textContent));
    assert.ok(stated.length > 0 && stated.every((t) => /stated by /.test(t)));
    await page.click('#edge-list summary');
  });

  it('clicks CASA de Maryland in the picture and shows its card', async () => {
    await clickNode('casa-de-maryland');
    const want = (await gql(`{ organization(id: "casa-de-maryland") { name people { person { name } title } events { event { name startDate } } sources { title } } }`)).organization;
    assert.equal(await page.textContent('#card-h'), 'CASA de Maryland');
    const card = await page.textContent('#card');
    for (const p of want.people) assert.ok(card.includes(p.person.name) && (!p.title || card.includes(p.title)), `card names ${p.person.name}`);
    for (const e of want.events) assert.ok(card.includes(e.event.name) && (!e.event.startDate || card.includes(e.event.startDate)));
    for (const s of want.sources) assert.ok(card.includes(s.title), `card names the source ${s.title}`);
    assert.equal(await page.getAttribute('#node-table tr[data-node="casa-de-maryland"] button', 'aria-pressed'), 'true');
    await screenshot(page, 'card');
  });

  it('finds the path from CASA de Maryland to the WES Mariam Assefa Fund', async () => {
    await page.click('#card button[data-action="path-from"]');
    await settled();
    await clickNode('wes-mariam-assefa-fund');
    await page.click('#card button[data-action="path-to"]');
    await page.waitForURL(/to=wes-mariam-assefa-fund/);
    await settled();
    const want = (await gql(`{ path(from: "casa-de-maryland", to: "wes-mariam-assefa-fund") { length steps { node { id } relation source { title } } } }`)).path;
    const steps = await page.$$eval('#path ol.steps > li', (li) => li.map((x) => ({ id: x.dataset.node, text: x.textContent })));
    assert.deepEqual(steps.map((s) => s.id), want.steps.map((s) => s.node.id));
    want.steps.slice(0, -1).forEach((s, i) => assert.ok(steps[i].text.includes(`stated by ${s.source.title}`), steps[i].text));
    const lit = await page.evaluate(() => {
      const cy = window.thrivegraphExplorer.cy;
      const edges = cy.edges('.onpath');
      // An edge whose geometry cytoscape could not compute is not drawn.
      const drawn = edges.every((e) => {
        const bb = e.boundingBox();
        return Number.isFinite(bb.w) && bb.w + bb.h > 0;
      });
      return { nodes: cy.nodes('.onpath').map((n) => n.id()), edges: edges.length, drawn };
    });
    assert.ok(lit.drawn, 'every relation of the path is drawn');
    assert.deepEqual(lit.nodes.sort(), want.steps.map((s) => s.node.id).sort());
    assert.equal(lit.edges, want.length);
    await screenshot(page, 'path');
  });

  it('filters by theme: picture, list and counts follow', async () => {
    const theme = 'barriers-to-quality-jobs';
    const f = (await gql(`{ facets(first: 50) { themes { node { id } count } } organizations(filter: { themes: ["${theme}"] }, first: 100) { nodes { id } } }`));
    const all = f.facets.themes.find((t) => t.node.id === theme).count;
    const label = await page.textContent(`label[for="f-theme-${theme}"] .count`);
    assert.match(label, new RegExp(`· ${all}$`), `facet count beside the choice: ${label}`);
    const before = await page.$$eval('#node-table tr[data-type="Organization"]', (r) => r.map((x) => x.dataset.node));
    await page.check(`#f-theme-${theme}`);
    await page.waitForURL(/theme=barriers-to-quality-jobs/);
    await settled();
    const pathIds = (await gql(`{ path(from: "casa-de-maryland", to: "wes-mariam-assefa-fund") { steps { node { id } } } }`)).path.steps.map((s) => s.node.id);
    const having = new Set(f.organizations.nodes.map((n) => n.id));
    const want = before.filter((id) => having.has(id) || id === 'workers-defense-project' || pathIds.includes(id)).sort();
    const orgs = await page.$$eval('#node-table tr[data-type="Organization"]', (r) => r.map((x) => x.dataset.node));
    assert.deepEqual(orgs.sort(), want, 'organizations listed after the filter');
    assert.ok(orgs.length < before.length, 'the filter hides organizations');
    const shown = await page.evaluate(() => window.thrivegraphExplorer.cy.nodes('[type = "Organization"]:visible').map((n) => n.id()));
    assert.deepEqual(shown.sort(), want, 'organizations drawn after the filter');
    assert.equal(Number(await page.getAttribute('#list-summary', 'data-nodes')), await page.evaluate(() => window.thrivegraphExplorer.cy.nodes(':visible').length));
    await screenshot(page, 'filter');
  });

  it('goes back with the browser', async () => {
    await page.goBack();
    await settled();
    assert.equal(await page.isChecked('#f-theme-barriers-to-quality-jobs'), false);
    assert.ok(!page.url().includes('theme='));
    assert.equal(await page.$$eval('#path ol.steps > li', (li) => li.length) > 0, true, 'the path is still shown');
  });

  it('shows introductions for an organization', async () => {
    await clickNode('casa-de-maryland');
    await page.click('#card button[data-action="introductions"]');
    await page.waitForURL(/intro=casa-de-maryland/);
    await settled();
    const want = (await gql(`{ introductions(organization: "casa-de-maryland", first: 10) { organization { id } score } }`)).introductions;
    const got = await page.$$eval('#intro ol > li', (li) => li.map((x) => x.dataset.node));
    assert.deepEqual(got, want.map((i) => i.organization.id));
    assert.match(await page.textContent('#intro'), /Both work on /);
    const dotted = await page.evaluate(() => window.thrivegraphExplorer.cy.edges('.suggested').length);
    assert.equal(dotted, want.length);
    await screenshot(page, 'introductions');
  });

  it('exports the picture as PNG and SVG and its data as CSV', async () => {
    const take = async (button) => {
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
      const file = path.join(out, dl.suggestedFilename());
      await dl.saveAs(file);
      return fs.readFileSync(file);
    };
    const png = await take('#export-png');
    assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    const svg = (await take('#export-svg')).toString();
    assert.match(svg, /<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.ok(svg.includes('CASA de Maryland'));
    const csv = (await take('#export-csv')).toString();
    assert.match(csv, /^record,id,name,type,degree,from,relation,to,stated,source,source_url,via\r\n/);
    assert.ok(csv.includes('node,casa-de-maryland,CASA de Maryland,Organization'));
    assert.match(csv, /relation,[^\r\n]*,yes,/);
  });

  it('opens a shared link on a node: card and list view', async () => {
    const p2 = await context.newPage();
    watch(p2);
    await p2.goto(`${base}/explore?node=casa-de-maryland`);
    await settled(p2);
    const want = (await gql(NB, { id: 'casa-de-maryland' })).neighborhood;
    assert.equal(await p2.textContent('#card-h'), 'CASA de Maryland');
    assert.deepEqual((await drawnIds(p2)).sort(), want.nodes.map((n) => n.node.id).sort());
    await screenshot(p2, 'shared-link');

    // Keyboard: arrows move between nodes, Enter opens a card.
    await p2.focus('#cy');
    await p2.keyboard.press('ArrowRight');
    const announced = await p2.textContent('#announce');
    assert.match(announced, /relations\. Enter opens its card/);
    await p2.keyboard.press('Enter');
    await settled(p2);
    const sel = new URL(p2.url()).searchParams.get('sel');
    assert.ok(sel && sel !== 'casa-de-maryland', `Enter opened ${sel}`);
    assert.equal(await p2.textContent('#card-h'), await p2.evaluate((id) => window.thrivegraphExplorer.cy.getElementById(id).data('name'), sel));

    // Phone width: everything in one column, nothing wider than the screen.
    await p2.setViewportSize({ width: 390, height: 844 });
    await p2.waitForTimeout(300);
    const overflow = await p2.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than a phone`);
    await screenshot(p2, 'phone');
    await p2.close();
  });

  it('drags a node with the mouse: the picture follows, drawn from the right layers', async () => {
    const p3 = await context.newPage();
    watch(p3);
    await p3.goto(`${base}/explore?node=casa-de-maryland&sel=`);
    await settled(p3);
    assert.equal(await p3.evaluate(() => window.thrivegraphExplorer.fastDrag), true, 'drag.js could not patch the renderer');
    const id = 'casa-de-maryland';
    const at = await p3.evaluate((id) => {
      const cy = window.thrivegraphExplorer.cy;
      const n = cy.getElementById(id);
      cy.zoom({ level: 3, position: n.position() });
      cy.center(n);
      return { pos: n.renderedPosition(), model: { ...n.position() }, color: n.style('background-color').match(/\d+/g).map(Number) };
    }, id);
    // The colour of one pixel of a layer (node: the picture at rest; drag:
    // what is being dragged) once the picture has been drawn.
    const pixel = (layer, p) =>
      p3.evaluate(({ layer, p }) => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => {
        const c = document.querySelector(`#cy canvas[data-id="${layer}"]`);
        const k = c.width / c.clientWidth;
        resolve([...c.getContext('2d').getImageData(Math.round(p.x * k), Math.round(p.y * k), 1, 1).data]);
      }))), { layer, p });
    const isNode = (px) => px[3] === 255 && px.slice(0, 3).every((v, i) => Math.abs(v - at.color[i]) <= 8);
    // A grabbed node is drawn darker (cytoscape's :active overlay).
    const isGrabbed = (px) => {
      const f = px.slice(0, 3).map((v, i) => v / at.color[i]);
      return px[3] === 255 && Math.min(...f) > 0.5 && Math.max(...f) <= 1.05 && Math.max(...f) - Math.min(...f) < 0.1;
    };
    assert.ok(isNode(await pixel('layer2-node', at.pos)), 'the node is drawn where it is');

    const box = await p3.locator('#cy').boundingBox();
    const to = { x: at.pos.x + 70, y: at.pos.y + 40 };
    await p3.mouse.move(box.x + at.pos.x, box.y + at.pos.y);
    await p3.mouse.down();
    await p3.mouse.move(box.x + to.x, box.y + to.y, { steps: 12 });
    const px = await pixel('layer1-drag', to);
    assert.ok(isGrabbed(px), `while dragged, the node is drawn under the mouse (${px})`);
    assert.ok(!isNode(await pixel('layer2-node', at.pos)), 'while dragged, the node is gone from where it was');
    // Halfway along one of its relations (a straight line between centres).
    const half = await p3.evaluate((id) => {
      const n = window.thrivegraphExplorer.cy.getElementById(id);
      const a = n.renderedPosition();
      const b = n.connectedEdges().first().connectedNodes().not(n).first().renderedPosition();
      return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    }, id);
    assert.ok((await pixel('layer1-drag', half))[3] > 0, 'while dragged, its relations are drawn with it');
    await screenshot(p3, 'drag');
    await p3.mouse.up();
    assert.ok(isNode(await pixel('layer2-node', to)), 'once dropped, the node is drawn where it was dropped');
    assert.equal((await pixel('layer1-drag', to))[3], 0, 'once dropped, nothing is left on the drag layer');
    assert.equal((await pixel('layer1-drag', half))[3], 0, 'once dropped, its relations are back on the node layer');
    assert.ok((await pixel('layer2-node', half))[3] > 0, 'once dropped, its relations are drawn on the node layer');
    const moved = await p3.evaluate((id) => {
      const n = window.thrivegraphExplorer.cy.getElementById(id);
      const e = n.connectedEdges().first();
      const end = e.source().same(n) ? e.sourceEndpoint() : e.targetEndpoint();
      return { ...n.position(), edgeEnd: Math.hypot(end.x - n.position().x, end.y - n.position().y) };
    }, id);
    assert.ok(Math.abs(moved.x - at.model.x - 70 / 3) < 1 && Math.abs(moved.y - at.model.y - 40 / 3) < 1, `the node moved to ${JSON.stringify(moved)}`);
    assert.ok(moved.edgeEnd < 1, 'its relations follow it');
    await p3.close();
  });

  it('made no request off the machine and logged no error', () => {
    assert.deepEqual(offHost, [], 'requests that would have left the machine');
    assert.deepEqual(problems, [], 'console and page errors');
  });
});
