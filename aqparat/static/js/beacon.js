// Counts this view outside the page cache: one small POST, no cookie, no response
// to wait for. Readers without JavaScript are counted by the <noscript> image.
(function () {
  var script = document.currentScript;
  if (!script || !navigator.sendBeacon) return;
  // The id goes in the address: the front cache logs it and answers at once.
  var query = new URLSearchParams({ p: script.dataset.page });
  navigator.sendBeacon(script.dataset.beacon + "?" + query);
})();
