// Runs: each pipeline run's progress per step, qualified leads per tier, cost per task and provider, and failures with
// their reasons (GET /v1/runs: one request per refresh; GET /v1/runs/{id} for one run).
import { api } from '../api.js';
import { h, clear, table, usd, int, val, badge, section, when } from '../dom.js';

const STEPS = ['parse', 'qualify', 'research', 'outreach'];
const TIERS = ['hot', 'warm', 'cold', 'disqualified'];

export default {
  id: 'runs',
  title: 'Runs',
  pollMs: 4000,
  pollDetail: true,
  render(root, ctx, params) {
    root.append(params.length ? h('p', null, h('a', { href: '#/runs' }, '← all runs')) : h('h1', null, 'Runs'),
      h('div', { id: 'runs-body' }));
  },
  async refresh(root, ctx, params) {
    const body = root.querySelector('#runs-body');
    if (params.length) {
      const r = await api('/v1/runs/' + encodeURIComponent(params[0]));
      clear(body).append(h('h1', null, 'Run ', h('code', null, r.id)), runCard(r, true));
      return;
    }
    const list = (await api('/v1/runs?limit=20')).data;
    clear(body);
    if (!list.length) body.appendChild(h('p', { class: 'hint' }, 'No runs yet: `sales-agent run LEADS.csv` or the lead endpoints start one.'));
    for (const r of list) body.appendChild(runCard(r, false));
  },
};

function runCard(r, detail) {
  const stepsOf = STEPS.filter(s => r.progress[s]);
  const counts = s => r.progress[s] || {};
  return h('section', { class: 'card run', 'data-run-id': r.id },
    h('h2', null, detail ? null : h('a', { href: '#/runs/' + encodeURIComponent(r.id) }, r.id), ' ',
      badge(r.status, r.status === 'finished' || r.status === 'completed' ? 'healthy' : r.status === 'failed' ? 'down' : 'pending'),
      h('small', null, ' ' + r.leads + ' leads · steps ' + r.steps + ' · started ' + when(r.started_at)
        + (r.finished_at ? ' · finished ' + when(r.finished_at) : ''))),
    h('div', { class: 'scroll' }, table([
      { label: 'Step', field: 'step', value: s => s },
      ...['done', 'failed', 'skipped', 'running'].map(st => ({ label: st, field: st, num: true, value: s => val(counts(s)[st] || 0, int(counts(s)[st] || 0)) })),
      { label: 'Progress', field: 'progress', value: s => {
        const c = counts(s), finished = (c.done || 0) + (c.failed || 0) + (c.skipped || 0);
        return h('progress', { max: Math.max(1, r.leads), value: Math.min(finished, r.leads), title: finished + ' of ' + r.leads });
      } },
    ], stepsOf, s => ({ 'data-step': s }))),
    h('dl', { class: 'figures' },
      TIERS.map(t => h('div', { 'data-field': 'tier-' + t }, h('dt', null, t), h('dd', null, val(r.tiers[t] || 0, int(r.tiers[t] || 0))))),
      h('div', { 'data-field': 'cost' }, h('dt', null, 'cost'), h('dd', null, val(r.cost_usd, usd(r.cost_usd))))),
    h('div', { class: 'scroll' }, h('table', null, h('tbody', null,
      h('tr', null, h('th', { scope: 'row' }, 'Cost by task'), ...Object.entries(r.cost_by_task).map(([k, v]) => h('td', { 'data-task': k }, k + ' ', val(v, usd(v))))),
      h('tr', null, h('th', { scope: 'row' }, 'Cost by provider'), ...Object.entries(r.cost_by_provider).map(([k, v]) => h('td', { 'data-provider': k }, k + ' ', val(v, usd(v)))))))),
    r.failures.length ? section('Failures (' + r.failures.length + ')', table([
      { label: 'Lead', field: 'lead', value: f => h('a', { href: '#/leads/' + encodeURIComponent(f.lead_id) }, f.lead_id) },
      { label: 'Step', field: 'step', value: f => f.step },
      { label: 'Reason', field: 'error', value: f => f.error || '—' },
    ], detail ? r.failures : r.failures.slice(0, 5))) : null);
}
