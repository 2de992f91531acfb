// The fetch wrapper: JSON in and out, the CSRF token on every change, errors in words.
import { h } from './util.js';

let csrfToken = null;
export function setCsrf(token) { csrfToken = token || null; }

export class ApiError extends Error {
  constructor(status, code, message, retryAfter, detail) {
    super(message);
    this.detail = detail || message; // the server's own words, without our framing
    this.status = status; this.code = code; this.retryAfter = retryAfter;
  }
}

const WORDS = {
  unauthorized: 'Please sign in again.',
  csrf: 'Your session is out of date. Reload the page and try again.',
  forbidden: 'That is not allowed.',
  not_found: 'That could not be found — it may have been removed.',
  payload_too_large: 'That file is too large (OPML files can be up to 5 MB).',
  unsupported_media_type: 'The server did not accept that kind of file.',
  internal: 'Something went wrong on the server. Try again in a moment.',
  unavailable: 'The server is busy or a service it needs is unreachable. Try again in a moment.',
};

/** api('/api/x', {method, json, body, contentType}) → parsed JSON (or null for 204). */
export async function api(path, opts = {}) {
  const method = opts.method || (opts.json !== undefined || opts.body !== undefined ? 'POST' : 'GET');
  const headers = { Accept: 'application/json' };
  let body;
  if (opts.json !== undefined) { headers['Content-Type'] = 'application/json'; body = JSON.stringify(opts.json); }
  else if (opts.body !== undefined) { headers['Content-Type'] = opts.contentType || 'application/octet-stream'; body = opts.body; }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(path, { method, headers, body, credentials: 'same-origin', keepalive: !!opts.keepalive, signal: opts.signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'Can’t reach the hark server. Check your connection and try again.');
  }
  if (res.status === 204) return null;
  let data = null;
  const type = res.headers.get('Content-Type') || '';
  if (type.includes('json')) { try { data = await res.json(); } catch { data = null; } }
  if (!res.ok) {
    const err = (data && data.error) || {};
    const code = err.code || `http_${res.status}`;
    const retry = Number(res.headers.get('Retry-After')) || 0;
    let msg = err.message || WORDS[code] || `The server answered ${res.status}.`;
    if (code === 'rate_limited') msg = `Too many attempts. Try again${retry ? ` in ${retry} seconds` : ' in a minute'}.`;
    else if (code === 'csrf') msg = WORDS.csrf;
    else if (code === 'internal' || code === 'unavailable') msg = WORDS[code] + (err.message ? ` (${err.message})` : '');
    const e = new ApiError(res.status, code, msg, retry, err.message);
    if (res.status === 401 && !opts.allow401) document.dispatchEvent(new CustomEvent('hark:unauthorized'));
    throw e;
  }
  return data;
}

/** A toast; kind 'error' for failures. Returns a function that dismisses it. */
export function toast(message, { kind = 'info', action, timeout } = {}) {
  const box = document.getElementById('toasts');
  const el = h('div', { class: `toast ${kind === 'error' ? 'error' : ''}`, role: kind === 'error' ? 'alert' : null }, h('span', {}, message));
  const close = () => el.remove();
  if (action) el.appendChild(h('button', { type: 'button', onclick: () => { close(); action.run(); } }, action.label));
  el.appendChild(h('button', { type: 'button', 'aria-label': 'Dismiss', onclick: close }, '✕'));
  box.appendChild(el);
  while (box.children.length > 3) box.firstChild.remove();
  setTimeout(close, timeout || (kind === 'error' ? 8000 : 4000));
  return close;
}

export function showError(e) {
  if (e && e.name === 'AbortError') return;
  if (e && e.code === 'unauthorized') return; // the router shows the sign-in page
  toast(e && e.message ? e.message : String(e), { kind: 'error' });
}
