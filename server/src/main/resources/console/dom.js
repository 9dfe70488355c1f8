// DOM helpers: elements are built with textContent only, never from HTML strings, so data from the API (lead
// notes, model output, key names) can never become markup.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** A table: columns [{label, value(row) -> text|Node, num?, field?}], rows with an optional row attrs function. */
export function table(columns, rows, rowAttrs, caption) {
  return h('table', null,
    caption ? h('caption', null, caption) : null,
    h('thead', null, h('tr', null, columns.map(c => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)))),
    h('tbody', null, rows.length === 0
      ? h('tr', null, h('td', { colspan: columns.length, class: 'empty' }, 'nothing yet'))
      : rows.map(r => h('tr', rowAttrs ? rowAttrs(r) : null,
        columns.map(c => h('td', { class: c.num ? 'num' : null, 'data-field': c.field || null }, c.value(r)))))));
}

export function usd(v) {
  if (v === null || v === undefined) return '—';
  return '$' + Number(v).toFixed(6);
}

export function int(v) {
  if (v === null || v === undefined) return '—';
  return Math.round(Number(v)).toLocaleString('en-US');
}

export function ms(v) {
  if (v === null || v === undefined) return '—';
  return Number(v).toFixed(Number(v) < 10 ? 1 : 0) + ' ms';
}

export function pct(v) {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '—';
  return Number(v).toFixed(1) + ' %';
}

export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace(/Z$/, ' UTC');
}

/** A value cell that keeps the API's raw value beside the shown text (tests and copy-paste read it). */
export function val(raw, text) {
  return h('span', { 'data-value': raw === null || raw === undefined ? '' : String(raw) }, text);
}

export function badge(text, kind) {
  return h('span', { class: 'badge ' + (kind || String(text).replace(/[^a-z_-]/gi, '')) }, text);
}

export function section(title, ...body) {
  return h('section', { class: 'card' }, h('h2', null, title), ...body);
}
