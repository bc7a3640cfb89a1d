// council-search: small enhancements over pages that work without script.
// - Search forms leave empty fields out of the URL, so shared links stay short.
// - Item pages: "Previous / Next match" buttons (and the n / p keys) step
//   through the numbered matches (#m1, #m2, ...), one at a time.
// - "/" focuses the search box.
// - On a narrow screen the filters start folded, so the results come first.
(function () {
  "use strict";

  function cleanEmptyFields(form) {
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name && (el.type === "text" || el.type === "search" || el.type === "hidden" || el.tagName === "INPUT") &&
            el.type !== "checkbox" && el.value.trim() === "") {
          el.disabled = true;
        }
        if (el.name === "sort" && el.value === "relevance") { el.disabled = true; }
      });
      window.setTimeout(function () {
        Array.prototype.forEach.call(form.elements, function (el) { el.disabled = false; });
      }, 0);
    });
  }

  function matchNavigation(nav) {
    var count = parseInt(nav.getAttribute("data-count"), 10) || 0;
    var position = nav.querySelector(".position");
    var current = 0;
    function show(k) {
      if (count === 0) { return; }
      k = ((k - 1 + count) % count) + 1;
      var previous = document.querySelector("mark.current");
      if (previous) { previous.classList.remove("current"); }
      var mark = document.getElementById("m" + k);
      if (!mark) { return; }
      mark.classList.add("current");
      mark.scrollIntoView({ block: "center" });
      current = k;
      position.textContent = "Match " + k + " of " + count;
      if (window.history && window.history.replaceState) {
        window.history.replaceState(null, "", "#m" + k);
      } else {
        window.location.hash = "m" + k;
      }
    }
    nav.querySelectorAll("button[data-step]").forEach(function (button) {
      button.addEventListener("click", function () {
        show(current + parseInt(button.getAttribute("data-step"), 10));
      });
    });
    document.addEventListener("keydown", function (e) {
      var t = e.target;
      if (e.ctrlKey || e.metaKey || e.altKey || (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT"))) { return; }
      if (e.key === "n") { show(current + 1); e.preventDefault(); }
      if (e.key === "p") { show(current - 1); e.preventDefault(); }
    });
    // A link to one match (#m3) opens at it; otherwise the page opens at the
    // top, with the item's title, and "Next match" goes to the first.
    var fromHash = /^#m(\d+)$/.exec(window.location.hash);
    if (fromHash) { show(parseInt(fromHash[1], 10)); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.searchbox, form.filters").forEach(cleanEmptyFields);
    var filters = document.querySelector("form.filters details");
    if (filters && window.matchMedia && window.matchMedia("(max-width: 760px)").matches) {
      filters.open = false;
    }
    var nav = document.querySelector("nav.matches");
    if (nav) { matchNavigation(nav); }
    document.addEventListener("keydown", function (e) {
      var t = e.target;
      if (e.key === "/" && !(t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT"))) {
        var q = document.getElementById("q");
        if (q) { q.focus(); q.select(); e.preventDefault(); }
      }
    });
  });
}());
