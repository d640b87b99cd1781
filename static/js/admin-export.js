// The admin export page's "select all" box (templates/admin/import_export/export.html): ticks or
// clears every field of the chosen format. django-import-export wires it with an inline onchange,
// which the Content-Security-Policy blocks; this external file needs no nonce.
document.addEventListener("change", (event) => {
  const toggle = event.target.closest("input.select-toggle");
  if (!toggle) return;
  for (const box of document.querySelectorAll('.selectable-field-export-row input[type="checkbox"]')) {
    box.checked = toggle.checked;
  }
});
