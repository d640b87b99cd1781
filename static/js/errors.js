/* The error summary of a form that failed (GOV.UK pattern): the focus moves to it when the page
   loads, so a screen reader reads it and the shopper sees it; its links focus their field. */
(function () {
  "use strict";
  function init() {
    var summary = document.querySelector("[data-focus-on-load]");
    if (!summary) { return; }
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-field]");
      var field = link && document.getElementById(link.getAttribute("data-field"));
      if (!field) { return; }
      if (!/^(INPUT|SELECT|TEXTAREA)$/.test(field.tagName)) {  /* a group of radio buttons */
        field = field.querySelector("input, select, textarea") || field;
      }
      event.preventDefault();
      field.scrollIntoView({ block: "center" });
      field.focus();
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
