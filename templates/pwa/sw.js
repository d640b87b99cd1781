/* Beli Produk NTT service worker (served from /sw.js by ovop/pwa.py, scope /).

   - static files (/static/, fingerprinted names) and product thumbnails (/media/thumbs/): cache first;
   - pages a shopper visited, network first, kept for when the signal drops: a product page, the cart,
     an order page (with its QR codes, drawn inline);
   - any other page without a connection: the Indonesian offline page;
   - never cached: /admin/, /produsen/ (and their /en/ forms), anything but GET. */
"use strict";
var VERSION = "{{ version|escapejs }}";
var STATIC_CACHE = "static-" + VERSION;
var PAGES_CACHE = "pages-" + VERSION;
var OFFLINE_URL = "{{ offline_url|escapejs }}";
var STATIC_URL = "{{ static_url|escapejs }}";
var THUMBS_URL = "{{ media_url|escapejs }}thumbs/";
var NEVER = /^\/(en\/)?(admin|produsen|i18n)\//;
var KEPT_PAGES = [/^\/(en\/)?produk\/[^/]+\/$/, /^\/(en\/)?keranjang\/$/, /^\/(en\/)?pesanan\/[^/]+\/$/];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(PAGES_CACHE).then(function (cache) { return cache.add(OFFLINE_URL); }));
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name !== STATIC_CACHE && name !== PAGES_CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function cacheFirst(request) {
  return caches.open(STATIC_CACHE).then(function (cache) {
    return cache.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (response.ok) { cache.put(request, response.clone()); }
        return response;
      });
    });
  });
}

function networkFirst(request) {
  return fetch(request).then(function (response) {
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(PAGES_CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request, { ignoreVary: true }).then(function (hit) { return hit || offline(); });
  });
}

function offline() {
  return caches.match(OFFLINE_URL).then(function (page) {
    return page || new Response("Tidak ada koneksi internet.", {
      status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" }
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }  /* POST answers are never cached */
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || NEVER.test(url.pathname)) { return; }
  if (url.pathname.indexOf(STATIC_URL) === 0 || url.pathname.indexOf(THUMBS_URL) === 0) {
    event.respondWith(cacheFirst(request));
    return;
  }
  if (request.mode !== "navigate") { return; }  /* htmx fragments and the rest: the network as usual */
  var kept = KEPT_PAGES.some(function (pattern) { return pattern.test(url.pathname); });
  event.respondWith(kept ? networkFirst(request) : fetch(request).catch(offline));
});
