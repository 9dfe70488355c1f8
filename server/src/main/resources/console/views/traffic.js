// Traffic and spend: requests, tokens and cost over time for a chosen window, split by provider, task, model or key,
// from the usage ledger (GET /v1/usage/timeseries; one request per refresh). Retries and fallbacks are the attempts
// beyond the first of each request.
import { api, qs } from '../api.js';
import { h, clear, table, usd, int, val, section } from '../dom.js';
import { stackedBars, legend } from '../chart.js';

const WINDOWS = { '1h': [3600e3, 'minute', 60e3], '24h': [86400e3, 'hour', 3600e3], '7d': [7 * 86400e3, 'day', 86400e3], '30d': [30 * 86400e3, 'day', 86400e3] };
const METRICS = {
  requests: { label: 'Requests', value: r => r.requests, fmt: int },
  tokens: { label: 'Tokens (in + out)', value: r => (r.input_tokens || 0) + (r.output_tokens || 0), fmt: int },
  cost: { label: 'Cost (USD)', value: r => Number(r.cost_usd || 0), fmt: v => '$' + Number(v).toFixed(v < 1 ? 4 : 2) },
};

export default {
  id: 'traffic',
  title: 'Traffic & spend',
  pollMs: 5000,
  render(root, ctx) {
    const sel = (id, label, options, value) => h('label', null, label + ' ',
      h('select', { id, onchange: () => ctx.refreshNow() },
        options.map(([v, t]) => h('option', { value: v, selected: v === value }, t))));
    root.append(h('h1', null, 'Traffic & spend'),
      h('form', { class: 'controls', onsubmit: e => e.preventDefault() },
        sel('t-window', 'Window', Object.keys(WINDOWS).map(w => [w, 'last ' + w]), '24h'),
        sel('t-split', 'Split by', [['provider', 'provider'], ['task', 'task'], ['model', 'model'], ['key', 'key']], 'provider')),
      h('div', { id: 'traffic-body' }));
  },
  async refresh(root) {
    const w = root.querySelector('#t-window').value;
    const split = root.querySelector('#t-split').value;
    const [span, bucket, step] = WINDOWS[w];
    const to = new Date();
    const from = new Date(Math.floor((to.getTime() - span) / step) * step);
    const data = await api('/v1/usage/timeseries' + qs({ bucket, by: split, from: from.toISOString(), to: to.toISOString() }));
    draw(root.querySelector('#traffic-body'), data, split, from, to, step, bucket);
  },
};

function bucketsOf(data, from, to, step) {
  const keys = [];
  for (let t = from.getTime(); t < to.getTime(); t += step) keys.push(new Date(t).toISOString().replace('.000Z', 'Z'));
  return keys;
}

function norm(b) {
  return new Date(b).toISOString().replace('.000Z', 'Z');
}

function draw(body, data, split, from, to, step, bucket) {
  clear(body);
  const rows = data.data || [];
  const buckets = bucketsOf(data, from, to, step);
  const index = new Map(buckets.map((b, i) => [b, i]));
  const names = [...new Set(rows.map(r => r[split] || '—'))].sort();
  const totals = { requests: 0, attempts: 0, failed_attempts: 0, retries: 0, fallbacks: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0 };
  const byName = new Map(names.map(n => [n, { name: n, requests: 0, attempts: 0, failed_attempts: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0 }]));
  for (const r of rows) {
    for (const k of Object.keys(totals)) totals[k] += Number(r[k] || 0);
    const t = byName.get(r[split] || '—');
    for (const k of ['requests', 'attempts', 'failed_attempts', 'input_tokens', 'output_tokens', 'cost_usd']) t[k] += Number(r[k] || 0);
  }
  body.appendChild(h('dl', { class: 'figures', id: 'traffic-totals' },
    fig('Requests', 'requests', totals.requests, int),
    fig('Attempts', 'attempts', totals.attempts, int),
    fig('Retries', 'retries', totals.retries, int),
    fig('Fallbacks', 'fallbacks', totals.fallbacks, int),
    fig('Failed attempts', 'failed_attempts', totals.failed_attempts, int),
    fig('Input tokens', 'input_tokens', totals.input_tokens, int),
    fig('Output tokens', 'output_tokens', totals.output_tokens, int),
    fig('Cost', 'cost_usd', totals.cost_usd, usd)));
  body.appendChild(h('p', { class: 'hint' }, 'A retry is a further attempt on the same provider and model after a retryable error; a fallback is an attempt on the next target of the plan after one failed. Both count in attempts, not in requests.'));
  for (const [m, def] of Object.entries(METRICS)) {
    const series = names.map(n => ({ name: n, values: buckets.map(() => 0) }));
    for (const r of rows) {
      const i = index.get(norm(r.start));
      if (i === undefined) continue;
      series[names.indexOf(r[split] || '—')].values[i] += def.value(r);
    }
    body.appendChild(section(def.label + ' per ' + bucket + ', by ' + split,
      stackedBars(def.label + ' per ' + bucket + ' by ' + split, buckets, series, def.fmt), legend(series)));
  }
  body.appendChild(section('By ' + split, h('div', { class: 'scroll' }, table([
    { label: split, field: 'name', value: r => r.name },
    { label: 'Requests', field: 'requests', num: true, value: r => val(r.requests, int(r.requests)) },
    { label: 'Attempts', field: 'attempts', num: true, value: r => val(r.attempts, int(r.attempts)) },
    { label: 'Failed', field: 'failed_attempts', num: true, value: r => val(r.failed_attempts, int(r.failed_attempts)) },
    { label: 'Input tokens', field: 'input_tokens', num: true, value: r => val(r.input_tokens, int(r.input_tokens)) },
    { label: 'Output tokens', field: 'output_tokens', num: true, value: r => val(r.output_tokens, int(r.output_tokens)) },
    { label: 'Cost', field: 'cost_usd', num: true, value: r => val(r.cost_usd, usd(r.cost_usd)) },
  ], [...byName.values()], r => ({ 'data-name': r.name })))));
}

function fig(label, field, v, fmt) {
  return h('div', { 'data-field': field }, h('dt', null, label), h('dd', null, val(v, fmt(v))));
}
