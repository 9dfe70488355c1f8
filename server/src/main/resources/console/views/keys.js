// Keys (admin): create (the key is shown once), revoke, change budget, rpm and tpm; this month's spend against budget.
// GET/POST /v1/admin/keys, PATCH/DELETE /v1/admin/keys/{id}. One request per refresh (the list).
import { api } from '../api.js';
import { h, clear, table, usd, int, val, when, badge, section } from '../dom.js';

export default {
  id: 'keys',
  title: 'Keys',
  admin: true,
  pollMs: 5000,
  render(root, ctx) {
    const form = h('form', { id: 'key-create', class: 'controls' },
      h('label', null, 'Name ', h('input', { name: 'name', required: true, maxlength: 200 })),
      h('label', null, 'Scope ', h('select', { name: 'scope' }, h('option', { value: 'client' }, 'client'), h('option', { value: 'admin' }, 'admin'))),
      h('label', null, 'Budget USD/month ', h('input', { name: 'budget', type: 'number', min: 0, step: 'any' })),
      h('label', null, 'rpm ', h('input', { name: 'rpm', type: 'number', min: 1, step: 1 })),
      h('label', null, 'tpm ', h('input', { name: 'tpm', type: 'number', min: 1, step: 1 })),
      h('button', { type: 'submit' }, 'Create key'));
    const shown = h('div', { id: 'key-shown', 'aria-live': 'polite' });
    form.addEventListener('submit', async ev => {
      ev.preventDefault();
      const f = new FormData(form);
      const body = { name: f.get('name'), scope: f.get('scope') };
      if (f.get('budget')) body.budget_usd = Number(f.get('budget'));
      if (f.get('rpm')) body.rpm = Number(f.get('rpm'));
      if (f.get('tpm')) body.tpm = Number(f.get('tpm'));
      try {
        const k = await api('/v1/admin/keys', { method: 'POST', json: body });
        clear(shown).appendChild(h('div', { class: 'card once', role: 'alert' },
          h('p', null, 'Key ', h('strong', null, k.id), ' created. Copy it now: it is shown only once.'),
          h('code', { id: 'new-key', 'data-key-id': k.id, tabindex: 0 }, k.key),
          ' ', h('button', { type: 'button', onclick: () => navigator.clipboard && navigator.clipboard.writeText(k.key) }, 'Copy'),
          ' ', h('button', { type: 'button', onclick: () => clear(shown) }, 'Done')));
        form.reset();
        ctx.refreshNow();
      } catch (e) {
        clear(shown).appendChild(h('p', { class: 'error', role: 'alert' }, e.message));
      }
    });
    root.append(h('h1', null, 'Keys'), section('New key', form, shown), h('div', { id: 'keys-body' }));
  },
  async refresh(root, ctx) {
    const list = (await api('/v1/admin/keys')).data;
    const body = root.querySelector('#keys-body');
    // keep a row that is being edited as it is: redraw only when nobody types in it
    if (body.contains(document.activeElement) && document.activeElement.tagName === 'INPUT') return;
    clear(body).appendChild(section('Keys', h('div', { class: 'scroll' }, table([
      { label: 'Id', field: 'id', value: k => k.id },
      { label: 'Name', field: 'name', value: k => k.name },
      { label: 'Prefix', field: 'prefix', value: k => h('code', null, k.prefix + '…') },
      { label: 'Scope', field: 'scope', value: k => k.scope },
      { label: 'State', field: 'state', value: k => k.revoked_at ? badge('revoked', 'down') : badge('active', 'healthy') },
      { label: 'Month spent', field: 'month_spent_usd', num: true, value: k => val(k.month_spent_usd, usd(k.month_spent_usd)) },
      { label: 'Budget', field: 'budget_usd', num: true, value: k => budgetCell(k) },
      { label: 'Remaining', field: 'remaining_budget_usd', num: true, value: k => val(k.remaining_budget_usd, usd(k.remaining_budget_usd)) },
      { label: 'rpm', field: 'rpm', num: true, value: k => val(k.rpm, k.rpm === null ? 'no limit' : int(k.rpm)) },
      { label: 'tpm', field: 'tpm', num: true, value: k => val(k.tpm, k.tpm === null || k.tpm === undefined ? 'no limit' : int(k.tpm)) },
      { label: 'All-time spent', field: 'spent_usd', num: true, value: k => val(k.spent_usd, usd(k.spent_usd)) },
      { label: 'Requests', field: 'requests', num: true, value: k => val(k.requests, int(k.requests)) },
      { label: 'Created', field: 'created_at', value: k => when(k.created_at) },
      { label: 'Actions', field: 'actions', value: k => k.revoked_at ? '' : actions(k, ctx) },
    ], list, k => ({ 'data-key-id': k.id })))));
  },
};

function budgetCell(k) {
  const b = k.budget_usd;
  if (b === null || b === undefined) return val(null, 'no limit');
  const used = Number(k.month_spent_usd || 0);
  const share = b > 0 ? Math.min(1, used / b) : 1;
  const m = h('meter', { min: 0, max: 1, value: share, low: 0.7, high: 0.9, optimum: 0, title: (100 * share).toFixed(1) + ' % used' });
  return h('span', { 'data-value': String(b) }, usd(b), ' ', m);
}

const ARMED = new Set();

function actions(k, ctx) {
  const budget = h('input', { type: 'number', min: 0, step: 'any', value: k.budget_usd ?? '', 'aria-label': 'budget for ' + k.id, name: 'budget', size: 8 });
  const rpm = h('input', { type: 'number', min: 1, step: 1, value: k.rpm ?? '', 'aria-label': 'rpm for ' + k.id, name: 'rpm', size: 6 });
  const tpm = h('input', { type: 'number', min: 1, step: 1, value: k.tpm ?? '', 'aria-label': 'tpm for ' + k.id, name: 'tpm', size: 8 });
  const msg = h('span', { class: 'error', role: 'alert' });
  const save = h('button', { type: 'submit' }, 'Save');
  const form = h('form', { class: 'inline', 'data-action': 'limits' }, budget, rpm, tpm, save, msg);
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    try {
      await api('/v1/admin/keys/' + encodeURIComponent(k.id), { method: 'PATCH', json: {
        budget_usd: budget.value === '' ? null : Number(budget.value), rpm: rpm.value === '' ? null : Number(rpm.value),
        tpm: tpm.value === '' ? null : Number(tpm.value) } });
      document.activeElement.blur();
      ctx.refreshNow();
    } catch (e) { msg.textContent = e.message; }
  });
  // armed survives the list's redraws (the view polls); a second click confirms
  const revoke = h('button', { type: 'button', class: 'danger', 'data-action': 'revoke' }, ARMED.has(k.id) ? 'Confirm revoke' : 'Revoke');
  revoke.addEventListener('click', async () => {
    if (!ARMED.has(k.id)) { ARMED.add(k.id); revoke.textContent = 'Confirm revoke'; return; }
    ARMED.delete(k.id);
    try {
      await api('/v1/admin/keys/' + encodeURIComponent(k.id), { method: 'DELETE' });
      ctx.refreshNow();
    } catch (e) { msg.textContent = e.message; }
  });
  return h('div', { class: 'actions' }, form, revoke);
}
