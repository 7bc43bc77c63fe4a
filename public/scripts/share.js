// The share section's two buttons (`.share`, see app/src/components/share.rs): "copy link"
// where the Clipboard API is available, and the phone's own share sheet where the browser
// offers `navigator.share`. Without this script both stay hidden and the address can be
// copied from its read-only field. The words come translated from the section's data-*.
(function () {
  'use strict';
  var section = document.querySelector('.share');
  if (!section) return;
  var field = section.querySelector('input[type=url]');
  var status = section.querySelector('.share__status');
  var words = section.dataset;

  function say(text) {
    status.textContent = '';
    // A fresh text node so that screen readers announce it again on a second press.
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  var copy = section.querySelector('[data-share-copy]');
  if (copy && navigator.clipboard && window.isSecureContext) {
    copy.hidden = false;
    copy.addEventListener('click', function () {
      navigator.clipboard.writeText(field.value).then(
        function () { say(words.copied); },
        function () { field.select(); say(words.copyFailed); }
      );
    });
  }
  field.addEventListener('focus', function () { field.select(); });

  var native = section.querySelector('[data-share-native]');
  if (native && navigator.share) {
    native.hidden = false;
    native.querySelector('button').addEventListener('click', function () {
      navigator.share({ title: words.title, url: field.value }).catch(function () {});
    });
  }
})();
