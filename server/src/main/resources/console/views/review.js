// Review queue: drafts of hot and warm leads wait for a person. Approve, edit (the grounding rules are checked again on
// save and their violations shown), or reject with a reason. GET /v1/drafts?status=pending, POST
// /v1/drafts/{id}/approve|reject|edit (422 grounding_failed with error.violations when an edit breaks a rule). One
// request per refresh (the queue).
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
    // a draft someone is editing is not redrawn under them (nor fetched again) until they save, reject or approve
    if (DIRTY.size) return;
    const status = root.querySelector('#review-filter select').value;
    const page = await api('/v1/drafts' + qs({ status, limit: 50 }));
    clear(body);
    if (!page.data.length) body.appendChild(h('p', { class: 'hint', id: 'review-empty' }, 'No drafts ' + (status || '') + '.'));
    for (const d of page.data) body.appendChild(card(d, ctx));
  },
};

const DIRTY = new Set();

function card(d, ctx) {
  const id = d.id;
  const msg = h('div', { class: 'violations', role: 'alert' });
  const subject = h('input', { name: 'subject', value: d.subject || '', 'aria-label': 'subject', size: 60 });
  const text = h('textarea', { name: 'body', 'aria-label': 'body' }, d.body || '');
  const cta = h('input', { name: 'call_to_action', value: d.call_to_action || '', 'aria-label': 'call to action', size: 60 });
  const lead = d.lead || {};
  const name = [lead.first_name, lead.last_name].filter(Boolean).join(' ') || lead.email || d.lead_id;
  const review = d.review || {};
  const reason = h('input', { name: 'reason', placeholder: 'reason (required to reject)', 'aria-label': 'reason', size: 40 });
  const act = async (path, json, method) => {
    clear(msg);
    try {
      await api('/v1/drafts/' + encodeURIComponent(id) + path, { method: method || 'POST', json });
      DIRTY.delete(id);
      ctx.refreshNow();
    } catch (e) {
      const v = e.body && e.body.error && e.body.error.violations;
      msg.append(h('p', null, e.message), v ? h('ul', { 'data-field': 'violations' }, v.map(x => h('li', null, typeof x === 'string' ? x : (x.message || JSON.stringify(x))))) : null);
      if (e.status === 409) { DIRTY.delete(id); ctx.refreshNow(); }
    }
  };
  const pending = d.status === 'pending';
  for (const el of [subject, text, cta, reason]) el.addEventListener('input', () => DIRTY.add(id));
  return h('article', { class: 'card draft', 'data-draft-id': id, 'data-status': d.status },
    h('h2', null, name, ' ', d.tier ? badge(d.tier, 'tier-' + d.tier) : null, ' ', badge(d.status, d.status),
      d.edited ? ' ' : null, d.edited ? badge('edited', 'muted') : null,
      h('small', null, ' ', [lead.job_title, lead.company].filter(Boolean).join(', '), d.run_id ? ' · run ' + d.run_id : '',
        d.drafted_at ? ' · drafted ' + when(d.drafted_at) : '', d.provider ? ' · ' + d.provider + '/' + d.model : '')),
    d.lead_id ? h('p', null, h('a', { href: '#/leads/' + encodeURIComponent(d.lead_id) }, 'lead page, with the evidence →')) : null,
    pending ? [h('label', { class: 'field' }, 'Subject', subject), h('label', { class: 'field' }, 'Body', text), h('label', { class: 'field' }, 'Call to action', cta)]
      : [h('p', null, h('strong', null, d.subject)), h('pre', { class: 'draft' }, d.body)],
    review.reason ? h('p', null, 'Reason: ', review.reason) : null,
    review.at ? h('p', { class: 'hint' }, d.status + ' by ' + ((review.by && review.by.key_id) || '—') + ' at ' + when(review.at)) : null,
    msg,
    pending ? h('div', { class: 'actions' },
      h('button', { type: 'button', 'data-action': 'approve', onclick: () => act('/approve', {}) }, 'Approve'),
      h('button', { type: 'button', 'data-action': 'save', class: 'secondary', onclick: () => act('/edit', { subject: subject.value, body: text.value, call_to_action: cta.value }) }, 'Save edit'),
      h('button', { type: 'button', class: 'secondary', onclick: () => { DIRTY.delete(id); ctx.refreshNow(); } }, 'Discard changes'),
      reason,
      h('button', { type: 'button', 'data-action': 'reject', class: 'danger', onclick: () => act('/reject', { reason: reason.value }) }, 'Reject')) : null);
}
