/* "Bagikan" buttons on the order page: share a part's QRIS picture (the PNG of "Simpan gambar QR")
   with the phone's share sheet, e.g. to send it to whoever pays. Shown only where the browser can
   share image files (Web Share API level 2); elsewhere "Simpan gambar QR" is enough. */
(function () {
  "use strict";
  function init() {
    if (!navigator.canShare || !window.File) { return; }
    var probe = new File([""], "qris.png", { type: "image/png" });
    if (!navigator.canShare({ files: [probe] })) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("button[data-share-image]"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var url = button.getAttribute("data-share-image");
        fetch(url, { credentials: "same-origin" })
          .then(function (response) { return response.blob(); })
          .then(function (blob) {
            var file = new File([blob], url.split("/").pop() || "qris.png", { type: "image/png" });
            return navigator.share({ files: [file], title: button.getAttribute("data-share-title") || "" });
          })
          .catch(function () { /* cancelled by the shopper, or not allowed: nothing to do */ });
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
