// Registers the service worker (`/sw.js`, scope `/`) that lets a phone open recent pages,
// the styles and Leaflet without a connection. Pages work the same without it.
(function () {
  'use strict';
  if (!('serviceWorker' in navigator)) return;
  window.addEventListener('load', function () {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(function () {});
  });
})();
