/* Cart forms (add to cart, change quantity, remove): the server answers a wrong quantity with
   400 and a message. htmx does not swap error responses by default; for forms marked
   data-swap-errors the message is swapped in like a normal answer. No inline script: CSP. */
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    var status = detail.xhr && detail.xhr.status;
    if ((status === 400 || status === 409) && detail.elt && detail.elt.closest("[data-swap-errors]")) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });
})();
