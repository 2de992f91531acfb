// The docked player: one <audio>, position saved to the server, chapters, Media Session.
import { api, showError } from './api.js';
import { fmtClock, clear, h } from './util.js';

const $ = (id) => document.getElementById(id);
const audio = () => $('audio');
const SAVE_EVERY_MS = 10000;

const state = { episode: null, chapters: [], lastSaved: 0, seeking: false, pendingStart: 0 };
const listeners = new Set();

export function onTime(fn) { listeners.add(fn); return () => listeners.delete(fn); }
let snipHandler = null; // {snip, previous} from snips.js
export function setSnipHandler(handler) { snipHandler = handler; }
let snipMarks = () => []; // fn(episodeId) → [{start_ms, title}] from snips.js
export function setSnipMarks(fn) { snipMarks = fn; }
export function redrawMarks() { drawMarks(); }
export function currentEpisodeId() { return state.episode ? state.episode.id : null; }
export function currentTimeMs() { return Math.round((audio().currentTime || 0) * 1000); }
export function isPlaying() { return !audio().paused; }

function durationMs() {
  const d = audio().duration;
  if (Number.isFinite(d) && d > 0) return Math.round(d * 1000);
  return state.episode && state.episode.duration_ms ? state.episode.duration_ms : 0;
}

/** Open an episode (an Episode or EpisodeDetail object). startMs overrides the saved position. */
export async function load(episode, { autoplay = false, startMs = null } = {}) {
  const a = audio();
  if (state.episode && state.episode.id === episode.id) {
    if (startMs !== null) seekTo(startMs);
    if (autoplay) play();
    return;
  }
  if (state.episode) { savePosition(); a.pause(); }
  state.episode = episode;
  state.wantPlay = false;
  state.chapters = [];
  const saved = episode.position && !episode.position.played ? episode.position.position_ms : (episode.state === 'in_progress' ? episode.position_ms : 0);
  state.pendingStart = startMs !== null ? startMs : (saved || 0);
  a.src = episode.audio_url || `/api/episodes/${episode.id}/audio`;
  a.playbackRate = Number($('p-speed').value) || 1;
  try { localStorage.setItem('hark.last', String(episode.id)); } catch { /* private mode */ }
  $('player').hidden = false;
  const pod = episode.podcast || {};
  $('p-title').textContent = episode.title || 'Untitled episode';
  $('p-title').setAttribute('href', `/episodes/${episode.id}`);
  $('p-sub').textContent = pod.title || '';
  const art = episode.image_url || pod.image_url || '';
  $('p-art').src = art || '/icons/icon-192.png';
  updateTime();
  setMediaSession();
  if (autoplay) play();
  try {
    const r = await api(`/api/episodes/${episode.id}/chapters`);
    if (state.episode && state.episode.id === episode.id) { state.chapters = r.chapters || []; drawMarks(); }
  } catch { /* chapters are optional */ }
}

const UNPLAYABLE = 'This episode can’t be played yet: its audio isn’t downloaded and the publisher’s address is unreachable or not secure (https).';
let lastErrorAt = 0;
function audioError(msg) { if (Date.now() - lastErrorAt > 3000) { lastErrorAt = Date.now(); showError(new Error(msg)); } }
export function play() {
  state.wantPlay = true;
  audio().play().catch((e) => {
    if (e.name === 'AbortError' || e.name === 'NotAllowedError') return; // a newer load, or the browser wants a tap first
    audioError(e.name === 'NotSupportedError' ? UNPLAYABLE : `This episode could not be played (${e.message || e.name}).`);
  });
}
export function toggle() { if (!state.episode) return; if (audio().paused) play(); else audio().pause(); }
export function seekTo(ms) {
  const a = audio();
  const max = durationMs();
  ms = Math.max(0, max ? Math.min(ms, max - 250) : ms);
  if (a.readyState < 1) { state.pendingStart = ms; return; }
  a.currentTime = ms / 1000;
  updateTime();
}
export function skip(seconds) { if (state.episode) seekTo(currentTimeMs() + seconds * 1000); }

export function chapters() { return state.chapters; }
export function chapterIndexAt(ms) {
  let idx = -1;
  state.chapters.forEach((c, i) => { if (c.start_ms <= ms) idx = i; });
  return idx;
}
export function nextChapter() {
  const i = chapterIndexAt(currentTimeMs());
  const c = state.chapters[i + 1];
  if (c) seekTo(c.start_ms);
}
export function prevChapter() {
  const now = currentTimeMs();
  const i = chapterIndexAt(now);
  if (i < 0) return seekTo(0);
  // Within the first 3 s of a chapter, go to the one before (like a CD player).
  const target = now - state.chapters[i].start_ms < 3000 && i > 0 ? state.chapters[i - 1] : state.chapters[i];
  seekTo(target.start_ms);
}

export function savePosition({ keepalive = false } = {}) {
  const ep = state.episode;
  // Before the audio's metadata is in, currentTime is 0 and means nothing: don't overwrite.
  if (!ep || audio().readyState < 1) return;
  const pos = currentTimeMs();
  const dur = durationMs();
  const played = dur > 0 && pos >= dur - 15000 && audio().ended;
  state.lastSaved = Date.now();
  api(`/api/episodes/${ep.id}/position`, { method: 'PUT', json: { position_ms: pos, duration_ms: dur || null, played }, keepalive })
    .catch(() => { /* a missed save is not worth a toast; the next one will try again */ });
}

function drawMarks() {
  const marks = clear($('p-marks'));
  const dur = durationMs();
  if (!dur) return;
  for (const c of state.chapters) {
    if (c.start_ms <= 0) continue;
    const m = h('span', { class: 'chapter-mark', title: c.title });
    m.style.left = `${(c.start_ms / dur) * 100}%`; // CSSOM, allowed by the CSP
    marks.appendChild(m);
  }
  for (const s of state.episode ? snipMarks(state.episode.id) : []) {
    const m = h('span', { class: 'snip-mark', title: s.title });
    m.style.left = `${Math.min(100, (s.start_ms / dur) * 100)}%`;
    marks.appendChild(m);
  }
}

function updateTime() {
  const pos = currentTimeMs(), dur = durationMs();
  $('p-cur').textContent = fmtClock(pos);
  $('p-dur').textContent = dur ? fmtClock(dur) : '–:––';
  const seek = $('p-seek');
  if (!state.seeking) seek.value = dur ? String(Math.round((pos / dur) * 1000)) : '0';
  seek.setAttribute('aria-valuetext', `${fmtClock(pos)} of ${dur ? fmtClock(dur) : 'unknown'}`);
  for (const fn of listeners) fn(pos);
  if ('mediaSession' in navigator && dur && navigator.mediaSession.setPositionState) {
    try { navigator.mediaSession.setPositionState({ duration: dur / 1000, position: Math.min(pos, dur) / 1000, playbackRate: audio().playbackRate }); } catch { /* ignore */ }
  }
}

function setPlayingUi() {
  const playing = !audio().paused;
  const b = $('p-play');
  b.classList.toggle('playing', playing);
  b.setAttribute('aria-label', playing ? 'Pause' : 'Play');
  if ('mediaSession' in navigator) navigator.mediaSession.playbackState = playing ? 'playing' : 'paused';
}

function setMediaSession() {
  if (!('mediaSession' in navigator) || !state.episode) return;
  const ep = state.episode, pod = ep.podcast || {};
  const art = ep.image_url || pod.image_url;
  navigator.mediaSession.metadata = new MediaMetadata({
    title: ep.title || '', artist: pod.author || pod.title || '', album: pod.title || '',
    artwork: art ? [{ src: art, sizes: '512x512' }] : [{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' }],
  });
}

export function initPlayer() {
  const a = audio();
  $('p-art').addEventListener('error', () => { if (!$('p-art').src.endsWith('/icons/icon-192.png')) $('p-art').src = '/icons/icon-192.png'; });
  a.addEventListener('loadedmetadata', () => {
    if (state.pendingStart) { a.currentTime = state.pendingStart / 1000; state.pendingStart = 0; }
    drawMarks(); updateTime();
  });
  a.addEventListener('timeupdate', () => {
    updateTime();
    if (!a.paused && Date.now() - state.lastSaved > SAVE_EVERY_MS) savePosition();
  });
  a.addEventListener('play', setPlayingUi);
  a.addEventListener('pause', () => { setPlayingUi(); if (!a.ended) savePosition(); });
  a.addEventListener('ended', () => { setPlayingUi(); savePosition(); });
  a.addEventListener('error', () => {
    if (!state.episode) return;
    $('p-sub').textContent = 'Audio unavailable';
    if (!state.wantPlay) return;
    audioError(UNPLAYABLE);
  });
  $('p-play').addEventListener('click', toggle);
  $('p-back').addEventListener('click', () => skip(-15));
  $('p-fwd').addEventListener('click', () => skip(30));
  $('p-prevch').addEventListener('click', prevChapter);
  $('p-nextch').addEventListener('click', nextChapter);
  $('p-speed').addEventListener('change', (e) => {
    a.playbackRate = Number(e.target.value) || 1;
    try { localStorage.setItem('hark.speed', e.target.value); } catch { /* ignore */ }
  });
  try { const s = localStorage.getItem('hark.speed'); if (s) { $('p-speed').value = s; } } catch { /* ignore */ }
  const seek = $('p-seek');
  seek.addEventListener('input', () => {
    state.seeking = true;
    const dur = durationMs();
    $('p-cur').textContent = fmtClock((Number(seek.value) / 1000) * dur);
  });
  seek.addEventListener('change', () => {
    state.seeking = false;
    const dur = durationMs();
    if (dur) seekTo((Number(seek.value) / 1000) * dur);
  });
  window.addEventListener('pagehide', () => { if (state.episode && !a.paused) savePosition({ keepalive: true }); });
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden' && state.episode) savePosition({ keepalive: true }); });

  if ('mediaSession' in navigator) {
    const ms = navigator.mediaSession;
    const set = (action, fn) => { try { ms.setActionHandler(action, fn); } catch { /* unsupported action */ } };
    set('play', () => play());
    set('pause', () => a.pause());
    set('seekbackward', (d) => skip(-(d.seekOffset || 15)));
    set('seekforward', (d) => skip(d.seekOffset || 30));
    set('seekto', (d) => { if (d.fastSeek && 'fastSeek' in a) a.fastSeek(d.seekTime); else seekTo(d.seekTime * 1000); });
    // Headphones' next-track (and the lock screen's) saves a snip; previous-track does too
    // when the listener chose that in Settings, else it jumps back 15 s.
    set('nexttrack', () => { if (snipHandler) snipHandler.snip(); });
    set('previoustrack', () => { if (snipHandler) snipHandler.previous(); else skip(-15); });
  }

  // Keyboard: space, ←/→, J/K, S — not while typing in a field.
  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target instanceof Element ? e.target : null;
    const typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if (typing) return;
    if (e.key === '/') { e.preventDefault(); $('search-input').focus(); $('search-input').select(); return; }
    if (!state.episode) return;
    if (e.key === ' ' || e.key === 'Spacebar') {
      if (t && (t.tagName === 'BUTTON' || t.tagName === 'A' || t.getAttribute('role') === 'button')) return; // let buttons activate
      e.preventDefault(); toggle();
    } else if (e.key === 'ArrowLeft') { e.preventDefault(); skip(-15); }
    else if (e.key === 'ArrowRight') { e.preventDefault(); skip(30); }
    else if (e.key === 'j' || e.key === 'J') { prevChapter(); }
    else if (e.key === 'k' || e.key === 'K') { nextChapter(); }
    else if ((e.key === 's' || e.key === 'S') && snipHandler) { e.preventDefault(); snipHandler.snip(); }
  });
}
