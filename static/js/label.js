/* The label sheet's "Cetak" button: the browser's print dialog (no inline handlers: CSP). */
(function () {
  "use strict";
  var button = document.querySelector("[data-print]");
  if (button) { button.addEventListener("click", function () { window.print(); }); }
})();
