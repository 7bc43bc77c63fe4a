// The outbox: a report or a vote made without a connection is kept on the device (IndexedDB
// `agora-outbox`, photos included) and sent by itself when the connection returns.
// - A form with `data-outbox` (`report` or `vote`) submitted while the browser is offline is
//   kept instead of posted. Online, forms post as always (and without script they always do).
// - Each kept request has its own `Idempotency-Key`, sent with every attempt, so the server
//   records it once however often it is sent (a lost answer, two tabs, a reload).
// - Sent on page load, on the `online` event and every 30 s while something waits: 2xx is
//   sent, 4xx refused (with the server's reason), a network failure, 5xx, 429 or 409 (the same
//   key still in progress) waits for the next try.
// - The list (`#offline-queue`, rendered under every page's header with the words in `data-words`)
//   shows what waits, what went and what was refused, until the person removes it.
// - Kept by someone signed in (`data-who`), a request is shown only on that person's pages and
//   sent only while the server says that person is signed in; kept by nobody, it is shown to
//   all and sent without cookies. A shared phone never votes in someone else's name.
(function () {
  'use strict';
  var region = document.getElementById('offline-queue');
  if (!region || !window.indexedDB || !window.fetch || !window.FormData) return;
  var words = {};
  try { words = JSON.parse(region.getAttribute('data-words') || '{}'); } catch (e) { /* no words */ }
  var list = region.querySelector('.offline-queue__list');
  var who = region.getAttribute('data-who') || '';
  var STORE = 'items';
  var RETRY_MS = 30000;
  var KEEP_DONE_MS = 7 * 24 * 3600 * 1000;
  var opened = null;
  // Every open tab lists the same outbox: a change in one is shown in the others.
  var channel = window.BroadcastChannel ? new BroadcastChannel('agora-outbox') : null;
  var sendingId = null;

  function db() {
    if (!opened) {
      opened = new Promise(function (resolve, reject) {
        var open = indexedDB.open('agora-outbox', 1);
        open.onupgradeneeded = function () {
          open.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
        };
        open.onsuccess = function () { resolve(open.result); };
        open.onerror = function () { reject(open.error); };
      });
    }
    return opened;
  }

  function store(mode, work) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction(STORE, mode);
        var request = work(t.objectStore(STORE));
        t.oncomplete = function () { resolve(request.result); };
        t.onerror = t.onabort = function () { reject(t.error); };
      });
    });
  }
  function all() { return store('readonly', function (s) { return s.getAll(); }); }
  function changed(result) {
    if (channel) channel.postMessage('changed');
    return result;
  }
  function put(item) { return store('readwrite', function (s) { return s.put(item); }).then(changed); }
  function remove(id) { return store('readwrite', function (s) { return s.delete(id); }).then(changed); }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join('');
  }

  // What the person will recognise: the report's title, or the question and the answers chosen.
  function labelOf(form, kind) {
    if (kind === 'report') return form.elements.title ? form.elements.title.value : '';
    var chosen = Array.prototype.filter.call(form.querySelectorAll('input:checked'), function (i) {
      return i.type === 'radio' || i.type === 'checkbox';
    }).map(function (i) {
      var label = i.closest('label');
      var text = label ? label.textContent : i.value;
      // A link to the option's document sits in its label: its word is not the answer.
      Array.prototype.forEach.call(label ? label.querySelectorAll('a') : [], function (a) {
        text = text.replace(a.textContent, '');
      });
      return text.trim();
    });
    var question = form.getAttribute('data-outbox-label') || '';
    return chosen.length ? question + ': ' + chosen.join(', ') : question;
  }

  function texts(fields) {
    return JSON.stringify(fields.filter(function (f) { return typeof f[1] === 'string'; }));
  }

  function keep(form) {
    var kind = form.getAttribute('data-outbox');
    var fields = [];
    new FormData(form).forEach(function (value, name) { fields.push([name, value]); });
    var item = {
      key: newKey(),
      endpoint: new URL(form.action, location.href).pathname,
      multipart: (form.getAttribute('enctype') || '') === 'multipart/form-data',
      fields: fields,
      kind: kind,
      label: labelOf(form, kind),
      who: who,
      at: Date.now(),
      state: 'waiting'
    };
    return all().then(function (items) {
      // The same form sent twice (a second tap) is kept once.
      var same = items.some(function (i) {
        return i.state === 'waiting' && i.endpoint === item.endpoint && texts(i.fields) === texts(fields);
      });
      return same ? null : put(item);
    }).then(render).then(function () {
      region.scrollIntoView({ block: 'start' });
      var title = region.querySelector('.offline-queue__title');
      if (title) title.focus();
    });
  }

  function bodyOf(item) {
    var body = item.multipart ? new FormData() : new URLSearchParams();
    item.fields.forEach(function (f) {
      if (typeof f[1] === 'string') body.append(f[0], f[1]);
      else if (item.multipart) body.append(f[0], f[1], f[1].name || '');
    });
    return body;
  }

  // The server's reason, in the page's language: `{"error": kind, "fields": [{problem}]}`.
  function reasonOf(answer) {
    var errors = words.errors || {};
    var kind = answer && answer.error;
    var text = errors[kind] || errors.internal || '';
    var problems = (answer && Array.isArray(answer.fields) ? answer.fields : []).map(function (f) {
      return (words.problems || {})[f.problem];
    }).filter(function (p, n, ps) { return p && ps.indexOf(p) === n; });
    return problems.length ? text + ' ' + problems.join(' ') : text;
  }

  function json(response) { return response.json().catch(function () { return null; }); }

  function mine(item) { return !item.who || item.who === who; }

  // Who the server says is signed in now (the page may be an older copy): '' for nobody.
  function signedIn() {
    return fetch('/api/auth/viewer', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (v) { return v && v.user ? String(v.user.id) : ''; });
  }

  function send(item) {
    sendingId = item.id;
    render();
    return fetch(item.endpoint, {
      method: 'POST',
      body: bodyOf(item),
      credentials: item.who ? 'same-origin' : 'omit',
      headers: { 'Idempotency-Key': item.key, Accept: 'application/json' }
    }).then(function (response) {
      var status = response.status;
      var replayed = response.headers.get('Idempotent-Replayed') === 'true';
      if (status >= 500 || status === 429 || (status === 409 && !replayed)) return null;
      return json(response).then(function (answer) {
        item.done = Date.now();
        if (response.ok) {
          var where = response.headers.get('Location') || '';
          if (item.kind === 'report' && /^\/[^/]/.test(where)) item.link = where.split('?')[0];
          if (answer && answer.outcome === 'already_voted') {
            item.state = 'refused';
            item.reason = words.already_voted || '';
          } else {
            item.state = 'sent';
          }
        } else {
          item.state = 'refused';
          item.reason = reasonOf(answer);
        }
        // The request (and its photos) is no longer needed: only what the list shows stays.
        item.fields = [];
        return put(item);
      });
    }, function () { return null; }).then(function () { sendingId = null; });
  }

  var flushing = null;
  function flush() {
    if (flushing || !navigator.onLine) return flushing || Promise.resolve();
    var run = function () {
      return all().then(function (items) {
        var waiting = items.filter(function (i) { return i.state === 'waiting'; });
        var anyone = waiting.some(function (i) { return i.who; }) ? signedIn() : Promise.resolve('');
        return anyone.catch(function () { return null; }).then(function (now) {
          return waiting.filter(function (i) { return !i.who || i.who === now; }).reduce(function (done, item) {
            return done.then(function () { return send(item); });
          }, Promise.resolve());
        });
      });
    };
    // One tab at a time sends (the server would record a repeat once anyway).
    var locked = navigator.locks ? navigator.locks.request('agora-outbox', run) : run();
    flushing = locked.catch(function () {}).then(function () {
      sendingId = null;
      flushing = null;
      return render();
    });
    return flushing;
  }

  function stateText(item) {
    if (item.id === sendingId) return words.sending;
    if (item.state === 'sent') return words.sent;
    if (item.state === 'refused') return (words.refused || '') + ' ' + (item.reason || '');
    return words.waiting;
  }

  function row(item) {
    var li = document.createElement('li');
    li.className = 'offline-queue__item';
    li.setAttribute('data-id', String(item.id));
    var what = document.createElement('strong');
    what.textContent = (words[item.kind] || '') + ' ';
    var label = document.createElement('span');
    label.className = 'offline-queue__label';
    label.textContent = item.label;
    var state = document.createElement('span');
    state.className = 'offline-queue__state';
    li.append(what, label, document.createTextNode(' '), state);
    return li;
  }

  function finish(li, item) {
    if (item.link && !li.querySelector('a')) {
      var a = document.createElement('a');
      a.href = item.link;
      a.textContent = words.open_report || item.link;
      li.append(' ', a);
    }
    if (!li.querySelector('button')) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'offline-queue__dismiss';
      button.textContent = words.dismiss || '×';
      button.addEventListener('click', function () { remove(item.id).then(render); });
      li.append(' ', button);
    }
  }

  // Rows are changed in place, so that the live region announces only what changed.
  function render() {
    return all().then(function (items) {
      var now = Date.now();
      items = items.filter(function (i) {
        if (i.state !== 'waiting' && now - (i.done || i.at) > KEEP_DONE_MS) { remove(i.id); return false; }
        return true;
      });
      items = items.filter(mine);
      var rows = {};
      Array.prototype.forEach.call(list.children, function (li) { rows[li.getAttribute('data-id')] = li; });
      items.forEach(function (item) {
        var li = rows[String(item.id)] || list.appendChild(row(item));
        delete rows[String(item.id)];
        li.className = 'offline-queue__item offline-queue__item--' + (item.id === sendingId ? 'sending' : item.state);
        var state = li.querySelector('.offline-queue__state');
        var text = stateText(item);
        if (state.textContent !== text) state.textContent = text;
        if (item.state !== 'waiting') finish(li, item);
      });
      Object.keys(rows).forEach(function (id) { rows[id].remove(); });
      region.hidden = items.length === 0;
      return items;
    }).catch(function () {});
  }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (event.defaultPrevented || navigator.onLine || !form.hasAttribute || !form.hasAttribute('data-outbox')) return;
    event.preventDefault();
    keep(form).catch(function () {});
  });
  window.addEventListener('online', flush);
  if (channel) channel.onmessage = function () { render(); };
  setInterval(function () { if (list.querySelector('.offline-queue__item--waiting')) flush(); }, RETRY_MS);
  render().then(flush);
})();
