// Providers: state and circuit per provider and model (GET /v1/providers, with each breaker's last change and why),
// error rate and p50 / p95 latency over the last 5 min / 1 h / 24 h (GET /v1/usage/latency?from=…). One request per
// refresh: the live view every other tick, the three windows in turn between them.
import { api, qs } from '../api.js';
import { h, clear, table, ms, pct, val, badge } from '../dom.js';

const WINDOWS = [['5m', 5 * 60e3], ['1h', 3600e3], ['24h', 86400e3]];

export default {
  id: 'providers',
  title: 'Providers',
  pollMs: 3000,
  render(root) {
    root.append(h('h1', null, 'Providers'),
      h('p', { class: 'hint' }, 'State and circuit breakers live. From the usage ledger, per window: error rate = failed attempts / attempts; p50 / p95 = latency of the successful attempts (to the end of the answer).'),
      h('div', { id: 'providers-body' }));
    this.state = { live: null, windows: {}, tick: 0 };
  },
  async refresh(root) {
    const st = this.state;
    const slot = st.live === null ? 0 : st.tick++ % 6;
    if (slot % 2 === 0) {
      st.live = (await api('/v1/providers')).data;
      if (Object.keys(st.windows).length === 0) {
        // first load: the windows too, so the page is complete at once
        for (const [w, span] of WINDOWS) st.windows[w] = await windowRates(span);
      }
    } else {
      const [w, span] = WINDOWS[(slot - 1) / 2];
      st.windows[w] = await windowRates(span);
    }
    draw(root.querySelector('#providers-body'), st);
  },
};

async function windowRates(spanMs) {
  const from = new Date(Date.now() - spanMs).toISOString();
  try {
    const u = await api('/v1/usage/latency' + qs({ from }));
    const m = new Map();
    for (const r of u.data) m.set(r.provider + '/' + r.model, r);
    return m;
  } catch (e) {
    return null; // no database: the live columns still show
  }
}

function rate(st, w, target) {
  const m = st.windows[w];
  if (!m) return val(null, '—');
  const r = m.get(target);
  if (!r || !r.attempts) return val(null, '—');
  const p = 100 * r.failed_attempts / r.attempts;
  return h('span', { 'data-value': p.toFixed(3), title: r.failed_attempts + ' of ' + r.attempts + ' attempts failed' }, pct(p));
}

function latency(st, w, target) {
  const m = st.windows[w];
  const r = m && m.get(target);
  if (!r || r.p50_ms === null || r.p50_ms === undefined) return val(null, '—');
  return h('span', { 'data-value': r.p50_ms + '/' + r.p95_ms }, ms(r.p50_ms) + ' / ' + ms(r.p95_ms));
}

function circuit(m) {
  const open = m.circuit === 'open';
  return h('span', { 'data-value': m.circuit },
    badge(m.circuit, 'circuit-' + m.circuit),
    open && m.circuit_open_ms !== null && m.circuit_open_ms !== undefined
      ? h('small', null, ' half-open probe in ' + Math.ceil(m.circuit_open_ms / 1000) + ' s') : null,
    m.circuit_reason ? h('small', { class: 'why' }, ' ' + m.circuit_reason) : null,
    m.circuit_changed_at ? h('small', null, ' since ' + new Date(m.circuit_changed_at).toLocaleTimeString()) : null);
}

function draw(body, st) {
  clear(body);
  for (const p of st.live) {
    const cols = [
      { label: 'Model', field: 'model', value: m => m.id },
      { label: 'Circuit', field: 'circuit', value: m => circuit(m) },
      { label: 'Breaker fails', field: 'failure_rate', num: true, value: m => val(m.failure_rate_percent, pct(m.failure_rate_percent)) },
      { label: 'EWMA latency / TTFT', field: 'latency', num: true, value: m => ms(m.latency_ewma_ms) + ' / ' + ms(m.ttft_ewma_ms) },
      ...WINDOWS.map(([w]) => ({ label: 'Errors ' + w, field: 'errors_' + w, num: true, value: m => rate(st, w, p.name + '/' + m.id) })),
      ...WINDOWS.map(([w]) => ({ label: 'p50/p95 ' + w, field: 'latency_' + w, num: true, value: m => latency(st, w, p.name + '/' + m.id) })),
      { label: 'In $/M', field: 'input_price', num: true, value: m => val(m.input_usd_per_mtok, m.input_usd_per_mtok) },
      { label: 'Out $/M', field: 'output_price', num: true, value: m => val(m.output_usd_per_mtok, m.output_usd_per_mtok) },
      { label: 'Context', field: 'context', num: true, value: m => val(m.context_window, Number(m.context_window).toLocaleString('en-US')) },
      { label: 'Capabilities', field: 'capabilities', value: m => (m.capabilities || []).join(', ') },
    ];
    body.appendChild(h('section', { class: 'card provider', 'data-provider': p.name },
      h('h2', null, p.name, ' ', badge(p.state, 'state-' + p.state), h('small', null, ' ' + (p.kind || ''))),
      h('p', { class: 'meta' },
        p.reason ? h('span', { 'data-field': 'reason' }, p.reason + ' · ') : null,
        'latency EWMA ', val(p.latency_ewma_ms, ms(p.latency_ewma_ms)),
        p.base_url ? ' · ' + p.base_url : '',
        p.last_probe ? ' · last probe: ' + p.last_probe : ''),
      h('div', { class: 'scroll' }, table(cols, p.models || [], m => ({ 'data-model': m.id })))));
  }
}
