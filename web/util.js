// Small helpers shared by the pages: DOM building (text only, never HTML strings), formatting.

/** h('a', {href: '/x', class: 'y', onclick: fn}, 'text', child) — children are text or nodes. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

export function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }

/** 0:42, 12:03, 1:02:03 */
export function fmtClock(ms) {
  if (!Number.isFinite(ms) || ms < 0) ms = 0;
  const s = Math.floor(ms / 1000), hh = Math.floor(s / 3600), mm = Math.floor((s % 3600) / 60), ss = s % 60;
  const pad = (n) => String(n).padStart(2, '0');
  return hh ? `${hh}:${pad(mm)}:${pad(ss)}` : `${mm}:${pad(ss)}`;
}

/** "1 h 5 min", "42 min", "" when unknown */
export function fmtDuration(ms) {
  if (!ms || ms <= 0) return '';
  const min = Math.round(ms / 60000);
  if (min < 1) return `${Math.round(ms / 1000)} s`;
  const hh = Math.floor(min / 60), mm = min % 60;
  return hh ? (mm ? `${hh} h ${mm} min` : `${hh} h`) : `${mm} min`;
}

export function fmtDate(ms) {
  if (!ms) return '';
  const d = new Date(ms);
  const sameYear = d.getFullYear() === new Date().getFullYear();
  return d.toLocaleDateString(undefined, sameYear ? { day: 'numeric', month: 'short' } : { day: 'numeric', month: 'short', year: 'numeric' });
}

export function fmtWhen(ms) {
  if (!ms) return 'never';
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Artwork <img> or a lettered tile when the feed has none / it fails to load. */
export function artwork(url, title, cls = '') {
  const fallback = () => h('span', { class: `art-fallback ${cls}`, 'aria-hidden': 'true' }, (title || '?').trim().charAt(0).toUpperCase());
  if (!url) return fallback();
  const img = h('img', { src: url, alt: '', loading: 'lazy', class: cls, referrerpolicy: 'no-referrer' });
  // The error can come before the page is on screen (built, then awaiting data): replace
  // the image wherever it sits, attached or not.
  img.addEventListener('error', () => { if (img.parentNode) img.replaceWith(fallback()); }, { once: true });
  return img;
}
