// The console shell: sign-in, navigation (the URL's hash names the view: #/providers, #/leads/L-…), and live refresh
// of the visible view only, at most one request per refresh, never two at once.
import { api, key, setKey, ApiError } from './api.js';
import { h, clear } from './dom.js';
import providers from './views/providers.js';
import traffic from './views/traffic.js';
import requests from './views/requests.js';
import keys from './views/keys.js';
import runs from './views/runs.js';
import leads from './views/leads.js';
import review from './views/review.js';

const VIEWS = [providers, traffic, requests, keys, runs, leads, review];
const $ = id => document.getElementById(id);

const ctx = {
  admin: false,
  keyId: null,
  navigate(hash) { location.hash = hash; },
  status(text, isError) {
    const s = $('status');
    s.textContent = text || '';
    s.classList.toggle('error', !!isError);
  },
};

let current = null;   // {view, params, root}
let timer = null;
let generation = 0;   // bumps on every navigation: a late answer for an old view is dropped

async function signIn(k) {
  setKey(k);
  try {
    await api('/v1/admin/keys');
    ctx.admin = true;
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) ctx.admin = false;
    else { setKey(null); throw e; }
  }
  ctx.keyId = null;
  if (!ctx.admin) {
    try {
      const u = await api('/v1/usage?group_by=key');
      ctx.keyId = u.data.length ? u.data[0].key : null;
    } catch (e) { /* usage needs a database; the views say so themselves */ }
  }
  showShell();
}

function showShell() {
  $('signin').hidden = true;
  $('view').hidden = false;
  $('signout').hidden = false;
  $('who').textContent = ctx.admin ? 'admin key' : 'client key' + (ctx.keyId ? ' ' + ctx.keyId : '');
  $('who').dataset.scope = ctx.admin ? 'admin' : 'client';
  const nav = clear($('nav'));
  nav.hidden = false;
  for (const v of visibleViews()) {
    nav.appendChild(h('a', { href: '#/' + v.id, 'data-view': v.id }, v.title));
  }
  route();
}

function visibleViews() {
  return VIEWS.filter(v => ctx.admin || !v.admin);
}

function signOut() {
  setKey(null);
  stopTimer();
  current = null;
  generation++;
  $('signin').hidden = false;
  $('view').hidden = true;
  $('nav').hidden = true;
  $('signout').hidden = true;
  $('who').textContent = '';
  clear($('view'));
  $('key').value = '';
  $('key').focus();
}

function stopTimer() {
  if (timer) clearTimeout(timer);
  timer = null;
}

function route() {
  if (!key()) return;
  const parts = (location.hash || '').replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const views = visibleViews();
  const view = views.find(v => v.id === parts[0]) || views[0];
  const params = parts.slice(1);
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.view === view.id) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  stopTimer();
  const gen = ++generation;
  const root = clear($('view'));
  root.dataset.view = view.id;
  root.dataset.state = 'loading';
  document.title = view.title + ' · Sales Agent console';
  current = { view, params, root, gen };
  ctx.status('');
  Promise.resolve(view.render(root, ctx, params)).then(() => refresh(gen), e => fail(gen, e));
}

async function refresh(gen) {
  if (!current || current.gen !== gen) return;
  const { view, root, params } = current;
  try {
    if (view.refresh) await view.refresh(root, ctx, params);
    if (current.gen !== gen) return;
    root.dataset.state = 'ready';
    ctx.status('updated ' + new Date().toLocaleTimeString());
  } catch (e) {
    fail(gen, e);
  }
  schedule(gen);
}

function schedule(gen) {
  if (!current || current.gen !== gen) return;
  const every = current.view.pollMs;
  if (!every || !current.view.refresh || (current.params.length && !current.view.pollDetail)) return;
  timer = setTimeout(() => {
    if (document.hidden) schedule(gen); else refresh(gen);
  }, every);
}

function fail(gen, e) {
  if (!current || current.gen !== gen) return;
  if (e instanceof ApiError && e.status === 401) { signOut(); $('signin-error').textContent = e.message; return; }
  current.root.dataset.state = 'error';
  ctx.status(e.message || String(e), true);
}

$('signin').addEventListener('submit', ev => {
  ev.preventDefault();
  const k = $('key').value.trim();
  $('signin-error').textContent = '';
  signIn(k).catch(e => { $('signin-error').textContent = e.message || String(e); });
});
$('signout').addEventListener('click', signOut);
window.addEventListener('hashchange', route);
// a view that wants its figures now (after an action) asks for a refresh out of turn
ctx.refreshNow = () => { if (current) { stopTimer(); refresh(current.gen); } };

if (key()) signIn(key()).catch(() => signOut()); else $('key').focus();
