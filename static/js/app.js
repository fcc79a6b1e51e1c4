// Small progressive enhancements; the pages work without them.
document.addEventListener("DOMContentLoaded", () => {
  // Buttons with data-confirm ask before submitting (no inline handlers: the CSP forbids them).
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!window.confirm(el.dataset.confirm)) event.preventDefault();
    });
  });

  // "Add a row" for a Django formset: copies the empty form from its <template>, numbered
  // after the rows already there, and counts it in TOTAL_FORMS. Without JS the page says
  // to save and edit again, which always offers one empty row.
  document.querySelectorAll("[data-formset-add]").forEach((button) => {
    const prefix = button.dataset.formsetAdd;
    const rows = document.querySelector(`[data-formset-rows='${prefix}']`);
    const empty = document.querySelector(`template[data-formset-empty='${prefix}']`);
    const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
    const max = document.getElementById(`id_${prefix}-MAX_NUM_FORMS`);
    if (!rows || !empty || !total) return;
    button.classList.remove("d-none");
    document.querySelectorAll(`[data-formset-nojs='${prefix}']`).forEach((el) => {
      el.classList.add("d-none");
    });
    button.addEventListener("click", () => {
      const index = Number(total.value);
      if (max && index >= Number(max.value)) return;
      const holder = document.createElement("div");
      holder.innerHTML = empty.innerHTML
        .replaceAll("__prefix__", String(index))
        .replaceAll("__number__", String(index + 1));
      const row = holder.firstElementChild;
      rows.append(row);
      total.value = String(index + 1);
      const first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    });
  });
});
