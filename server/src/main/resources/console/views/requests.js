// Requests: the request log, newest first, paged by keyset (GET /v1/requests?limit=&cursor=…: the server's cursor,
// never an offset), searchable by request id, key, provider, model and outcome; one request's detail with its whole
// attempt chain (GET /v1/requests/{id}). A client key gets only its own requests from the server.
import { api, qs } from '../api.js';
import { h, clear, table, usd, int, ms, val, badge, section, when } from '../dom.js';

const PAGE = 50;

export default {
  id: 'requests',
  title: 'Requests',
  pollMs: 5000,
  render(root, ctx, params) {
    if (params.length) {
      root.append(h('p', null, h('a', { href: '#/requests' }, '← all requests')), h('div', { id: 'request-body' }));
      return;
    }
    const f = h('form', { id: 'request-filters', class: 'controls', role: 'search' },
      h('label', null, 'Request id ', h('input', { name: 'q', placeholder: 'req_… (prefix)' })),
      ctx.admin ? h('label', null, 'Key id ', h('input', { name: 'key', placeholder: 'key_…' })) : null,
      h('label', null, 'Provider ', h('input', { name: 'provider' })),
      h('label', null, 'Model ', h('input', { name: 'model' })),
      h('label', null, 'Outcome ', h('input', { name: 'status', placeholder: 'ok, error, timeout…' })),
      h('button', { type: 'submit' }, 'Search'));
    f.addEventListener('submit', ev => { ev.preventDefault(); this.cursors = [null]; ctx.refreshNow(); });
    this.cursors = [null]; // the cursor of each page seen: "newer" goes back one
    root.append(h('h1', null, 'Requests'), f, h('div', { id: 'requests-body' }),
      h('div', { class: 'pager' },
        h('button', { type: 'button', id: 'req-newer', class: 'secondary', onclick: () => { this.cursors.pop(); ctx.refreshNow(); } }, '← Newer'),
        h('button', { type: 'button', id: 'req-older', class: 'secondary', onclick: () => { if (this.next) { this.cursors.push(this.next); ctx.refreshNow(); } } }, 'Older →')));
  },
  async refresh(root, ctx, params) {
    if (params.length) {
      drawDetail(root.querySelector('#request-body'), await api('/v1/requests/' + encodeURIComponent(params[0])));
      return;
    }
    const filter = Object.fromEntries(new FormData(root.querySelector('#request-filters')));
    const cursor = this.cursors[this.cursors.length - 1];
    const page = await api('/v1/requests' + qs({ ...filter, limit: PAGE, cursor }));
    this.next = page.next_cursor || null;
    root.querySelector('#req-newer').disabled = this.cursors.length <= 1;
    root.querySelector('#req-older').disabled = !this.next;
    const body = clear(root.querySelector('#requests-body'));
    body.appendChild(h('div', { class: 'scroll' }, table([
      { label: 'Request', field: 'id', value: r => h('a', { href: '#/requests/' + encodeURIComponent(r.id) }, r.id) },
      { label: 'Finished', field: 'ended_at', value: r => when(r.ended_at) },
      { label: 'Key', field: 'key', value: r => r.key_id || '—' },
      { label: 'Model asked', field: 'model_requested', value: r => r.model_requested || (r.task ? 'task:' + r.task : '—') },
      { label: 'Answered by', field: 'provider', value: r => r.provider + '/' + r.model },
      { label: 'Outcome', field: 'outcome', value: r => badge(r.outcome, r.outcome === 'ok' ? 'healthy' : 'down') },
      { label: 'Attempts', field: 'attempts', num: true, value: r => val(r.attempts, attemptsText(r)) },
      { label: 'Tokens in/out', field: 'tokens', num: true, value: r => int(r.input_tokens) + ' / ' + int(r.output_tokens) },
      { label: 'Cost', field: 'cost_usd', num: true, value: r => val(r.cost_usd, usd(r.cost_usd)) },
      { label: 'Latency', field: 'latency_ms', num: true, value: r => val(r.latency_ms, ms(r.latency_ms)) },
      { label: 'Stream', field: 'streamed', value: r => r.streamed ? 'yes' : 'no' },
    ], page.data, r => ({ 'data-request-id': r.id }))));
  },
  pollDetail: false,
};

function attemptsText(r) {
  const extra = [];
  if (r.retries) extra.push(r.retries + ' retr' + (r.retries === 1 ? 'y' : 'ies'));
  if (r.fallbacks) extra.push(r.fallbacks + ' fallback' + (r.fallbacks === 1 ? '' : 's'));
  return String(r.attempts) + (extra.length ? ' (' + extra.join(', ') + ')' : '');
}

function drawDetail(body, r) {
  clear(body);
  body.append(h('h1', null, 'Request ', h('code', null, r.id)),
    section('Summary', h('dl', { class: 'figures', id: 'request-summary' },
      ...[['Time', when(r.started_at)], ['Key', r.key_id || '—'], ['Model asked', r.model_requested || '—'], ['Task', r.task || '—'],
        ['First tried', r.first_provider || '—'], [r.outcome === 'ok' ? 'Answered by' : 'Last tried', r.provider + '/' + r.model], ['Outcome', r.outcome], ['Attempts', attemptsText(r)],
        ['Tokens in/out', int(r.input_tokens) + ' / ' + int(r.output_tokens)], ['Cost', usd(r.cost_usd)],
        ['Latency', ms(r.latency_ms)], ['Streamed', r.streamed ? 'yes' : 'no']]
        .map(([k, v]) => h('div', null, h('dt', null, k), h('dd', null, v))))),
    section('Attempt chain', table([
      { label: '#', field: 'n', num: true, value: a => String(a.n) },
      { label: 'Kind', field: 'kind', value: a => a.kind },
      { label: 'Provider / model', field: 'target', value: a => a.provider + '/' + a.model },
      { label: 'Outcome', field: 'outcome', value: a => badge(a.outcome, a.outcome === 'ok' ? 'healthy' : 'down') },
      { label: 'Status', field: 'status', num: true, value: a => a.status ?? '—' },
      { label: 'Latency', field: 'latency_ms', num: true, value: a => val(a.latency_ms, ms(a.latency_ms)) },
      { label: 'Tokens in/out', field: 'tokens', num: true, value: a => int(a.input_tokens) + ' / ' + int(a.output_tokens) },
      { label: 'Cost', field: 'cost_usd', num: true, value: a => val(a.cost_usd, usd(a.cost_usd)) },
      { label: 'Estimated', field: 'estimated', value: a => a.usage_estimated ? 'yes' : '' },
      { label: 'At', field: 'at', value: a => when(a.at) },
    ], kinds(r.attempt_chain || []), a => ({ 'data-attempt': a.n }))));
}

// first attempt; a retry is the same provider and model again; a fallback moves to another target
function kinds(chain) {
  return chain.map((a, i) => ({ ...a, kind: i === 0 ? 'first'
    : (a.provider === chain[i - 1].provider && a.model === chain[i - 1].model ? 'retry' : 'fallback') }));
}
