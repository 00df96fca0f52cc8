/* Cursus: small enhancements. Every page works without this file. */
(function () {
  "use strict";

  var SEARCH_DELAY_MS = 250;

  function query(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value !== "") {
        params.append(name, value);
      }
    });
    return params.toString();
  }

  // Search as you type: fetch the results fragment and put it in place.
  function liveSearch(form) {
    var target = document.getElementById(form.dataset.liveResults);
    var url = form.dataset.liveUrl;
    var timer = null;
    var controller = null;
    if (!target || !url || !window.fetch) {
      return;
    }
    function refresh() {
      var search = query(form);
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      target.setAttribute("aria-busy", "true");
      fetch(url + (search ? "?" + search : ""), {
        signal: controller.signal,
        headers: { Accept: "text/html" },
        credentials: "same-origin"
      })
        .then(function (response) {
          return response.text();
        })
        .then(function (html) {
          target.innerHTML = html;
          target.removeAttribute("aria-busy");
          window.history.replaceState(null, "", form.action + (search ? "?" + search : ""));
        })
        .catch(function (error) {
          if (error.name !== "AbortError") {
            target.removeAttribute("aria-busy");
          }
        });
    }
    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, SEARCH_DELAY_MS);
    }
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
  }

  // Filters that apply as soon as a choice changes; their button is then not needed.
  function autoSubmit(form) {
    form.querySelectorAll("[data-js-hide]").forEach(function (element) {
      element.hidden = true;
    });
    form.addEventListener("change", function () {
      form.requestSubmit ? form.requestSubmit() : form.submit();
    });
  }

  // Formsets: add a row from the template, renumbering the management form.
  function addRow(button) {
    var prefix = button.dataset.addRow;
    var table = document.querySelector('[data-formset="' + prefix + '"] tbody');
    var template = document.getElementById(prefix + "-template");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    if (!table || !template || !total) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      if (max && index >= parseInt(max.value, 10)) {
        return;
      }
      var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__num__/g, String(index + 1));
      table.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var first = table.lastElementChild.querySelector("input, select");
      if (first) {
        first.focus();
      }
    });
  }

  // Copy a secret shown once to the clipboard.
  function copyButton(button) {
    var source = document.getElementById(button.dataset.copy);
    if (!source || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = button.dataset.copied;
      });
    });
  }

  function start() {
    document.querySelectorAll("form[data-live-results]").forEach(liveSearch);
    document.querySelectorAll("form[data-autosubmit]").forEach(autoSubmit);
    document.querySelectorAll("[data-add-row]").forEach(addRow);
    document.querySelectorAll("[data-copy]").forEach(copyButton);
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) {
      summary.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
