// The activity form's enhancements; without JS the plain controls work and the server
// checks everything.
//
// 1. Actor search: a combobox (WAI-ARIA APG "list autocomplete") over the <select
//    multiple>'s options. Arrow keys move through the hits, Enter adds the active one,
//    Escape closes the list (or clears the box); Enter never submits the form. Chosen
//    actors are buttons that remove them.
// 2. Workplaces: only those of the chosen departments are offered.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-autocomplete='aktorer']").forEach(actorCombobox);
  document.querySelectorAll("select[data-arbetsplatser]").forEach(workplaceFilter);
});

const MAX_HITS = 8;

function actorCombobox(select) {
  const id = select.id + "_sok";
  const wrap = document.createElement("div");
  const label = document.createElement("label");
  const hint = document.createElement("div");
  const box = document.createElement("div");
  const input = document.createElement("input");
  const list = document.createElement("ul");
  const status = document.createElement("div");
  const chosen = document.createElement("div");

  label.htmlFor = id;
  label.className = "form-label";
  label.textContent = "Sök aktör";
  hint.id = id + "_hint";
  hint.className = "form-text mt-0 mb-1";
  hint.textContent = "Skriv minst två bokstäver. Pil ned och upp väljer, Enter lägger till, Esc stänger.";
  box.className = "position-relative";
  input.id = id;
  input.type = "text";
  input.autocomplete = "off";
  input.className = "form-control";
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", id + "_lista");
  input.setAttribute("aria-describedby", hint.id);
  list.id = id + "_lista";
  list.className = "list-group mt-1 aktor-hits";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Träffar");
  list.hidden = true;
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  chosen.className = "d-flex flex-wrap gap-1 mt-2";
  chosen.setAttribute("aria-live", "polite");
  box.append(input, list);
  wrap.append(label, hint, box, status, chosen);

  // The select stays in the form (it carries the choice) but out of sight and reach.
  select.classList.add("d-none");
  const selectLabel = document.querySelector(`label[for='${select.id}']`);
  if (selectLabel) selectLabel.classList.add("d-none");
  select.setAttribute("aria-hidden", "true");
  select.tabIndex = -1;
  select.after(wrap);

  let hits = []; // the <option>s shown, in order
  let active = -1; // index into hits, -1 for none

  const isOpen = () => !list.hidden;

  const close = () => {
    list.hidden = true;
    list.replaceChildren();
    hits = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  };

  const setActive = (index) => {
    active = index;
    list.querySelectorAll("[role='option']").forEach((li, i) => {
      const on = i === active;
      li.setAttribute("aria-selected", on ? "true" : "false");
      li.classList.toggle("active", on);
      if (on) {
        input.setAttribute("aria-activedescendant", li.id);
        li.scrollIntoView({ block: "nearest" });
      }
    });
    if (active < 0) input.removeAttribute("aria-activedescendant");
  };

  const open = (all) => {
    const q = input.value.trim().toLowerCase();
    list.replaceChildren();
    if (!all && q.length < 2) {
      close();
      status.textContent = "";
      return;
    }
    hits = Array.from(select.options)
      .filter((opt) => !opt.selected && opt.text.toLowerCase().includes(q))
      .slice(0, MAX_HITS);
    hits.forEach((opt, i) => {
      const li = document.createElement("li");
      li.id = `${id}_opt_${opt.value}`;
      li.className = "list-group-item list-group-item-action";
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.textContent = opt.text;
      // mousedown, not click: the box keeps focus (no blur closing the list first).
      li.addEventListener("mousedown", (event) => {
        event.preventDefault();
        choose(i);
      });
      list.append(li);
    });
    if (!hits.length) {
      const li = document.createElement("li");
      li.className = "list-group-item text-body-secondary";
      li.textContent = "Ingen aktör matchar; lägg till den nedan.";
      list.append(li);
    }
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    active = -1;
    input.removeAttribute("aria-activedescendant");
    status.textContent = hits.length
      ? `${hits.length} ${hits.length === 1 ? "träff" : "träffar"}`
      : "Inga träffar";
  };

  const choose = (index) => {
    const opt = hits[index];
    if (!opt) return;
    opt.selected = true;
    input.value = "";
    close();
    renderChosen();
    status.textContent = `${opt.text} tillagd`;
    input.focus();
  };

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
        status.textContent = `${opt.text} borttagen`;
        input.focus();
      });
      chosen.append(btn);
    });
  };

  input.addEventListener("input", () => open(false));
  input.addEventListener("keydown", (event) => {
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!isOpen()) open(true);
        if (hits.length) setActive(active < hits.length - 1 ? active + 1 : 0);
        break;
      case "ArrowUp":
        event.preventDefault();
        if (!isOpen()) open(true);
        if (hits.length) setActive(active > 0 ? active - 1 : hits.length - 1);
        break;
      case "Enter":
        // Never the form's submit: the box only searches.
        event.preventDefault();
        if (isOpen() && active >= 0) choose(active);
        else if (isOpen() && hits.length === 1) choose(0);
        break;
      case "Escape":
        if (isOpen()) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
        }
        break;
      case "Tab":
        close();
        break;
      default:
    }
  });
  input.addEventListener("blur", close);
  renderChosen();
}

function workplaceFilter(select) {
  const boxes = Array.from(document.querySelectorAll("input[type=checkbox][name='avdelningar']"));
  if (!boxes.length) return;
  const empty = document.createElement("div");
  empty.className = "form-text";
  empty.textContent = "Välj en avdelning ovan för att se dess arbetsplatser.";
  select.after(empty);

  const apply = () => {
    const chosen = new Set(boxes.filter((b) => b.checked).map((b) => b.value));
    let shown = 0;
    Array.from(select.options).forEach((opt) => {
      const ok = chosen.has(opt.dataset.avdelning);
      opt.hidden = !ok;
      opt.disabled = !ok;
      if (!ok) opt.selected = false;
      if (ok) shown += 1;
    });
    empty.hidden = shown > 0 || !select.options.length;
    if (!chosen.size) empty.textContent = "Välj en avdelning ovan för att se dess arbetsplatser.";
    else empty.textContent = "De valda avdelningarna har inga arbetsplatser i registret.";
  };
  boxes.forEach((b) => b.addEventListener("change", apply));
  apply();
}
