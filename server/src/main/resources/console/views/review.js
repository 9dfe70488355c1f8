// Review queue: drafts of hot and warm leads wait for a person. Approve, edit (the grounding rules are checked again on
// save and their violations shown), or reject with a reason. GET /v1/drafts?status=pending, POST
// /v1/drafts/{id}/approve|reject, PUT /v1/drafts/{id} (edit). One request per refresh (the queue).
import { api, qs } from '../api.js';
import { h, clear, badge, section, when } from '../dom.js';

export default {
  id: 'review',
  title: 'Review queue',
  pollMs: 5000,
  render(root, ctx) {
    const f = h('form', { class: 'controls', id: 'review-filter', onsubmit: e => e.preventDefault() },
      h('label', null, 'Status ', h('select', { name: 'status', onchange: () => ctx.refreshNow() },
        ['pending', 'approved', 'rejected', ''].map(s => h('option', { value: s }, s || 'all')))));
    root.append(h('h1', null, 'Review queue'), f, h('div', { id: 'review-body' }));
  },
  async refresh(root, ctx) {
    const body = root.querySelector('#review-body');
    if (body.contains(document.activeElement) && /INPUT|TEXTAREA/.test(document.activeElement.tagName)) return;
    const status = root.querySelector('#review-filter select').value;
    const page = await api('/v1/drafts' + qs({ status, limit: 50 }));
    clear(body);
    if (!page.data.length) body.appendChild(h('p', { class: 'hint', id: 'review-empty' }, 'No drafts ' + (status || '') + '.'));
    for (const d of page.data) body.appendChild(card(d, ctx));
  },
};

function card(d, ctx) {
  const id = d.id;
  const msg = h('div', { class: 'violations', role: 'alert' });
  const subject = h('input', { name: 'subject', value: d.subject || '', 'aria-label': 'subject', size: 60 });
  const text = h('textarea', { name: 'body', 'aria-label': 'body' }, d.body || '');
  const reason = h('input', { name: 'reason', placeholder: 'reason (required to reject)', 'aria-label': 'reason', size: 40 });
  const act = async (path, json, method) => {
    clear(msg);
    try {
      await api('/v1/drafts/' + encodeURIComponent(id) + path, { method: method || 'POST', json });
      ctx.refreshNow();
    } catch (e) {
      const v = e.body && e.body.error && e.body.error.violations;
      msg.append(h('p', null, e.message), v ? h('ul', { 'data-field': 'violations' }, v.map(x => h('li', null, typeof x === 'string' ? x : (x.message || JSON.stringify(x))))) : null);
    }
  };
  const pending = d.status === 'pending';
  return h('article', { class: 'card draft', 'data-draft-id': id, 'data-status': d.status },
    h('h2', null, d.lead_name || d.lead_id, ' ', d.tier ? badge(d.tier, 'tier-' + d.tier) : null, ' ', badge(d.status, d.status),
      h('small', null, ' ', d.company || '', d.run_id ? ' · run ' + d.run_id : '', d.drafted_at ? ' · ' + when(d.drafted_at) : '')),
    d.lead_id ? h('p', null, h('a', { href: '#/leads/' + encodeURIComponent(d.lead_id) }, 'lead page, with the evidence →')) : null,
    pending ? [h('label', null, 'Subject ', subject), h('label', null, 'Body', text)]
      : [h('p', null, h('strong', null, d.subject)), h('pre', { class: 'draft' }, d.body)],
    d.reason ? h('p', null, 'Reason: ', d.reason) : null,
    d.decided_by ? h('p', { class: 'hint' }, 'decided by ' + d.decided_by + (d.decided_at ? ' at ' + when(d.decided_at) : '')) : null,
    msg,
    pending ? h('div', { class: 'actions' },
      h('button', { type: 'button', 'data-action': 'approve', onclick: () => act('/approve', {}) }, 'Approve'),
      h('button', { type: 'button', 'data-action': 'save', class: 'secondary', onclick: () => act('', { subject: subject.value, body: text.value }, 'PUT') }, 'Save edit'),
      reason,
      h('button', { type: 'button', 'data-action': 'reject', class: 'danger', onclick: () => act('/reject', { reason: reason.value }) }, 'Reject')) : null);
}
