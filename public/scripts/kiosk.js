// Kiosk mode (loaded only on a screen the staff switched to it; see app/src/api/kiosk.rs).
// - Full screen at the first touch (browsers allow it only after one).
// - After `data-idle` seconds without a touch, key or scroll, a warning counts down
//   `data-warning` seconds; then the screen starts over through the reset form, which ends the
//   session and clears the visit's cookies and stores. On the start screen nothing can be lost:
//   the reset there leads to the city at a glance instead, without a warning.
// - The city at a glance shows one panel at a time, fetches fresh figures every few minutes,
//   and opens the start screen at the first touch.
// - Forms ask the browser to remember nothing, and a page brought back from the history cache
//   is loaded afresh, so one visitor's words never reach the next.
(function () {
  'use strict';
  var bar = document.getElementById('kiosk-bar');
  var reset = document.getElementById('kiosk-reset');
  var warning = document.getElementById('kiosk-warning');
  if (!bar || !reset || !warning) return;
  var idle = Number(bar.dataset.idle) * 1000;
  var warnFor = Number(bar.dataset.warning);
  var page = (document.querySelector('[data-kiosk-page]') || { dataset: {} }).dataset.kioskPage;
  var countdown = warning.querySelector('[data-countdown]');
  var idleTimer = 0;
  var tick = 0;

  function startOver(then) {
    try { sessionStorage.clear(); localStorage.clear(); } catch (e) { /* storage may be off */ }
    Array.prototype.forEach.call(document.forms, function (f) { if (f !== reset) f.reset(); });
    reset.elements.then.value = then;
    reset.submit();
  }

  function hideWarning() {
    clearInterval(tick);
    warning.hidden = true;
  }

  function showWarning() {
    var left = warnFor;
    countdown.textContent = String(left);
    warning.hidden = false;
    warning.querySelector('[data-kiosk-stay]').focus();
    tick = setInterval(function () {
      left -= 1;
      countdown.textContent = String(Math.max(left, 0));
      if (left <= 0) { clearInterval(tick); startOver('start'); }
    }, 1000);
  }

  function idleReached() {
    if (page === 'glance') return;
    if (page === 'start') startOver('glance');
    else showWarning();
  }

  function touched() {
    if (!warning.hidden) hideWarning();
    clearTimeout(idleTimer);
    idleTimer = setTimeout(idleReached, idle);
  }

  ['pointerdown', 'keydown', 'input', 'wheel', 'touchstart'].forEach(function (type) {
    document.addEventListener(type, touched, { passive: true, capture: true });
  });
  document.addEventListener('scroll', touched, { passive: true });
  warning.querySelector('[data-kiosk-stay]').addEventListener('click', touched);

  document.addEventListener('pointerdown', function () {
    var root = document.documentElement;
    if (document.fullscreenEnabled && !document.fullscreenElement && root.requestFullscreen) {
      root.requestFullscreen().catch(function () {});
    }
  }, { once: true });
  // A long press opens no menu of the browser's own.
  document.addEventListener('contextmenu', function (e) { e.preventDefault(); });
  Array.prototype.forEach.call(document.forms, function (f) { f.setAttribute('autocomplete', 'off'); });
  window.addEventListener('pageshow', function (e) { if (e.persisted) location.reload(); });

  // The screen's camera for a report's photo, where there is one: the picture joins the photos
  // chosen in the form's own file field, so the form sends it as any other.
  var photos = document.getElementById('field-photos');
  var camera = document.getElementById('kiosk-camera');
  if (photos && camera && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    var parts = camera.content.firstElementChild.cloneNode(true);
    photos.insertAdjacentElement('afterend', parts);
    var view = parts.querySelector('.kiosk-camera__view');
    var video = view.querySelector('video');
    var status = parts.querySelector('[data-camera-status]');
    var stream = null;
    var close = function () {
      if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
      stream = null;
      view.hidden = true;
      parts.querySelector('[data-camera-open]').focus();
    };
    parts.querySelector('[data-camera-open]').addEventListener('click', function () {
      navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 960 } }).then(function (s) {
        stream = s;
        video.srcObject = s;
        view.hidden = false;
        view.querySelector('[data-camera-take]').focus();
      }).catch(function () { status.textContent = status.dataset.unavailable; });
    });
    parts.querySelector('[data-camera-cancel]').addEventListener('click', close);
    parts.querySelector('[data-camera-take]').addEventListener('click', function () {
      var canvas = document.createElement('canvas');
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      canvas.getContext('2d').drawImage(video, 0, 0);
      canvas.toBlob(function (blob) {
        if (!blob) return;
        var files = new DataTransfer();
        Array.prototype.forEach.call(photos.files, function (f) { files.items.add(f); });
        files.items.add(new File([blob], 'kiosk-' + Date.now() + '.jpg', { type: 'image/jpeg' }));
        photos.files = files.files;
        photos.dispatchEvent(new Event('change', { bubbles: true }));
        status.textContent = status.dataset.taken.replace('%n', String(photos.files.length));
        close();
      }, 'image/jpeg', 0.9);
    });
  }

  if (page === 'glance') {
    var panels = document.querySelectorAll('[data-glance-panel]');
    var shown = 0;
    var show = function () {
      Array.prototype.forEach.call(panels, function (p, i) { p.hidden = i !== shown; });
    };
    if (panels.length > 1) {
      show();
      setInterval(function () { shown = (shown + 1) % panels.length; show(); }, 12000);
    }
    setTimeout(function () { location.reload(); }, 5 * 60 * 1000);
    document.addEventListener('pointerdown', function () {
      location.href = document.querySelector('.kiosk-glance__start').href;
    });
    document.addEventListener('keydown', function () {
      location.href = document.querySelector('.kiosk-glance__start').href;
    });
  }
  touched();
})();
