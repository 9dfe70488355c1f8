// The one way the console talks to the server: the ordinary API, with the signed-in key as a bearer header. The key
// lives in this tab's sessionStorage (never a cookie, never a URL).

const STORE = 'sales-agent.console.key';

export function key() {
  return sessionStorage.getItem(STORE);
}

export function setKey(k) {
  if (k) sessionStorage.setItem(STORE, k); else sessionStorage.removeItem(STORE);
}

export class ApiError extends Error {
  constructor(status, body) {
    const e = body && body.error ? body.error : null;
    super(e && e.message ? e.message : 'HTTP ' + status);
    this.status = status;
    this.code = e ? e.code : null;
    this.param = e ? e.param : null;
    this.body = body;
  }
}

/** GET/POST/… a JSON endpoint; resolves with the parsed body, rejects with ApiError. */
export async function api(path, opts = {}) {
  const headers = { accept: 'application/json' };
  const k = key();
  if (k) headers.authorization = 'Bearer ' + k;
  let body;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  }
  const resp = await fetch(path, { method: opts.method || 'GET', headers, body, cache: 'no-store', credentials: 'omit' });
  const type = resp.headers.get('content-type') || '';
  let data = null;
  if (resp.status !== 204) data = type.includes('json') ? await resp.json() : await resp.text();
  if (!resp.ok) throw new ApiError(resp.status, typeof data === 'object' ? data : null);
  return data;
}

/** Builds a query string from the non-empty entries of obj. */
export function qs(obj) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(obj)) if (v !== null && v !== undefined && v !== '') p.set(k, v);
  const s = p.toString();
  return s ? '?' + s : '';
}
