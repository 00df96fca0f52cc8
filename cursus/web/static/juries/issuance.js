// Follow the issuance of a jury session's documents without reloading the page.
// Without JavaScript the page refreshes itself (a meta refresh inside noscript).
(function () {
  "use strict";
  var section = document.getElementById("issuance");
  if (!section || section.dataset.finished !== "false" || !window.fetch) {
    return;
  }
  var bar = document.getElementById("issuance-bar");
  var text = document.getElementById("issuance-text");
  function poll() {
    fetch(section.dataset.progressUrl, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (progress) {
        bar.value = progress.percent;
        bar.textContent = progress.percent + "%";
        text.textContent = progress.status_text + " · " + progress.done + " / " + progress.total + " · " + progress.percent + "%";
        if (progress.finished) {
          window.location.assign(progress.url);
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
