// Stacked bar charts in inline SVG (no library): one bar per time bucket, one colour per series (CSS classes s0…s7,
// so the palette follows light and dark mode). Each bar segment has a <title> with its exact figure.
const NS = 'http://www.w3.org/2000/svg';

function el(tag, attrs, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * @param buckets  labels of the x axis, oldest first
 * @param series   [{name, values: number[] (one per bucket)}]
 * @param format   number -> text (axis and tooltips)
 */
export function stackedBars(title, buckets, series, format) {
  const W = 720, H = 220, L = 64, R = 8, T = 12, B = 28;
  const totals = buckets.map((_, i) => series.reduce((s, x) => s + (x.values[i] || 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'chart', 'aria-label': title,
    preserveAspectRatio: 'none' });
  svg.appendChild(el('title', {}, title));
  const plotW = W - L - R, plotH = H - T - B;
  for (let g = 0; g <= 4; g++) {
    const y = T + plotH - plotH * g / 4;
    svg.appendChild(el('line', { x1: L, x2: W - R, y1: y, y2: y, class: 'grid' }));
    svg.appendChild(el('text', { x: L - 6, y: y + 4, class: 'axis', 'text-anchor': 'end' }, format(max * g / 4)));
  }
  const n = Math.max(1, buckets.length);
  const bw = plotW / n;
  buckets.forEach((b, i) => {
    let y = T + plotH;
    series.forEach((s, si) => {
      const v = s.values[i] || 0;
      if (v <= 0 || max <= 0) return;
      const hgt = plotH * v / max;
      y -= hgt;
      const r = el('rect', { x: L + i * bw + bw * 0.1, y, width: Math.max(1, bw * 0.8), height: Math.max(0.5, hgt),
        class: 's' + (si % 8) });
      r.appendChild(el('title', {}, `${b} · ${s.name}: ${format(v)}`));
      svg.appendChild(r);
    });
    const every = Math.ceil(n / 8);
    if (i % every === 0) {
      svg.appendChild(el('text', { x: L + i * bw + bw / 2, y: H - 8, class: 'axis', 'text-anchor': 'middle' }, shortLabel(b)));
    }
  });
  return svg;
}

export function legend(series) {
  const ul = document.createElement('ul');
  ul.className = 'legend';
  series.forEach((s, i) => {
    const li = document.createElement('li');
    const sw = document.createElement('span');
    sw.className = 'swatch s' + (i % 8);
    li.append(sw, document.createTextNode(s.name));
    ul.appendChild(li);
  });
  return ul;
}

function niceMax(v) {
  if (v <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

function shortLabel(b) {
  const s = String(b);
  // 2026-12-03T14:05:00Z -> 14:05 ; 2026-12-03 -> 12-03
  const t = s.match(/T(\d\d:\d\d)/);
  if (t) return t[1];
  const d = s.match(/^\d{4}-(\d\d-\d\d)$/);
  return d ? d[1] : s;
}
