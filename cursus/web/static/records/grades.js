/* Grade grids: arrow keys and Enter move between lines; grades are checked as they are typed.
   The grid is a plain form: without this file it saves all the same. */
(function () {
  "use strict";

  var GRADE = /^(?:20(?:[.,]0{1,2})?|1?\d(?:[.,]\d{1,2})?)$/;
  var WORDS = /^(?:abs|absent|absente|exc|excused|excusé|excusée|excuse)\.?$/i;

  function valid(value) {
    var text = value.trim();
    return text === "" || GRADE.test(text) || WORDS.test(text);
  }

  function grid(form) {
    var cells = Array.prototype.slice.call(form.querySelectorAll("[data-grade-cell]"));
    var message = form.dataset.messageInvalid;

    function check(cell) {
      var error = cell.parentNode.querySelector("[data-grade-error]");
      var ok = valid(cell.value);
      if (ok) {
        cell.removeAttribute("aria-invalid");
      } else {
        cell.setAttribute("aria-invalid", "true");
        cell.setAttribute("aria-describedby", error.id);
      }
      error.textContent = ok ? "" : message;
      return ok;
    }

    function move(cell, step) {
      var next = cells[cells.indexOf(cell) + step];
      if (next) {
        next.focus();
        next.select();
      }
      return Boolean(next);
    }

    cells.forEach(function (cell) {
      cell.addEventListener("input", function () {
        check(cell);
      });
      cell.addEventListener("keydown", function (event) {
        if (event.key === "ArrowDown" || (event.key === "Enter" && !event.shiftKey)) {
          // Enter on the last line submits the grid, as in a plain form.
          if (move(cell, 1) || event.key === "ArrowDown") {
            event.preventDefault();
          }
        } else if (event.key === "ArrowUp" || (event.key === "Enter" && event.shiftKey)) {
          move(cell, -1);
          event.preventDefault();
        }
      });
    });

    form.addEventListener("submit", function (event) {
      var bad = cells.filter(function (cell) {
        return !check(cell);
      });
      if (bad.length) {
        event.preventDefault();
        bad[0].focus();
      }
    });
  }

  function start() {
    document.querySelectorAll("form[data-grade-grid]").forEach(grid);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
