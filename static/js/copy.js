/* "Salin kode" buttons on the order page: copy the QRIS text of the input named by data-copy.
   The buttons are hidden until this script runs, so without JavaScript only the text box shows. */
(function () {
  "use strict";
  function init() {
    var buttons = document.querySelectorAll("button[data-copy]");
    Array.prototype.forEach.call(buttons, function (button) {
      var input = document.getElementById(button.getAttribute("data-copy"));
      if (!input) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        var label = button.textContent;
        function done() {
          button.textContent = button.getAttribute("data-copied") || "✓";
          window.setTimeout(function () { button.textContent = label; }, 2000);
        }
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(input.value).then(done, function () { input.select(); });
        } else {
          input.select();
          try { document.execCommand("copy"); done(); } catch (error) { /* the text stays selected */ }
        }
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
