/* ukmlearn service worker: offline re-reading of what the learner opened or saved.
   Rendered by ukmlearn.views.service_worker with the current static file names. Pages
   always work without it; it only answers when the network does not. */
"use strict";
const SHELL = "shell-{{ version }}";
const PAGES = "pages-v1";
const PICTURES = "pictures-v1";
const OFFLINE_URL = "{{ offline_url }}";
const SHELL_URLS = {{ shell_urls|safe }};
// Pages worth keeping for offline reading: home, course pages and lessons.
const KEPT = /^\/(courses\/[^/]+\/(lessons\/\d+\/)?)?$/;
// On a weak signal, wait this long for the network before showing the stored copy.
const PATIENCE_MS = 6000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL).then((cache) => cache.addAll(SHELL_URLS)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((key) => key.startsWith("shell-") && key !== SHELL).map((key) => caches.delete(key))
      ))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request, url));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(stored(request, SHELL));
  } else if (url.pathname.startsWith("/media/pictures/")) {
    event.respondWith(picture(request, url));
  }
});

async function page(request, url) {
  const cached = KEPT.test(url.pathname) ? await caches.match(url.pathname, { cacheName: PAGES }) : null;
  const network = fetch(request).then((response) => {
    if (KEPT.test(url.pathname) && response.ok && response.type === "basic" && !response.redirected) {
      const copy = response.clone();
      caches.open(PAGES).then((cache) => cache.put(url.pathname, copy));
    }
    return response;
  });
  try {
    if (!cached) return await network;
    return await Promise.race([
      network,
      new Promise((resolve) => setTimeout(() => resolve(cached), PATIENCE_MS)),
    ]);
  } catch (error) {
    return cached || (await caches.match(OFFLINE_URL, { cacheName: SHELL })) || Response.error();
  }
}

async function stored(request, cacheName) {
  const cache = await caches.open(cacheName);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) cache.put(request, response.clone());
  return response;
}

async function picture(request, url) {
  try {
    return await stored(request, PICTURES);
  } catch (error) {
    // Offline: another stored size of the same picture will do.
    const stem = url.pathname.replace(/(-\d+)?\.(webp|jpg)$/, "");
    const cache = await caches.open(PICTURES);
    for (const key of await cache.keys()) {
      if (new URL(key.url).pathname.startsWith(stem)) return cache.match(key);
    }
    return Response.error();
  }
}
