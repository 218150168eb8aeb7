// The network explorer: draws what ThriveGraph's GraphQL API answers
// (neighborhood, node, facets, path, introductions, search) as a network
// picture with a list view that mirrors it. Every view is a URL.
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { client, Q } from './gql.js';
import { TYPES, RELATIONS, typeOf, relation, stylesheet } from './style.js';
import { h, clear, download, debounce, sameList } from './util.js';
import * as exporter from './export.js';
import { fastDrag } from './drag.js';

cytoscape.use(fcose);

const cfg = JSON.parse(document.getElementById('explorer-config').textContent);
const gql = client(cfg.endpoint);
const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------- state

const DEFAULT_DEPTH = 2;
const DEFAULT_LIMIT = 300;
const LIMITS = [100, 300, 1000];

/** The view: everything a URL says. */
const EMPTY = {
  node: null, // the center of the picture
  depth: DEFAULT_DEPTH,
  limit: DEFAULT_LIMIT,
  expand: [], // nodes whose neighbours were drawn in too, in order
  themes: [], // filter: organizations with every one of these themes
  levels: [], // filter: ... and every one of these policy levels
  sel: null, // the node whose card is open
  edge: null, // or the relation whose card is open
  from: null, // path start
  to: null, // path end
  intro: null, // organization whose introductions are shown
};

const list = (v) => (v ? v.split(',').filter(Boolean) : []);
const clampInt = (v, lo, hi, d) => {
  const n = parseInt(v, 10);
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : d;
};

function parseURL(search) {
  const p = new URLSearchParams(search);
  return {
    node: p.get('node') || null,
    depth: clampInt(p.get('depth'), 1, 3, DEFAULT_DEPTH),
    limit: clampInt(p.get('limit'), 1, 1000, DEFAULT_LIMIT),
    expand: list(p.get('expand')),
    themes: list(p.get('theme')),
    levels: list(p.get('level')),
    // The card of the center is open unless the link says sel= (closed).
    sel: p.has('sel') ? p.get('sel') || null : p.get('node') || null,
    edge: p.get('edge') || null,
    from: p.get('from') || null,
    to: p.get('to') || null,
    intro: p.get('intro') || null,
  };
}

function toURL(s) {
  const p = new URLSearchParams();
  if (s.node) p.set('node', s.node);
  if (s.depth !== DEFAULT_DEPTH) p.set('depth', s.depth);
  if (s.limit !== DEFAULT_LIMIT) p.set('limit', s.limit);
  if (s.expand.length) p.set('expand', s.expand.join(','));
  if (s.themes.length) p.set('theme', s.themes.join(','));
  if (s.levels.length) p.set('level', s.levels.join(','));
  if (s.sel !== s.node) p.set('sel', s.sel || '');
  if (s.edge) p.set('edge', s.edge);
  if (s.from) p.set('from', s.from);
  if (s.to) p.set('to', s.to);
  if (s.intro) p.set('intro', s.intro);
  const q = p.toString().replace(/%2C/g, ',');
  return cfg.path + (q ? `?${q}` : '');
}

let current = { ...EMPTY };
let seq = 0;

/** navigate changes the view and records it in the history (back works). */
function navigate(patch, { replace = false } = {}) {
  const next = { ...current, ...patch };
  const url = toURL(next);
  if (url === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  apply(next);
}

// ------------------------------------------------------------- busy state

let busyCount = 0;
function busy(d) {
  busyCount += d;
  document.body.dataset.busy = busyCount > 0 ? '1' : '0';
  $('cy').setAttribute('aria-busy', busyCount > 0 ? 'true' : 'false');
}

function status(text, { error = false } = {}) {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('error', error);
}

function announce(text) {
  $('announce').textContent = text;
}

// ------------------------------------------------------------ the picture

const rendererParam = new URLSearchParams(location.search).get('renderer');
const cy = cytoscape({
  container: $('cy'),
  renderer: rendererParam === 'webgl' ? { name: 'canvas', webgl: true } : { name: 'canvas' },
  style: stylesheet(),
  minZoom: 0.05,
  maxZoom: 4,
  textureOnViewport: false,
  motionBlur: false,
  selectionType: 'single',
  boxSelectionEnabled: false,
});
window.thrivegraphExplorer = { cy, state: () => ({ ...current }) };

const cache = new Map();
function cached(key, f) {
  if (!cache.has(key)) {
    const p = f();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return cache.get(key);
}

const neighborhood = (id, depth, limit) =>
  cached(`nb|${id}|${depth}|${limit}`, () => gql(Q.neighborhood, { id, depth, limit }).then((d) => d.neighborhood));
const card = (id) => cached(`card|${id}`, () => gql(Q.card, { id }).then((d) => d.node));
const pathBetween = (from, to) => cached(`path|${from}|${to}`, () => gql(Q.path, { from, to }).then((d) => d.path));
const introductions = (id) => cached(`intro|${id}`, () => gql(Q.introductions, { id }).then((d) => d.introductions));
const facets = () => cached('facets', () => gql(Q.facets).then((d) => d.facets));

function nodeData(n, extra) {
  return {
    id: n.id,
    name: n.name,
    label: n.name.length > 42 ? `${n.name.slice(0, 40)}…` : n.name,
    type: n.__typename,
    kinds: n.kinds || [],
    themes: (n.themes || []).map((t) => t.id),
    levels: (n.policyLevels || []).map((l) => l.id),
    startDate: n.startDate || null,
    size: 20,
    degree: 0,
    ...extra,
  };
}

const edgeId = (from, rel, to) => `${from}~${rel}~${to}`;

/**
 * drawBase replaces the picture's nodes and stated relations by those of
 * the neighbourhoods given (the center's first, then each expansion's);
 * nodes already drawn keep their place.
 */
async function drawBase(parts, center, anchor) {
  const nodes = new Map();
  const edges = new Map();
  parts.forEach((nb, i) => {
    for (const { depth, node } of nb.nodes) {
      if (!nodes.has(node.id)) nodes.set(node.id, nodeData(node, { depth: i === 0 ? depth : null }));
    }
    for (const e of nb.edges) {
      const id = edgeId(e.from.id, e.relation, e.to.id);
      if (!edges.has(id)) {
        edges.set(id, { id, source: e.from.id, target: e.to.id, relation: e.relation, kind: 'stated', src: e.source });
      }
    }
  });
  const fresh = !anchor;
  const added = [];
  cy.batch(() => {
    cy.elements('[overlay]').remove();
    if (fresh) cy.elements().remove();
    else cy.elements().filter((el) => !(el.isNode() ? nodes.has(el.id()) : edges.has(el.id()))).remove();
    const at = anchor && cy.getElementById(anchor).nonempty() ? cy.getElementById(anchor).position() : { x: 0, y: 0 };
    for (const d of nodes.values()) {
      const el = cy.getElementById(d.id);
      if (el.nonempty()) {
        el.data(d);
        continue;
      }
      const a = Math.random() * 2 * Math.PI;
      const r = 30 + Math.random() * 60;
      added.push({ group: 'nodes', data: d, position: { x: at.x + r * Math.cos(a), y: at.y + r * Math.sin(a) } });
    }
    for (const d of edges.values()) {
      if (cy.getElementById(d.id).empty()) added.push({ group: 'edges', data: d });
    }
    cy.add(added);
    cy.nodes().removeClass('center');
    cy.getElementById(center).addClass('center');
  });
  refreshSizes();
  await layout(fresh);
}

/**
 * LOD is the number of nodes from which the picture is drawn with less
 * detail (the "lod" class: see stylesheet) and laid out with fewer
 * iterations, so that it stays interactive without a GPU.
 */
const LOD = 400;

/** layout arranges the picture (fcose); small pictures animate. */
function layout(randomize) {
  const n = cy.nodes().length;
  if (n === 0) return Promise.resolve();
  const big = n > LOD;
  cy.batch(() => {
    if (big) cy.elements().addClass('lod');
    else cy.elements().removeClass('lod');
  });
  if (big) status(`Laying out ${n} nodes…`);
  const opts = {
    name: 'fcose',
    quality: 'default',
    randomize,
    animate: !big && !randomize,
    animationDuration: 400,
    fit: true,
    padding: 24,
    nodeDimensionsIncludeLabels: false,
    packComponents: true,
    nodeSeparation: 75,
    idealEdgeLength: big ? 50 : 110,
    nodeRepulsion: big ? 4500 : 16000,
    numIter: big ? 300 : 2500,
  };
  return new Promise((resolve) => {
    const l = cy.layout(opts);
    l.one('layoutstop', () => resolve());
    l.run();
  });
}

/** refreshSizes sizes each node by its number of visible relations. */
function refreshSizes() {
  cy.batch(() => {
    cy.nodes().forEach((n) => {
      let deg = 0;
      n.connectedEdges().forEach((e) => {
        if (!e.source().hasClass('filtered') && !e.target().hasClass('filtered')) deg++;
      });
      n.data({ degree: deg, size: Math.min(70, 14 + 5 * Math.sqrt(deg)) });
    });
  });
}

/** placeNear puts a node that a path or an introduction adds next to its drawn neighbours. */
function placeNear(ids) {
  const pts = ids.map((id) => cy.getElementById(id)).filter((n) => n.nonempty()).map((n) => n.position());
  const c = pts.length ? { x: pts.reduce((s, p) => s + p.x, 0) / pts.length, y: pts.reduce((s, p) => s + p.y, 0) / pts.length } : { x: 0, y: 0 };
  const a = Math.random() * 2 * Math.PI;
  return { x: c.x + 80 * Math.cos(a), y: c.y + 80 * Math.sin(a) };
}

function ensureNode(n, overlay, near) {
  const el = cy.getElementById(n.id);
  if (el.nonempty()) return el;
  return cy.add({ group: 'nodes', data: nodeData(n, { depth: null, overlay }), position: placeNear(near) });
}

/** findEdge returns a drawn relation between a and b, in either direction, preferring rel. */
function findEdge(a, b, rel) {
  const between = cy.getElementById(a).edgesWith(cy.getElementById(b));
  const same = between.filter((e) => e.data('relation') === rel);
  return same.nonempty() ? same : between;
}

// ------------------------------------------------------------------ apply

/** apply brings the page to the view s: picture, filter, path, card, lists. */
async function apply(s) {
  const my = ++seq;
  busy(1);
  try {
    const baseChanged = s.node !== current.node || s.depth !== current.depth || s.limit !== current.limit || !sameList(s.expand, current.expand);
    if (!s.node) {
      cy.elements().remove();
      await showStart();
    } else {
      $('start').hidden = true;
      if (baseChanged) {
        status('Loading the network…');
        const parts = await Promise.all([
          neighborhood(s.node, s.depth, s.limit),
          ...s.expand.map((id) => neighborhood(id, 1, s.limit)),
        ]);
        if (my !== seq) return;
        if (!parts[0]) throw new Error(`no node with the id "${s.node}"`);
        const grows =
          s.node === current.node && s.depth === current.depth && s.limit === current.limit &&
          s.expand.length > current.expand.length && sameList(current.expand, s.expand.slice(0, current.expand.length));
        parts.truncated = parts.some((p) => p && p.truncated);
        baseTruncated = parts.truncated;
        await drawBase(parts.filter(Boolean), s.node, grows ? s.expand[s.expand.length - 1] : null);
        if (my !== seq) return;
      }
    }
    // A card, a path or introductions that fail leave the picture drawn.
    const problems = [];
    const soft = (p) => p.catch((err) => {
      problems.push(err.message);
      return null;
    });
    const [selCard, path, intros] = await Promise.all([
      s.sel ? soft(card(s.sel)) : null,
      s.from && s.to ? soft(pathBetween(s.from, s.to)) : null,
      s.intro ? soft(introductions(s.intro)) : null,
    ]);
    if (my !== seq) return;
    const prev = current;
    current = s;
    drawOverlays(s, selCard, path, intros);
    applyFilter(s);
    refreshSizes();
    select(s);
    renderCard(s, selCard);
    renderPath(s, path);
    renderIntro(s, intros);
    await renderFilters(s);
    renderList();
    $('depth').value = String(s.depth);
    $('limit').value = String(s.limit);
    if (s.node) reportStatus();
    if (problems.length) status(`Part of this view failed: ${problems.join('; ')}`, { error: true });
    if (path && (s.from !== prev.from || s.to !== prev.to)) cy.fit(cy.elements('.onpath'), 60);
    if (s.node && (s.node !== prev.node || !prev.node)) $('cy').focus({ preventScroll: true });
  } catch (err) {
    if (my === seq) status(`Could not draw this view: ${err.message}`, { error: true });
  } finally {
    busy(-1);
  }
}

let baseTruncated = false;

function reportStatus() {
  const vis = cy.nodes().filter((n) => !n.hasClass('filtered'));
  const edges = cy.edges().filter((e) => !e.source().hasClass('filtered') && !e.target().hasClass('filtered'));
  const stated = edges.filter((e) => e.data('kind') === 'stated').length;
  const derived = edges.filter((e) => e.data('kind') === 'derived').length;
  const hidden = cy.nodes().length - vis.length;
  const center = cy.getElementById(current.node);
  const name = center.nonempty() ? center.data('name') : current.node;
  let text = `${name}: ${vis.length} nodes, ${stated} relations stated by sources`;
  if (derived) text += `, ${derived} derived`;
  if (hidden) text += `; ${hidden} hidden by the filter`;
  if (baseTruncated) text += `. The picture was cut at ${current.limit} nodes or relations`;
  status(`${text}.`);
  const st = $('cy').dataset;
  st.nodes = String(vis.length);
  st.edges = String(stated);
}

/** drawOverlays draws what is not part of a neighbourhood: path, introductions, derived themes. */
function drawOverlays(s, selCard, path, intros) {
  cy.batch(() => {
    cy.elements('[overlay]').remove();
    cy.elements().removeClass('onpath faded focus path-start');
    if (s.from) cy.getElementById(s.from).addClass('path-start');
    if (path) {
      const steps = path.steps;
      steps.forEach((st, i) => ensureNode(st.node, 'path', [steps[i - 1]?.node.id, steps[i + 1]?.node.id].filter(Boolean)).addClass('onpath'));
      for (let i = 0; i + 1 < steps.length; i++) {
        const a = steps[i].node.id;
        const b = steps[i + 1].node.id;
        const r = relation(steps[i].relation || '');
        let e = findEdge(a, b, r.stored);
        if (e.empty()) {
          const [from, to] = r.inverse ? [b, a] : [a, b];
          e = cy.add({ group: 'edges', data: { id: edgeId(from, r.stored, to), source: from, target: to, relation: r.stored, kind: 'stated', src: steps[i].source, overlay: 'path' } });
        }
        e.addClass('onpath');
      }
    }
    if (intros && intros.length) {
      const me = s.intro;
      for (const it of intros) {
        ensureNode(it.organization, 'intro', [me]);
        cy.add({
          group: 'edges',
          data: { id: edgeId(me, 'introduction', it.organization.id), source: me, target: it.organization.id, relation: 'introduction', kind: 'suggested', overlay: 'intro', score: it.score },
          classes: 'suggested',
        });
      }
    }
    if (selCard && selCard.__typename === 'Organization' && cy.getElementById(selCard.id).nonempty()) {
      for (const l of selCard.themeLinks) {
        if (l.stated || cy.getElementById(l.theme.id).empty()) continue;
        if (findEdge(selCard.id, l.theme.id, 'theme').nonempty()) continue;
        cy.add({
          group: 'edges',
          data: { id: edgeId(selCard.id, 'theme', l.theme.id), source: selCard.id, target: l.theme.id, relation: 'theme', kind: 'derived', via: l.via, overlay: 'derived' },
          classes: 'derived',
        });
      }
    }
    if (path) cy.elements().not('.onpath').addClass('faded');
    if (cy.nodes().length > LOD) cy.elements().addClass('lod');
  });
}

function applyFilter(s) {
  cy.batch(() => {
    cy.elements().removeClass('filtered');
    if (!s.themes.length && !s.levels.length) return;
    cy.nodes('[type = "Organization"]').forEach((n) => {
      if (n.hasClass('onpath') || n.id() === s.node) return;
      const ok = s.themes.every((t) => n.data('themes').includes(t)) && s.levels.every((l) => n.data('levels').includes(l));
      if (!ok) n.addClass('filtered');
    });
    cy.nodes().forEach((n) => {
      if (n.data('type') === 'Organization' || n.hasClass('onpath') || n.id() === s.node) return;
      if (n.neighborhood('node').filter((m) => !m.hasClass('filtered')).empty()) n.addClass('filtered');
    });
  });
}

function select(s) {
  cy.batch(() => {
    cy.$(':selected').unselect();
    cy.edges().removeClass('focus');
    if (s.sel) {
      const n = cy.getElementById(s.sel);
      if (n.nonempty()) {
        n.select();
        n.connectedEdges().addClass('focus');
      }
    }
    if (s.edge) cy.getElementById(s.edge).select();
  });
}

// ------------------------------------------------------------ start view

async function showStart() {
  status('Search for an organization, a person, an event or a theme to draw its network.');
  const start = $('start');
  start.hidden = false;
  if (start.dataset.filled) return;
  start.dataset.filled = '1';
  try {
    const d = await cached('start', () => gql(Q.start));
    clear(
      start,
      h('h2', null, 'Or start from one of the most connected organizations'),
      h('ul', { class: 'chips' }, d.organizations.nodes.map((o) => h('li', null, nodeLink(o, { center: true })))),
    );
  } catch (err) {
    clear(start, h('p', { class: 'error' }, `Could not load suggestions: ${err.message}`));
  }
}

// ------------------------------------------------------------------ links

/**
 * nodeLink is a link to a node: it selects the node when it is drawn,
 * otherwise (or with center) it centers the picture on it.
 */
function nodeLink(n, { center = false } = {}) {
  const href = toURL({ ...EMPTY, node: n.id, sel: n.id });
  return h(
    'a',
    {
      href,
      class: 'node-link',
      'data-node': n.id,
      onclick: (ev) => {
        if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
        ev.preventDefault();
        openNode(n.id, { center });
      },
    },
    n.name,
  );
}

function openNode(id, { center = false } = {}) {
  if (!center && current.node && cy.getElementById(id).nonempty()) navigate({ sel: id, edge: null });
  else navigate({ node: id, sel: id, edge: null, expand: [], from: current.from, to: null, intro: null });
}

// ------------------------------------------------------------------ cards

const fmtDate = (d) => (d ? d : '');

function sourceItem(s) {
  const meta = [s.publisher, s.published].filter(Boolean).join(', ');
  return h(
    'li',
    null,
    s.url ? h('a', { href: s.url, rel: 'noopener noreferrer', target: '_blank' }, s.title) : s.title,
    meta ? h('span', { class: 'meta' }, ` (${meta})`) : null,
    s.url ? null : h('span', { class: 'meta' }, ' — no link known'),
  );
}

function field(label, items) {
  if (!items || !items.length) return null;
  return [h('dt', null, label), h('dd', null, h('ul', null, items))];
}

function renderCard(s, node) {
  const el = $('card');
  if (s.edge) return renderEdgeCard(s, el);
  if (!node) {
    el.hidden = true;
    clear(el);
    return;
  }
  el.hidden = false;
  const t = typeOf(node.__typename);
  const drawn = cy.getElementById(node.id).nonempty();
  const actions = [];
  if (drawn) actions.push(h('button', { type: 'button', 'data-action': 'expand', onclick: () => expand(node.id) }, 'Expand'));
  if (node.id !== s.node) actions.push(h('button', { type: 'button', 'data-action': 'center', onclick: () => openNode(node.id, { center: true }) }, 'Center here'));
  if (s.from && s.from !== node.id) {
    const fromName = cy.getElementById(s.from).data('name') || s.from;
    actions.push(h('button', { type: 'button', 'data-action': 'path-to', onclick: () => navigate({ to: node.id }) }, `Path from ${fromName} to here`));
  }
  if (s.from !== node.id) actions.push(h('button', { type: 'button', 'data-action': 'path-from', onclick: () => navigate({ from: node.id, to: null }) }, 'Path: start here'));
  if (node.__typename === 'Organization') {
    actions.push(h('button', { type: 'button', 'data-action': 'introductions', onclick: () => navigate({ intro: node.id }) }, 'Introductions'));
  }
  actions.push(h('button', { type: 'button', 'data-action': 'close', onclick: () => navigate({ sel: null }) }, 'Close'));

  const dl = h('dl');
  const add = (x) => x && dl.append(...x);
  add(field('Also known as', node.aliases.map((a) => h('li', null, a))));
  if (node.__typename === 'Organization') {
    add(field('Kinds', node.kinds.map((k) => h('li', null, k))));
    add(field('Places', node.places.map((p) => h('li', null, nodeLink(p)))));
    add(field('People', node.people.map((a) => h('li', null, nodeLink(a.person), a.title ? `, ${a.title}` : ''))));
    add(field('Events', node.events.map((p) => h('li', null, nodeLink(p.event), p.event.startDate ? ` (${fmtDate(p.event.startDate)})` : '', ` — ${p.role.toLowerCase()}`))));
    add(field('Partners', [h('li', null, `${node.partners.totalCount} organizations met at events`)]));
    add(field('Policy levels', node.policyLevels.map((p) => h('li', null, nodeLink(p)))));
    add(field('Themes', node.themeLinks.map((l) => h('li', null, nodeLink(l.theme), h('span', { class: l.stated ? 'stated' : 'derived' }, l.stated ? ' — stated' : ' — derived'), l.via.length ? [' via ', join(l.via.map((v) => nodeLink(v)))] : null))));
  } else if (node.__typename === 'Event') {
    add(field('Kind and date', [h('li', null, [node.kind, node.startDate].filter(Boolean).join(', '))]));
    if (node.partOf) add(field('Part of', [h('li', null, nodeLink(node.partOf))]));
    add(field('Hosts', node.hosts.map((o) => h('li', null, nodeLink(o)))));
    add(field('Speakers', node.speakers.map((p) => h('li', null, nodeLink(p)))));
    add(field(`Organizations taking part (${node.participants.totalCount})`, node.participants.nodes.map((o) => h('li', null, nodeLink(o)))));
    add(field('Themes', node.themes.map((x) => h('li', null, nodeLink(x)))));
    add(field('Questions', node.questions.map((q) => h('li', null, q))));
  } else if (node.__typename === 'Person') {
    add(field('Affiliations', node.affiliations.map((a) => h('li', null, nodeLink(a.organization), a.title ? `, ${a.title}` : ''))));
    add(field('Events', node.events.map((e) => h('li', null, nodeLink(e), e.startDate ? ` (${e.startDate})` : ''))));
  } else if (node.__typename === 'Theme') {
    add(field('Organizations', [h('li', null, `${node.organizationCount.totalCount} (stated or through their events)`)]));
    add(field('Policy levels', node.policyLevels.map((p) => h('li', null, nodeLink(p)))));
    add(field('Events', node.events.map((e) => h('li', null, nodeLink(e), e.startDate ? ` (${e.startDate})` : ''))));
    add(field('Broader themes', node.broader.map((x) => h('li', null, nodeLink(x)))));
    add(field('Narrower themes', node.narrower.map((x) => h('li', null, nodeLink(x)))));
  } else if (node.__typename === 'PolicyLevel') {
    add(field('Organizations', [h('li', null, String(node.organizationCount.totalCount))]));
    add(field('Themes', node.themes.map((x) => h('li', null, nodeLink(x)))));
  } else if (node.__typename === 'Place') {
    add(field('Organizations', node.organizations.map((o) => h('li', null, nodeLink(o)))));
  }
  add(field('Sources', node.sources.map(sourceItem)));
  clear(
    el,
    h('h2', { id: 'card-h' }, node.name),
    h('p', { class: 'type' }, h('span', { class: 'swatch', dataset: { type: node.__typename } }), t.label),
    node.description ? h('p', null, node.description) : null,
    h('div', { class: 'actions' }, actions),
    dl,
  );
  paintSwatches(el);
}

function join(items) {
  const out = [];
  items.forEach((x, i) => {
    if (i) out.push(', ');
    out.push(x);
  });
  return out;
}

function edgeDescription(e) {
  const r = relation(e.data('relation'));
  const kind = e.data('kind');
  const text = kind === 'suggested' ? 'suggested partner of' : r.label;
  return `${e.source().data('name')} ${text} ${e.target().data('name')}`;
}

function renderEdgeCard(s, el) {
  const e = cy.getElementById(s.edge);
  if (e.empty()) {
    el.hidden = true;
    return;
  }
  const kind = e.data('kind');
  const src = e.data('src');
  el.hidden = false;
  clear(
    el,
    h('h2', { id: 'card-h' }, 'Relation'),
    h('p', null, nodeLink({ id: e.source().id(), name: e.source().data('name') }), ` ${kind === 'suggested' ? 'suggested partner of' : relation(e.data('relation')).label} `, nodeLink({ id: e.target().id(), name: e.target().data('name') })),
    kind === 'stated'
      ? h('p', { class: 'stated' }, 'Stated by ', src ? (src.url ? h('a', { href: src.url, rel: 'noopener noreferrer', target: '_blank' }, src.title) : src.title) : 'a source')
      : kind === 'derived'
        ? h('p', { class: 'derived' }, 'Derived: no source states it; the organization took part in ', join((e.data('via') || []).map((v) => nodeLink(v))), ', which discussed the theme.')
        : h('p', { class: 'derived' }, `Suggested introduction (score ${e.data('score')}): they share themes or policy levels but never met at an event.`),
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => navigate({ edge: null }) }, 'Close')),
  );
}

// ------------------------------------------------------------------- path

function renderPath(s, path) {
  const el = $('path');
  if (!s.from) {
    el.hidden = true;
    clear(el);
    return;
  }
  el.hidden = false;
  const fromName = cy.getElementById(s.from).data('name') || s.from;
  const head = h('h2', { id: 'path-h' }, 'Path');
  const clearBtn = h('button', { type: 'button', 'data-action': 'clear-path', onclick: () => navigate({ from: null, to: null }) }, 'Clear path');
  if (!s.to) {
    clear(el, head, h('p', null, `From ${fromName}: pick another node and press “Path from ${fromName} to here” on its card.`), clearBtn);
    return;
  }
  if (!path) {
    clear(el, head, h('p', null, `No path of at most 6 relations joins ${fromName} and ${cy.getElementById(s.to).data('name') || s.to}.`), clearBtn);
    return;
  }
  const items = path.steps.map((st) => {
    const r = st.relation ? relation(st.relation) : null;
    return h(
      'li',
      { 'data-node': st.node.id },
      nodeLink(st.node),
      h('span', { class: 'meta' }, ` (${typeOf(st.node.__typename).label})`),
      r ? h('div', { class: 'step' }, `↓ ${r.label}`, st.source ? [' — stated by ', st.source.url ? h('a', { href: st.source.url, rel: 'noopener noreferrer', target: '_blank' }, st.source.title) : st.source.title] : null) : null,
    );
  });
  clear(el, head, h('p', null, `${path.length} relations from ${path.steps[0].node.name} to ${path.steps[path.steps.length - 1].node.name}:`), h('ol', { class: 'steps' }, items), clearBtn);
}

// ---------------------------------------------------------- introductions

function renderIntro(s, intros) {
  const el = $('intro');
  if (!s.intro) {
    el.hidden = true;
    clear(el);
    return;
  }
  el.hidden = false;
  const name = cy.getElementById(s.intro).data('name') || s.intro;
  const why = (l) => (l.stated ? 'stated' : `through ${l.via.map((v) => v.name).join(', ')}`);
  const items = (intros || []).map((it) =>
    h(
      'li',
      { 'data-node': it.organization.id },
      nodeLink(it.organization),
      h('span', { class: 'meta' }, ` — score ${it.score}`),
      h(
        'ul',
        { class: 'reasons' },
        it.themes.map((t) => h('li', null, `Both work on ${t.theme.name} (${name}: ${why(t.a)}; ${it.organization.name}: ${why(t.b)})`)),
        it.policyLevels.map((p) => h('li', null, `Both work at the ${p.name.toLowerCase()} level`)),
      ),
    ),
  );
  clear(
    el,
    h('h2', { id: 'intro-h' }, `Introductions for ${name}`),
    h('p', null, 'Organizations that share themes or policy levels but never took part in an event together; 2 points per shared theme, 1 per shared level. Dotted lines in the picture.'),
    items.length ? h('ol', null, items) : h('p', { class: 'empty' }, 'No suggestions.'),
    h('button', { type: 'button', 'data-action': 'hide-intro', onclick: () => navigate({ intro: null }) }, 'Hide introductions'),
  );
}

// ---------------------------------------------------------------- filters

async function renderFilters(s) {
  let f;
  try {
    f = await facets();
  } catch (err) {
    clear($('f-themes'), h('legend', null, 'Themes'), h('p', { class: 'error' }, err.message));
    return;
  }
  const orgs = cy.nodes('[type = "Organization"]');
  const here = (key) => {
    const m = new Map();
    orgs.forEach((n) => n.data(key).forEach((id) => m.set(id, (m.get(id) || 0) + 1)));
    return m;
  };
  fillFacet($('f-themes'), 'Themes', 'theme', f.themes, here('themes'), s.themes, 'themes');
  fillFacet($('f-levels'), 'Policy levels', 'level', f.policyLevels, here('levels'), s.levels, 'levels');
}

function fillFacet(fs, legend, name, counts, hereCounts, chosen, key) {
  const rows = counts.map((c) => ({ id: c.node.id, name: c.node.name, all: c.count, here: hereCounts.get(c.node.id) || 0 }));
  for (const id of chosen) if (!rows.some((r) => r.id === id)) rows.push({ id, name: id, all: 0, here: hereCounts.get(id) || 0 });
  if (current.node) rows.sort((a, b) => b.here - a.here || b.all - a.all || a.name.localeCompare(b.name));
  const open = fs.dataset.open === '1';
  const limit = 12;
  const shown = open ? rows : rows.slice(0, limit);
  const items = shown.map((r) => {
    const id = `f-${name}-${r.id}`;
    return h(
      'div',
      { class: 'facet' },
      h('input', {
        type: 'checkbox',
        id,
        value: r.id,
        checked: chosen.includes(r.id),
        'data-facet': name,
        onchange: (ev) => {
          const next = ev.target.checked ? [...chosen, r.id] : chosen.filter((x) => x !== r.id);
          navigate({ [key]: next });
        },
      }),
      h('label', { for: id }, r.name, ' ', h('span', { class: 'count', title: `${r.here} in the picture, ${r.all} in the whole graph` }, current.node ? `${r.here} · ${r.all}` : String(r.all))),
    );
  });
  const more =
    rows.length > limit
      ? h('button', { type: 'button', class: 'more', 'aria-expanded': open ? 'true' : 'false', onclick: () => { fs.dataset.open = open ? '0' : '1'; fillFacet(fs, legend, name, counts, hereCounts, chosen, key); } }, open ? 'Show fewer' : `Show all ${rows.length}`)
      : null;
  const focused = document.activeElement && fs.contains(document.activeElement) ? document.activeElement.id : null;
  clear(fs, h('legend', null, legend), items.length ? items : h('p', { class: 'empty' }, 'None.'), more);
  if (focused && $(focused)) $(focused).focus();
}

// ---------------------------------------------------------------- list view

const TYPE_ORDER = Object.keys(TYPES);

function renderList() {
  const body = $('list-body');
  const vis = cy.nodes().filter((n) => !n.hasClass('filtered'));
  if (!current.node) {
    clear(body, h('p', { class: 'empty' }, 'Nothing drawn yet.'));
    return;
  }
  const hidden = cy.nodes().length - vis.length;
  const sorted = vis.toArray().sort((a, b) => TYPE_ORDER.indexOf(a.data('type')) - TYPE_ORDER.indexOf(b.data('type')) || b.data('degree') - a.data('degree') || a.data('name').localeCompare(b.data('name')));
  const rows = document.createDocumentFragment();
  for (const n of sorted) {
    const id = n.id();
    rows.append(
      h(
        'tr',
        { 'data-node': id, 'data-type': n.data('type'), class: n.selected() ? 'selected' : null },
        h('th', { scope: 'row' }, h('button', { type: 'button', class: 'linklike', 'aria-pressed': n.selected() ? 'true' : 'false', onclick: () => navigate({ sel: id, edge: null }) }, n.data('name'))),
        h('td', null, typeOf(n.data('type')).label),
        h('td', { class: 'num' }, String(n.data('degree'))),
        h('td', { class: 'num' }, n.data('depth') === null ? '—' : String(n.data('depth'))),
      ),
    );
  }
  const edges = cy.edges().filter((e) => !e.source().hasClass('filtered') && !e.target().hasClass('filtered'));
  const details = h('details', { id: 'edge-list' }, h('summary', null, `Relations in the picture (${edges.length})`));
  details.addEventListener('toggle', () => {
    if (!details.open || details.dataset.filled) return;
    details.dataset.filled = '1';
    const tb = h('tbody');
    edges.forEach((e) => {
      const src = e.data('src');
      const kind = e.data('kind');
      tb.append(
        h(
          'tr',
          { 'data-edge': e.id(), 'data-kind': kind },
          h('td', null, e.source().data('name')),
          h('td', null, kind === 'suggested' ? 'suggested partner of' : relation(e.data('relation')).label),
          h('td', null, e.target().data('name')),
          h('td', null, kind === 'stated' ? ['stated by ', src ? (src.url ? h('a', { href: src.url, rel: 'noopener noreferrer', target: '_blank' }, src.title) : src.title) : 'a source'] : kind === 'derived' ? `derived via ${(e.data('via') || []).map((v) => v.name).join(', ')}` : 'suggested'),
        ),
      );
    });
    details.append(h('table', null, h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'From'), h('th', { scope: 'col' }, 'Relation'), h('th', { scope: 'col' }, 'To'), h('th', { scope: 'col' }, 'Stated or derived'))), tb));
  });
  clear(
    body,
    h('p', { id: 'list-summary', 'data-nodes': vis.length, 'data-hidden': hidden }, `${vis.length} nodes${hidden ? ` (${hidden} more hidden by the filter)` : ''}, by type, most connected first.`),
    h(
      'table',
      { id: 'node-table' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Type'), h('th', { scope: 'col' }, 'Relations'), h('th', { scope: 'col' }, 'Distance'))),
      h('tbody', null, rows),
    ),
    details,
  );
}

// ------------------------------------------------------------------ legend

function paintSwatches(root) {
  root.querySelectorAll('.swatch[data-type]').forEach((el) => {
    el.style.backgroundColor = typeOf(el.dataset.type).color;
  });
}

function renderLegend() {
  const types = Object.entries(TYPES).map(([t, d]) => h('li', null, h('span', { class: `swatch shape-${d.shape}`, dataset: { type: t } }), d.label));
  const rels = Object.entries(RELATIONS).map(([r, d]) => {
    const line = h('span', { class: 'line' });
    line.style.borderTopColor = d.color;
    line.style.borderTopWidth = `${Math.max(1, d.width)}px`;
    return h('li', null, line, d.label);
  });
  const kinds = [
    ['solid', 'stated by a source'],
    ['dashed', 'derived (theme through an event)'],
    ['dotted', 'suggested introduction'],
  ].map(([k, label]) => h('li', null, h('span', { class: `line ${k}` }), label));
  const lg = clear($('legend'), h('h3', null, 'Nodes (size: relations)'), h('ul', null, types), h('h3', null, 'Relations'), h('ul', null, rels), h('ul', null, kinds));
  paintSwatches(lg);
}

// ----------------------------------------------------------------- search

function setupSearch() {
  const input = $('q');
  const box = $('q-results');
  let hits = [];
  let active = -1;
  let asked = 0;
  const close = () => {
    box.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const mark = () => {
    [...box.children].forEach((li, i) => li.setAttribute('aria-selected', i === active ? 'true' : 'false'));
    if (active >= 0) input.setAttribute('aria-activedescendant', `q-opt-${active}`);
    else input.removeAttribute('aria-activedescendant');
  };
  const pick = (i) => {
    const hit = hits[i];
    if (!hit) return;
    close();
    input.value = hit.node.name;
    openNode(hit.node.id, { center: true });
  };
  let answered = true; // the hits shown are for what is typed
  let pickWhenAnswered = false; // Enter was pressed before they were
  const run = debounce(async () => {
    const text = input.value.trim();
    const my = ++asked;
    if (text.length < 2) {
      close();
      return;
    }
    busy(1);
    try {
      const d = await gql(Q.search, { text });
      if (my !== asked) return;
      hits = d.search;
      active = hits.length ? 0 : -1;
      answered = true;
      box.dataset.for = text;
      clear(
        box,
        hits.length
          ? hits.map((hit, i) =>
              h(
                'li',
                { id: `q-opt-${i}`, role: 'option', 'data-node': hit.node.id, onmousedown: (ev) => ev.preventDefault(), onclick: () => pick(i) },
                h('span', { class: 'swatch', dataset: { type: hit.node.__typename } }),
                hit.node.name,
                h('span', { class: 'meta' }, ` ${typeOf(hit.node.__typename).label}`),
              ),
            )
          : h('li', { class: 'empty', role: 'option', 'aria-disabled': 'true' }, 'No match'),
      );
      paintSwatches(box);
      box.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      mark();
      if (pickWhenAnswered) {
        pickWhenAnswered = false;
        pick(active);
      }
    } catch (err) {
      status(`Search failed: ${err.message}`, { error: true });
    } finally {
      busy(-1);
    }
  }, 150);
  input.addEventListener('input', () => {
    answered = false;
    pickWhenAnswered = false;
    run();
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown' && hits.length) {
      active = (active + 1) % hits.length;
      mark();
      ev.preventDefault();
    } else if (ev.key === 'ArrowUp' && hits.length) {
      active = (active - 1 + hits.length) % hits.length;
      mark();
      ev.preventDefault();
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      // Enter before the answer for what was typed: pick its best hit when it comes.
      if (!answered) pickWhenAnswered = true;
      else if (!box.hidden && active >= 0) pick(active);
    } else if (ev.key === 'Escape') {
      close();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
}

// ------------------------------------------------------------ interaction

function expand(id) {
  if (current.expand.includes(id) || id === current.node) {
    if (id === current.node && current.depth < 3) navigate({ depth: current.depth + 1 });
    return;
  }
  navigate({ expand: [...current.expand, id] });
}

/**
 * Each frame of a drag redraws only what moves (see drag.js); in pictures
 * of more than LOD nodes the dragged node's neighbours are not redrawn
 * either. ?draglod=0 leaves the drawing to cytoscape alone (every frame of
 * a drag then redraws the whole picture), to compare. The WebGL renderer
 * (?renderer=webgl, slower without a GPU) is left alone too.
 */
const dragLOD = new URLSearchParams(location.search).get('draglod') !== '0' && rendererParam !== 'webgl';
window.thrivegraphExplorer.fastDrag = dragLOD && fastDrag(cy, () => cy.nodes().length > LOD);

function setupPicture() {
  cy.on('tap', 'node', (ev) => navigate({ sel: ev.target.id(), edge: null }));
  cy.on('tap', 'edge', (ev) => navigate({ edge: ev.target.id(), sel: null }));
  cy.on('dbltap', 'node', (ev) => expand(ev.target.id()));
  cy.on('tap', (ev) => {
    if (ev.target === cy && (current.sel || current.edge)) navigate({ sel: null, edge: null });
  });
  const tip = $('tip');
  cy.on('mouseover', 'node, edge', (ev) => {
    const t = ev.target;
    tip.textContent = t.isNode() ? `${t.data('name')} (${typeOf(t.data('type')).label}, ${t.data('degree')} relations)` : `${edgeDescription(t)} — ${t.data('kind') === 'stated' ? `stated by ${t.data('src')?.title || 'a source'}` : t.data('kind')}`;
    const p = ev.renderedPosition;
    tip.style.left = `${p.x + 12}px`;
    tip.style.top = `${p.y + 12}px`;
    tip.hidden = false;
  });
  cy.on('mouseout', 'node, edge', () => {
    tip.hidden = true;
  });
  cy.on('viewport', () => {
    tip.hidden = true;
  });

  // Keyboard: arrows walk to the nearest node in that direction.
  const el = $('cy');
  let kbd = null;
  const focusNode = (n) => {
    cy.nodes('.kbd').removeClass('kbd');
    kbd = n;
    n.addClass('kbd');
    const ext = cy.extent();
    const p = n.position();
    if (p.x < ext.x1 || p.x > ext.x2 || p.y < ext.y1 || p.y > ext.y2) cy.center(n);
    announce(`${n.data('name')}, ${typeOf(n.data('type')).label}, ${n.data('degree')} relations. Enter opens its card, E expands it.`);
  };
  el.addEventListener('keydown', (ev) => {
    const vis = cy.nodes().filter((n) => !n.hasClass('filtered'));
    if (!vis.length) return;
    const from = kbd && kbd.inside() && !kbd.hasClass('filtered') ? kbd : cy.$(':selected').nodes().first().nonempty() ? cy.$(':selected').nodes().first() : cy.getElementById(current.node);
    const dirs = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] };
    if (dirs[ev.key]) {
      ev.preventDefault();
      if (from.empty()) return focusNode(vis.first());
      const [dx, dy] = dirs[ev.key];
      const p = from.position();
      let best = null;
      let bestScore = Infinity;
      vis.forEach((n) => {
        if (n.same(from)) return;
        const q = n.position();
        const vx = q.x - p.x;
        const vy = q.y - p.y;
        const along = vx * dx + vy * dy;
        if (along <= 0) return;
        const across = Math.abs(vx * dy - vy * dx);
        const score = along + 2 * across;
        if (score < bestScore) {
          bestScore = score;
          best = n;
        }
      });
      if (best) focusNode(best);
    } else if (ev.key === 'Enter' || ev.key === ' ') {
      if (!from.empty()) {
        ev.preventDefault();
        navigate({ sel: from.id(), edge: null });
      }
    } else if (ev.key === 'e' || ev.key === 'E') {
      if (!from.empty()) expand(from.id());
    } else if (ev.key === '+' || ev.key === '=') {
      cy.zoom({ level: cy.zoom() * 1.25, renderedPosition: { x: el.clientWidth / 2, y: el.clientHeight / 2 } });
    } else if (ev.key === '-') {
      cy.zoom({ level: cy.zoom() / 1.25, renderedPosition: { x: el.clientWidth / 2, y: el.clientHeight / 2 } });
    } else if (ev.key === '0') {
      cy.fit(undefined, 24);
    } else if (ev.key === 'Escape') {
      navigate({ sel: null, edge: null });
    }
  });

  $('fit').addEventListener('click', () => cy.fit(cy.nodes(':visible'), 24));
  $('relayout').addEventListener('click', () => layout(true));
  $('depth').addEventListener('change', (ev) => navigate({ depth: parseInt(ev.target.value, 10) }));
  $('limit').addEventListener('change', (ev) => navigate({ limit: parseInt(ev.target.value, 10) }));
  $('f-clear').addEventListener('click', () => navigate({ themes: [], levels: [] }));
  const base = () => `thrivegraph-${current.node || 'network'}`;
  $('export-png').addEventListener('click', () => download(exporter.png(cy), `${base()}.png`));
  $('export-svg').addEventListener('click', () => download(new Blob([exporter.svg(cy, document.title)], { type: 'image/svg+xml' }), `${base()}.svg`));
  $('export-csv').addEventListener('click', () => download(new Blob([exporter.table(cy)], { type: 'text/csv;charset=utf-8' }), `${base()}.csv`));
  window.addEventListener('popstate', () => apply(parseURL(location.search)));
  // A phone turned, a window resized: keep the whole picture in view.
  let width = el.clientWidth;
  new ResizeObserver(() => {
    if (Math.abs(el.clientWidth - width) < 40) return;
    width = el.clientWidth;
    cy.resize();
    cy.fit(cy.nodes(':visible'), 24);
  }).observe(el);
}

// ------------------------------------------------------------------- boot

function boot() {
  const lim = $('limit');
  clear(lim, LIMITS.map((n) => h('option', { value: n }, String(n))));
  renderLegend();
  setupSearch();
  setupPicture();
  const s = parseURL(location.search);
  if (!LIMITS.includes(s.limit)) lim.append(h('option', { value: s.limit }, String(s.limit)));
  apply(s);
}

boot();
