// How the picture looks: a colour and a shape per type of node, a colour,
// width and line per relation, and the words a person reads for each.

/** Node types: label, colour, cytoscape shape and the SVG shape of exports. */
export const TYPES = {
  Organization: { label: 'Organization', color: '#2563eb', shape: 'ellipse' },
  Event: { label: 'Event', color: '#d97706', shape: 'diamond' },
  Person: { label: 'Person', color: '#059669', shape: 'round-rectangle' },
  Theme: { label: 'Theme', color: '#7c3aed', shape: 'hexagon' },
  PolicyLevel: { label: 'Policy level', color: '#dc2626', shape: 'rectangle' },
  Place: { label: 'Place', color: '#0891b2', shape: 'triangle' },
};

/** typeOf returns the description of a node type, a grey one for unknown types. */
export function typeOf(t) {
  return TYPES[t] || { label: t, color: '#6b7280', shape: 'ellipse' };
}

/**
 * Stored relations: the words for them (subject → object), and how their
 * edges are drawn.
 */
export const RELATIONS = {
  hosted: { label: 'hosted', color: '#b45309', width: 3.5 },
  participatedIn: { label: 'took part in', color: '#64748b', width: 1.5 },
  presentedAt: { label: 'presented at', color: '#be185d', width: 3 },
  theme: { label: 'works on', color: '#8b5cf6', width: 1.2 },
  policyLevel: { label: 'at policy level', color: '#ef4444', width: 1.2 },
  memberOf: { label: 'works at', color: '#047857', width: 2 },
  spokeAt: { label: 'spoke at', color: '#10b981', width: 2 },
  partOf: { label: 'part of', color: '#d97706', width: 2 },
  place: { label: 'in', color: '#0891b2', width: 1.2 },
  broader: { label: 'narrower than', color: '#7c3aed', width: 1.5 },
};

// The inverse names that path steps use, and the stored relation each is
// the inverse of.
const INVERSES = {
  hostedBy: 'hosted',
  hadParticipant: 'participatedIn',
  hadPresenter: 'presentedAt',
  themeOf: 'theme',
  policyLevelOf: 'policyLevel',
  hasMember: 'memberOf',
  hadSpeaker: 'spokeAt',
  hasPart: 'partOf',
  placeOf: 'place',
  narrower: 'broader',
};

const INVERSE_WORDS = {
  hosted: 'hosted by',
  participatedIn: 'had as participant',
  presentedAt: 'had as presenter',
  theme: 'theme of',
  policyLevel: 'policy level of',
  memberOf: 'has on its staff',
  spokeAt: 'had as speaker',
  partOf: 'includes',
  place: 'place of',
  broader: 'broader than',
};

/**
 * relation describes a relation name as a path step or an edge gives it:
 * the stored relation, whether the name is its inverse, and the words.
 */
export function relation(name) {
  if (RELATIONS[name]) return { stored: name, inverse: false, label: RELATIONS[name].label };
  const stored = INVERSES[name];
  if (stored) return { stored, inverse: true, label: INVERSE_WORDS[stored] };
  return { stored: name, inverse: false, label: name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() };
}

/** relationStyle returns how edges of a stored relation are drawn. */
export function relationStyle(name) {
  return RELATIONS[name] || { label: name, color: '#9ca3af', width: 1 };
}

/** stylesheet returns cytoscape's style for the picture. */
export function stylesheet() {
  const base = [
    {
      selector: 'node',
      style: {
        'background-color': '#6b7280',
        width: 'data(size)',
        height: 'data(size)',
        label: 'data(label)',
        'font-size': 11,
        'font-family': 'system-ui, sans-serif',
        color: '#111827',
        'text-valign': 'bottom',
        'text-margin-y': 3,
        'text-wrap': 'ellipsis',
        'text-max-width': 140,
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.7,
        'text-background-padding': 1,
        'min-zoomed-font-size': 7,
        'border-width': 1,
        'border-color': '#ffffff',
      },
    },
    {
      selector: 'edge',
      style: { width: 1, 'line-color': '#9ca3af', 'curve-style': 'haystack', 'haystack-radius': 0, opacity: 0.75 },
    },
  ];
  const types = Object.entries(TYPES).map(([t, d]) => ({
    selector: `node[type = "${t}"]`,
    style: { 'background-color': d.color, shape: d.shape },
  }));
  const relations = Object.entries(RELATIONS).map(([r, d]) => ({
    selector: `edge[relation = "${r}"]`,
    style: { 'line-color': d.color, width: d.width },
  }));
  const classes = [
    { selector: 'edge.derived', style: { 'line-style': 'dashed', 'curve-style': 'straight', opacity: 0.9 } },
    {
      selector: 'edge.suggested',
      style: { 'line-style': 'dotted', 'curve-style': 'straight', 'line-color': '#0f766e', width: 2.5, opacity: 1 },
    },
    { selector: 'node.center', style: { 'border-width': 4, 'border-color': '#111827' } },
    { selector: 'node.path-start', style: { 'border-width': 4, 'border-color': '#facc15' } },
    {
      selector: 'node:selected',
      style: { 'border-width': 5, 'border-color': '#f59e0b', 'z-index': 20, 'font-weight': 'bold' },
    },
    { selector: 'node.kbd', style: { 'overlay-color': '#f59e0b', 'overlay-opacity': 0.25, 'overlay-padding': 6 } },
    { selector: 'edge.focus', style: { width: 3, opacity: 1, 'z-index': 10 } },
    { selector: '.faded', style: { opacity: 0.15, 'text-opacity': 0.2 } },
    { selector: 'node.onpath', style: { 'border-width': 5, 'border-color': '#111827', 'z-index': 30, opacity: 1 } },
    {
      selector: 'edge.onpath',
      style: { width: 6, 'line-color': '#111827', opacity: 1, 'z-index': 30 },
    },
    // Big pictures (see LOD in main.js): labels only when zoomed in, no
    // label backgrounds, borders or translucent edges, which software
    // canvases (no GPU) draw slowly on every frame of a pan or a zoom.
    { selector: 'node.lod', style: { 'min-zoomed-font-size': 14, 'text-background-opacity': 0, 'border-width': 0 } },
    { selector: 'edge.lod', style: { opacity: 1, width: 1 } },
    { selector: 'node.lod.center, node.lod:selected, node.lod.onpath', style: { 'min-zoomed-font-size': 0, 'border-width': 4, 'text-background-opacity': 0.7 } },
    { selector: '.filtered', style: { display: 'none' } },
  ];
  return [...base, ...types, ...relations, ...classes];
}
