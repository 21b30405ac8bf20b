// Accessible names for the admin's widgets that Django and select2 leave without one
// (axe-core: "label", "aria-input-field-name", "aria-prohibited-attr"). A file, not an
// inline script: the Content-Security-Policy allows scripts from 'self' only.
"use strict";
(function () {
  function labelFor(element) {
    const row = element.closest(".form-row, td, .fieldBox");
    const label = row && row.querySelector("label");
    if (label && label.textContent.trim()) return label.textContent.trim().replace(/:$/, "");
    const cell = element.closest("td");
    const table = element.closest("table");
    if (cell && table) {
      const header = table.querySelectorAll("thead th")[cell.cellIndex];
      if (header && header.textContent.trim()) return header.textContent.trim();
    }
    return "";
  }

  function nameEverything(root) {
    // Inline rows in a table: the column header names the field.
    root.querySelectorAll(".tabular td input:not([type=hidden]), .tabular td select, .tabular td textarea").forEach((field) => {
      if (!field.labels || field.labels.length === 0) {
        const name = labelFor(field);
        if (name && !field.hasAttribute("aria-label")) field.setAttribute("aria-label", name);
      }
    });
    // select2 (autocomplete fields): the box and its search field get the original field's name.
    root.querySelectorAll(".select2-container").forEach((container) => {
      const select = container.previousElementSibling;
      const name = select && select.tagName === "SELECT" ? (select.getAttribute("aria-label") || labelFor(select)) : "";
      if (!name) return;
      container.querySelectorAll(".select2-selection[role=combobox], .select2-selection__rendered[role=textbox], .select2-search__field").forEach((box) => {
        box.setAttribute("aria-label", name);
      });
    });
    // The magnifier icon in the two-box chooser carries a label without a role.
    root.querySelectorAll(".help-tooltip[aria-label]").forEach((icon) => icon.setAttribute("role", "img"));
  }

  window.addEventListener("load", () => nameEverything(document));
  document.addEventListener("formset:added", (event) => nameEverything(event.target.closest(".inline-group") || document));
})();
