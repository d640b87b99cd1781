/* The catalogue's filter form follows the address bar: after an htmx swap pushes a new address, and
   after the back/forward buttons restore an older state, each field shows the value in the URL.
   (htmx restores the results; a form's current values are not part of its snapshot.) */
(function () {
  "use strict";
  function sync() {
    var form = document.querySelector("form.filters");
    if (!form) { return; }
    var params = new URLSearchParams(window.location.search);
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.type === "submit") { return; }
      var value = params.get(field.name) || "";
      if (field.tagName === "SELECT") {
        field.value = value;
        if (field.selectedIndex < 0) { field.selectedIndex = 0; }
      } else if (field !== document.activeElement) {
        field.value = value;  /* never rewrite the search box while someone is typing in it */
      }
    });
  }
  document.addEventListener("htmx:pushedIntoHistory", sync);
  document.addEventListener("htmx:historyRestore", sync);
  document.addEventListener("htmx:beforeRequest", function (event) {
    var results = document.getElementById("hasil");
    if (results && event.detail.target === results) { results.setAttribute("aria-busy", "true"); }
  });
})();
