// Counts this view outside the page cache: one small POST, no cookie, no response
// to wait for. Readers without JavaScript are counted by the <noscript> image.
(function () {
  var script = document.currentScript;
  if (!script || !navigator.sendBeacon) return;
  var body = new URLSearchParams({ p: script.dataset.page });
  navigator.sendBeacon(script.dataset.beacon, body);
})();
