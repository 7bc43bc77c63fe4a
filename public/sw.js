// Agora's service worker: a phone keeps working when the network drops.
// - Pages: from the network; a copy of each page that was made for nobody in particular
//   (no `private` or `no-store` in its Cache-Control, which the server sets whenever a
//   session came with the request) is kept, and shown when the network fails. So no one's
//   page is ever shown to anyone else on a shared device. Without a copy, the offline page of
//   the address's language stands in.
// - Built files with a content hash (/pkg/, /leaflet/) never change: from the cache first.
//   Icons and scripts: from the cache at once, refreshed behind.
// - The map's last reports (/api/v1/reports.geojson): from the network, else the last copy.
// Everything else (forms, live results, downloads, other sites) is left alone.
'use strict';

const VERSION = 'v1';
const BUILT = 'agora-built-' + VERSION;
const PAGES = 'agora-pages-' + VERSION;
const LANGS = ['ro', 'ru', 'uk', 'en'];
const KEPT_PAGES = 40;

self.addEventListener('install', function (event) {
  event.waitUntil(
    caches.open(PAGES).then(function (cache) {
      return Promise.all(LANGS.map(function (lang) {
        // Without cookies: the offline page must hold no one's name.
        return fetch(new Request('/' + lang + '/offline', { credentials: 'omit' })).then(function (response) {
          if (!response.ok) throw new Error('offline page ' + response.status);
          return cache.put(offlineKey(lang), response.clone()).then(function () { return response.text(); });
        });
      }));
    }).then(function (pages) {
      // The stylesheet the offline page links to, so that it is styled too.
      const links = new Set();
      pages.forEach(function (html) {
        const m = html.match(/href="(\/pkg\/agora\.[0-9a-f]+\.css)"/);
        if (m) links.add(m[1]);
      });
      return caches.open(BUILT).then(function (cache) {
        return cache.addAll(Array.from(links).concat(['/favicon.svg', '/icons/app-192.png']));
      });
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener('activate', function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k !== BUILT && k !== PAGES; })
        .map(function (k) { return caches.delete(k); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function offlineKey(lang) {
  return new Request('/' + lang + '/offline?kept');
}

function shareable(response) {
  if (!response || !response.ok || response.type !== 'basic') return false;
  return !/private|no-store/.test(response.headers.get('Cache-Control') || '');
}

function languageOf(url) {
  const first = url.pathname.split('/')[1];
  return LANGS.indexOf(first) >= 0 ? first : 'ro';
}

function trim(cache) {
  return cache.keys().then(function (keys) {
    const pages = keys.filter(function (k) { return !/\/offline\?kept$/.test(k.url); });
    return Promise.all(pages.slice(0, Math.max(0, pages.length - KEPT_PAGES)).map(function (k) { return cache.delete(k); }));
  });
}

function isPage(response) {
  return (response.headers.get('Content-Type') || '').indexOf('text/html') === 0;
}

function page(event, url) {
  return fetch(event.request).then(function (response) {
    // Downloads opened by a link (CSV, calendars) are navigations too: only pages are kept.
    if (shareable(response) && isPage(response)) {
      const copy = response.clone();
      event.waitUntil(caches.open(PAGES).then(function (cache) {
        return cache.put(event.request, copy).then(function () { return trim(cache); });
      }));
    } else if (response.ok) {
      // A page made for someone signed in replaces nothing and leaves no older copy behind.
      event.waitUntil(caches.open(PAGES).then(function (cache) { return cache.delete(event.request); }));
    }
    return response;
  }).catch(function () {
    return caches.open(PAGES).then(function (cache) {
      return cache.match(event.request).then(function (kept) {
        return kept || cache.match(offlineKey(languageOf(url)));
      });
    }).then(function (answer) {
      return answer || new Response('Offline', { status: 503, headers: { 'Content-Type': 'text/plain' } });
    });
  });
}

function built(event) {
  return caches.open(BUILT).then(function (cache) {
    return cache.match(event.request).then(function (hit) {
      return hit || fetch(event.request).then(function (response) {
        if (response.ok) event.waitUntil(cache.put(event.request, response.clone()));
        return response;
      });
    });
  });
}

function refreshed(event) {
  return caches.open(BUILT).then(function (cache) {
    return cache.match(event.request).then(function (hit) {
      const fresh = fetch(event.request).then(function (response) {
        if (response.ok) return cache.put(event.request, response.clone()).then(function () { return response; });
        return response;
      });
      if (hit) {
        event.waitUntil(fresh.catch(function () {}));
        return hit;
      }
      return fresh;
    });
  });
}

function lastCopy(event) {
  return caches.open(PAGES).then(function (cache) {
    return fetch(event.request).then(function (response) {
      if (shareable(response)) event.waitUntil(cache.put(event.request, response.clone()));
      return response;
    }).catch(function () {
      return cache.match(event.request).then(function (kept) {
        return kept || Response.error();
      });
    });
  });
}

self.addEventListener('fetch', function (event) {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if ((request.headers.get('Accept') || '').indexOf('text/event-stream') >= 0) return;
  if (request.mode === 'navigate') {
    event.respondWith(page(event, url));
  } else if (/^\/(pkg|leaflet)\//.test(url.pathname)) {
    event.respondWith(built(event));
  } else if (/^\/(icons|scripts)\//.test(url.pathname) || url.pathname === '/favicon.svg' || url.pathname === '/categories.css') {
    event.respondWith(refreshed(event));
  } else if (url.pathname === '/api/v1/reports.geojson') {
    event.respondWith(lastCopy(event));
  }
});
