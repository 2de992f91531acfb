// The Search page over GET /api/search: results as you type in the header's search box
// (debounced; each new query cancels the request before it, and an answer for an older
// query is dropped), grouped by episode with artwork, titles, time, speaker and the
// matched words highlighted (the server's snippet_html goes through sanitize.js, never
// straight into innerHTML); how to search (words and meaning, exact words, meaning: the
// API's hybrid, lexical and semantic modes) and a podcast filter, both kept in the address
// when chosen; without an embedding service (each answer says whether one is configured)
// the page searches exact words unless the listener chose otherwise, and says why;
// a result opens its episode and plays from that moment. Arrow keys move between the box
// and the results.
import { api } from './api.js';
import { h, clear, fmtClock, fmtDate, artwork } from './util.js';
import { sanitizeHtml } from './sanitize.js';

const DEBOUNCE_MS = 180;
const LIMIT = 50;

const KIND_WORDS = { snip: 'Your snip', episode: 'Title or show notes' };

// The API's modes, in the words the page uses.
const MODES = [
  ['hybrid', 'Words and meaning'],
  ['lexical', 'Exact words'],
  ['semantic', 'Meaning only'],
];

// Whether the server has an embedding service configured, as its last answer said (null
// until one did; kept for the tab's session, corrected by the next answer). The default
// mode follows it: words and meaning when meaning search is set up, else exact words,
// which is all the server could do anyway.
let semanticConfigured = (() => { try { return JSON.parse(sessionStorage.getItem('hark.semanticConfigured')); } catch { return null; } })();
const defaultMode = () => (semanticConfigured === false ? 'lexical' : 'hybrid');
const NO_EMBEDDINGS = 'No embedding service is set up, so hark searches exact words.';

/**
 * Builds the page. `input` is the header's search box (the one search box, `/` focuses
 * it); `pods` maps podcast id → podcast (artwork and the filter); `onOpen(hit)` plays a
 * result. Returns {nodes, destroy}.
 */
export function searchPage({ input, pods, initial, onOpen }) {
  let podcast = initial.podcast && pods.has(initial.podcast) ? initial.podcast : 0;
  // A mode the listener chose (in the address, or picked here) is kept; otherwise the default.
  let chosen = MODES.some(([m]) => m === initial.mode);
  let mode = chosen ? initial.mode : defaultMode();
  let seq = 0;           // the number of the newest query; older answers are dropped
  let inflight = null;   // AbortController of the request under way
  let timer = 0;
  let lastKey = null;    // the query + filter last searched, to skip repeats

  const status = h('p', { class: 'search-status muted', role: 'status', 'aria-live': 'polite' });
  const notice = h('p', { class: 'search-notice', hidden: true });
  const results = h('div', { class: 'search-results' });
  const filter = h('select', { id: 'search-podcast', class: 'select' },
    h('option', { value: '0' }, 'All podcasts'),
    [...pods.values()].sort((a, b) => (a.title || '').localeCompare(b.title || '')).map((p) => h('option', { value: String(p.id) }, p.title || p.feed_url)));
  filter.value = String(podcast);
  filter.addEventListener('change', () => { podcast = Number(filter.value) || 0; run({ now: true }); });
  const modeSelect = h('select', { id: 'search-mode', class: 'select' },
    MODES.map(([value, words]) => h('option', { value }, words)));
  modeSelect.value = mode;
  modeSelect.addEventListener('change', () => { mode = modeSelect.value; chosen = true; run({ now: true }); });
  const podcastFilter = [h('label', { for: 'search-podcast' }, 'Podcast'), filter];
  if (pods.size < 2) podcastFilter.forEach((n) => { n.hidden = true; });
  const filterRow = h('div', { class: 'search-filters' },
    h('label', { for: 'search-mode' }, 'Search by'), modeSelect, ...podcastFilter);

  const syncUrl = (q) => {
    const p = new URLSearchParams();
    if (q) p.set('q', q);
    if (podcast) p.set('podcast', String(podcast));
    if (chosen || mode !== defaultMode()) p.set('mode', mode);
    const url = `/search${p.toString() ? `?${p}` : ''}`;
    if (location.pathname + location.search !== url) history.replaceState(null, '', url);
    document.title = q ? `Search: ${q} · hark` : 'Search · hark';
  };

  const showHelp = () => {
    clear(results).append(h('div', { class: 'empty' },
      h('p', {}, 'Type in the search box above (press / to get there) to find a moment: what was said in an episode, your snips, titles and show notes.'),
      h('ul', { class: 'search-tips' },
        h('li', {}, 'All words must match; “crammed” also finds “cramming”.'),
        h('li', {}, '"exact phrase" in quotes, pod* for words that start with “pod”, -word to leave a word out.'))));
  };

  function run({ now = false } = {}) {
    clearTimeout(timer);
    const q = input.value.trim();
    syncUrl(q);
    const key = `${podcast}\u0000${mode}\u0000${q}`;
    if (key === lastKey) return;
    if (!q) {
      lastKey = key; seq++;
      if (inflight) inflight.abort();
      status.textContent = ''; notice.hidden = true; showHelp();
      return;
    }
    if (now) fetchResults(q, key); else timer = setTimeout(() => fetchResults(q, key), DEBOUNCE_MS);
  }

  async function fetchResults(q, key) {
    const mine = ++seq;
    if (inflight) inflight.abort();
    inflight = new AbortController();
    lastKey = key;
    // Said only when an answer takes a while, so a screen reader isn't told on every key.
    const slow = setTimeout(() => { if (mine === seq) status.textContent = 'Searching…'; }, 400);
    results.setAttribute('aria-busy', 'true');
    const params = new URLSearchParams({ q, limit: String(LIMIT) });
    if (podcast) params.set('podcast', String(podcast));
    if (mode !== 'hybrid') params.set('mode', mode);
    try {
      const r = await api(`/api/search?${params}`, { signal: inflight.signal });
      if (mine !== seq) return; // a newer query is on its way
      if (learnDefault(r, q)) return;
      draw(q, r);
    } catch (e) {
      if (e.name === 'AbortError' || mine !== seq) return;
      lastKey = null; // let the same query be tried again
      status.textContent = '';
      const retry = h('button', { type: 'button', class: 'btn', onclick: () => run({ now: true }) }, 'Try again');
      // Meaning search needs an embedding service; without one, offer the words instead.
      const byWords = mode === 'semantic' && e.status === 503
        ? h('button', { type: 'button', class: 'btn', onclick: () => { mode = 'lexical'; chosen = true; modeSelect.value = mode; run({ now: true }); } }, 'Search exact words instead')
        : null;
      clear(results).append(h('div', { class: 'empty search-error', role: 'alert' },
        h('p', { class: 'error-text' }, e.status === 400 ? `hark couldn’t read that search: ${e.detail}. Try plainer words.` : e.message),
        e.status === 400 ? null : h('p', { class: 'actions' }, byWords, retry)));
    } finally {
      clearTimeout(slow);
      if (mine === seq) { results.removeAttribute('aria-busy'); inflight = null; }
    }
  }

  // Learns from an answer whether meaning search is set up, and moves an unchosen mode to
  // the default that follows. From words and meaning to words, the answer on hand is already
  // the words' one (the server fell back); the other way round the search runs again (true).
  function learnDefault(r, q) {
    if (typeof r.semantic_configured !== 'boolean') return false;
    semanticConfigured = r.semantic_configured;
    try { sessionStorage.setItem('hark.semanticConfigured', JSON.stringify(semanticConfigured)); } catch { /* private mode */ }
    if (chosen || mode === defaultMode()) return false;
    mode = defaultMode();
    modeSelect.value = mode;
    syncUrl(q);
    if (mode === 'hybrid') { lastKey = null; run({ now: true }); return true; }
    lastKey = `${podcast}\u0000${mode}\u0000${q}`;
    return false;
  }

  function draw(q, r) {
    const hits = r.results || [];
    results.dataset.query = q; // what the results on screen answer
    results.dataset.mode = r.mode || ''; // how they were found (hybrid may run as lexical)
    // The server's words on how it searched (e.g. meaning-based search unavailable), or,
    // when the page chose exact words for want of an embedding service, why it did.
    const said = !chosen && mode === 'lexical' && semanticConfigured === false ? NO_EMBEDDINGS
      : r.notice ? r.notice.charAt(0).toUpperCase() + r.notice.slice(1) + (/[.!]$/.test(r.notice) ? '' : '.') : '';
    notice.hidden = !said;
    notice.textContent = said;
    clear(results);
    if (!hits.length) {
      status.textContent = 'No results.';
      results.append(h('div', { class: 'empty' },
        h('p', {}, `Nothing matches “${q}”${podcast ? ' in this podcast' : ''}.`),
        h('ul', { class: 'search-tips' },
          h('li', {}, 'Try fewer words, or another word for the same thing.'),
          podcast ? h('li', {}, h('button', { type: 'button', class: 'link-btn', onclick: () => { podcast = 0; filter.value = '0'; run({ now: true }); } }, 'Search all podcasts')) : null,
          h('li', {}, 'Only episodes with a transcript can be searched for what was said: “Make transcript” on an episode’s page creates one.'))));
      return;
    }
    // Grouped by episode, in the order of each episode's best result.
    const groups = new Map();
    for (const hit of hits) {
      if (!groups.has(hit.episode_id)) groups.set(hit.episode_id, []);
      groups.get(hit.episode_id).push(hit);
    }
    status.textContent = `${hits.length} result${hits.length === 1 ? '' : 's'} in ${groups.size} episode${groups.size === 1 ? '' : 's'}.`;
    for (const [episodeId, items] of groups) {
      const first = items[0];
      const pod = pods.get(first.podcast_id) || {};
      const published = first.published_at ? Date.parse(first.published_at) : 0;
      results.appendChild(h('section', { class: 'search-group', 'aria-label': first.episode_title || `Episode ${episodeId}` },
        h('div', { class: 'search-group-head' }, artwork(pod.image_url, first.podcast_title || first.episode_title),
          h('div', {},
            h('h2', {}, h('a', { href: `/episodes/${episodeId}` }, first.episode_title || `Episode ${episodeId}`)),
            h('p', { class: 'muted' }, [first.podcast_title || pod.title, published ? fmtDate(published) : ''].filter(Boolean).join(' · ')))),
        h('ul', { class: 'search-hits' }, items.map(hitItem))));
    }
  }

  function hitItem(hit) {
    const text = h('span', { class: 'hit-snippet' });
    text.appendChild(sanitizeHtml(hit.snippet_html || ''));
    if (!text.textContent.trim()) text.textContent = hit.snippet || '';
    const atMoment = hit.kind !== 'episode';
    const where = atMoment ? fmtClock(hit.start_ms) : '';
    const link = h('a', {
      class: 'hit', href: `/episodes/${hit.episode_id}${atMoment ? `?t=${(hit.start_ms / 1000).toFixed(1)}` : ''}`,
      'aria-label': `${atMoment ? `Play from ${where}` : 'Open the episode'}${hit.speaker ? `, ${hit.speaker}` : ''}: ${hit.snippet || ''}`,
    },
    h('span', { class: 'hit-meta' },
      atMoment ? h('span', { class: 'ts' }, `▶ ${where}`) : null,
      hit.speaker ? h('span', { class: 'hit-speaker' }, hit.speaker) : null,
      KIND_WORDS[hit.kind] ? h('span', { class: 'badge' }, KIND_WORDS[hit.kind]) : null),
    text);
    link.addEventListener('click', (e) => {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return; // a new tab: the link does it
      e.preventDefault();
      onOpen(hit);
    });
    return h('li', {}, link);
  }

  // Arrow keys: ↓ from the box to the first result, ↑/↓ between results, ↑ from the first
  // back to the box.
  const onBoxKey = (e) => {
    if (e.key === 'ArrowDown') { const a = results.querySelector('a.hit'); if (a) { e.preventDefault(); a.focus(); } }
    else if (e.key === 'Enter') { e.preventDefault(); run({ now: true }); }
  };
  results.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const all = [...results.querySelectorAll('a.hit')];
    const i = all.indexOf(document.activeElement);
    if (i < 0) return;
    e.preventDefault();
    if (e.key === 'ArrowDown' && all[i + 1]) all[i + 1].focus();
    else if (e.key === 'ArrowUp') (all[i - 1] || input).focus();
  });
  const onInput = () => run();
  input.addEventListener('input', onInput);
  input.addEventListener('keydown', onBoxKey);

  // While the listener types in the box, the box is ahead of the address: keep what it says.
  if (document.activeElement !== input) input.value = initial.q || '';
  run({ now: true });

  return {
    nodes: [h('h1', {}, 'Search'), filterRow, notice, status, results],
    destroy() {
      clearTimeout(timer);
      seq++;
      if (inflight) inflight.abort();
      input.removeEventListener('input', onInput);
      input.removeEventListener('keydown', onBoxKey);
    },
  };
}
