// Progress for the open-data downloads (`a[data-download]`): the file is fetched as a stream,
// a <progress> element shows the bytes as they arrive, and the finished file is saved under
// the link's `download` name. Without this script, or where streams are missing, the links are
// plain downloads. The words come translated from the page (`data-words` on `.page--open-data`).
(function () {
  'use strict';
  var page = document.querySelector('.page--open-data');
  if (!page || !window.fetch || !window.ReadableStream || !window.URL) return;
  var words = page.dataset;

  function human(bytes) {
    var units = ['B', 'KB', 'MB', 'GB'];
    var i = 0;
    while (bytes >= 1024 && i < units.length - 1) { bytes /= 1024; i++; }
    return (i ? bytes.toFixed(1) : bytes) + ' ' + units[i];
  }

  function start(link) {
    var item = link.parentNode;
    var bar = item.querySelector('progress') || document.createElement('progress');
    var status = item.querySelector('.download__status') || document.createElement('span');
    status.className = 'download__status';
    status.setAttribute('role', 'status');
    bar.removeAttribute('value');
    item.appendChild(bar);
    item.appendChild(status);
    status.textContent = words.downloading;
    link.setAttribute('aria-busy', 'true');

    fetch(link.href, { credentials: 'same-origin' }).then(function (response) {
      if (!response.ok || !response.body) throw new Error('HTTP ' + response.status);
      var total = Number(response.headers.get('Content-Length')) || 0;
      if (total) bar.max = total;
      var reader = response.body.getReader();
      var chunks = [];
      var received = 0;
      function pump() {
        return reader.read().then(function (step) {
          if (step.done) return;
          chunks.push(step.value);
          received += step.value.length;
          if (total) bar.value = received;
          status.textContent = words.downloading + ' ' + human(received);
          return pump();
        });
      }
      return pump().then(function () {
        var type = response.headers.get('Content-Type') || 'application/octet-stream';
        var url = URL.createObjectURL(new Blob(chunks, { type: type }));
        var save = document.createElement('a');
        save.href = url;
        save.download = link.getAttribute('download') || '';
        document.body.appendChild(save);
        save.click();
        save.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
        bar.max = 1;
        bar.value = 1;
        status.textContent = words.downloaded + ' · ' + human(received);
      });
    }).catch(function () {
      bar.remove();
      status.textContent = words.failed;
    }).then(function () {
      link.removeAttribute('aria-busy');
    });
  }

  page.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('a[data-download]');
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    if (link.getAttribute('aria-busy') !== 'true') start(link);
  });
})();
