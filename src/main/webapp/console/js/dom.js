// Building the page. Every value from the gateway goes in as text (textContent, attribute values), never as HTML:
// nothing here parses markup, so a key named "<img onerror=...>" is shown as those characters.

/**
 * An element: h('button', {class: 'x', type: 'button', on: {click: f}}, 'Save').
 * Props: class, text, on (events), dataset; anything else is an attribute (false/null/undefined leave it out,
 * true sets it empty). Children: nodes, strings (as text), arrays, and null (skipped).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') el.className = value;
    else if (name === 'text') el.textContent = String(value);
    else if (name === 'on') for (const [event, fn] of Object.entries(value)) el.addEventListener(event, fn);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name === 'value') el.value = value;
    else if (name === 'checked') el.checked = Boolean(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

/** Replaces an element's children, skipping null ones as h() does (the DOM's own append would show "null"). */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let ids = 0;
/** An id for a control and its label. */
export function uid(prefix = 'f') {
  ids += 1;
  return `${prefix}-${ids}`;
}

// ---- numbers and times ----
const integer = new Intl.NumberFormat(undefined, {maximumFractionDigits: 0});
export const fmt = {
  int: v => (v === null || v === undefined ? '–' : integer.format(v)),
  usd: v => (v === null || v === undefined ? '–' : `$${Number(v).toFixed(Number(v) !== 0 && Math.abs(v) < 1 ? 4 : 2)}`),
  ms: v => (v === null || v === undefined ? '–' : `${Number(v) >= 100 ? Math.round(v) : Number(v).toFixed(1)} ms`),
  pct: v => (v === null || v === undefined ? '–' : `${(Number(v) * 100).toFixed(1)}%`),
  time: iso => (iso ? new Date(iso).toLocaleString() : '–'),
  list: values => (values && values.length ? values.join(', ') : '–'),
  text: v => (v === null || v === undefined || v === '' ? '–' : String(v)),
};

// ---- tables ----
/**
 * A table in a scrolling wrapper (so a wide table scrolls by itself at a phone's width, not the page).
 * columns: [{label, value: row => node|string, numeric}]; rows: objects; empty: text when there are none.
 */
export function table({caption, columns, rows, empty = 'Nothing yet.', onRow, rowLabel}) {
  const head = h('thead', {}, h('tr', {}, columns.map(c => h('th', {scope: 'col', class: c.numeric ? 'num' : null},
    c.label))));
  const body = h('tbody');
  if (!rows.length) {
    body.append(h('tr', {}, h('td', {colspan: columns.length, class: 'empty'}, empty)));
  }
  for (const row of rows) {
    const tr = h('tr', {}, columns.map(c => h('td', {class: c.numeric ? 'num' : null, 'data-label': c.label},
      c.value(row))));
    if (onRow) {
      // A whole row opens its details: by click, or by Enter/Space once focused (it is in the tab order).
      tr.classList.add('clickable');
      tr.tabIndex = 0;
      tr.setAttribute('role', 'button');
      if (rowLabel) tr.setAttribute('aria-label', rowLabel(row));
      tr.addEventListener('click', event => {
        if (!event.target.closest('button, a, input, select')) onRow(row);
      });
      tr.addEventListener('keydown', event => {
        if ((event.key === 'Enter' || event.key === ' ') && event.target === tr) {
          event.preventDefault();
          onRow(row);
        }
      });
    }
    body.append(tr);
  }
  return h('div', {class: 'table-wrap'}, h('table', {}, caption ? h('caption', {}, caption) : null, head, body));
}

// ---- the page's parts ----
/** A view's heading with its buttons. */
export function heading(title, ...actions) {
  return h('div', {class: 'view-head'}, h('h1', {}, title), h('div', {class: 'actions'}, actions));
}

export function button(label, onClick, {kind = '', type = 'button', id, disabled, ariaLabel} = {}) {
  return h('button', {type, class: kind || null, id, disabled, 'aria-label': ariaLabel, on: {click: onClick}}, label);
}

/** A status word with its colour class: ok, warn, bad. */
export function badge(text, kind) {
  return h('span', {class: `badge ${kind || ''}`}, text);
}

/** Tiles of headline numbers: [[label, value], ...]. */
export function tiles(pairs) {
  return h('dl', {class: 'tiles'}, pairs.map(([label, value]) => h('div', {class: 'tile'}, h('dt', {}, label),
    h('dd', {}, value))));
}

let toastTimer;
/** A short message at the bottom of the page, read out by screen readers. */
export function toast(message, kind = 'ok') {
  const el = document.getElementById('toast');
  el.textContent = message;
  el.className = `toast show ${kind}`;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.className = 'toast'; }, kind === 'bad' ? 8000 : 4000);
}

/** A message in the view for a failed load, with what the gateway said. */
export function failure(error) {
  return h('p', {class: 'error', role: 'alert'}, `Could not load: ${error.message}`);
}
