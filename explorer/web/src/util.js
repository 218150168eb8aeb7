// Small DOM and file helpers: the page builds its elements with h() (never
// from HTML strings) and hands files to the person with download().

/**
 * h creates an element: h('a', { href: '#', class: 'x', onclick: f }, 'text', child).
 * Attributes that are false, null or undefined are left out; children may be
 * strings, nodes, arrays or null.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

/** clear empties an element and appends the children given. */
export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** csv turns rows (arrays of values) into CSV text (RFC 4180, CRLF). */
export function csv(rows) {
  const cell = (v) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** download offers a blob to the person as a file called name. */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** debounce delays f until ms have passed without another call. */
export function debounce(f, ms) {
  let t;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => f(...args), ms);
  };
}

/** sameList reports whether two arrays hold the same values in the same order. */
export function sameList(a, b) {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
