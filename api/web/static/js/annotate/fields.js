// Form pieces shared by the annotate forms: labelled controls, each with a slot for what the
// API says is wrong with it (linked by aria-describedby, so a screen reader reads it with the
// field), radio groups, ids made from words, and partial dates.

import { h } from "../dom.js";

let counter = 0;

/** A unique element id (forms can be open in several places of a page). */
export function uid(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

/**
 * A labelled control with its error slot. `name` is the input field it stands for (as the
 * API names it: `id`, `text`, `saidOn`, ...), so a payload's problem finds its place.
 */
export function field(name, label, control, { hint = null } = {}) {
  const id = control.id || uid(`f-${name}`);
  control.id = id;
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  control.setAttribute("aria-describedby", [hintId, errorId].filter(Boolean).join(" "));
  return h(
    "div",
    { class: "field", dataset: { field: name } },
    h("label", { for: id }, label),
    control,
    hint ? h("p", { id: hintId, class: "hint" }, hint) : null,
    h("p", { id: errorId, class: "field-error", dataset: { errorFor: name } }),
  );
}

/** A group of radio buttons in a fieldset: options [[value, label], ...]. */
export function radios(name, legend, options, chosen) {
  const group = uid(`r-${name}`);
  const errorId = `${group}-error`;
  return h(
    "fieldset",
    { class: "field radios", dataset: { field: name }, "aria-describedby": errorId },
    h("legend", null, legend),
    options.map(([value, label]) => {
      const id = `${group}-${value.toLowerCase()}`;
      return h(
        "span",
        { class: "radio" },
        h("input", { type: "radio", id, name: group, value, checked: value === chosen, dataset: { radio: name } }),
        h("label", { for: id }, label),
      );
    }),
    h("p", { id: errorId, class: "field-error", dataset: { errorFor: name } }),
  );
}

/** The chosen value of a radio group made by radios(). */
export function radioValue(root, name) {
  const checked = root.querySelector(`input[data-radio="${name}"]:checked`);
  return checked ? checked.value : null;
}

/** Clear every field's error in `root`. */
export function clearProblems(root) {
  for (const slot of root.querySelectorAll("[data-error-for]")) slot.textContent = "";
  for (const control of root.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
}

/**
 * Put each problem next to its field (`fields`: Map of field name to sentence); problems whose
 * field is not in the form are returned, to be said for the form as a whole. The first field
 * at fault gets the focus.
 */
export function showProblems(root, fields) {
  const homeless = [];
  let first = null;
  // A new actor's or claim's fields (fieldsets inside the form) are not the form's own.
  const scope = root.closest("[data-new-record]");
  for (const [name, message] of fields) {
    const slot = [...root.querySelectorAll(`[data-error-for="${name}"]`)].find((s) => s.closest("[data-new-record]") === scope);
    if (!slot) {
      homeless.push(message);
      continue;
    }
    slot.textContent = message;
    const container = slot.closest("[data-field]");
    const control = container && container.querySelector("input, select, textarea");
    if (control) {
      control.setAttribute("aria-invalid", "true");
      first = first || control;
    }
  }
  if (first) first.focus();
  return homeless;
}

/** An id made from words: lower-case ASCII words joined by '-', at most `max` characters. */
export function slugify(text, max = 80) {
  const words = String(text || "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  let slug = "";
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > max) break;
    slug = next;
  }
  return slug || words.join("-").slice(0, max);
}

/**
 * A date as precisely as known, as typed (`2022`, `2022-01`, `2022-01-10`): the first day of
 * that period and its precision; {date: null, precision: "UNKNOWN"} when empty; null if not
 * a date.
 */
export function parsePartialDate(text) {
  const value = String(text || "").trim();
  if (!value) return { date: null, precision: "UNKNOWN" };
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  if (!match) return null;
  const [, year, month, day] = match;
  if (month && (Number(month) < 1 || Number(month) > 12)) return null;
  if (day) {
    const date = new Date(`${year}-${month}-${day}T00:00:00Z`);
    if (Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(day)) return null;
    return { date: value, precision: "DAY" };
  }
  if (month) return { date: `${year}-${month}-01`, precision: "MONTH" };
  return { date: `${year}-01-01`, precision: "YEAR" };
}

/** A stored date and precision as typed (`2022-01` for January 2022); "" when unknown. */
export function typedDate(date, precision) {
  if (!date || precision === "UNKNOWN") return "";
  const parts = String(date).split("-");
  return parts.slice(0, precision === "YEAR" ? 1 : precision === "MONTH" ? 2 : 3).join("-");
}
