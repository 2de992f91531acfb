// Snips in the browser: "save this moment" from the snip button, the S key and the
// headphones / lock screen (Media Session next-track, and previous-track when chosen), a
// short confirmation sound and a toast with Undo; the live list of the user's snips kept
// fresh by server-sent events (GET /api/events), so a language-model rewrite replaces the
// extractive text without a reload; and the snip card the pages show.
import { api, toast, showError } from './api.js';
import { h, clear, fmtClock } from './util.js';
import * as player from './player.js';

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
    const menu = h('details', { class: 'snip-menu' }, h('summary', { 'aria-label': `More for ${s.title}` }, '⋯'),
      h('div', { class: 'menu-items' },
        h('button', { type: 'button', onclick: () => shareSnip(s, menu) }, s.share_url ? 'Copy share link' : 'Share…'),
        s.share_url ? h('a', { href: s.share_url, target: '_blank', rel: 'noopener' }, 'Open share page') : null,
        s.share_url ? h('button', { type: 'button', onclick: () => unshareSnip(s) }, 'Stop sharing') : null,
        h('button', { type: 'button', onclick: () => editTitle(s) }, 'Rename'),
        h('a', { href: `/api/snips/${s.id}`, download: `snip-${s.id}.json` }, 'Export (JSON)'),
        h('button', { type: 'button', class: 'danger', onclick: () => { if (confirm(`Delete “${s.title}”?`)) removeSnip(s); } }, 'Delete')));
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
  const off = onSnipChange((s, { deleted }) => {
    if (s.id !== snip.id) return;
    if (!card.isConnected) { off(); return; }
    if (deleted) { card.remove(); off(); return; }
    if (document.activeElement && card.contains(document.activeElement) && document.activeElement.tagName === 'TEXTAREA') return; // don't disturb typing
    snip = s; fill(s);
    card.classList.add('updated');
    setTimeout(() => card.classList.remove('updated'), 1500);
  });
  return card;
}

async function shareSnip(s, menu) {
  try {
    const r = await api(`/api/snips/${s.id}/share`, { method: 'POST' });
    changed(r);
    const url = r.share_url_absolute || new URL(r.share_url, location.origin).href;
    let copied = false;
    try { await navigator.clipboard.writeText(url); copied = true; } catch { /* no clipboard permission */ }
    if (navigator.share && !copied) { try { await navigator.share({ title: r.title, url }); } catch { /* cancelled */ } }
    toast(copied ? `Link copied: ${url}` : `Share link: ${url}`, { timeout: 10000 });
    if (menu) menu.open = false;
  } catch (e) { showError(e); }
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
