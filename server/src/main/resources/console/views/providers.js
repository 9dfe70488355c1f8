// Providers: state and circuit per provider and model (GET /v1/providers, with each breaker's last change and why),
// error rate, latency and TTFT p50 / p95 over the last 5 min / 1 h / 24 h (GET /v1/providers/stats). One request per
// refresh: the live view and the windows take turns.
import { api } from '../api.js';
import { h, clear, table, ms, pct, val, badge } from '../dom.js';

const WINDOWS = ['5m', '1h', '24h'];

export default {
  id: 'providers',
  title: 'Providers',
  pollMs: 3000,
  render(root) {
    root.append(h('h1', null, 'Providers'),
      h('p', { class: 'hint' }, 'State and circuit breakers live. Per window, from the request log: error rate = failed attempts / attempts; latency and time to first token p50 / p95.'),
      h('div', { id: 'providers-body' }));
    this.state = { live: null, windows: {}, tick: 0 };
  },
  async refresh(root) {
    const st = this.state;
    const first = st.live === null; // the first load asks for both, so the page is complete at once
    const slot = st.tick++ % 2;
    if (first || slot === 0) st.live = (await api('/v1/providers')).data;
    if (first || slot === 1) st.windows = await windows();
    draw(root.querySelector('#providers-body'), st);
  },
};

/** window -> Map(provider/model -> stats), or {} without a database (the live columns still show). */
async function windows() {
  try {
    const s = await api('/v1/providers/stats');
    const out = {};
    for (const [w, rows] of Object.entries(s.windows)) out[w] = new Map(rows.map(r => [r.provider + '/' + r.model, r]));
    return out;
  } catch (e) {
    return {};
  }
}

function rate(st, w, target) {
  const m = st.windows[w];
  if (!m) return val(null, '—');
  const r = m.get(target);
  if (!r || !r.attempts) return val(null, '—');
  return h('span', { 'data-value': r.error_rate_percent, title: r.failed_attempts + ' of ' + r.attempts + ' attempts failed' },
    pct(r.error_rate_percent));
}

function p50p95(st, w, target, what) {
  const m = st.windows[w];
  const r = m && m.get(target);
  const p50 = r && r[what + '_p50_ms'], p95 = r && r[what + '_p95_ms'];
  if (p50 === null || p50 === undefined) return val(null, '—');
  return h('span', { 'data-value': p50 + '/' + p95 }, ms(p50) + ' / ' + ms(p95));
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
      ...WINDOWS.map(w => ({ label: 'Errors ' + w, field: 'errors_' + w, num: true, value: m => rate(st, w, p.name + '/' + m.id) })),
      ...WINDOWS.map(w => ({ label: 'Latency p50/p95 ' + w, field: 'latency_' + w, num: true, value: m => p50p95(st, w, p.name + '/' + m.id, 'latency') })),
      ...WINDOWS.map(w => ({ label: 'TTFT p50/p95 ' + w, field: 'ttft_' + w, num: true, value: m => p50p95(st, w, p.name + '/' + m.id, 'ttft') })),
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
