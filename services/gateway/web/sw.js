// The service worker, so that the app can be installed and opens without a network: on a phone with
// a poor connection, in a train, after a reload offline. It never caches the API (/v1): personal data
// is never stored by it, and every screen reads it from the network (offline, the screen says so).
//   - at install, the app shell: the page and every file of this version (scripts, styles, texts,
//     icons), so that every screen opens offline, even one not shown before;
//   - files under /assets/<version>/ never change: cache first;
//   - the page itself: network first, the cached copy when offline.
// A new release changes the version below, which replaces the old cache.

const VERSION = '%ASSETS%';
const CACHE = `coach-${VERSION}`;
// Filled in by the gateway (services/gateway/routes/web.py): every asset of this version.
const ASSET_FILES = %ASSET_FILES%;
const SHELL = ['/', '/manifest.webmanifest', ...ASSET_FILES.map((name) => `${VERSION}/${name}`)];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/v1/')) return; // personal data: always the network, never a copy
  if (url.pathname.startsWith(VERSION + '/')) {
    event.respondWith(caches.open(CACHE).then(async (cache) => {
      // The gateway answers "Vary: Origin" (CORS), and a module script is asked with an Origin header
      // that the copies kept at install lack: a file of one version is the same whoever asks.
      const cached = await cache.match(request, { ignoreVary: true });
      if (cached) return cached;
      const response = await fetch(request);
      if (response.ok) cache.put(request, response.clone());
      return response;
    }));
  } else if (request.mode === 'navigate') {
    // Every client path answers the same page: offline, the cached one opens the app at that path.
    event.respondWith(fetch(request).catch(async () => (await caches.match('/', { ignoreVary: true })) || Response.error()));
  }
});
