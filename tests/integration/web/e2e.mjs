// End-to-end test of the web player in headless Chromium (Debian's `chromium`, driven by
// playwright-core): a real `hark serve` on loopback over a fresh library, the sample
// podcast served over HTTP by this script, and a browser doing what a listener does.
//
//   node e2e.mjs   (env: HARK_BIN, HARK_WEB_DIR, HARK_SAMPLE_DIR, E2E_OUT, CHROMIUM)
//
// Checks: sign in; add the sample feed through the UI; open an episode; play; the
// transcript follows playback; S saves a snip and so does the Media Session next-track
// handler, each showing title, summary and takeaways; searching for words from a snip
// finds it and plays from its moment; the Snips page and the card's share menu (copy link,
// X and WhatsApp composers, the Markdown note, the audio clip, rename, delete); a long
// episode list paged by "Show more episodes"; a new snips feed address; the share page,
// logged out, carries OpenGraph tags; a feed whose show notes carry <script>, onerror= and
// javascript: payloads runs no script. Screenshots of each page at 1280×800 and 390×844
// go to E2E_OUT. Exits non-zero with a message on the first failure.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const here = path.dirname(new URL(import.meta.url).pathname);
const repo = path.resolve(here, '../../..');
const require = createRequire(path.join(repo, 'package.json'));
const { chromium } = require('playwright-core');

const HARK = process.env.HARK_BIN || path.join(repo, 'build-ci/hark');
const WEB = process.env.HARK_WEB_DIR || path.join(repo, 'web');
const SAMPLE = process.env.HARK_SAMPLE_DIR || path.join(repo, 'build-ci/sample-podcast');
const OUT = process.env.E2E_OUT || path.join(repo, 'build-ci/e2e');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// The local language model (scripts/llm-service, CTest fixture llm_service) when running:
// snips are then rewritten in the background and the page must update itself (SSE).
const LLM_URL_FILE = process.env.HARK_LLM_URL_FILE || path.join(repo, 'build-ci/llm-service/url');
const LLM_URL = fs.existsSync(LLM_URL_FILE) ? fs.readFileSync(LLM_URL_FILE, 'utf8').trim() : '';
const PASSWORD = 'correct horse battery';
const LONG_EPISODES = 120;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-e2e-'));
const children = [];
let failed = false;

function log(...a) { console.log('e2e:', ...a); }
function check(cond, what) { if (!cond) throw new Error(`check failed: ${what}`); log('ok -', what); }

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

// ---------- the feeds: the sample podcast over HTTP, and a hostile feed ----------
function serveFeeds(port) {
  const base = `http://127.0.0.1:${port}`;
  const fileBase = pathToFileURL(SAMPLE).href.replace(/\/$/, '');
  const hostile = `<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Hostile Notes</title><link>https://example.com</link><description>x</description>
<item><title>Payloads</title><guid>hostile-1</guid><pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate>
<enclosure url="${base}/episode1.mp3" type="audio/mpeg" length="1000"/>
<content:encoded><![CDATA[<p>Visible text.</p><script>window.__pwned='script'</script>
<img src="x" onerror="window.__pwned='onerror'"><a id="js" href="javascript:window.__pwned='href'">click me</a>
<svg onload="window.__pwned='svg'"></svg><iframe src="javascript:parent.__pwned='iframe'"></iframe>
<a href="https://example.com/ok" onclick="window.__pwned='onclick'">fine link</a>]]></content:encoded>
</item></channel></rss>`;
  // A long-running show: more episodes than one page of the podcast page holds (50).
  const longItems = Array.from({ length: LONG_EPISODES }, (_, i) => {
    const n = LONG_EPISODES - i; // newest first; episode n was published on day n
    const day = new Date(Date.UTC(2020, 0, 1) + n * 86400000).toUTCString();
    return `<item><title>Long Show #${n}</title><guid>long-${n}</guid><pubDate>${day}</pubDate>
<enclosure url="${base}/episode1.mp3" type="audio/mpeg" length="1000"/></item>`;
  }).join('\n');
  const long = `<?xml version="1.0"?>
<rss version="2.0"><channel><title>The Long Show</title><link>https://example.com/long</link>
<description>Many episodes</description>
${longItems}
</channel></rss>`;
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url, base).pathname).replace(/^\/+/, '');
    if (name === 'hostile.xml') { res.writeHead(200, { 'Content-Type': 'application/rss+xml' }); res.end(hostile); return; }
    if (name === 'long.xml') { res.writeHead(200, { 'Content-Type': 'application/rss+xml' }); res.end(long); return; }
    const file = path.join(SAMPLE, name);
    if (!file.startsWith(SAMPLE) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404); res.end(); return; }
    let body = fs.readFileSync(file);
    if (name === 'feed.xml') body = Buffer.from(body.toString('utf8').split(fileBase).join(base));
    const type = name.endsWith('.xml') ? 'application/rss+xml' : name.endsWith('.mp3') ? 'audio/mpeg' : name.endsWith('.vtt') ? 'text/vtt'
      : name.endsWith('.json') ? 'application/json' : name.endsWith('.png') ? 'image/png' : 'application/octet-stream';
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length });
    res.end(body);
  });
  server.listen(port, '127.0.0.1');
  return { server, base };
}

// ---------- hark ----------
// Asynchronous: this process also serves the feeds hark fetches.
function hark(args, input) {
  return new Promise((resolve, reject) => {
    const child = spawn(HARK, args, { env: harkEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`hark ${args.join(' ')} failed: ${err}`))));
    child.stdin.end(input || '');
  });
}
let harkPort = 0;
function harkEnv() {
  const llm = LLM_URL ? { HARK_LLM_URL: `${LLM_URL}/v1`, HARK_LLM_MODEL: 'smollm2-135m-instruct', HARK_LLM_TIMEOUT_SECONDS: '300' } : {};
  return { ...process.env, ...llm, HARK_DATA: path.join(tmp, 'data'), HARK_ALLOW_PRIVATE_NETWORKS: '1', HARK_PUBLIC_URL: `http://127.0.0.1:${harkPort}` };
}
async function startHark() {
  const child = spawn(HARK, ['serve', '--listen', `127.0.0.1:${harkPort}`, '--web-dir', WEB, '--workers', '2'], { env: harkEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const deadline = Date.now() + 20000;
  while (!/listening on/.test(out)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`hark serve did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => out };
}

// ---------- browser helpers ----------
const SIZES = [{ name: 'desktop', viewport: { width: 1280, height: 800 } }, { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }];
async function shot(page, name) {
  await page.waitForTimeout(250); // let fonts and images settle
  const size = page.viewportSize();
  const file = path.join(OUT, `${name}-${size.width}x${size.height}.png`);
  await page.screenshot({ path: file, fullPage: false });
  log('screenshot', path.relative(repo, file));
}
async function until(what, fn, timeout = 30000, every = 250) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}
function instrument(context, errors) {
  // Record Media Session handlers so the test can press "next track" like headphones do,
  // and any dialog (alert from an injected script) as a failure.
  context.addInitScript(() => {
    window.__media = {};
    if (navigator.mediaSession) {
      const orig = navigator.mediaSession.setActionHandler.bind(navigator.mediaSession);
      navigator.mediaSession.setActionHandler = (action, fn) => { window.__media[action] = fn; try { orig(action, fn); } catch { /* unsupported */ } };
    }
  });
  context.on('page', (p) => watch(p, errors));
}
// Dialogs the test expects (rename's prompt, delete's and "New address"'s confirm) are
// answered in order: a string fills a prompt, true accepts, false cancels. Any other
// dialog (an injected script's alert) is a failure.
const expectedDialogs = [];
function expectDialog(type, answer) { expectedDialogs.push({ type, answer }); }
const watched = new WeakSet();
function watch(page, errors) {
  if (watched.has(page)) return; // a context's 'page' event and main() both hand it over
  watched.add(page);
  page.on('dialog', (d) => {
    const want = expectedDialogs[0];
    if (want && want.type === d.type()) {
      expectedDialogs.shift();
      (want.answer === false ? d.dismiss() : d.accept(typeof want.answer === 'string' ? want.answer : undefined)).catch(() => {});
      return;
    }
    errors.push(`dialog: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource|net::ERR|EventSource|Loading the image 'http:\/\/127\.0\.0\.1/.test(m.text())) errors.push(`console: ${m.text()}`); });
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  check(fs.existsSync(HARK), `the hark binary exists (${HARK})`);
  check(fs.existsSync(path.join(SAMPLE, 'feed.xml')), 'the sample podcast exists');
  const feeds = serveFeeds(await freePort());
  harkPort = await freePort();
  await hark(['user', 'add', 'alice', '--admin', '--password-stdin'], `${PASSWORD}\n`);
  const server = await startHark();
  const base = `http://127.0.0.1:${harkPort}`;

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required', '--mute-audio'] });
  const errors = [];
  try {
    const context = await browser.newContext({ viewport: SIZES[0].viewport });
    instrument(context, errors);
    const page = await context.newPage();
    watch(page, errors);

    // Sign in.
    await page.goto(base + '/');
    await page.waitForSelector('#login-name');
    await shot(page, 'login');
    await page.fill('#login-name', 'alice');
    await page.fill('#login-password', PASSWORD);
    await page.click('form button[type=submit]');
    await page.waitForSelector('text=Nothing to listen to yet');
    check(true, 'signed in');

    // Add the sample feed through the UI.
    await page.click('a[data-nav=library]');
    await page.fill('#add-url', `${feeds.base}/feed.xml`);
    await page.click('form button[type=submit]');
    await page.waitForURL(/\/podcasts\/\d+$/);
    const podcastUrl = page.url();
    await page.waitForSelector('.ep-item');
    check((await page.locator('.ep-item').count()) >= 3, 'the sample feed lists its episodes');

    // The pipeline runs in the background (transcripts from the feed, chapters, insights).
    const api = (p, opts) => page.evaluate(async ([u, o]) => { const r = await fetch(u, o); return r.ok ? r.json() : { status: r.status }; }, [p, opts || {}]);
    const episodes = (await api('/api/episodes?limit=10')).episodes;
    const ep = episodes[0];
    await until('the transcript and highlights of the newest episode', async () => {
      const e = await api(`/api/episodes/${ep.id}`);
      const hl = await api(`/api/episodes/${ep.id}/highlights`);
      return e.transcript_ready && hl.highlights && hl.highlights.length > 0;
    }, 120000, 1000);
    // Audio from another origin is outside the CSP (media-src 'self' https:); hark plays
    // what it downloaded, so download it as `hark download` would on a server.
    await hark(['download', String(ep.id)]);
    await page.goto(podcastUrl);
    await page.waitForSelector('.ep-item');
    await shot(page, 'podcast');

    // Open the episode and play.
    await page.click(`a.ep-title[href="/episodes/${ep.id}"]`);
    await page.waitForSelector('.transcript .seg');
    await page.waitForSelector('text=Highlights');
    await page.click('.hero .btn-primary');
    await until('playback to start', () => page.evaluate(() => document.getElementById('audio').currentTime > 1.5), 20000);
    const firstCurrent = await until('a highlighted sentence', () => page.evaluate(() => { const c = document.querySelector('.seg.current'); return c ? Number(c.dataset.i) + 1 : 0; }));
    // Jump ahead: the highlight and the scroll follow.
    await page.evaluate(() => { const a = document.getElementById('audio'); a.currentTime = Math.min(a.duration - 5, 60); });
    const later = await until('the transcript to follow playback', () => page.evaluate((first) => { const c = document.querySelector('.seg.current'); return c && Number(c.dataset.i) + 1 > first ? Number(c.dataset.i) + 1 : 0; }, firstCurrent));
    check(later > firstCurrent, `the transcript follows playback (sentence ${firstCurrent} → ${later})`);
    // Smooth scrolling takes a moment.
    check(await until('the current sentence in view', () => page.evaluate(() => { const s = document.querySelector('.transcript'); const c = s.querySelector('.seg.current'); return !!c && c.offsetTop >= s.scrollTop - 1 && c.offsetTop < s.scrollTop + s.clientHeight; }), 5000), 'the current sentence is scrolled into view');
    await shot(page, 'episode');

    // S saves a snip: toast, card with title, summary and takeaways.
    await page.locator('body').click({ position: { x: 5, y: 300 } }).catch(() => {});
    await page.keyboard.press('s');
    await page.waitForSelector('.toast:has-text("Saved ·")');
    await until('the first snip card', async () => (await page.locator('.snip-card').count()) >= 1);
    const card = page.locator('.snip-card').first();
    check((await card.locator('.snip-title').innerText()).trim().length > 0, 'the snip has a title');
    check((await card.locator('.snip-summary').innerText()).trim().length > 0, 'the snip has a summary');
    check((await card.locator('.snip-takeaways li').count()) >= 1, 'the snip has takeaways');
    await shot(page, 'episode-snipped');

    // With a language model, the rewrite arrives over server-sent events: the card shows
    // the stored text without a reload.
    if (LLM_URL) {
      const id = Number(await card.getAttribute('data-snip'));
      const first = await api(`/api/snips/${id}`);
      const rewritten = await until('the model\'s rewrite of the snip', async () => {
        const s = await api(`/api/snips/${id}`);
        return s.updated_at > first.created_at ? s : null;
      }, 240000, 1000);
      await until('the card to show the rewrite', () => page.evaluate(([sid, title]) => {
        const el = document.querySelector(`.snip-card[data-snip="${sid}"] .snip-title`);
        return el && el.textContent === title;
      }, [id, rewritten.title]), 10000);
      check(true, `the card updated itself (${rewritten.engine}${rewritten.fallback_reason ? `, fallback: ${rewritten.fallback_reason}` : ''}: “${rewritten.title}”)`);
    } else {
      log('skipped - no language model running (', LLM_URL_FILE, ')');
    }

    // Headphones' next-track (Media Session) saves another one.
    await page.evaluate(() => { const a = document.getElementById('audio'); a.currentTime = Math.min(a.duration - 3, 100); });
    check(await page.evaluate(() => typeof window.__media.nexttrack === 'function'), 'a Media Session nexttrack handler is set');
    await page.evaluate(() => window.__media.nexttrack());
    await until('the second snip card', async () => (await page.locator('.snip-card').count()) >= 2);
    const session = await page.evaluate(() => navigator.mediaSession.metadata && navigator.mediaSession.metadata.title);
    check(session === ep.title, 'Media Session metadata names the episode');

    // Find it again: `/` focuses the search box; typing words from the first snip's quote
    // shows results as you type, grouped by episode, the words highlighted; the first
    // result opens the episode and plays from the snip's moment.
    const firstSnip = (await api('/api/snips')).snips.reduce((a, b) => (a.id < b.id ? a : b));
    const wordsOf = (snip) => [...new Set(((snip.quote || snip.summary).toLowerCase().match(/[a-z]{5,}/g) || []))].sort((a, b) => b.length - a.length).slice(0, 3);
    const words = wordsOf(firstSnip);
    check(words.length >= 2, `words to search for from the snip (${words.join(' ')})`);
    await page.evaluate(() => { const a = document.getElementById('audio'); a.pause(); a.currentTime = 1; });
    await page.locator('body').click({ position: { x: 5, y: 300 } }).catch(() => {});
    await page.keyboard.press('/');
    check(await page.evaluate(() => document.activeElement && document.activeElement.id === 'search-input'), '/ focuses the search box');
    const query = words.join(' ');
    await page.keyboard.type(query, { delay: 40 });
    await page.waitForURL((u) => u.pathname === '/search' && u.searchParams.get('q') === query);
    await page.waitForFunction((q) => { const r = document.querySelector('.search-results'); return r && r.dataset.query === q && r.querySelector('.search-group .hit'); }, query);
    check(await page.evaluate(() => document.activeElement && document.activeElement.id === 'search-input'), 'the search box keeps the focus while results come in');
    check(await until('the status to count the results', () => page.evaluate(() => /\d+ results? in \d+ episodes?/.test(document.querySelector('.search-status').textContent))), 'the results are counted');
    const marked = await page.$$eval('.hit-snippet mark', (ms) => ms.map((m) => m.textContent.toLowerCase()));
    check(marked.some((m) => words.includes(m)), `the matched words are highlighted (${[...new Set(marked)].join(', ')})`);
    check((await page.locator('.search-group').first().locator('h2 a').innerText()).trim() === ep.title, 'the first group is the snipped episode');
    // No embedding service runs here: the page says "Exact words" (what the server can do)
    // rather than "Words and meaning", without putting a mode in the address, and says why.
    check(await until('the mode to follow the server', () => page.evaluate(() => document.getElementById('search-mode').value === 'lexical'), 10000), 'without an embedding service the search page defaults to exact words');
    check(!new URL(page.url()).searchParams.has('mode'), 'a default mode stays out of the address');
    check(/embedding service/.test(await page.locator('.search-notice').innerText()), 'the page says why it searches exact words');
    await shot(page, 'search');
    const firstHit = page.locator('.search-group .hit').first();
    const hitStart = Math.round(Number(new URL(await firstHit.getAttribute('href'), base).searchParams.get('t')) * 1000);
    check(hitStart <= firstSnip.end_ms && hitStart >= firstSnip.start_ms - 45000, `the first result is the snipped moment (${hitStart} ms; snip ${firstSnip.start_ms}–${firstSnip.end_ms} ms)`);
    // By keyboard: ↓ from the box to the first result, Enter opens it.
    await page.keyboard.press('ArrowDown');
    check(await page.evaluate(() => document.activeElement === document.querySelector('.search-group .hit')), '↓ moves from the search box to the first result');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/episodes/${ep.id}\\?t=`));
    await page.waitForSelector('.transcript .seg');
    const landed = await until('playback from the moment', () => page.evaluate(() => { const a = document.getElementById('audio'); return !a.paused && a.currentTime > 0 ? a.currentTime * 1000 : 0; }), 15000);
    check(Math.abs(landed - hitStart) < 5000, `the player plays from the moment (${Math.round(landed)} ms)`);
    // Nothing found: the page says so and what to try.
    await page.fill('#search-input', 'zzqxjv');
    await page.waitForSelector('.search-results >> text=Nothing matches');
    check(true, 'no results: the page says so and what to try');
    // A slow answer to an older query never replaces a newer one, and its request is cancelled.
    const slowWord = words[0];
    let cancelled = false;
    const isSlow = (u) => new URL(u).pathname === '/api/search' && new URL(u).searchParams.get('q') === slowWord;
    page.on('requestfailed', (r) => { if (isSlow(r.url())) cancelled = true; });
    await page.route(/\/api\/search\?/, async (route) => {
      if (isSlow(route.request().url())) await new Promise((r) => setTimeout(r, 1500));
      await route.continue().catch(() => { /* cancelled meanwhile */ });
    });
    await page.fill('#search-input', slowWord);
    await page.waitForTimeout(500); // past the debounce: the slow request is under way
    await page.fill('#search-input', query);
    await page.waitForFunction((q) => document.querySelector('.search-results').dataset.query === q, query);
    await page.waitForTimeout(2000);
    check(await page.evaluate(() => document.querySelector('.search-results').dataset.query) === query, 'a slow answer to an older query does not replace newer results');
    check(cancelled, 'the older search request was cancelled');
    await page.unroute(/\/api\/search\?/);
    // A failing search says what happened and offers to try again.
    const retryQuery = words.slice(0, 2).join(' ');
    await page.route(/\/api\/search\?/, (route) => route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'the search index is busy' } }) }));
    await page.fill('#search-input', retryQuery);
    await page.waitForSelector('.search-error >> text=the search index is busy');
    await page.unroute(/\/api\/search\?/);
    await page.click('.search-error button:has-text("Try again")');
    await page.waitForFunction((q) => { const r = document.querySelector('.search-results'); return r.dataset.query === q && r.querySelector('.hit'); }, retryQuery);
    check(true, 'a failed search is explained, and "Try again" brings the results');
    // How to search: a mode the listener picks is asked for and kept in the address, even
    // "Words and meaning" without an embedding service (the server's notice says it ran on
    // words), across a reload too; "Exact words" asks the API for full-text search; "Meaning
    // only" without an embedding service (none runs here) says so and offers the words.
    const hybridRequest = page.waitForRequest((r) => { const u = new URL(r.url()); return u.pathname === '/api/search' && !u.searchParams.has('mode') && u.searchParams.get('q') === retryQuery; });
    await page.selectOption('#search-mode', 'hybrid');
    await hybridRequest;
    await until('the server\'s notice on words and meaning', async () => /full-text results only/.test(await page.locator('.search-notice').innerText()), 10000);
    check(new URL(page.url()).searchParams.get('mode') === 'hybrid', 'a chosen "Words and meaning" is kept in the address, and the server\'s notice says it ran on words');
    const again = await context.newPage();
    await again.goto(`${base}/search?q=${encodeURIComponent(retryQuery)}`);
    check(await until('the new tab to learn the default', () => again.evaluate(() => document.getElementById('search-mode').value === 'lexical'), 10000), 'a new tab also defaults to exact words');
    await again.goto(page.url());
    await again.waitForFunction((q) => { const r = document.querySelector('.search-results'); return r && r.dataset.query === q && r.querySelector('.hit'); }, retryQuery);
    await again.waitForTimeout(500);
    check(await again.inputValue('#search-mode') === 'hybrid' && new URL(again.url()).searchParams.get('mode') === 'hybrid', 'the chosen mode holds when the address is opened again');
    await again.close();
    const lexicalRequest = page.waitForRequest((r) => { const u = new URL(r.url()); return u.pathname === '/api/search' && u.searchParams.get('mode') === 'lexical' && u.searchParams.get('q') === retryQuery; });
    await page.selectOption('#search-mode', 'lexical');
    await lexicalRequest;
    const lexicalShown = (q) => { const r = document.querySelector('.search-results'); return r.dataset.query === q && r.dataset.mode === 'lexical' && r.querySelector('.hit'); };
    await page.waitForFunction(lexicalShown, retryQuery);
    check(new URL(page.url()).searchParams.get('mode') === 'lexical', 'exact-words search asks for it and keeps it in the address');
    await page.selectOption('#search-mode', 'semantic');
    await page.waitForSelector('.search-error >> text=embedding service');
    await page.click('.search-error button:has-text("Search exact words instead")');
    await page.waitForFunction(lexicalShown, retryQuery);
    check(await page.inputValue('#search-mode') === 'lexical', 'meaning search without an embedding service is explained, and the words are one click away');

    // The Snips page.
    await page.click('a[data-nav=snips]');
    await page.waitForSelector('.snip-group .snip-card');
    check((await page.locator('.snip-card').count()) >= 2, 'the Snips page lists both snips');
    await shot(page, 'snips');

    // The card's share menu: a real button with aria-expanded; Escape closes it and the
    // focus goes back to the button.
    const first = page.locator('.snip-card').first();
    const title = (await first.locator('.snip-title').innerText()).trim();
    const firstId = Number(await first.getAttribute('data-snip'));
    // With a language model running, this snip's rewrite may still land while the test goes
    // on: compare with the title as stored at the time of each check.
    const titleNow = async () => (await api(`/api/snips/${firstId}`)).title;
    const menuBtn = first.locator('.menu-btn');
    check(await menuBtn.getAttribute('aria-expanded') === 'false', 'the share menu starts closed');
    await menuBtn.click();
    check(await menuBtn.getAttribute('aria-expanded') === 'true' && await first.locator('[role=menu]').isVisible(), 'the share menu opens (aria-expanded)');
    check(await page.evaluate(() => document.activeElement && document.activeElement.getAttribute('role') === 'menuitem'), 'the focus moves into the menu');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Escape');
    check(await menuBtn.getAttribute('aria-expanded') === 'false' && !(await first.locator('[role=menu]').isVisible()), 'Escape closes the menu');
    check(await page.evaluate(() => document.activeElement && document.activeElement.classList.contains('menu-btn')), 'the focus returns to the menu button');

    // A change that arrives while the menu is open (a language model's rewrite, an edit in
    // another tab) waits: the menu stays open, and the card shows the change once it closes.
    await menuBtn.click();
    const original = await titleNow();
    const renamed = `${original} (edited elsewhere)`;
    const patchTitle = (t) => page.evaluate(async ([u, title]) => {
      const s = await (await fetch('/api/session')).json();
      const r = await fetch(u, { method: 'PATCH', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token }, body: JSON.stringify({ title }) });
      return r.status;
    }, [`/api/snips/${firstId}`, t]);
    const patched = await patchTitle(renamed);
    check(patched === 200, `the title is changed through the API (${patched})`);
    await page.waitForTimeout(1500);
    check(await menuBtn.getAttribute('aria-expanded') === 'true' && await first.locator('[role=menu]').isVisible(), 'a live update leaves the open menu open');
    await page.keyboard.press('Escape');
    await until('the card to show the change after the menu closed', async () => (await first.locator('.snip-title').innerText()).trim() === renamed, 10000);
    log('ok - the card shows the change once the menu is closed');
    // Back to the title it had (the screenshots below show the snip as the listener made it).
    check(await patchTitle(original) === 200, 'the title is changed back');
    await until('the card to show the title changed back', async () => (await first.locator('.snip-title').innerText()).trim() === original, 10000);

    // Copy share link: the snip gets its public page and the link is on the clipboard.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    await menuBtn.click();
    await first.locator('[role=menuitem]', { hasText: 'Copy share link' }).click();
    const copiedToast = page.locator('.toast', { hasText: 'Link copied' });
    await copiedToast.waitFor();
    const shareUrl = await until('the share link on the clipboard', () => page.evaluate(() => navigator.clipboard.readText()), 5000);
    check(/^https?:\/\/\S+\/s\/[A-Za-z0-9_-]+$/.test(shareUrl) && shareUrl.startsWith(base + '/s/'), `the share link is absolute and on the clipboard (${shareUrl})`);
    const sharedSnip = await api(`/api/snips/${firstId}`);
    check(shareUrl === (sharedSnip.share_url_absolute || new URL(sharedSnip.share_url, base).href), 'the clipboard holds this snip\'s share link');
    // The toast is short and on one line: the address is on the clipboard already.
    const toastLine = await copiedToast.locator('span').first().evaluate((el) => {
      const r = document.createRange();
      r.selectNodeContents(el);
      return { text: el.textContent, lines: new Set([...r.getClientRects()].map((b) => Math.round(b.top))).size };
    });
    check(toastLine.text === 'Link copied' && toastLine.lines <= 1, `the toast says "Link copied" on one line ("${toastLine.text}", ${toastLine.lines} lines)`);
    await shot(page, 'snips-copied');
    check(await page.evaluate(() => document.activeElement && document.activeElement.classList.contains('menu-btn')), 'the focus is back on the menu button after copying');

    // Share on X / WhatsApp open the composer in a new tab, with the share link in it (the
    // composers are stood in for: the test has no internet).
    await context.route(/^https:\/\/(twitter\.com|x\.com|wa\.me)\//, (r) => r.fulfill({ status: 200, contentType: 'text/html', body: '<title>composer</title>' }));
    for (const [item, host] of [['Share on X', 'twitter.com'], ['Share on WhatsApp', 'wa.me']]) {
      await menuBtn.click();
      const [tab] = await Promise.all([context.waitForEvent('page'), first.locator('[role=menuitem]', { hasText: item }).click()]);
      await tab.waitForURL(/^https:/, { timeout: 10000 });
      const intent = tab.url();
      check(new URL(intent).host === host && decodeURIComponent(intent).includes(shareUrl), `${item} opens ${host} with the share link (${intent.slice(0, 70)}…)`);
      check(await tab.evaluate(() => window.opener === null), `${item}: the new tab has no opener`);
      await tab.close();
    }

    // Download the episode's Markdown note from the menu.
    await menuBtn.click();
    const [download] = await Promise.all([page.waitForEvent('download'), first.locator('[role=menuitem]', { hasText: 'Markdown' }).click()]);
    const note = fs.readFileSync(await download.path(), 'utf8');
    check(download.suggestedFilename().endsWith('.md') && note.startsWith('---') && (note.includes(title) || note.includes(await titleNow())), `the Markdown note downloads (${download.suggestedFilename()}) with the snip in it`);
    check(!(await first.locator('[role=menu]').isVisible()), 'the menu folds away after the download');
    // And the snip's audio clip (cut by the server from the downloaded episode).
    await menuBtn.click();
    const [clip] = await Promise.all([page.waitForEvent('download', { timeout: 120000 }), first.locator('[role=menuitem]', { hasText: 'audio clip' }).click()]);
    const clipBytes = fs.readFileSync(await clip.path());
    check(clip.suggestedFilename().endsWith('.m4a') && clipBytes.length > 2000 && clipBytes.subarray(4, 8).toString('latin1') === 'ftyp', `the audio clip downloads (${clip.suggestedFilename()}, ${clipBytes.length} bytes of MP4)`);
    await menuBtn.click();
    await shot(page, 'snips-menu');
    await page.keyboard.press('Escape');

    // The Snips page gives the address of the snips RSS feed; it answers without a cookie.
    await page.click('.snips-export summary');
    const feedUrl = await until('the feed address', () => page.inputValue('#snips-feed-url'), 5000);
    const feedRes = await fetch(feedUrl);
    const feedXml = await feedRes.text();
    check(feedUrl.startsWith(base) && feedRes.status === 200 && feedXml.includes('<rss') && (feedXml.match(/<item>/g) || []).length >= 2, `the snips feed address works in a feed reader (${feedUrl.replace(/[^/]+$/, '…')})`);
    // All snips download from the same panel: one Markdown document, and the JSON backup.
    const [allMd] = await Promise.all([page.waitForEvent('download'), page.click('a.btn[href="/api/exports/markdown"]')]);
    const allText = fs.readFileSync(await allMd.path(), 'utf8');
    check(allMd.suggestedFilename() === 'hark-snips.md' && allText.startsWith('# My snips from hark') && (allText.includes(title) || allText.includes(await titleNow())), 'all snips download as one Markdown document');
    const [allJson] = await Promise.all([page.waitForEvent('download'), page.click('a.btn[href="/api/exports/json"]')]);
    const backup = JSON.parse(fs.readFileSync(await allJson.path(), 'utf8'));
    check(allJson.suggestedFilename() === 'hark-library.json' && backup.format === 'hark-library' && backup.snips.length >= 2, `the JSON backup downloads (${backup.snips.length} snips)`);

    // The PWA: a manifest with icons, and a service worker that leaves the API alone.
    const manifest = await api('/manifest.webmanifest');
    check(manifest.display === 'standalone' && manifest.icons.some((i) => i.sizes === '512x512') && manifest.start_url === '/', 'the manifest makes hark installable');
    check(await until('the service worker', () => page.evaluate(async () => { const r = await navigator.serviceWorker.getRegistration(); return !!(r && r.active); }), 15000), 'the service worker is active');
    const cached = await page.evaluate(async () => { const c = await caches.open('hark-shell-v1'); return (await c.keys()).map((r) => new URL(r.url).pathname); });
    check(cached.includes('/app.js') && cached.includes('/index.html'), 'the app shell is cached');
    check(!cached.some((p) => p.startsWith('/api/') || p.startsWith('/s/')), 'nothing from /api/ or share pages is cached');

    // Settings and Home.
    await page.click('a[data-nav=settings]');
    await page.waitForSelector('h2:has-text("Jobs")');
    await shot(page, 'settings');
    // Send snips: a saved Readwise token is never shown back, and the Share menu offers it.
    const rwCard = page.locator('.export-service', { has: page.locator('#export-readwise-token') });
    await page.fill('#export-readwise-token', 'e2e-readwise-token-0000-5678');
    await rwCard.locator('button[type=submit]').click();
    await page.waitForSelector('#export-readwise-token[placeholder*="ends in 5678"]');
    check(!(await page.content()).includes('e2e-readwise-token') && await page.inputValue('#export-readwise-token') === '', 'the saved Readwise token is not shown back (only its last four characters)');
    check(await rwCard.locator('button', { hasText: 'Send all snips now' }).isEnabled(), 'Send all snips now is offered once a token is saved');
    await page.locator('#send-snips').scrollIntoViewIfNeeded();
    await shot(page, 'settings-send');
    await page.click('a[data-nav=snips]');
    await page.locator('.snip-card .menu-btn').first().click();
    check(await page.locator('.snip-card [role=menuitem]', { hasText: 'Send to Readwise' }).count() === 1, 'a snip\'s Share menu offers Send to Readwise once it is set up');
    check(await page.locator('.snip-card [role=menuitem]', { hasText: 'Send to Notion' }).count() === 0, 'and not Notion, which is not set up');
    await page.keyboard.press('Escape');
    await page.click('a[data-nav=home]');
    await page.waitForSelector('h2:has-text("New episodes")');
    await shot(page, 'home');
    await page.click('a[data-nav=library]');
    await page.waitForSelector('.grid');
    await shot(page, 'library');

    // The share page, logged out, with JavaScript off: it must stand on its own.
    const anon = await browser.newContext({ viewport: SIZES[0].viewport, javaScriptEnabled: false });
    const sp = await anon.newPage();
    const titleBefore = await titleNow();
    const resp = await sp.goto(shareUrl);
    check(resp.status() === 200, 'the share page answers 200 without an account');
    const og = await sp.evaluate(() => Object.fromEntries([...document.querySelectorAll('meta[property^="og:"], meta[name^="twitter:"]')].map((m) => [m.getAttribute('property') || m.getAttribute('name'), m.content])));
    check([titleBefore, await titleNow()].includes(og['og:title']), 'og:title is the snip title');
    check(og['og:url'] === shareUrl, 'og:url is the absolute share URL');
    check(og['og:description'] && og['og:description'].length > 0, 'og:description is set');
    check(og['og:audio'] && og['og:audio'].startsWith(base), 'og:audio is absolute');
    check(!!og['twitter:card'], 'a Twitter card is set');
    check((await sp.locator('audio[src*="#t="]').count()) === 1, 'a player for just the range');
    check((await sp.locator('text=Listen to the full episode').count()) === 1, '"Listen to the full episode" is there');
    await shot(sp, 'share');

    // A feed with hostile show notes runs no script.
    await page.goto(base + '/library');
    await page.fill('#add-url', `${feeds.base}/hostile.xml`);
    await page.click('form button[type=submit]');
    await page.waitForURL(/\/podcasts\/\d+$/);
    await page.click('a.ep-title');
    await page.waitForSelector('details.notes');
    await page.click('details.notes summary');
    await page.waitForSelector('.notes-body >> text=Visible text.');
    await page.locator('.notes-body a', { hasText: 'click me' }).click().catch(() => {});
    await page.waitForTimeout(1000);
    check(await page.evaluate(() => window.__pwned === undefined), 'no injected script ran');
    check(await page.evaluate(async () => (await import('/sanitize.js')).hasDomPurify()), 'the notes went through DOMPurify');
    check(await page.evaluate(() => document.querySelectorAll('.notes-body script, .notes-body img, .notes-body iframe, .notes-body svg, .notes-body [onerror], .notes-body [onclick], .notes-body a[href^="javascript"]').length === 0), 'the notes keep no scripts, handlers or javascript: links');
    check(await page.evaluate(() => !!document.querySelector('.notes-body a[href="https://example.com/ok"]')), 'ordinary links survive');
    await shot(page, 'hostile-notes');

    // A long episode list: the newest 50 first; "Show more episodes" fetches the next page
    // by cursor until every episode is there, and then goes away.
    await page.goto(base + '/library');
    await page.fill('#add-url', `${feeds.base}/long.xml`);
    await page.click('form button[type=submit]');
    await page.waitForURL(/\/podcasts\/\d+$/);
    await page.waitForSelector('.ep-item');
    check((await page.locator('.ep-item').count()) === 50, `a podcast with ${LONG_EPISODES} episodes lists its newest 50`);
    const moreBtn = page.locator('button', { hasText: 'Show more episodes' });
    check(await moreBtn.isVisible(), '"Show more episodes" is offered');
    const pageQueries = [];
    const onRequest = (r) => { const u = new URL(r.url()); if (/^\/api\/podcasts\/\d+\/episodes$/.test(u.pathname)) pageQueries.push(u.searchParams); };
    page.on('request', onRequest);
    for (const want of [100, LONG_EPISODES]) {
      await moreBtn.click();
      await until(`${want} episodes listed`, async () => (await page.locator('.ep-item').count()) === want, 15000);
    }
    page.off('request', onRequest);
    const longTitles = await page.$$eval('.ep-item a.ep-title', (as) => as.map((a) => a.textContent.trim()));
    check(longTitles.length === LONG_EPISODES && longTitles.every((t, i) => t === `Long Show #${LONG_EPISODES - i}`), 'every episode is listed once, newest first, across the pages');
    check(pageQueries.length === 2 && pageQueries.every((q) => q.get('cursor') && !q.get('offset')), 'the next pages are fetched by cursor');
    check(await moreBtn.isHidden(), 'the button goes away after the last page');
    await shot(page, 'podcast-long');

    // Rename and delete through a card's menu, on the snip that is not shared (its share
    // page was checked above). With a language model, that snip's rewrite lands first, so
    // it cannot replace the new title afterwards.
    const target = (await api('/api/snips')).snips.find((x) => x.id !== firstId);
    if (LLM_URL) {
      await until('the model to be done with the other snip', async () => {
        const x = await api(`/api/snips/${target.id}`);
        return x.engine.startsWith('llm:') || (x.fallback_reason && !/will retry/.test(x.fallback_reason));
      }, 240000, 1000);
    }
    await page.goto(base + '/snips');
    const tcard = page.locator(`.snip-card[data-snip="${target.id}"]`);
    await tcard.waitFor();
    const newTitle = 'Renamed in the browser';
    expectDialog('prompt', newTitle);
    // A desktop menu never reaches under the sticky header or the docked player, wherever
    // its card is (how tall the cards above are depends on what the model wrote).
    const menuClear = (card) => card.locator('[role=menu]').evaluate((list) => {
      const r = list.getBoundingClientRect();
      const player = document.getElementById('player').getBoundingClientRect();
      const header = document.getElementById('app-header').getBoundingClientRect();
      return r.height > 0 && r.bottom <= player.top + 0.5 && r.top >= header.bottom - 0.5;
    });
    await tcard.locator('.menu-btn').click();
    check(await menuClear(tcard), 'the card\'s menu opens clear of the header and the player');
    await tcard.locator('[role=menuitem]', { hasText: 'Rename' }).click();
    await until('the card to show the new title', async () => (await tcard.locator('.snip-title').innerText()).trim() === newTitle, 10000);
    check((await api(`/api/snips/${target.id}`)).title === newTitle, 'Rename in the card\'s menu renames the snip, and it is stored');
    // In a short window the first card's menu has room neither above its button nor below:
    // the page scrolls it clear of the player, and it scrolls inside when taller than the room.
    await page.setViewportSize({ width: 1280, height: 520 });
    await page.goto(base + '/snips');
    const shortCard = page.locator('.snip-card').first();
    await shortCard.waitFor();
    await shortCard.locator('.menu-btn').click();
    check(await menuClear(shortCard), 'in a short window the menu opens clear of the header and the player');
    const lastItem = shortCard.locator('[role=menuitem]').last();
    await lastItem.scrollIntoViewIfNeeded();
    check(await lastItem.evaluate((el) => el.getBoundingClientRect().bottom <= document.getElementById('player').getBoundingClientRect().top + 0.5), 'its last item can be reached above the player');
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1280, height: 800 });
    expectDialog('confirm', false);
    await tcard.locator('.menu-btn').click();
    // The last card's menu opens clear of the docked player (upwards when it must).
    check(await page.evaluate(() => document.querySelector('[role=menu]:not([hidden])').getBoundingClientRect().bottom <= document.getElementById('player').getBoundingClientRect().top), 'the last card\'s menu is not hidden behind the player');
    await shot(page, 'snips-menu-last');
    await tcard.locator('[role=menuitem]', { hasText: 'Delete' }).click();
    await page.waitForTimeout(500);
    check((await tcard.count()) === 1 && (await api(`/api/snips/${target.id}`)).id === target.id, 'cancelling Delete keeps the snip');
    expectDialog('confirm', true);
    await tcard.locator('.menu-btn').click();
    await tcard.locator('[role=menuitem]', { hasText: 'Delete' }).click();
    await page.waitForSelector(`.toast:has-text("Deleted “${newTitle}”")`);
    await until('the card to go away', async () => (await tcard.count()) === 0, 10000);
    check((await api(`/api/snips/${target.id}`)).status === 404, 'Delete in the card\'s menu deletes the snip (404 afterwards)');
    check((await page.locator('.snip-card').count()) >= 1, 'the other snip is still listed');

    // "New address" replaces the snips feed's address: the new one works, the old one is refused.
    await page.click('.snips-export summary');
    const oldFeed = await until('the feed address', () => page.inputValue('#snips-feed-url'), 5000);
    expectDialog('confirm', true);
    await page.click('.snips-export button:has-text("New address")');
    const newFeed = await until('a new feed address', async () => { const v = await page.inputValue('#snips-feed-url'); return v && v !== oldFeed ? v : null; }, 10000);
    const [oldStatus, newStatus] = [(await fetch(oldFeed)).status, (await fetch(newFeed)).status];
    check(oldStatus === 404 && newStatus === 200, `"New address" makes a working feed address and turns the old one off (${newStatus}, old ${oldStatus})`);
    check(expectedDialogs.length === 0, 'every expected dialog was shown');
    await shot(page, 'snips-feed');

    // The same pages on a phone.
    const state = await context.storageState();
    const phone = await browser.newContext({ ...SIZES[1], storageState: state });
    instrument(phone, errors);
    // Phones have the Web Share API (headless Chromium on Linux does not): stand in for
    // the system share sheet and record what it was given.
    await phone.addInitScript(() => { navigator.share = async (data) => { window.__shared = data; }; });
    const pp = await phone.newPage();
    watch(pp, errors);
    // The phone searches for the snip that is left (the first one was deleted above), so its
    // results show a transcript moment and the snip itself ("Your snip").
    const phoneQuery = wordsOf((await api('/api/snips')).snips[0]).join(' ');
    for (const [route, sel, name] of [['/', 'h2', 'home'], ['/library', '.grid', 'library'], [new URL(podcastUrl).pathname, '.ep-item', 'podcast'], [`/episodes/${ep.id}`, '.transcript .seg', 'episode'], ['/snips', '.snip-card', 'snips'], [`/search?q=${encodeURIComponent(phoneQuery)}`, '.hit', 'search'], ['/settings', 'h2', 'settings']]) {
      await pp.goto(base + route);
      await pp.waitForSelector(sel);
      await shot(pp, name);
    }
    await pp.locator('#export-readwise-token').scrollIntoViewIfNeeded();
    await shot(pp, 'settings-send');
    // Dark mode (following the system): the search page and the share menu.
    await pp.emulateMedia({ colorScheme: 'dark' });
    await pp.goto(`${base}/search?q=${encodeURIComponent(phoneQuery)}`);
    await pp.waitForSelector('.hit mark');
    await shot(pp, 'search-dark');
    // A fresh page asks which send targets are set up before any menu opens, so the first
    // Share menu after a load already offers "Send to Readwise" (set up above).
    const openSnips = async () => {
      const targetsLoaded = pp.waitForResponse((r) => new URL(r.url()).pathname === '/api/settings/exports', { timeout: 10000 });
      await pp.goto(base + '/snips');
      await targetsLoaded.catch(() => { throw new Error('a fresh page did not ask which send targets are set up (GET /api/settings/exports) before a Share menu opened'); });
      await pp.locator('.snip-card .menu-btn').first().click();
      await pp.waitForSelector('[role=menu]');
    };
    await openSnips();
    await shot(pp, 'snips-menu-dark');
    await pp.emulateMedia({ colorScheme: 'light' });
    await openSnips();
    check(await pp.locator('.snip-card').first().locator('[role=menuitem]', { hasText: 'Send to Readwise' }).count() === 1, 'the first Share menu after a page load offers Send to Readwise');
    // The sheet is apart from its card, so it says which snip it is for: a heading with the
    // snip's title above the items, which is also the menu's accessible name; a long title
    // stops after two lines.
    const phoneCard = pp.locator('.snip-card').first();
    const sheetHead = async () => pp.evaluate(() => {
      const menu = document.querySelector('.snip-card [role=menu]:not([hidden])');
      const t = menu && menu.querySelector('.menu-heading-title');
      if (!t) return null;
      const r = t.getBoundingClientRect(), item = menu.querySelector('[role=menuitem]').getBoundingClientRect(), m = menu.getBoundingClientRect();
      const lh = parseFloat(getComputedStyle(t).lineHeight);
      return { text: t.textContent, shown: r.height > 0 && r.top >= m.top && r.bottom <= item.top && r.top >= 0, lines: Math.round(r.height / lh), clipped: t.scrollHeight > t.clientHeight + 1 };
    });
    const cardTitle = (await phoneCard.locator('.snip-title').innerText()).trim();
    const head = await until('the Share sheet\'s heading', async () => { const x = await sheetHead(); return x && x.shown && x.text === cardTitle ? x : null; }, 5000);
    check(head.lines <= 2, `on a phone the Share sheet is headed by its snip's title ("${head.text}")`);
    check(await pp.getByRole('menu', { name: `Share or export ${cardTitle}` }).count() === 1, 'and the heading names the menu for screen readers');
    await shot(pp, 'snips-menu');
    const longTitle = 'What the study really measured, why the abstract oversold it, and the three questions to ask before you believe any headline about a new scientific result';
    await pp.keyboard.press('Escape');
    check(await patchTitle(longTitle) === 200, 'the snip gets a long title');
    await until('the phone card to show the long title', async () => (await phoneCard.locator('.snip-title').innerText()).trim() === longTitle, 10000);
    await phoneCard.locator('.menu-btn').click();
    const longHead = await until('the long title in the sheet', async () => { const x = await sheetHead(); return x && x.shown && x.text === longTitle ? x : null; }, 5000);
    check(longHead.lines === 2 && longHead.clipped, `a long title stops after two lines in the sheet (${longHead.lines} lines)`);
    await shot(pp, 'snips-menu-long');
    await pp.keyboard.press('Escape');
    check(await patchTitle(cardTitle) === 200, 'the title is changed back');
    await until('the phone card to show its title again', async () => (await phoneCard.locator('.snip-title').innerText()).trim() === cardTitle, 10000);
    await phoneCard.locator('.menu-btn').click();
    const phoneTitle = (await phoneCard.locator('.snip-title').innerText()).trim();
    await phoneCard.locator('[role=menuitem]', { hasText: 'Share…' }).click();
    const shared = await until('the share sheet', () => pp.evaluate(() => window.__shared || null), 5000);
    const phoneNow = (await api(`/api/snips/${await phoneCard.getAttribute('data-snip')}`)).title;
    check([phoneTitle, phoneNow].includes(shared.title) && /\/s\/[A-Za-z0-9_-]+$/.test(shared.url) && shared.url.startsWith(base), `the Web Share sheet gets the title and the share link (${shared.url})`);
    const anonPhone = await browser.newContext({ ...SIZES[1], javaScriptEnabled: false });
    const sp2 = await anonPhone.newPage();
    await sp2.goto(shareUrl);
    await shot(sp2, 'share');
    const loginPhone = await browser.newContext(SIZES[1]);
    const lp = await loginPhone.newPage();
    await lp.goto(base + '/');
    await lp.waitForSelector('#login-name');
    await shot(lp, 'login');

    check(errors.length === 0, `no script errors or dialogs${errors.length ? `:\n  ${errors.join('\n  ')}` : ''}`);
    log(`all checks passed; screenshots in ${OUT}`);
  } finally {
    await browser.close().catch(() => {});
    server.child.kill('SIGTERM');
    await new Promise((r) => { if (server.child.exitCode !== null) r(); else server.child.on('exit', r); setTimeout(r, 10000); });
    if (server.child.exitCode !== 0 && !failed) log('hark serve output:\n' + server.output());
    feeds.server.close();
  }
}

main().catch((e) => {
  failed = true;
  console.error('e2e: FAILED:', e.message);
  for (const c of children) { try { c.kill('SIGTERM'); } catch { /* gone */ } }
  process.exitCode = 1;
}).finally(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});
