// Exports of the current picture: PNG (cytoscape's renderer), SVG (written
// here from the elements' positions, so that it is a real vector drawing),
// and the data drawn as CSV.
import { csv } from './util.js';
import { typeOf, relationStyle, relation } from './style.js';

const XML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const xml = (s) => String(s).replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);

/** png returns the visible picture, whole, as a PNG blob. */
export function png(cy) {
  return cy.png({ output: 'blob', full: true, bg: '#ffffff', scale: cy.nodes(':visible').length > 500 ? 1 : 2 });
}

function shapePath(shape, x, y, r) {
  const poly = (pts) => `<polygon points="${pts.map(([a, b]) => `${(x + a * r).toFixed(1)},${(y + b * r).toFixed(1)}`).join(' ')}"`;
  switch (shape) {
    case 'diamond':
      return poly([[0, -1], [1, 0], [0, 1], [-1, 0]]);
    case 'rectangle':
      return `<rect x="${(x - r).toFixed(1)}" y="${(y - r).toFixed(1)}" width="${(2 * r).toFixed(1)}" height="${(2 * r).toFixed(1)}"`;
    case 'round-rectangle':
      return `<rect x="${(x - r).toFixed(1)}" y="${(y - r).toFixed(1)}" width="${(2 * r).toFixed(1)}" height="${(2 * r).toFixed(1)}" rx="${(r / 3).toFixed(1)}"`;
    case 'hexagon':
      return poly([[-1, 0], [-0.5, -0.87], [0.5, -0.87], [1, 0], [0.5, 0.87], [-0.5, 0.87]]);
    case 'triangle':
      return poly([[0, -1], [1, 0.8], [-1, 0.8]]);
    default:
      return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r.toFixed(1)}"`;
  }
}

/** svg returns the visible picture as an SVG document (text). */
export function svg(cy, title) {
  const nodes = cy.nodes(':visible');
  const edges = cy.edges(':visible');
  const bb = nodes.boundingBox({ includeLabels: true });
  const pad = 20;
  const w = Math.max(1, bb.w + 2 * pad);
  const hgt = Math.max(1, bb.h + 2 * pad);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w.toFixed(0)}" height="${hgt.toFixed(0)}" viewBox="${(bb.x1 - pad).toFixed(1)} ${(bb.y1 - pad).toFixed(1)} ${w.toFixed(1)} ${hgt.toFixed(1)}" font-family="system-ui, sans-serif" font-size="11">`,
    `<title>${xml(title)}</title>`,
    `<rect x="${(bb.x1 - pad).toFixed(1)}" y="${(bb.y1 - pad).toFixed(1)}" width="${w.toFixed(1)}" height="${hgt.toFixed(1)}" fill="#ffffff"/>`,
    '<g stroke-linecap="round">',
  ];
  edges.forEach((e) => {
    const a = e.source().position();
    const b = e.target().position();
    const st = relationStyle(e.data('relation'));
    const dash = e.hasClass('derived') ? ' stroke-dasharray="6 4"' : e.hasClass('suggested') ? ' stroke-dasharray="2 4"' : '';
    const color = e.hasClass('onpath') ? '#111827' : e.hasClass('suggested') ? '#0f766e' : st.color;
    const width = e.hasClass('onpath') ? 6 : st.width;
    out.push(
      `<line x1="${a.x.toFixed(1)}" y1="${a.y.toFixed(1)}" x2="${b.x.toFixed(1)}" y2="${b.y.toFixed(1)}" stroke="${color}" stroke-width="${width}"${dash}><title>${xml(`${e.source().data('name')} ${relation(e.data('relation')).label} ${e.target().data('name')}`)}</title></line>`,
    );
  });
  out.push('</g><g>');
  nodes.forEach((n) => {
    const p = n.position();
    const t = typeOf(n.data('type'));
    const r = n.data('size') / 2;
    const stroke = n.hasClass('onpath') || n.hasClass('center') ? ' stroke="#111827" stroke-width="3"' : ' stroke="#ffffff" stroke-width="1"';
    out.push(`${shapePath(t.shape, p.x, p.y, r)} fill="${t.color}"${stroke}><title>${xml(`${n.data('name')} (${t.label})`)}</title>${t.shape === 'ellipse' ? '</circle>' : t.shape.includes('rect') ? '</rect>' : '</polygon>'}`);
    out.push(`<text x="${p.x.toFixed(1)}" y="${(p.y + r + 12).toFixed(1)}" text-anchor="middle" fill="#111827">${xml(n.data('label'))}</text>`);
  });
  out.push('</g></svg>');
  return out.join('\n');
}

/**
 * table returns the data of the visible picture as one CSV document with a
 * row per node and a row per relation (the "record" column tells which).
 */
export function table(cy) {
  const rows = [['record', 'id', 'name', 'type', 'degree', 'from', 'relation', 'to', 'stated', 'source', 'source_url', 'via']];
  cy.nodes(':visible').forEach((n) => {
    rows.push(['node', n.id(), n.data('name'), n.data('type'), n.data('degree'), '', '', '', '', '', '', '']);
  });
  cy.edges(':visible').forEach((e) => {
    const s = e.data('src') || {};
    rows.push([
      'relation', e.id(), '', '', '',
      e.data('source'), e.data('relation'), e.data('target'),
      e.data('kind') === 'stated' ? 'yes' : e.data('kind') === 'derived' ? 'no (derived)' : 'no (suggested)',
      s.title || '', s.url || '', (e.data('via') || []).map((v) => v.name).join(' | '),
    ]);
  });
  return csv(rows);
}
