// Small progressive enhancements; the pages work without them.
document.addEventListener("DOMContentLoaded", () => {
  // Buttons with data-confirm ask before submitting (no inline handlers: the CSP forbids them).
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!window.confirm(el.dataset.confirm)) event.preventDefault();
    });
  });
});
