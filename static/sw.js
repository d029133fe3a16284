// XinQiao's service worker: the app shell and the pages marked for offline use, and the outbox
// replayed on Background Sync. Nothing here is loaded from outside the server.
"use strict";

var VERSION = "2026-12-02.1"; // bump when a static file changes, so phones fetch the new ones
var SHELL = "xinqiao-shell-" + VERSION;
var PAGES = "xinqiao-pages-" + VERSION;
var SHELL_FILES = [
  "/static/app.css",
  "/static/app.js",
  "/static/vendor/htmx-2.0.11.min.js",
  "/static/icon.svg",
  "/static/icons/icon-192.png",
  "/offline"
];

importScripts("/static/app.js"); // XinQiaoOutbox: the same outbox code the pages use

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) {
    return cache.addAll(SHELL_FILES);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.indexOf("xinqiao-") === 0 && key !== SHELL && key !== PAGES;
    }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

function fromShell(request) {
  return caches.match(request).then(function (cached) {
    return cached || fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(SHELL).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    });
  });
}

// Attached files (/attachments/: the photo of a signed home-visit form, whose page also names
// the child; inspection photos; 整改 evidence) never stay on a phone, whatever headers they come
// with: the fetch handler leaves them to the network, and keep() refuses them besides.
function neverKept(url) {
  return new URL(url, self.location.origin).pathname.indexOf("/attachments/") === 0;
}

function keep(url, response) {
  if (!response.ok || !response.headers.get("X-Offline-Page") || neverKept(url)) return Promise.resolve();
  return caches.open(PAGES).then(function (cache) { return cache.put(url, response); });
}

// A roster names the forms of her role (X-Offline-Forms): each is fetched and kept once per
// visit to the roster, so every child on it can be recorded offline without opening her form.
function keepForms(list) {
  return Promise.all(list.split(" ").filter(Boolean).map(function (path) {
    var url = new URL(path, self.location.origin).href;
    return fetch(url, { credentials: "same-origin", redirect: "manual", cache: "no-store" })
      .then(function (response) { return keep(url, response); }, function () {});
  }));
}

// The kept copy of a page; for a form about one child (?child=<id>) never opened here, the
// form's one child-less copy (?child=), which app.js fills in from the kept roster.
function keptPage(url) {
  return caches.match(url, { ignoreVary: true, cacheName: PAGES }).then(function (page) {
    if (page) return page;
    var address = new URL(url);
    if (!/^[0-9]+$/.test(address.searchParams.get("child") || "")) return null;
    address.search = "?child=";
    return caches.match(address.href, { ignoreVary: true, cacheName: PAGES }).then(function (copy) {
      // A new response, so the page's address stays the child's (a kept one answers with its own).
      return copy && new Response(copy.body, { status: copy.status, statusText: copy.statusText, headers: copy.headers });
    });
  });
}

// Network first; a copy is kept only when the server marked the page (X-Offline-Page):
// the app shell, create forms and the user's own roster, never case notes or concerns.
function networkFirst(event) {
  var request = event.request;
  return fetch(request).then(function (response) {
    var forms = response.ok && response.headers.get("X-Offline-Forms");
    event.waitUntil(keep(request.url, response.clone()).then(function () {
      if (forms) return keepForms(forms);
    }));
    return response;
  }).catch(function () {
    return keptPage(request.url).then(function (page) {
      return page || caches.match("/offline", { ignoreVary: true });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (neverKept(request.url)) return; // attached files: straight to the network, never cached
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(fromShell(request));
  } else if (request.mode === "navigate" || request.headers.get("HX-Boosted")) {
    // Whole pages only: a fragment (the inbox badge, a search) must not get a page instead.
    event.respondWith(networkFirst(event));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag === XinQiaoOutbox.SYNC_TAG) event.waitUntil(XinQiaoOutbox.replay());
});

self.addEventListener("message", function (event) {
  // Sign-out: rosters and forms kept for offline use go with the session.
  if (event.data && event.data.type === "clear-pages") {
    event.waitUntil(caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) { return key.indexOf("xinqiao-pages-") === 0; })
        .map(function (key) { return caches.delete(key); }));
    }));
  }
});
