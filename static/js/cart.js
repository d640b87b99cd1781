/* Cart forms (add to cart, change quantity, remove): the server answers a wrong quantity with
   400 (or 409) and a message as a fragment. htmx does not swap error responses by default; for
   forms marked data-swap-errors the message is swapped in like a normal answer, inside the form.
   With DEBUG on, django-htmx's debug script (listening on `document`) would replace the whole page
   with an error response: these expected answers stop at <html>, before they reach it.
   No inline script: CSP. */
(function () {
  "use strict";
  function expected(detail) {
    var status = detail.xhr && detail.xhr.status;
    return (status === 400 || status === 409) && detail.elt && detail.elt.closest("[data-swap-errors]");
  }
  document.documentElement.addEventListener("htmx:beforeOnLoad", function (event) {
    if (expected(event.detail)) { event.stopPropagation(); }
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (expected(event.detail)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
