// Snips in the browser: "save this moment" from the snip button, the S key and the
// headphones / lock screen (Media Session next-track, and previous-track when chosen), a
// short confirmation sound and a toast with Undo; the live list of the user's snips kept
// fresh by server-sent events (GET /api/events), so a language-model rewrite replaces the
// extractive text without a reload; and the snip card the pages show, with its share and
// export menu (copy the share link, X, WhatsApp, the Web Share sheet, the episode's
// Markdown note, the audio clip, JSON).
import { api, toast, showError } from './api.js';
import { h, clear, fmtClock } from './util.js';
import * as player from './player.js';
import { menuButton } from './menu.js';
import { sendItems } from './exports.js';

const snips = new Map();        // id → snip, as last seen
const listeners = new Set();    // fn(snip, {deleted}) on any change
let events = null;

export function onSnipChange(fn) { listeners.add(fn); return () => listeners.delete(fn); }
function changed(snip, opts = {}) {
  if (opts.deleted) snips.delete(snip.id);
  else {
    const old = snips.get(snip.id);
    // The event stream carries no episode card; keep the one we have.
    snips.set(snip.id, { ...old, ...snip, episode: snip.episode || (old && old.episode) });
  }
  for (const fn of listeners) { try { fn(snips.get(snip.id) || snip, opts); } catch { /* a page's problem */ } }
  player.redrawMarks();
}

// ---------- the confirmation sound (Web Audio, no file) ----------
let audioCtx = null;
export function chime() {
  try {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    audioCtx = audioCtx || new Ctx();
    if (audioCtx.state === 'suspended') audioCtx.resume().catch(() => {});
    const t = audioCtx.currentTime;
    for (const [i, freq] of [[0, 880], [1, 1318.5]]) {
      const osc = audioCtx.createOscillator(), gain = audioCtx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      const start = t + i * 0.09;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.18, start + 0.015);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.12);
      osc.connect(gain).connect(audioCtx.destination);
      osc.start(start); osc.stop(start + 0.13);
    }
  } catch { /* sound is a nicety */ }
}

// ---------- saving ----------
let saving = false;
/** Saves a snip of what is playing: at the current moment, or the range given. */
export async function snipNow(range = null) {
  const episodeId = player.currentEpisodeId();
  if (!episodeId) { toast('Play an episode first, then snip the moment you like.'); return null; }
  if (saving) return null;
  saving = true;
  const body = range ? { episode_id: episodeId, start_ms: range.start_ms, end_ms: range.end_ms } : { episode_id: episodeId, at_ms: player.currentTimeMs() };
  const btn = document.getElementById('p-snip');
  if (btn) btn.classList.add('busy');
  try {
    const snip = await api('/api/snips', { json: body });
    chime();
    changed(snip);
    toast(`Saved · ${snip.title}`, { action: { label: 'Undo', run: () => removeSnip(snip, { quiet: true }) }, timeout: 6000 });
    return snip;
  } catch (e) {
    if (e.status === 404 && /transcript/.test(e.detail || '')) toast('This episode has no transcript yet, so there is nothing to snip. “Make transcript” on its page creates one.', { kind: 'error' });
    else showError(e);
    return null;
  } finally {
    saving = false;
    if (btn) btn.classList.remove('busy');
  }
}

export async function removeSnip(snip, { quiet = false } = {}) {
  try {
    await api(`/api/snips/${snip.id}`, { method: 'DELETE' });
    changed(snip, { deleted: true });
    toast(quiet ? 'Snip removed.' : `Deleted “${snip.title}”.`);
  } catch (e) { showError(e); }
}

export async function listSnips(episodeId = null) {
  const r = await api(episodeId ? `/api/snips?episode_id=${episodeId}` : '/api/snips');
  for (const s of r.snips || []) snips.set(s.id, s);
  player.redrawMarks();
  return r.snips || [];
}

// ---------- live updates ----------
export function connectEvents() {
  if (events || !('EventSource' in window)) return;
  events = new EventSource('/api/events');
  events.addEventListener('snip', (e) => {
    try {
      const snip = JSON.parse(e.data);
      const old = snips.get(snip.id);
      if (old && old.updated_at >= snip.updated_at) return;
      changed(snip);
    } catch { /* a malformed event is skipped */ }
  });
  events.addEventListener('error', () => {
    // The browser reconnects by itself after a normal end; when the server refused (503,
    // 401) it gives up: try again later.
    if (events && events.readyState === EventSource.CLOSED) {
      events = null;
      setTimeout(connectEvents, 30000);
    }
  });
}
export function stopEvents() { if (events) { events.close(); events = null; } }

// ---------- setup ----------
export function prevTrackSnips() { try { return localStorage.getItem('hark.prevSnips') === '1'; } catch { return false; } }
export function setPrevTrackSnips(on) { try { localStorage.setItem('hark.prevSnips', on ? '1' : '0'); } catch { /* ignore */ } }

export function initSnips() {
  const btn = document.getElementById('p-snip');
  btn.addEventListener('click', () => snipNow());
  player.setSnipMarks((episodeId) => [...snips.values()].filter((s) => s.episode_id === episodeId));
  player.setSnipHandler({
    snip: () => snipNow(),
    previous: () => (prevTrackSnips() ? snipNow() : player.skip(-15)),
  });
}

// ---------- the card ----------
/** A snip card: title, time range (tap to hear), summary, takeaways, quote, note, menu. */
export function snipCard(snip, { onPlay, showEpisode = false } = {}) {
  const card = h('article', { class: 'snip-card', dataset: { snip: String(snip.id) }, 'aria-label': snip.title });
  const fill = (s) => {
    const ep = s.episode || {};
    const noteBox = h('textarea', { class: 'snip-note', rows: '2', placeholder: 'Add a note…', 'aria-label': `Your note on ${s.title}` });
    noteBox.value = s.note || '';
    let savedNote = s.note || '';
    noteBox.addEventListener('blur', async () => {
      if (noteBox.value === savedNote) return;
      try { const u = await api(`/api/snips/${s.id}`, { method: 'PATCH', json: { note: noteBox.value } }); savedNote = u.note; changed(u); toast('Note saved.'); }
      catch (e) { showError(e); }
    });
    const menu = menuButton({
      label: `Share or export “${s.title}”`, className: 'snip-menu',
      heading: () => ({ kicker: 'Share or export', title: (snips.get(s.id) || s).title }),
      content: [svgIcon('M18 16a3 3 0 0 0-2.4 1.2l-6.7-3.4a3 3 0 0 0 0-1.6l6.7-3.4A3 3 0 1 0 15 7l-6.7 3.4a3 3 0 1 0 0 3.2L15 17a3 3 0 1 0 3-1z'), h('span', {}, 'Share')],
      items: () => {
        const cur = snips.get(s.id) || s;
        return [
          { label: 'Copy share link', onSelect: () => copyShareLink(cur) },
          navigator.share ? { label: 'Share…', onSelect: () => nativeShare(cur) } : null,
          { label: 'Share on X', onSelect: () => openIntent(cur, 'twitter_url') },
          { label: 'Share on WhatsApp', onSelect: () => openIntent(cur, 'whatsapp_url') },
          cur.share_url ? { label: 'Open share page', href: cur.share_url, newTab: true } : null,
          cur.share_url ? { label: 'Stop sharing', onSelect: () => unshareSnip(cur) } : null,
          { separator: true },
          { label: 'Download Markdown note', href: `/api/episodes/${cur.episode_id}/markdown`, download: '' },
          { label: 'Download audio clip', onSelect: () => downloadClip(cur) },
          { label: 'Export (JSON)', href: `/api/snips/${cur.id}`, download: `snip-${cur.id}.json` },
          ...sendItems(cur),
          { separator: true },
          { label: 'Rename', onSelect: () => editTitle(cur) },
          { label: 'Delete', danger: true, onSelect: () => { if (confirm(`Delete “${cur.title}”?`)) removeSnip(cur); } },
        ];
      },
    });
    const time = h('button', { type: 'button', class: 'snip-time', 'aria-label': `Play from ${fmtClock(s.start_ms)} to ${fmtClock(s.end_ms)}`, onclick: () => onPlay && onPlay(s) },
      `▶ ${fmtClock(s.start_ms)}–${fmtClock(s.end_ms)}`);
    clear(card).append(
      h('header', {}, h('h3', { class: 'snip-title' }, s.title), menu),
      h('p', { class: 'snip-meta' }, time,
        showEpisode && ep.title ? h('a', { href: `/episodes/${s.episode_id}` }, ep.title) : null,
        s.engine && s.engine !== 'extractive' ? h('span', { class: 'badge' }, 'AI') : null),
      s.summary ? h('p', { class: 'snip-summary' }, s.summary) : null,
      (s.takeaways || []).length ? h('ul', { class: 'snip-takeaways' }, s.takeaways.map((t) => h('li', {}, t))) : null,
      s.quote ? h('blockquote', { class: 'snip-quote' }, h('p', {}, `“${s.quote}”`), s.quote_speaker ? h('footer', {}, `— ${s.quote_speaker}`) : null) : null,
      noteBox);
  };
  fill(snip);
  // A redraw waits while the listener types a note or has the card's menu open (a language
  // model's rewrite can land at any moment): it would take the text box or the menu away.
  const busy = () => {
    const a = document.activeElement;
    if (a && card.contains(a) && (a.tagName === 'TEXTAREA' || a.closest('[role=menu]'))) return true;
    return !!card.querySelector('.menu-btn[aria-expanded="true"]');
  };
  let waiting = 0;
  const redraw = () => {
    waiting = 0;
    if (!card.isConnected) return;
    if (busy()) { waiting = setTimeout(redraw, 400); return; }
    const latest = snips.get(snip.id);
    if (!latest || latest === snip) return;
    // Keep the focus on the card's menu button when the card is redrawn (e.g. just shared).
    const menuHadFocus = document.activeElement && document.activeElement.classList.contains('menu-btn') && card.contains(document.activeElement);
    snip = latest; fill(latest);
    if (menuHadFocus) card.querySelector('.menu-btn').focus();
    card.classList.add('updated');
    setTimeout(() => card.classList.remove('updated'), 1500);
  };
  const off = onSnipChange((s, { deleted }) => {
    if (s.id !== snip.id) return;
    if (!card.isConnected) { off(); return; }
    if (deleted) { clearTimeout(waiting); card.remove(); off(); return; }
    if (!waiting) redraw();
  });
  return card;
}

/** An inline SVG icon (built in the SVG namespace; decorative). */
function svgIcon(d) {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'ico');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(NS, 'path');
  path.setAttribute('d', d);
  svg.appendChild(path);
  return svg;
}

/** Gives the snip its public share page (POST is idempotent: a shared snip keeps its link). */
async function ensureShared(s) {
  const r = await api(`/api/snips/${s.id}/share`, { method: 'POST' });
  changed(r);
  return { snip: r, url: r.share_url_absolute || new URL(r.share_url, location.origin).href };
}

async function copyShareLink(s) {
  try {
    const { url } = await ensureShared(s);
    let copied = false;
    try { await navigator.clipboard.writeText(url); copied = true; } catch { /* no clipboard permission */ }
    // The address is on the clipboard: the toast just says so, in one short line.
    if (copied) toast('Link copied', { timeout: 4000 });
    else toast(`Share link (copy it from here): ${url}`, { timeout: 10000 });
  } catch (e) { showError(e); }
}

async function nativeShare(s) {
  try {
    const { snip, url } = await ensureShared(s);
    await navigator.share({ title: snip.title, text: snip.summary || snip.title, url });
  } catch (e) { if (e.name !== 'AbortError') showError(e); }
}

/** Opens X's or WhatsApp's composer in a new tab with the snip's title, summary and link. */
async function openIntent(s, which) {
  try {
    await ensureShared(s);
    const r = await api(`/api/snips/${s.id}/share-intents`);
    const url = r[which];
    if (!url || !/^https:\/\//.test(url)) throw new Error('The server gave no share address.');
    window.open(url, '_blank', 'noopener,noreferrer');
  } catch (e) { showError(e); }
}

/** The snip's range as an audio file (GET /api/snips/{id}/clip): fetched first, so a
 *  failure (busy, audio unavailable) is told in words instead of a broken download. */
async function downloadClip(s) {
  const dismiss = toast('Making the audio clip…', { timeout: 120000 });
  try {
    const res = await fetch(`/api/snips/${s.id}/clip`, { credentials: 'same-origin' });
    if (!res.ok) {
      let detail = '';
      try { detail = (await res.json()).error.message || ''; } catch { /* not JSON */ }
      const retry = Number(res.headers.get('Retry-After')) || 0;
      throw new Error(res.status === 503 ? `hark is busy making other clips. Try again${retry ? ` in ${retry} seconds` : ' in a moment'}.`
        : `The clip could not be made${detail ? `: ${detail}` : ` (the server answered ${res.status})`}.`);
    }
    const blob = await res.blob();
    const m = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '');
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: m ? m[1] : `snip-${s.id}.m4a`, hidden: true });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  } catch (e) { showError(e); } finally { dismiss(); }
}

async function unshareSnip(s) {
  try { changed(await api(`/api/snips/${s.id}/share`, { method: 'DELETE' })); toast('The share link no longer works.'); }
  catch (e) { showError(e); }
}

async function editTitle(s) {
  const title = prompt('Snip title', s.title);
  if (title === null || title.trim() === '' || title === s.title) return;
  try { changed(await api(`/api/snips/${s.id}`, { method: 'PATCH', json: { title: title.trim() } })); } catch (e) { showError(e); }
}

// ---------- the Snips page: your snips in other apps ----------
/** A panel with the address of the user's snips RSS feed (copy it; replace it if it leaked). */
export function snipsFeedPanel() {
  const field = h('input', { type: 'text', id: 'snips-feed-url', readonly: true, spellcheck: 'false' });
  const err = h('p', { class: 'error-text', role: 'alert' });
  const show = (r) => { field.value = new URL(r.url, location.origin).href; };
  const copy = h('button', { type: 'button', class: 'btn' }, 'Copy');
  copy.addEventListener('click', async () => {
    try { await navigator.clipboard.writeText(field.value); toast('Feed address copied.'); }
    catch { field.select(); toast('Press Ctrl+C (or ⌘C) to copy the selected address.'); }
  });
  const rotate = h('button', { type: 'button', class: 'btn' }, 'New address');
  rotate.addEventListener('click', async () => {
    if (!confirm('Make a new feed address? Apps following the old one stop getting your snips until you give them the new one.')) return;
    try { show(await api('/api/feeds/snips/rotate', { method: 'POST' })); toast('New feed address made; the old one no longer works.'); }
    catch (e) { showError(e); }
  });
  const box = h('div', { class: 'feed-box', hidden: true },
    h('label', { for: 'snips-feed-url' }, 'RSS feed address'),
    h('div', { class: 'form-row' }, field, copy, rotate));
  const panel = h('details', { class: 'panel snips-export' },
    h('summary', {}, h('h2', {}, 'Your snips in other apps')),
    h('h3', {}, 'Download all your snips'),
    h('p', {}, 'As one Markdown document (each episode’s note with its snips, for Obsidian and other notes apps) or as a JSON backup of your library that ',
      h('code', {}, 'hark import json'), ' reads back.'),
    h('div', { class: 'form-row' },
      h('a', { class: 'btn', href: '/api/exports/markdown', download: 'hark-snips.md' }, 'Markdown'),
      h('a', { class: 'btn', href: '/api/exports/json', download: 'hark-library.json' }, 'JSON backup')),
    h('h3', {}, 'RSS feed'),
    h('p', {}, 'Podcast apps and feed readers can follow your snips as an RSS feed. Anyone with the address can read it, so keep it to yourself; a new address turns the old one off. Each card’s Share menu also downloads the episode’s Markdown note.'),
    err, box);
  panel.addEventListener('toggle', async () => {
    if (!panel.open || field.value) return;
    try { show(await api('/api/feeds/snips')); box.hidden = false; err.textContent = ''; }
    catch (e) { err.textContent = `The feed address could not be loaded: ${e.message}`; }
  });
  return panel;
}
