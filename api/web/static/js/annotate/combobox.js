// Search-as-you-type for a record (a speaker, a claim): an ARIA 1.2 combobox whose list
// offers the records the search finds and, last, "new …" to create one inline. Arrow keys
// move through the options, Enter picks, Escape closes; the choice is said beside the box.

import { h, replace } from "../dom.js";
import { uid } from "./fields.js";

/**
 * `search(q)` resolves to [{slug, label, detail}]; `create` names what a new record is
 * ("actor"); `onChange(choice)` hears every choice: {slug, label} for a record, {isNew: true,
 * label} for a new one, null for none. Returns {element, input, choice(), choose(c)}.
 */
export function combobox({ name, label, hint, search, create, onChange, initial = null, placeholder = "" }) {
  const id = uid(`cb-${name}`);
  const listId = `${id}-list`;
  const input = h("input", {
    id,
    type: "text",
    role: "combobox",
    autocomplete: "off",
    spellcheck: "false",
    placeholder,
    "aria-autocomplete": "list",
    "aria-expanded": "false",
    "aria-controls": listId,
    "aria-describedby": `${id}-chosen ${hint ? `${id}-hint ` : ""}${id}-error`,
  });
  const list = h("ul", { id: listId, role: "listbox", class: "combobox-list", "aria-label": label, hidden: true });
  const chosen = h("p", { id: `${id}-chosen`, class: "chosen", "aria-live": "polite" });
  const element = h(
    "div",
    { class: "field combobox", dataset: { field: name } },
    h("label", { for: id }, label),
    input,
    list,
    chosen,
    hint ? h("p", { id: `${id}-hint`, class: "hint" }, hint) : null,
    h("p", { id: `${id}-error`, class: "field-error", dataset: { errorFor: name } }),
  );
  let options = [];
  let active = -1;
  let choice = null;
  let timer = 0;
  let asked = 0;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function mark() {
    list.querySelectorAll("[role='option']").forEach((option, i) => option.setAttribute("aria-selected", String(i === active)));
    if (active >= 0) input.setAttribute("aria-activedescendant", `${listId}-${active}`);
    else input.removeAttribute("aria-activedescendant");
  }

  function choose(next, { silent = false } = {}) {
    choice = next;
    input.value = next ? next.label : "";
    replace(
      chosen,
      next
        ? next.isNew
          ? `A new ${create}: “${next.label}” (fill in below).`
          : [`Chosen: ${next.label} `, h("code", null, next.slug)]
        : "",
    );
    close();
    if (!silent) onChange?.(next);
  }

  async function refresh() {
    const q = input.value.trim();
    const ticket = ++asked;
    const found = q ? await search(q).catch(() => []) : [];
    if (ticket !== asked) return;
    options = [...found];
    if (q && create) options.push({ isNew: true, label: q });
    replace(
      list,
      options.map((option, i) =>
        h(
          "li",
          { id: `${listId}-${i}`, role: "option", class: option.isNew ? "option-new" : null, "aria-selected": "false", dataset: { index: String(i) } },
          option.isNew ? `New ${create}: “${option.label}”` : option.label,
          option.detail ? h("span", { class: "muted" }, ` — ${option.detail}`) : null,
        ),
      ),
    );
    active = -1;
    list.hidden = options.length === 0;
    input.setAttribute("aria-expanded", String(!list.hidden));
  }

  input.addEventListener("input", () => {
    if (choice) {
      choice = null;
      replace(chosen, "");
      onChange?.(null);
    }
    clearTimeout(timer);
    timer = setTimeout(refresh, 150);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (list.hidden) {
        refresh();
        return;
      }
      const step = event.key === "ArrowDown" ? 1 : -1;
      active = (active + step + options.length) % options.length;
      mark();
    } else if (event.key === "Enter" && !list.hidden && active >= 0) {
      event.preventDefault();
      choose(options[active]);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  // mousedown, not click: picking must happen before the input's blur closes the list.
  list.addEventListener("mousedown", (event) => {
    const option = event.target.closest("[role='option']");
    if (!option) return;
    event.preventDefault();
    choose(options[Number(option.dataset.index)]);
  });
  if (initial) choose(initial, { silent: true });
  return { element, input, choice: () => choice, choose };
}
