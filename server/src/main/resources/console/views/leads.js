// Leads: a filterable table of every lead with its latest score and tier (one request: GET /v1/leads/export, the same
// join the CSV export gives), and a lead page (GET /v1/leads/{id}) with the lead's own text, every quoted BANT / ICP
// evidence highlighted in it, the sub-scores, the research brief with each point's source, the draft and each step's
// cost.
import { api } from '../api.js';
import { h, clear, table, usd, int, ms, val, badge, section, when } from '../dom.js';

export default {
  id: 'leads',
  title: 'Leads',
  pollMs: 10000,
  render(root, ctx, params) {
    if (params.length) {
      root.append(h('p', null, h('a', { href: '#/leads' }, '← all leads')), h('div', { id: 'lead-body' }));
      return;
    }
    const filters = h('form', { id: 'lead-filters', class: 'controls', role: 'search', onsubmit: e => e.preventDefault() },
      h('label', null, 'Search ', h('input', { name: 'q', type: 'search', placeholder: 'name, company, email' })),
      h('label', null, 'Tier ', h('select', { name: 'tier' }, ['', 'hot', 'warm', 'cold', 'disqualified', 'unqualified']
        .map(t => h('option', { value: t }, t || 'any')))),
      h('label', null, 'Min score ', h('input', { name: 'min', type: 'number', min: 0, max: 100, size: 4 })),
      h('label', null, 'Industry ', h('select', { name: 'industry' }, h('option', { value: '' }, 'any'))),
      h('label', null, 'Status ', h('select', { name: 'status' }, [['', 'any'], ['drafted', 'draft written'], ['nodraft', 'no draft'],
        ['pending', 'draft pending review'], ['approved', 'draft approved'], ['rejected', 'draft rejected']]
        .map(([v, t]) => h('option', { value: v }, t)))));
    filters.addEventListener('input', () => drawList(root, this.rows));
    root.append(h('h1', null, 'Leads'), filters, h('div', { id: 'leads-body' }));
  },
  async refresh(root, ctx, params) {
    if (params.length) {
      drawLead(root.querySelector('#lead-body'), await api('/v1/leads/' + encodeURIComponent(params[0])));
      return;
    }
    const csv = await api('/v1/leads/export');
    const rows = parseCsvObjects(csv);
    // The export has no id column: ids come from the lead list, read again only when a lead is new to this page.
    this.ids = this.ids || new Map();
    if (rows.some(r => !this.ids.has(r['Email']))) {
      for (let offset = 0; ; offset += 1000) {
        const page = await api('/v1/leads?limit=1000&offset=' + offset);
        for (const l of page.data) this.ids.set(l.email, l.id);
        if (offset + page.data.length >= page.total || page.data.length === 0) break;
      }
    }
    for (const r of rows) r.id = this.ids.get(r['Email']) || '';
    this.rows = rows;
    const ind = root.querySelector('select[name=industry]');
    const have = new Set([...ind.options].map(o => o.value));
    for (const i of [...new Set(this.rows.map(r => r['Industry']).filter(Boolean))].sort()) {
      if (!have.has(i)) ind.appendChild(h('option', { value: i }, i));
    }
    drawList(root, this.rows);
  },
};

function drawList(root, rows) {
  if (!rows) return;
  const f = new FormData(root.querySelector('#lead-filters'));
  const q = String(f.get('q') || '').toLowerCase();
  const tier = f.get('tier'), industry = f.get('industry'), status = f.get('status');
  const min = f.get('min') === '' ? null : Number(f.get('min'));
  const shown = rows.filter(r =>
    (!q || [r['First Name'], r['Last Name'], r['Company'], r['Email']].join(' ').toLowerCase().includes(q))
    && (!tier || (tier === 'unqualified' ? !r['Lead Tier'] : r['Lead Tier'].toLowerCase() === tier))
    && (min === null || (r['Lead Score'] !== '' && Number(r['Lead Score']) >= min))
    && (!industry || r['Industry'] === industry)
    && (!status || (['pending', 'approved', 'rejected'].includes(status) ? r['Draft Status'] === status
      : (status === 'drafted') === !!r['Outreach Subject'])));
  const body = clear(root.querySelector('#leads-body'));
  body.append(h('p', { class: 'hint', id: 'leads-count' }, shown.length + ' of ' + rows.length + ' leads'),
    h('div', { class: 'scroll' }, table([
      { label: 'Lead', field: 'name', value: r => h('a', { href: '#/leads/' + encodeURIComponent(r.id) }, (r['First Name'] + ' ' + r['Last Name']).trim() || r['Email']) },
      { label: 'Company', field: 'company', value: r => r['Company'] },
      { label: 'Title', field: 'title', value: r => r['Job Title'] },
      { label: 'Industry', field: 'industry', value: r => r['Industry'] },
      { label: 'Score', field: 'score', num: true, value: r => val(r['Lead Score'], r['Lead Score'] || '—') },
      { label: 'Tier', field: 'tier', value: r => r['Lead Tier'] ? val(r['Lead Tier'].toLowerCase(), badge(r['Lead Tier'].toLowerCase(), 'tier-' + r['Lead Tier'].toLowerCase())) : '—' },
      { label: 'Draft status', field: 'draft_status', value: r => r['Draft Status'] ? badge(r['Draft Status'], r['Draft Status']) : '—' },
      { label: 'ICP', field: 'icp', value: r => r['ICP Fit'] || '—' },
      { label: 'Next action', field: 'next', value: r => r['Next Action'] },
      { label: 'Draft', field: 'draft', value: r => r['Outreach Subject'] || '—' },
    ], shown, r => ({ 'data-lead-id': r.id }))));
}

// ---- CSV (RFC 4180: quoted fields, doubled quotes, CRLF) ----

export function parseCsv(text) {
  const rows = [];
  let row = [], field = '', i = 0, quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      field += c; i++; continue;
    }
    if (c === '"') { quoted = true; i++; continue; }
    if (c === ',') { row.push(field); field = ''; i++; continue; }
    if (c === '\r' || c === '\n') {
      row.push(field); field = '';
      rows.push(row); row = [];
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    field += c; i++;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

function parseCsvObjects(text) {
  const [head, ...rows] = parseCsv(text);
  if (!head) return [];
  return rows.filter(r => r.length > 1).map(r => {
    const o = {};
    head.forEach((k, i) => { o[k] = unneutralise(r[i] ?? ''); });
    return o;
  });
}

// The export neutralises formula-looking cells with a leading apostrophe; the console shows the text as written.
function unneutralise(s) {
  return /^'[=+\-@]/.test(s) ? s.slice(1) : s;
}

// ---- one lead ----

const FIELDS = [['name', l => [l.first_name, l.last_name].filter(Boolean).join(' ')], ['job title', l => l.job_title],
  ['company', l => l.company], ['industry', l => l.industry], ['employees', l => l.employees === null || l.employees === undefined ? null : String(l.employees)],
  ['country', l => l.country], ['website', l => l.website], ['email', l => l.email], ['notes', l => l.notes]];

function drawLead(body, d) {
  clear(body);
  const l = d.lead;
  const q = d.qualify && d.qualify.result;
  const quotes = [];
  if (q) {
    for (const c of ['budget', 'authority', 'need', 'timeline']) if (q[c] && q[c].evidence) quotes.push({ label: c, text: q[c].evidence });
    if (q.icp_evidence) quotes.push({ label: 'icp', text: q.icp_evidence });
  }
  body.append(h('h1', null, [l.first_name, l.last_name].filter(Boolean).join(' ') || l.email, ' ',
    q ? badge(q.tier, 'tier-' + q.tier) : badge('not qualified', 'muted')));
  body.append(section('Lead', h('dl', { class: 'lead-text', id: 'lead-text' },
    FIELDS.map(([label, get]) => {
      const v = get(l);
      if (v === null || v === undefined || v === '') return null;
      return [h('dt', null, label), h('dd', { 'data-field': label }, highlight(String(v), quotes))];
    })),
    quotes.length ? h('p', { class: 'hint' }, 'Highlighted: the words the qualification quoted as evidence (hover for the criterion).') : null));
  if (q) {
    body.append(section('Qualification',
      h('p', null, 'Score ', h('strong', { id: 'lead-score', 'data-value': q.score }, String(q.score)), ' / 100 · tier ', h('strong', null, q.tier),
        q.icp_fit ? ' · ICP fit ' + q.icp_fit : '', q.tier_reason ? ' — ' + q.tier_reason : ''),
      table([
        { label: 'Criterion', field: 'criterion', value: r => r.c },
        { label: 'Score', field: 'score', num: true, value: r => val(r.score, r.score + ' / 25') },
        { label: 'Evidence', field: 'evidence', value: r => r.evidence ? h('q', null, r.evidence) : '—' },
      ], ['budget', 'authority', 'need', 'timeline'].map(c => ({ c, score: q[c].score, evidence: q[c].evidence })),
      r => ({ 'data-criterion': r.c })),
      q.icp_evidence ? h('p', null, 'ICP evidence: ', h('q', null, q.icp_evidence)) : null,
      h('ul', null, (q.reasons || []).map(r => h('li', null, r))),
      (q.disqualifiers || []).length ? h('p', { class: 'error' }, 'Disqualified: ', q.disqualifiers.map(x => x.code + (x.evidence ? ' ("' + x.evidence + '")' : '')).join('; ')) : null,
      h('p', null, 'Next action: ', q.next_action)));
  }
  const r = d.research && d.research.result;
  if (r) {
    const points = (title, list) => (list && list.length) ? [h('h3', null, title), h('ul', { class: 'points' },
      list.map(p => h('li', null, p.point, ' ', h('small', { class: 'source' }, 'source: ' + (p.source || '—')),
        p.quote ? [' ', h('q', null, p.quote)] : null)))] : null;
    body.append(section('Research brief', h('p', null, r.summary),
      points('Likely pains', r.likely_pains), points('Buying triggers', r.buying_triggers), points('Talking points', r.talking_points)));
  }
  const o = d.outreach && d.outreach.result;
  if (o) {
    body.append(section('Draft', h('p', null, h('strong', null, 'Subject: '), h('span', { id: 'draft-subject' }, o.subject)),
      h('pre', { class: 'draft', id: 'draft-body' }, o.body),
      o.call_to_action ? h('p', null, 'Call to action: ', o.call_to_action) : null,
      (o.personalisation_points || []).length ? h('ul', null, o.personalisation_points.map(p => h('li', null, p.detail, ' ', h('q', null, p.evidence)))) : null,
      h('p', null, h('a', { href: '#/review' }, 'Review queue →'))));
  }
  const steps = ['parse', 'qualify', 'research', 'outreach'].map(s => d[s]).filter(Boolean);
  body.append(section('Steps and their cost', table([
    { label: 'Step', field: 'step', value: s => s.step },
    { label: 'Status', field: 'status', value: s => badge(s.status, s.status === 'done' ? 'healthy' : 'down') },
    { label: 'Provider / model', field: 'target', value: s => (s.provider || '—') + (s.model ? ' / ' + s.model : '') },
    { label: 'Calls', field: 'calls', num: true, value: s => val(s.calls, int(s.calls)) },
    { label: 'Cost', field: 'cost_usd', num: true, value: s => val(s.cost_usd, usd(s.cost_usd)) },
    { label: 'Latency', field: 'latency', num: true, value: s => val(s.latency_ms, ms(s.latency_ms)) },
    { label: 'Prompt', field: 'prompt', value: s => s.prompt_version || '—' },
    { label: 'At', field: 'at', value: s => when(s.at) },
    { label: 'Error', field: 'error', value: s => s.error || '' },
  ], steps, s => ({ 'data-step': s.step })),
  h('p', null, 'Total ', h('strong', { id: 'lead-cost', 'data-value': steps.reduce((a, s) => a + Number(s.cost_usd || 0), 0) },
    usd(steps.reduce((a, s) => a + Number(s.cost_usd || 0), 0))))));
}

/**
 * The text with every quote found in it wrapped in <mark> — matched as the server's grounding check matches
 * (agent/lead/Evidence): case-insensitive, whitespace runs and quote styles folded, outer quote marks and a final
 * full stop dropped, a "field: " label prefix allowed.
 */
export function highlight(text, quotes) {
  const { norm, map } = fold(text);
  const marks = [];
  for (const q of quotes) {
    for (const cand of [fold(q.text).norm, fold(q.text).norm.replace(/^(name|job title|company|industry|employees|country|website|email domain|notes): /, '')]) {
      const needle = trimQuote(cand);
      if (!needle) continue;
      let at = norm.indexOf(needle);
      let found = false;
      while (at >= 0) {
        marks.push({ start: map[at], end: map[at + needle.length - 1] + 1, label: q.label });
        found = true;
        at = norm.indexOf(needle, at + needle.length);
      }
      if (found) break;
    }
  }
  marks.sort((a, b) => a.start - b.start || b.end - a.end);
  const out = [];
  let pos = 0;
  for (const m of marks) {
    if (m.start < pos) continue; // overlapping quotes: the first wins
    out.push(text.slice(pos, m.start));
    out.push(h('mark', { title: m.label, 'data-criterion': m.label }, text.slice(m.start, m.end)));
    pos = m.end;
  }
  out.push(text.slice(pos));
  return out;
}

function fold(s) {
  let norm = '';
  const map = [];
  let space = false;
  for (let i = 0; i < s.length; i++) {
    let c = s[i].toLowerCase();
    if (c === '\u201c' || c === '\u201d') c = '"';
    if (c === '\u2018' || c === '\u2019') c = '\'';
    if (c === '\u2013' || c === '\u2014') c = '-';
    if (/\s/.test(c)) {
      if (space || norm.length === 0) continue;
      space = true;
      norm += ' ';
      map.push(i);
      continue;
    }
    space = false;
    norm += c;
    map.push(i);
  }
  return { norm: norm.replace(/ $/, ''), map };
}

function trimQuote(t) {
  t = t.trim();
  while (t.length > 1 && (t.startsWith('"') || t.startsWith('\''))) t = t.slice(1).trim();
  while (t.length > 1 && /["'.…]$/.test(t)) t = t.slice(0, -1).trim();
  return t;
}
