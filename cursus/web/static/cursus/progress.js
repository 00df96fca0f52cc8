// Follow background work (an institution audit, an import, a batch of diplomas) without
// reloading the page: a section with data-progress-url and data-finished="false" holds a
// <progress> and an element marked data-progress-text. Without JavaScript the page
// refreshes itself (a meta refresh inside noscript).
(function () {
  "use strict";
  if (!window.fetch) {
    return;
  }
  function follow(section) {
    var bar = section.querySelector("progress");
    var text = section.querySelector("[data-progress-text]");
    function poll() {
      fetch(section.dataset.progressUrl, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (progress) {
          bar.value = progress.percent;
          bar.textContent = progress.percent + "%";
          text.textContent = progress.status_text + " · " + progress.done + " / " + progress.total + " · " + progress.percent + "%";
          if (!progress.finished) {
            window.setTimeout(poll, 1000);
            return;
          }
          var target = new URL(progress.url, window.location.href);
          var here = window.location.origin + window.location.pathname + window.location.search;
          // Going to an anchor of this very page would not load it again.
          if (target.origin + target.pathname + target.search === here) {
            window.location.hash = target.hash;
            window.location.reload();
          } else {
            window.location.assign(target.href);
          }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    window.setTimeout(poll, 1000);
  }
  document.querySelectorAll('[data-progress-url][data-finished="false"]').forEach(follow);
})();
