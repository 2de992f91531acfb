// hark's service worker: keeps the app shell (the player's own files) so the installed
// app opens without the network, and stays out of everything else. It never touches
// /api/ (JSON, the event stream, audio with its Range requests), share pages (/s/...),
// other origins, or any request carrying a Range header: those always go to the network
// untouched. Shell files are fetched network-first (so a new version shows at once when
// online) and fall back to the cache when offline; navigations fall back to the cached
// index.html, which routes on the client.
const CACHE = 'hark-shell-v1';
const SHELL = ['/', '/index.html', '/styles.css', '/app.js', '/api.js', '/player.js', '/snips.js',
  '/transcript.js', '/util.js', '/sanitize.js', '/search.js', '/menu.js', '/exports.js', '/manifest.webmanifest', '/icons/icon-192.png',
  '/icons/icon-512.png', '/vendor/purify.es.mjs'];

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // One missing file (e.g. the vendored DOMPurify before install-node-deps) must not
    // stop the rest from being kept.
    await Promise.all(SHELL.map((url) => cache.add(new Request(url, { cache: 'no-cache' })).catch(() => {})));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

function handled(request) {
  if (request.method !== 'GET' || request.headers.has('range')) return false;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return false;
  if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return false;
  if (url.pathname.startsWith('/s/') || url.pathname === '/sw.js') return false;
  return true;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (!handled(request)) return; // the browser fetches it as if there were no worker
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const response = await fetch(request);
      // Keep fresh copies of shell files only (not every page path the SPA answers).
      const path = new URL(request.url).pathname;
      if (response.ok && response.type === 'basic' && SHELL.includes(path)) await cache.put(request, response.clone());
      return response;
    } catch (err) {
      const cached = await cache.match(request);
      if (cached) return cached;
      if (request.mode === 'navigate') {
        const shell = await cache.match('/index.html');
        if (shell) return shell;
      }
      throw err;
    }
  })());
});
