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
