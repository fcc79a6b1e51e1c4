// Actor autocomplete for the logging form: a search box over the <select multiple>'s
// options, chosen actors as removable buttons. Without JS the plain select still works.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-autocomplete='aktorer']").forEach((select) => {
    const wrap = document.createElement("div");
    const label = document.createElement("label");
    const input = document.createElement("input");
    const results = document.createElement("ul");
    const chosen = document.createElement("div");
    const id = select.id + "_sok";
    label.htmlFor = id;
    label.className = "form-label";
    label.textContent = "Sök aktör";
    input.id = id;
    input.type = "search";
    input.autocomplete = "off";
    input.className = "form-control";
    input.placeholder = "Skriv minst två bokstäver";
    results.className = "list-group mt-1";
    results.setAttribute("aria-label", "Träffar");
    chosen.className = "d-flex flex-wrap gap-1 mt-2";
    chosen.setAttribute("aria-live", "polite");
    wrap.append(label, input, results, chosen);
    select.classList.add("d-none");
    const selectLabel = document.querySelector(`label[for='${select.id}']`);
    if (selectLabel) selectLabel.classList.add("d-none");
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    select.after(wrap);

    const renderChosen = () => {
      chosen.replaceChildren();
      Array.from(select.selectedOptions).forEach((opt) => {
        const btn = document.createElement("button");
        btn.type = "button";
        btn.className = "btn btn-sm btn-outline-primary";
        btn.textContent = opt.text + " ×";
        btn.setAttribute("aria-label", "Ta bort " + opt.text);
        btn.addEventListener("click", () => {
          opt.selected = false;
          renderChosen();
        });
        chosen.append(btn);
      });
    };

    input.addEventListener("input", () => {
      results.replaceChildren();
      const q = input.value.trim().toLowerCase();
      if (q.length < 2) return;
      Array.from(select.options)
        .filter((opt) => !opt.selected && opt.text.toLowerCase().includes(q))
        .slice(0, 8)
        .forEach((opt) => {
          const li = document.createElement("li");
          li.className = "list-group-item p-0";
          const btn = document.createElement("button");
          btn.type = "button";
          btn.className = "btn btn-link text-start w-100 py-2";
          btn.textContent = opt.text;
          btn.addEventListener("click", () => {
            opt.selected = true;
            input.value = "";
            results.replaceChildren();
            renderChosen();
            input.focus();
          });
          li.append(btn);
          results.append(li);
        });
    });
    renderChosen();
  });
});
