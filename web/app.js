// hark web player: session, router (history.pushState) and the pages.
import { api, setCsrf, toast, showError } from './api.js';
import { h, clear, fmtClock, fmtDate, fmtDuration, fmtWhen, artwork } from './util.js';
import { sanitizeHtml } from './sanitize.js';
import { createTranscript } from './transcript.js';
import * as player from './player.js';
import * as snipsUi from './snips.js';
import { searchPage } from './search.js';
import { exportSettingsSection, loadExportTargets, forgetExportTargets } from './exports.js';

const main = document.getElementById('main');
let session = null;
let cleanup = [];     // teardown functions for the current page
let navToken = 0;     // ignore answers for pages we already left

// ---------- session ----------
async function loadSession() {
  try {
    session = await api('/api/session', { allow401: true });
  } catch (e) {
    if (e.status === 401) session = { authenticated: false };
    else throw e;
  }
  setCsrf(session && session.csrf_token);
  document.body.classList.toggle('signed-in', !!(session && session.authenticated));
  document.getElementById('app-header').hidden = !(session && session.authenticated);
  return session;
}

document.addEventListener('hark:unauthorized', () => {
  if (session && session.authenticated) { session = { authenticated: false }; toast('Your session ended. Please sign in again.'); route(); }
});

// ---------- router ----------
const routes = [
  [/^\/$/, pageHome, 'home'],
  [/^\/library\/?$/, pageLibrary, 'library'],
  [/^\/podcasts\/(\d+)\/?$/, pagePodcast, 'library'],
  [/^\/episodes\/(\d+)\/?$/, pageEpisode, null],
  [/^\/settings\/?$/, pageSettings, 'settings'],
  [/^\/snips\/?$/, pageSnips, 'snips'],
  [/^\/search\/?$/, pageSearch, null],
];

export function navigate(url, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', url); else history.pushState(null, '', url);
  route();
}

document.addEventListener('click', (e) => {
  const a = e.target.closest('a[href]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  if (a.target === '_blank' || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
});
window.addEventListener('popstate', () => route());

async function route() {
  const token = ++navToken;
  for (const fn of cleanup) { try { fn(); } catch { /* ignore */ } }
  cleanup = [];
  const path = location.pathname;
  if (!session) await loadSession().catch((e) => { session = null; renderFatal(e); });
  if (token !== navToken) return;
  if (!session) return;
  if (!session.authenticated) {
    if (session.setup_required) return pageSetup(token);
    return pageLogin(token);
  }
  snipsUi.connectEvents();
  // Which send targets (Readwise, Notion) are set up, before any Share menu opens: the menu
  // builds its entries when it opens and would miss them on the first open after a load.
  loadExportTargets();
  if (path !== '/search' && document.activeElement !== searchInput) searchInput.value = '';
  if (path === '/login' || path === '/setup') return navigate('/', { replace: true });
  for (const [re, fn, nav] of routes) {
    const m = path.match(re);
    if (!m) continue;
    for (const a of document.querySelectorAll('[data-nav]')) {
      if (a.dataset.nav === nav) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    }
    clear(main).appendChild(h('p', { class: 'loading' }, 'Loading…'));
    try { await fn(token, ...m.slice(1)); }
    catch (e) {
      if (token !== navToken) return;
      if (e.code === 'unauthorized') return;
      clear(main).append(h('h1', {}, e.code === 'not_found' ? 'Not found' : 'Something went wrong'), h('p', { class: 'error-text' }, e.message),
        h('p', {}, h('a', { href: '/' }, 'Back to Home')));
    }
    return;
  }
  setTitle('Not found');
  clear(main).append(h('h1', {}, 'Page not found'), h('p', {}, 'There is nothing at this address. ', h('a', { href: '/' }, 'Go to Home')));
}

function setTitle(t) { document.title = t ? `${t} · hark` : 'hark'; }
/** Put a page's content into <main> and move focus there for screen readers (not on first load). */
let firstRender = true;
function render(token, ...nodes) {
  if (token !== navToken) return false;
  clear(main).append(...nodes);
  if (!firstRender && document.activeElement !== document.getElementById('search-input')) main.focus({ preventScroll: true });
  firstRender = false;
  window.scrollTo(0, 0);
  return true;
}
function renderFatal(e) {
  clear(main).append(h('h1', {}, 'hark can’t start'), h('p', { class: 'error-text' }, e.message || String(e)),
    h('button', { type: 'button', class: 'btn-primary', onclick: () => location.reload() }, 'Try again'));
}

// ---------- sign in / setup ----------
function pageLogin(token) {
  setTitle('Sign in');
  const err = h('p', { class: 'error-text', role: 'alert' });
  const form = h('form', { class: 'card auth', novalidate: true },
    h('h1', {}, 'Sign in to hark'),
    h('div', { class: 'field' }, h('label', { for: 'login-name' }, 'Name'), h('input', { id: 'login-name', type: 'text', name: 'name', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' })),
    h('div', { class: 'field' }, h('label', { for: 'login-password' }, 'Password'), h('input', { id: 'login-password', type: 'password', name: 'password', autocomplete: 'current-password', required: true })),
    err,
    h('button', { type: 'submit', class: 'btn-primary' }, 'Sign in'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = form.elements.name.value.trim(), password = form.elements.password.value;
    if (!name || !password) { err.textContent = 'Enter your name and password.'; return; }
    const btn = form.querySelector('button[type=submit]');
    btn.disabled = true; err.textContent = '';
    try {
      await api('/api/login', { json: { name, password }, allow401: true });
      session = null; await loadSession();
      restoreLastEpisode();
      navigate(location.pathname === '/login' ? '/' : location.pathname + location.search, { replace: true });
    } catch (ex) {
      err.textContent = ex.status === 401 ? 'That name and password don’t match. Check them and try again.' : ex.message;
      btn.disabled = false;
    }
  });
  if (render(token, form)) form.elements.name.focus();
}

function pageSetup(token) {
  setTitle('Welcome');
  const code = new URLSearchParams(location.search).get('code') || '';
  const err = h('p', { class: 'error-text', role: 'alert' });
  const form = h('form', { class: 'card auth', novalidate: true },
    h('h1', {}, 'Welcome to hark'),
    h('p', {}, 'Create the administrator account. The setup code is in the link ', h('code', {}, 'hark serve'), ' printed when it started.'),
    h('div', { class: 'field' }, h('label', { for: 'setup-code' }, 'Setup code'), h('input', { id: 'setup-code', type: 'text', name: 'code', value: code, autocomplete: 'off', required: true, spellcheck: 'false' })),
    h('div', { class: 'field' }, h('label', { for: 'setup-name' }, 'Your name'), h('input', { id: 'setup-name', type: 'text', name: 'name', autocomplete: 'username', required: true, autocapitalize: 'none' })),
    h('div', { class: 'field' }, h('label', { for: 'setup-password' }, 'Password (at least 8 characters)'), h('input', { id: 'setup-password', type: 'password', name: 'password', autocomplete: 'new-password', required: true, minlength: '8' })),
    err,
    h('button', { type: 'submit', class: 'btn-primary' }, 'Create account'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { code: form.elements.code.value.trim(), name: form.elements.name.value.trim(), password: form.elements.password.value };
    if (!body.code || !body.name) { err.textContent = 'Enter the setup code and a name.'; return; }
    if (body.password.length < 8) { err.textContent = 'Choose a password of at least 8 characters.'; return; }
    err.textContent = '';
    try {
      await api('/api/setup', { json: body, allow401: true });
      session = null; await loadSession();
      toast('Your account is ready. Add a podcast to begin.');
      navigate('/library', { replace: true });
    } catch (ex) {
      err.textContent = ex.status === 403 ? 'That setup code is not right. Copy the whole link hark serve printed.' : ex.status === 409 ? 'Setup is already done — sign in instead.' : ex.message;
    }
  });
  if (render(token, form)) (code ? form.elements.name : form.elements.code).focus();
}

// ---------- shared pieces ----------
async function runningJobs() {
  try {
    const r = await api('/api/jobs?limit=50');
    const byEpisode = new Map();
    for (const j of r.jobs || []) if ((j.state === 'running' || j.state === 'queued') && j.episode_id && !byEpisode.has(j.episode_id)) byEpisode.set(j.episode_id, j);
    return byEpisode;
  } catch { return new Map(); }
}

function stateBadge(ep) {
  if (ep.state === 'played') return h('span', { class: 'muted' }, 'Played');
  if (ep.state === 'in_progress') {
    const pos = (ep.position && ep.position.position_ms) || ep.position_ms || 0;
    const left = ep.duration_ms ? fmtDuration(Math.max(0, ep.duration_ms - pos)) : '';
    return h('span', {}, left ? `${left} left` : 'Started');
  }
  return h('span', { class: 'badge badge-new' }, 'New');
}

function episodeItem(ep, { podcast, jobs, showPodcast = true } = {}) {
  const pod = podcast || ep.podcast || {};
  const job = jobs && jobs.get(ep.id);
  const meta = h('div', { class: 'ep-meta' },
    showPodcast && pod.title ? h('span', {}, pod.title) : null,
    ep.published_at ? h('span', {}, fmtDate(ep.published_at)) : null,
    ep.duration_ms ? h('span', {}, fmtDuration(ep.duration_ms)) : null,
    stateBadge(ep),
    ep.transcript_ready ? h('span', { class: 'badge badge-ok' }, 'Transcript') :
      job ? h('span', {}, job.state === 'running' ? `Transcribing… ${Math.round((job.progress || 0) * 100)}%` : 'Queued for transcription') : null);
  const actions = h('div', { class: 'ep-actions' },
    h('button', { type: 'button', 'aria-label': `Play ${ep.title}`, onclick: () => player.load({ ...ep, podcast: ep.podcast || pod }, { autoplay: true }) }, ep.state === 'in_progress' ? 'Resume' : 'Play'));
  const body = h('div', {}, h('a', { class: 'ep-title', href: `/episodes/${ep.id}` }, ep.title || 'Untitled episode'), meta);
  if (ep.state === 'in_progress' && ep.duration_ms) {
    const bar = h('div', { class: 'bar', 'aria-hidden': 'true' }, h('span'));
    bar.firstChild.style.width = `${Math.min(100, (100 * (ep.position_ms || 0)) / ep.duration_ms)}%`;
    body.appendChild(bar);
  }
  return h('li', { class: 'ep-item' }, artwork(ep.image_url || pod.image_url, pod.title || ep.title), body, actions);
}

async function podcastMap() {
  const r = await api('/api/podcasts');
  return new Map((r.podcasts || []).map((p) => [p.id, p]));
}
const withPodcast = (pods) => (ep) => ({ ...ep, podcast: ep.podcast || pods.get(ep.podcast_id) || {} });

// ---------- Home ----------
async function pageHome(token) {
  setTitle('Home');
  const [pods, progress, newest, jobs, recent] = await Promise.all([podcastMap(), api('/api/episodes/in-progress?limit=10'), api('/api/episodes?limit=30'), runningJobs(), snipsUi.listSnips().catch(() => [])]);
  const nodes = [h('h1', { class: 'visually-hidden' }, 'Home')];
  if (!pods.size) {
    nodes.push(h('div', { class: 'card' }, h('h2', {}, 'Nothing to listen to yet'),
      h('p', {}, 'Subscribe to a podcast by its feed address or import an OPML file from your old player.'),
      h('a', { class: 'btn btn-primary', href: '/library' }, 'Add a podcast')));
    render(token, ...nodes); return;
  }
  const cont = (progress.episodes || []).map(withPodcast(pods));
  if (cont.length) {
    nodes.push(h('h2', {}, 'Continue listening'), h('ul', { class: 'ep-list' }, cont.map((ep) => episodeItem(ep, { jobs }))));
  }
  if (recent.length) {
    nodes.push(h('h2', {}, 'Recent snips'), h('div', { class: 'snip-list' }, recent.slice(0, 3).map((s) => snipsUi.snipCard(s, { onPlay: playSnip, showEpisode: true }))),
      recent.length > 3 ? h('p', {}, h('a', { href: '/snips' }, `All ${recent.length} snips`)) : null);
  }
  const eps = (newest.episodes || []).map(withPodcast(pods));
  nodes.push(h('h2', {}, 'New episodes'),
    eps.length ? h('ul', { class: 'ep-list' }, eps.map((ep) => episodeItem(ep, { jobs }))) : h('p', { class: 'empty' }, 'No episodes yet — the feeds are being fetched.'));
  render(token, ...nodes);
}

// ---------- Library ----------
async function pageLibrary(token) {
  setTitle('Library');
  const r = await api('/api/podcasts');
  const pods = r.podcasts || [];
  const urlErr = h('p', { class: 'error-text', role: 'alert' });
  const addForm = h('form', { class: 'card', novalidate: true },
    h('div', { class: 'form-row' },
      h('div', { class: 'field' }, h('label', { for: 'add-url' }, 'Add a podcast by feed address'),
        h('input', { id: 'add-url', type: 'url', name: 'url', placeholder: 'https://example.com/feed.xml', inputmode: 'url', autocomplete: 'off', required: true })),
      h('button', { type: 'submit', class: 'btn-primary' }, 'Subscribe')),
    urlErr,
    h('div', { class: 'form-row' },
      h('div', { class: 'field' }, h('label', { for: 'opml' }, 'Or import an OPML file from another player'),
        h('input', { id: 'opml', type: 'file', name: 'opml', accept: '.opml,.xml,text/x-opml,text/xml,application/xml' }))));
  addForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const url = addForm.elements.url.value.trim();
    urlErr.textContent = '';
    if (!/^https?:\/\/\S+$/i.test(url)) { urlErr.textContent = 'Enter the full feed address, starting with https:// (or http://).'; return; }
    const btn = addForm.querySelector('button[type=submit]');
    btn.disabled = true; btn.textContent = 'Subscribing…';
    try {
      const res = await api('/api/podcasts', { json: { url } });
      const p = res.podcast || {};
      toast(res.already_known ? `You already follow ${p.title || 'that podcast'}.` : `Subscribed to ${p.title || 'the podcast'}${res.queued ? ` · ${res.queued} episode${res.queued === 1 ? '' : 's'} queued for transcripts` : ''}.`);
      for (const w of res.warnings || []) toast(w);
      if (p.id) navigate(`/podcasts/${p.id}`); else route();
    } catch (ex) {
      urlErr.textContent = ex.status === 403 ? `hark won’t fetch that address: ${ex.detail}` : ex.status === 400 ? `That doesn’t look like a podcast feed: ${ex.detail}` : ex.status === 503 ? `Couldn’t fetch that feed: ${ex.detail}` : ex.message;
      btn.disabled = false; btn.textContent = 'Subscribe';
    }
  });
  addForm.elements.opml.addEventListener('change', async (e) => {
    const file = e.target.files && e.target.files[0];
    if (!file) return;
    urlErr.textContent = '';
    if (file.size > 5 * 1024 * 1024) { urlErr.textContent = 'That OPML file is larger than 5 MB.'; return; }
    toast(`Importing ${file.name}…`);
    try {
      const res = await api('/api/podcasts/import', { body: await file.text(), contentType: 'text/x-opml' });
      const added = (res.added || []).length, failed = res.failed || [];
      toast(`Imported ${added} podcast${added === 1 ? '' : 's'}${failed.length ? `; ${failed.length} could not be added` : ''}.`);
      for (const f of failed.slice(0, 5)) toast(`${f.feed_url}: ${f.error}`, { kind: 'error' });
      route();
    } catch (ex) {
      urlErr.textContent = ex.status === 400 ? `That file isn’t a readable OPML file: ${ex.message}` : ex.message;
    } finally { e.target.value = ''; }
  });
  const grid = pods.length ? h('ul', { class: 'grid' }, pods.map((p) => h('li', {},
    h('a', { href: `/podcasts/${p.id}` }, artwork(p.image_url, p.title), h('span', { class: 't' }, p.title || p.feed_url),
      h('span', { class: 'muted' }, `${p.episode_count || 0} episode${p.episode_count === 1 ? '' : 's'}`)),
    p.last_error ? h('span', { class: 'warn' }, 'Feed problem — see Settings') : null)))
    : h('p', { class: 'empty' }, 'You don’t follow any podcasts yet.');
  render(token, h('h1', {}, 'Library'), addForm, h('h2', {}, 'Your podcasts'), grid);
}

// ---------- Podcast ----------
async function pagePodcast(token, id) {
  const PAGE = 50;
  const [pod, first, jobs] = await Promise.all([api(`/api/podcasts/${id}`), api(`/api/podcasts/${id}/episodes?limit=${PAGE}`), runningJobs()]);
  setTitle(pod.title);
  const list = h('ul', { class: 'ep-list' });
  let offset = 0;
  let next = null;
  const more = h('button', { type: 'button', class: 'btn' }, 'Show more episodes');
  const add = (page) => {
    for (const ep of page.episodes || []) {
      const li = episodeItem({ ...ep, podcast: pod }, { podcast: pod, jobs, showPodcast: false });
      if (!ep.transcript_ready && !jobs.get(ep.id)) {
        li.querySelector('.ep-actions').appendChild(h('button', { type: 'button', 'aria-label': `Make transcript and chapters for ${ep.title}`, onclick: (e) => processEpisode(ep.id, e.currentTarget) }, 'Process'));
      }
      list.appendChild(li);
    }
    offset += (page.episodes || []).length;
    next = page.next_cursor || null;
    more.hidden = !next || offset >= (page.total || 0);
  };
  more.addEventListener('click', async () => {
    more.disabled = true;
    // By cursor: the next page starts after the last episode shown, even if new ones arrived.
    try { add(await api(`/api/podcasts/${id}/episodes?limit=${PAGE}&cursor=${encodeURIComponent(next)}`)); } catch (e) { showError(e); }
    more.disabled = false;
  });
  add(first);
  const refresh = h('button', { type: 'button', class: 'btn' }, 'Check for new episodes');
  refresh.addEventListener('click', async () => {
    refresh.disabled = true;
    try {
      const r = await api(`/api/podcasts/${id}/refresh`, { method: 'POST' });
      if (r.outcome === 'failed') toast(`Couldn’t fetch the feed: ${r.error || 'unknown error'}`, { kind: 'error' });
      else { toast(r.added ? `${r.added} new episode${r.added === 1 ? '' : 's'}.` : 'No new episodes.'); if (r.added) route(); }
    } catch (e) { showError(e); }
    refresh.disabled = false;
  });
  const unsub = h('button', { type: 'button', class: 'btn' }, 'Unsubscribe');
  unsub.addEventListener('click', async () => {
    if (!confirm(`Unsubscribe from ${pod.title}?`)) return;
    try { await api(`/api/podcasts/${id}`, { method: 'DELETE' }); toast(`Unsubscribed from ${pod.title}.`); navigate('/library'); } catch (e) { showError(e); }
  });
  const desc = h('p', { class: 'muted' });
  desc.textContent = textOf(pod.description).slice(0, 400);
  render(token,
    h('div', { class: 'hero' }, artwork(pod.image_url, pod.title),
      h('div', {}, h('h1', {}, pod.title || pod.feed_url), pod.author ? h('p', { class: 'muted' }, pod.author) : null, desc,
        pod.last_error ? h('p', { class: 'error-text' }, `The last feed check failed: ${pod.last_error}`) : null,
        h('div', { class: 'actions' }, refresh, unsub))),
    h('h2', {}, `Episodes (${first.total ?? offset})`), list, more);
}

/** Plain text of feed HTML, via the inert parser (never inserted as HTML). */
function textOf(html) {
  if (!html) return '';
  return (new DOMParser().parseFromString(String(html), 'text/html').body.textContent || '').replace(/\s+/g, ' ').trim();
}

async function processEpisode(id, btn) {
  if (btn) { btn.disabled = true; btn.textContent = 'Queued'; }
  try {
    const r = await api(`/api/episodes/${id}/process`, { method: 'POST' });
    toast(r.job && r.job.state === 'running' ? 'Already working on it.' : 'Queued: transcript and chapters are on their way.');
  } catch (e) { showError(e); if (btn) { btn.disabled = false; btn.textContent = 'Process'; } }
}

// ---------- Episode ----------
async function pageEpisode(token, id) {
  const ep = await api(`/api/episodes/${id}`);
  setTitle(ep.title);
  const pod = ep.podcast || {};
  const [chaptersRes, transcript] = await Promise.all([
    api(`/api/episodes/${id}/chapters`).catch(() => ({ chapters: [] })),
    ep.transcript_ready ? api(`/api/episodes/${id}/transcript`).catch((e) => (e.status === 404 ? null : Promise.reject(e))) : Promise.resolve(null),
  ]);
  if (token !== navToken) return;
  const chapters = chaptersRes.chapters || [];
  const isMine = () => player.currentEpisodeId() === ep.id;
  const seek = (ms) => { if (isMine()) { player.seekTo(ms); if (!player.isPlaying()) player.play(); } else player.load(ep, { autoplay: true, startMs: ms }); };

  const playBtn = h('button', { type: 'button', class: 'btn-primary' });
  const setPlayLabel = () => {
    const resume = ep.position && !ep.position.played && ep.position.position_ms > 0;
    playBtn.textContent = isMine() && player.isPlaying() ? 'Pause' : resume || isMine() ? `Resume${ep.position ? ` from ${fmtClock(isMine() ? player.currentTimeMs() : ep.position.position_ms)}` : ''}` : 'Play';
  };
  playBtn.addEventListener('click', () => { if (isMine()) player.toggle(); else player.load(ep, { autoplay: true }); setTimeout(setPlayLabel, 50); });
  setPlayLabel();
  const audioEl = document.getElementById('audio');
  const onPlayState = () => setPlayLabel();
  audioEl.addEventListener('play', onPlayState); audioEl.addEventListener('pause', onPlayState);
  cleanup.push(() => { audioEl.removeEventListener('play', onPlayState); audioEl.removeEventListener('pause', onPlayState); });

  const meta = h('p', { class: 'ep-meta' },
    ep.published_at ? h('span', {}, fmtDate(ep.published_at)) : null,
    ep.duration_ms ? h('span', {}, fmtDuration(ep.duration_ms)) : null,
    ep.season || ep.episode_number ? h('span', {}, [ep.season ? `Season ${ep.season}` : '', ep.episode_number ? `Episode ${ep.episode_number}` : ''].filter(Boolean).join(' · ')) : null,
    stateBadge(ep));
  const actions = h('div', { class: 'actions' }, playBtn);
  if (!ep.transcript_ready) actions.appendChild(h('button', { type: 'button', class: 'btn', onclick: (e) => processEpisode(ep.id, e.currentTarget) }, 'Make transcript'));
  if (ep.link && /^https?:/i.test(ep.link)) actions.appendChild(h('a', { class: 'btn', href: ep.link, target: '_blank', rel: 'noopener noreferrer' }, 'Episode website'));

  const nodes = [h('div', { class: 'hero' }, artwork(ep.image_url || pod.image_url, pod.title || ep.title),
    h('div', {}, h('h1', {}, ep.title || 'Untitled episode'), h('p', {}, h('a', { href: `/podcasts/${pod.id || ep.podcast_id}` }, pod.title || 'Podcast')), meta, actions))];

  if (ep.show_notes_html) {
    const body = h('div', { class: 'notes-body' });
    body.appendChild(sanitizeHtml(ep.show_notes_html));
    nodes.push(h('details', { class: 'notes' }, h('summary', {}, 'Show notes'), body));
  }

  // Summary and highlights (collapsible), then this episode's snips.
  const [summary, highlightsRes, mySnips] = await Promise.all([
    api(`/api/episodes/${id}/summary`).catch(() => null),
    api(`/api/episodes/${id}/highlights`).catch(() => ({ highlights: [] })),
    snipsUi.listSnips(ep.id).catch(() => []),
  ]);
  if (token !== navToken) return;
  if (summary && (summary.abstract || (summary.takeaways || []).length)) {
    nodes.push(h('details', { class: 'panel', open: true }, h('summary', {}, h('h2', {}, 'Summary')),
      summary.abstract ? h('p', {}, summary.abstract) : null,
      (summary.takeaways || []).length ? h('ul', { class: 'takeaways' }, summary.takeaways.map((t) => h('li', {}, t))) : null));
  }
  const highlights = highlightsRes.highlights || [];
  let reel = null; // {i} while the highlights reel plays
  const reelBtn = h('button', { type: 'button', class: 'btn-primary' }, 'Play highlights');
  const playHighlight = (i) => { reel = { i }; reelBtn.textContent = 'Stop highlights'; seek(highlights[i].start_ms); };
  const stopReel = () => { reel = null; reelBtn.textContent = 'Play highlights'; };
  reelBtn.addEventListener('click', () => { if (reel) { stopReel(); player.toggle(); } else playHighlight(0); });
  if (highlights.length) {
    nodes.push(h('details', { class: 'panel', open: true }, h('summary', {}, h('h2', {}, `Highlights (${highlights.length})`)),
      h('p', {}, reelBtn, ' ', h('span', { class: 'muted' }, 'plays them back to back')),
      h('ol', { class: 'highlights' }, highlights.map((hl, i) => h('li', {},
        h('button', { type: 'button', class: 'hl-play', onclick: () => playHighlight(i) }, h('span', { class: 'ts' }, `${fmtClock(hl.start_ms)}–${fmtClock(hl.end_ms)}`), h('span', { class: 'hl-title' }, hl.title || 'Highlight')),
        hl.summary ? h('p', { class: 'muted' }, hl.summary) : null,
        h('button', { type: 'button', class: 'link-btn', onclick: () => { stopReel(); seek(hl.start_ms); } }, 'Dive in: keep listening from here'))))));
  }
  const snipList = h('div', { class: 'snip-list' });
  const playSnip = (s) => { stopReel(); seek(s.start_ms); };
  for (const s of mySnips) snipList.appendChild(snipsUi.snipCard(s, { onPlay: playSnip }));
  const snipEmpty = h('p', { class: 'empty' }, ep.transcript_ready ? 'No snips yet. Press Snip (or S) while listening to save a moment.' : 'Snips need a transcript.');
  snipEmpty.hidden = mySnips.length > 0;
  nodes.push(h('h2', {}, 'Your snips'), snipEmpty, snipList);
  cleanup.push(snipsUi.onSnipChange((s, { deleted }) => {
    if (deleted || s.episode_id !== ep.id || snipList.querySelector(`[data-snip="${s.id}"]`)) return;
    snipList.prepend(snipsUi.snipCard(s, { onPlay: playSnip }));
    snipEmpty.hidden = true;
  }));

  let chapterButtons = [];
  if (chapters.length) {
    chapterButtons = chapters.map((c) => h('button', { type: 'button', onclick: () => seek(c.start_ms) }, h('span', { class: 'ts' }, fmtClock(c.start_ms)), h('span', {}, c.title || 'Chapter')));
    nodes.push(h('h2', {}, 'Chapters'), h('ol', { class: 'chapters' }, chapterButtons.map((b) => h('li', {}, b))));
  }

  nodes.push(h('h2', {}, 'Transcript'));
  const tbox = h('div', {});
  const snipSel = h('button', { type: 'button', class: 'btn-primary snip-selection', hidden: true }, 'Snip selection');
  nodes.push(snipSel);
  nodes.push(tbox);
  let tview = null;
  if (transcript && (transcript.segments || []).length) {
    // Created after render so the scroller has a real width to estimate row heights from.
  } else if (ep.transcript_ready) {
    tbox.appendChild(h('p', { class: 'empty' }, 'The transcript is empty.'));
  } else {
    const jobs = await runningJobs();
    const job = jobs.get(ep.id);
    tbox.appendChild(h('p', { class: 'empty' }, job ? (job.state === 'running' ? `Transcribing… ${Math.round((job.progress || 0) * 100)}%${job.message ? ` — ${job.message}` : ''}` : 'Transcript pending — queued for transcription.') : 'No transcript yet. “Make transcript” creates one on this server.'));
  }
  if (!render(token, ...nodes)) return;
  // ?t=<seconds> (player links in exports and share pages) opens the episode at that moment.
  const t = Number(new URLSearchParams(location.search).get('t'));
  if (Number.isFinite(t) && t >= 0 && new URLSearchParams(location.search).has('t')) player.load(ep, { startMs: Math.round(t * 1000) });
  else if (!player.currentEpisodeId()) player.load(ep); // docked and ready at the saved position
  if (transcript && (transcript.segments || []).length) {
    tview = createTranscript(tbox, transcript, { onSeek: seek });
    cleanup.push(() => tview.destroy());
    const onSel = () => { snipSel.hidden = !tview.selectionRange(); };
    document.addEventListener('selectionchange', onSel);
    cleanup.push(() => document.removeEventListener('selectionchange', onSel));
    snipSel.addEventListener('click', async () => {
      const range = tview.selectionRange();
      if (!range) return;
      if (!isMine()) player.load(ep);
      const saved = await snipsUi.snipNow(range);
      if (saved) { window.getSelection().removeAllRanges(); snipSel.hidden = true; }
    });
  }
  let lastCh = -2;
  const onTime = (ms) => {
    if (!isMine()) return;
    if (reel && ms >= highlights[reel.i].end_ms) {
      if (reel.i + 1 < highlights.length) playHighlight(reel.i + 1);
      else { stopReel(); player.toggle(); toast('That was the last highlight.'); }
    }
    if (tview) tview.update(ms);
    if (chapterButtons.length) {
      let idx = -1; chapters.forEach((c, i) => { if (c.start_ms <= ms) idx = i; });
      if (idx !== lastCh) { chapterButtons.forEach((b, i) => { b.classList.toggle('current', i === idx); if (i === idx) b.setAttribute('aria-current', 'true'); else b.removeAttribute('aria-current'); }); lastCh = idx; }
    }
  };
  cleanup.push(player.onTime(onTime));
  if (isMine()) onTime(player.currentTimeMs());
}

// ---------- Snips ----------
/** Plays a snip's moment, loading its episode into the player when another one is in it. */
async function playSnip(s) {
  if (player.currentEpisodeId() === s.episode_id) { player.seekTo(s.start_ms); player.play(); return; }
  try { player.load(await api(`/api/episodes/${s.episode_id}`), { autoplay: true, startMs: s.start_ms }); } catch (e) { showError(e); }
}

async function pageSnips(token) {
  setTitle('Snips');
  const list = await snipsUi.listSnips();
  const box = h('div', {});
  const play = playSnip;
  const draw = (all) => {
    clear(box);
    if (!all.length) { box.appendChild(h('p', { class: 'empty' }, 'No snips yet. While an episode plays, press Snip (or S, or your headphones’ next-track button) to save the moment.')); return; }
    // Grouped by episode, the group with the newest snip first.
    const groups = new Map();
    for (const s of all) { if (!groups.has(s.episode_id)) groups.set(s.episode_id, []); groups.get(s.episode_id).push(s); }
    for (const [episodeId, items] of groups) {
      const ep = items[0].episode || {};
      box.appendChild(h('section', { class: 'snip-group', 'aria-label': ep.title || `Episode ${episodeId}` },
        h('div', { class: 'snip-group-head' }, artwork(ep.image_url, ep.podcast_title || ep.title),
          h('div', {}, h('h2', {}, h('a', { href: `/episodes/${episodeId}` }, ep.title || `Episode ${episodeId}`)), ep.podcast_title ? h('p', { class: 'muted' }, ep.podcast_title) : null)),
        h('div', { class: 'snip-list' }, items.map((s) => snipsUi.snipCard(s, { onPlay: play })))));
    }
  };
  draw(list);
  cleanup.push(snipsUi.onSnipChange((s, { deleted }) => {
    if (!deleted && !box.querySelector(`[data-snip="${s.id}"]`)) snipsUi.listSnips().then(draw).catch(() => {});
    if (deleted && !box.querySelector('[data-snip]')) draw([]);
  }));
  render(token, h('h1', {}, 'Snips'), snipsUi.snipsFeedPanel(), box);
}

// ---------- Search ----------
async function pageSearch(token) {
  const params = new URLSearchParams(location.search);
  const initial = { q: (params.get('q') || '').trim(), podcast: Number(params.get('podcast')) || 0, mode: params.get('mode') || '' };
  setTitle(initial.q ? `Search: ${initial.q}` : 'Search');
  const pods = await podcastMap();
  if (token !== navToken) return;
  const page = searchPage({ input: searchInput, pods, initial, onOpen: openHit });
  cleanup.push(() => page.destroy());
  render(token, ...page.nodes);
}

/** A search result: play its episode from the moment, then show the episode's page. */
async function openHit(hit) {
  const atMoment = hit.kind !== 'episode';
  if (atMoment) {
    try {
      if (player.currentEpisodeId() === hit.episode_id) { player.seekTo(hit.start_ms); player.play(); }
      else player.load(await api(`/api/episodes/${hit.episode_id}`), { autoplay: true, startMs: hit.start_ms });
    } catch (e) { showError(e); return; }
  }
  navigate(`/episodes/${hit.episode_id}${atMoment ? `?t=${(hit.start_ms / 1000).toFixed(1)}` : ''}`);
}

// The header's box is the one search box: typing anywhere opens the Search page, which
// then follows the box as it changes.
const searchInput = document.getElementById('search-input');
searchInput.addEventListener('input', () => {
  if (location.pathname === '/search') return; // the page listens itself
  const q = searchInput.value.trim();
  if (q) navigate(`/search?q=${encodeURIComponent(q)}`);
});
document.getElementById('search-form').addEventListener('submit', (e) => {
  e.preventDefault();
  if (location.pathname === '/search') return;
  const q = searchInput.value.trim();
  navigate(q ? `/search?q=${encodeURIComponent(q)}` : '/search');
});

// ---------- Settings ----------
// What each pipeline job does, in the words a listener uses (the API's kind is an id).
const JOB_NAMES = {
  transcript: 'Transcript', index: 'Search index', chapters: 'Chapters',
  insights: 'Highlights and summary', highlights: 'Highlights, weighed by snips',
  snip_llm: 'Snip text by the language model', export: 'Sending snips (Readwise, Notion)',
};
const jobName = (kind) => JOB_NAMES[kind] || kind;

async function pageSettings(token) {
  setTitle('Settings');
  const [feeds, jobs, status] = await Promise.all([api('/api/settings/feeds'), api('/api/jobs?limit=30'), api('/api/status')]);
  const feedRows = (feeds.feeds || []).map((f) => h('tr', {},
    h('th', { scope: 'row' }, h('a', { href: `/podcasts/${f.podcast_id}` }, f.title || f.feed_url)),
    h('td', { 'data-label': 'Status' }, f.ok ? h('span', { class: 'status-ok' }, 'OK') : h('span', { class: 'status-bad' }, 'Problem'), f.last_error ? h('div', {}, f.last_error) : null),
    h('td', { 'data-label': 'Last worked' }, fmtWhen(f.last_success_at)),
    h('td', { 'data-label': 'Last checked' }, fmtWhen(f.last_fetched_at))));
  const jobRows = (jobs.jobs || []).map((j) => h('tr', {},
    h('th', { scope: 'row' }, jobName(j.kind), j.episode_id ? h('div', {}, h('a', { href: `/episodes/${j.episode_id}` }, `Episode ${j.episode_id}`)) : null),
    h('td', { 'data-label': 'State' }, jobStateWords(j), j.state === 'running' ? h('progress', { max: '1', value: String(j.progress || 0), 'aria-label': `${jobName(j.kind)} progress` }) : null,
      j.message ? h('div', { class: 'muted' }, j.message) : null, j.error ? h('div', { class: 'error-text' }, j.error) : null),
    h('td', { 'data-label': 'Updated' }, fmtWhen(j.updated_at))));
  const s = status || {}, w = s.worker || {}, rf = s.refresh || {};
  const services = (s.services || []);
  const logout = h('button', { type: 'button', class: 'btn' }, 'Sign out');
  logout.addEventListener('click', async () => {
    try { player.savePosition(); snipsUi.stopEvents(); forgetExportTargets(); await api('/api/logout', { method: 'POST' }); } catch (e) { showError(e); }
    document.getElementById('audio').pause();
    session = null; await loadSession(); navigate('/', { replace: true });
  });
  render(token, h('h1', {}, 'Settings'),
    h('h2', {}, 'Feeds'),
    feedRows.length ? h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Podcast'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Last worked'), h('th', { scope: 'col' }, 'Last checked'))), h('tbody', {}, feedRows))) : h('p', { class: 'empty' }, 'No feeds yet.'),
    h('h2', {}, 'Jobs'),
    jobRows.length ? h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Job'), h('th', { scope: 'col' }, 'State'), h('th', { scope: 'col' }, 'Updated'))), h('tbody', {}, jobRows))) : h('p', { class: 'empty' }, 'No background jobs.'),
    h('h2', {}, 'AI services'),
    services.length ? h('ul', {}, services.map((sv) => h('li', {}, `${sv.name}: `, sv.reachable === false ? h('span', { class: 'status-bad' }, 'unreachable — using the built-in engine') : sv.reachable ? h('span', { class: 'status-ok' }, 'reachable') : h('span', { class: 'muted' }, 'not checked yet'))))
      : h('p', { class: 'muted' }, 'None configured — the built-in engines do the work.'),
    h('h2', {}, 'Server'),
    h('div', { class: 'card' }, h('dl', { class: 'kv' },
      h('dt', {}, 'Version'), h('dd', {}, s.version || '?'),
      h('dt', {}, 'Running since'), h('dd', {}, fmtWhen(s.started_at)),
      h('dt', {}, 'Worker'), h('dd', {}, `${w.threads ?? '?'} thread${w.threads === 1 ? '' : 's'} · ${w.done ?? 0} done · ${w.retrying ?? 0} retrying · ${w.failed ?? 0} failed`),
      h('dt', {}, 'Feed refresh'), h('dd', {}, rf.interval_minutes ? `every ${rf.interval_minutes} min${rf.next_round_at ? ` · next ${fmtWhen(rf.next_round_at)}` : ''}` : 'only when asked'),
      h('dt', {}, 'Private networks'), h('dd', {}, s.network && s.network.allow_private_networks ? 'allowed' : 'blocked'))),
    exportSettingsSection(),
    h('h2', {}, 'Headphones'),
    h('div', { class: 'card' }, h('label', { class: 'check' }, h('input', { type: 'checkbox', id: 'prev-snips', checked: snipsUi.prevTrackSnips(), onchange: (e) => snipsUi.setPrevTrackSnips(e.target.checked) }),
      ' The previous-track button also saves a snip (otherwise it goes back 15 seconds). Next-track always saves one.')),
    h('h2', {}, 'Account'),
    h('div', { class: 'card' }, h('p', {}, `Signed in as ${session.user ? session.user.name : '?'}${session.user && session.user.is_admin ? ' (administrator)' : ''}.`), logout));
}

function jobStateWords(j) {
  const pct = Math.round((j.progress || 0) * 100);
  switch (j.state) {
    case 'running': return h('div', {}, `Running · ${pct}%`);
    case 'queued': return h('div', {}, j.attempts ? `Waiting to retry (attempt ${j.attempts + 1} of ${j.max_attempts})` : 'Queued');
    case 'done': return h('div', { class: 'status-ok' }, 'Done');
    case 'failed': return h('div', { class: 'status-bad' }, 'Failed');
    default: return h('div', {}, j.state);
  }
}

// ---------- start ----------
async function restoreLastEpisode() {
  let id = null;
  try { id = localStorage.getItem('hark.last'); } catch { /* ignore */ }
  if (!id || player.currentEpisodeId()) return;
  try { player.load(await api(`/api/episodes/${Number(id)}`)); } catch { /* gone */ }
}

player.initPlayer();
snipsUi.initSnips();
// The installable app (PWA): the service worker keeps the shell for offline starts.
if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js').catch(() => { /* http on a LAN name: not allowed, fine */ });
route().then(() => { if (session && session.authenticated) restoreLastEpisode(); });
