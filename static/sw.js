// xai-web's service worker. It keeps the app shell (index.html and the files it loads) in a cache
// that holds exactly one build, so that:
// - a warm start needs no network round trip before the first paint (and the app opens offline);
// - a page never runs a mix of two deployments' files: its page and every file it loads come from
//   one build's cache, checked file by file against that build's hashes when it was stored (a
//   build whose files fail the check is not stored: its pages come from the network);
// - a new deployment (a new sw.js, which the browser checks for on every visit) is picked up on the
//   next visit: the new worker stores the new build beside the old one, and takes over once no
//   page of the old build is left, or at once when the only such page is being reloaded.
// Everything else (gRPC-Web calls, config.json, images, the widget's page, other routes) goes to
// the network untouched.
'use strict';

// Written by scripts/write-service-worker.mjs: { version, files: [{ name, sha256 }] }. Left null
// (trunk serve, an unprocessed copy), the worker stores and intercepts nothing.
const BUILD = null;

const CACHE_PREFIX = 'xai-web-shell-';
const CACHE = BUILD && CACHE_PREFIX + BUILD.version;
const PAGE = 'index.html';
const NAMES = new Set(BUILD ? BUILD.files.map((file) => file.name) : []);
// The app's pages, relative to the scope (keep in step with the routes in src/app.rs and the base
// script of index.html). The widget's route is not one: its page has its own framing policy, so
// it always comes from the network.
const APP_PAGE = /^(?:index\.html|(?:chat|images|models|batches|keys|sample|settings)(?:\/.*)?)?$/;
const TAKE_OVER = 'xai-web:take-over';

self.addEventListener('install', (event) => {
  if (BUILD) event.waitUntil(storeBuild());
});

self.addEventListener('activate', (event) => {
  event.waitUntil(dropOtherBuilds());
});

self.addEventListener('message', (event) => {
  if (event.data === TAKE_OVER) event.waitUntil(self.skipWaiting());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (!BUILD || request.method !== 'GET') return;
  const url = new URL(request.url);
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  const path = url.pathname.slice(scope.pathname.length);
  if (request.mode === 'navigate') {
    if (APP_PAGE.test(path)) event.respondWith(appPage(event));
    return;
  }
  // A deep link's page asks for its files under the link's directory until its <base> is set
  // (/models/main-<hash>.css): the name is what counts, from snippets/ on for the files in that
  // folder (snippets/wasm-split-<hash>/chunk_7.wasm).
  const folder = path.lastIndexOf('snippets/');
  const name = folder >= 0 ? path.slice(folder) : path.slice(path.lastIndexOf('/') + 1);
  if (name !== PAGE && NAMES.has(name) && !url.search) event.respondWith(shellFile(request, name));
});

/**
 * Fetches every file of the build, checks each against its hash, and stores them together. A
 * failed fetch fails the install (the browser tries again on a later visit; the old worker stays).
 * Files that are not this build's (edited on the server after the build) are a deployment that
 * will not mend itself: the worker then stores nothing and leaves every request to the network,
 * so visitors get the deployment as served (without an offline start) rather than an older one.
 */
async function storeBuild() {
  const scope = self.registration.scope;
  const fetchFile = async ({ name, sha256 }, cache) => {
    const response = await fetch(new URL(name === PAGE ? './' : name, scope), { cache });
    if (!response.ok || response.redirected) throw new Error(`${name}: HTTP ${response.status}`);
    return { name, sha256, response, matches: (await digest(response.clone())) === sha256 };
  };
  let responses = await Promise.all(BUILD.files.map((file) => fetchFile(file, 'no-cache')));
  // A file that fails its check is asked for once more from the server itself, past the HTTP
  // cache: the page installing the worker may be downloading the same file at that moment (the
  // chat's messages' code), and a copy the cache gave is not proof that the server's is edited.
  responses = await Promise.all(responses.map((file) => (file.matches ? file : fetchFile(file, 'reload'))));
  if (responses.some((file) => !file.matches)) return;
  const cache = await caches.open(CACHE);
  await Promise.all(responses.map(({ name, response }) => cache.put(name, response)));
}

async function dropOtherBuilds() {
  const keys = await caches.keys();
  await Promise.all(keys.filter((key) => key.startsWith(CACHE_PREFIX) && key !== CACHE).map((key) => caches.delete(key)));
}

/** A navigation to one of the app's pages. */
async function appPage(event) {
  const waiting = self.registration.waiting;
  if (waiting && (await self.clients.matchAll({ type: 'window' })).length <= 1) {
    // A newer build is stored and this page is its only obstacle: the page being replaced gets
    // the new build from the network, and the new worker takes over from here. Offline, this
    // build stays, whole.
    try {
      const response = await fetch(event.request);
      waiting.postMessage(TAKE_OVER);
      // This worker stays up until the new one moves (a worker stopped right after sending may
      // take the message with it, leaving the new build waiting behind the page it just served).
      event.waitUntil(moved(waiting, 5000));
      return response;
    } catch {
      // Served from this build's cache below.
    }
  }
  const cached = await caches.match(PAGE, { cacheName: CACHE });
  if (!cached) return fetch(event.request);
  event.waitUntil(refreshPageHeaders());
  return cached;
}

/**
 * The stored page's headers carry the server's Content-Security-Policy, whose connect-src follows
 * config.json's endpoint, which a deployer can change without a new build: after each visit the
 * page is fetched again and stored when its bytes are still this build's.
 */
async function refreshPageHeaders() {
  try {
    const response = await fetch(new URL('./', self.registration.scope), { cache: 'no-cache' });
    const page = BUILD.files.find((file) => file.name === PAGE);
    const current = response.ok && !response.redirected && (await digest(response.clone())) === page.sha256;
    // A newer worker may have taken over and dropped this build's cache meanwhile.
    if (current && (await caches.has(CACHE))) {
      await (await caches.open(CACHE)).put(PAGE, response);
    }
  } catch {
    // Offline or a server error: the stored page stays as it is.
  }
}

/** Resolves once `worker` leaves the waiting state, or after `ms`. */
function moved(worker, ms) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    worker.addEventListener('statechange', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function shellFile(request, name) {
  return (await caches.match(name, { cacheName: CACHE })) ?? fetch(request);
}

async function digest(response) {
  const hash = await crypto.subtle.digest('SHA-256', await response.arrayBuffer());
  return Array.from(new Uint8Array(hash), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
