// The admin export page's "select all" box (templates/admin/import_export/export.html): ticks or
// clears every field of the same format (resource). django-import-export wires it with an inline
// onchange, which the Content-Security-Policy blocks; this external file needs no nonce.
document.addEventListener("change", (event) => {
  const toggle = event.target.closest("input.select-toggle");
  if (!toggle) return;
  const row = toggle.closest("[resource-index]");
  const scope = row ? `[resource-index="${row.getAttribute("resource-index")}"]` : "";
  const boxes = document.querySelectorAll(`.selectable-field-export-row${scope} input[type="checkbox"]`);
  for (const box of boxes) {
    box.checked = toggle.checked;
  }
});
