// What every annotate form shares: a heading, a status line read out after a save or a
// failure (aria-live), Save and Cancel, and the passage the record quotes.

import { h, replace } from "../dom.js";
import { field, uid } from "./fields.js";
import { find, occurrenceNote } from "./passage.js";

/** A form with `title`, `body` and Save/Cancel; `submit()` runs on Save. */
export function formShell({ title, body, submitLabel = "Save", onSubmit, onCancel, kind }) {
  const titleId = uid("form-title");
  const status = h("div", { class: "form-status", role: "status", "aria-live": "polite" });
  const save = h("button", { type: "submit" }, submitLabel);
  const form = h(
    "form",
    // data-dirty: an open form is work in progress, which nothing may redraw away (the
    // explorer's live refresh waits for it).
    { class: `annotate-form ${kind || ""}`, "aria-labelledby": titleId, novalidate: true, method: "post", "data-dirty": true },
    h("h2", { id: titleId, tabindex: "-1" }, title),
    body,
    status,
    h("p", { class: "form-actions" }, save, " ", h("button", { type: "button", class: "secondary", dataset: { action: "cancel" } }, "Cancel")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    save.disabled = true;
    form.setAttribute("aria-busy", "true");
    try {
      await onSubmit();
    } finally {
      save.disabled = false;
      form.removeAttribute("aria-busy");
    }
  });
  form.querySelector("[data-action='cancel']").addEventListener("click", () => onCancel());
  return {
    form,
    say(message, { failed = false } = {}) {
      status.classList.toggle("failed", failed);
      replace(status, message ? h("p", null, message) : "");
    },
    sayElement(...children) {
      status.classList.remove("failed");
      replace(status, ...children);
    },
  };
}

/**
 * The passage a record quotes: shown as a quote with its offsets, and changeable (the exact
 * words, and which occurrence where they repeat). `read()` gives the passage, or null when
 * the words are not in the text.
 */
export function passageField(text, initial, { open = false } = {}) {
  let current = initial;
  const quote = h("blockquote", { class: "quote selected-quote" }, initial ? initial.exact : "");
  const where = h("p", { class: "hint passage-where" });
  const exact = h("textarea", { rows: "3", spellcheck: "false" });
  exact.value = initial ? initial.exact : "";
  const occurrence = h("input", { type: "number", min: "1", step: "1", value: String(initial ? initial.occurrence || 1 : 1) });
  function describe() {
    replace(quote, current ? current.exact : "");
    where.textContent = current
      ? `Characters ${current.start}–${current.end} of the source${occurrenceNote(current) ? `, ${occurrenceNote(current)}` : ""}.`
      : "These words are not in the source's text.";
  }
  function recompute() {
    current = find(text, exact.value, Number.parseInt(occurrence.value, 10) || 1);
    describe();
  }
  exact.addEventListener("input", recompute);
  occurrence.addEventListener("input", recompute);
  describe();
  const element = h(
    "div",
    { class: "field passage", dataset: { field: "text" } },
    h("p", { class: "label" }, "The passage"),
    quote,
    where,
    h(
      "details",
      { class: "adjust", open: open || !initial },
      h("summary", null, "Change the passage"),
      field("exact", "The exact words, as in the source", exact),
      field("occurrence", "Which occurrence", occurrence, { hint: "Where the same words appear more than once: 1 for the first." }),
    ),
    h("p", { class: "field-error", dataset: { errorFor: "text" } }),
  );
  return { element, read: () => current, changed: () => !initial || !current || current.start !== initial.start || current.end !== initial.end };
}
