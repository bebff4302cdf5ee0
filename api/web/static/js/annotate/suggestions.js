// Suggested statements (GraphQL `suggestions`): passages that read like quotes or reported
// speech, each with a guessed speaker and date. They show in the reader as dashed highlights;
// accepting one opens the statement form pre-filled ("Edit the passage" with its words open to
// change), dismissing one hides it for this tab.
// Nothing is stored until a statement is saved.

import { query } from "../graphql.js";
import { h } from "../dom.js";
import { KIND, partialDate } from "../format.js";
import { SUGGESTIONS } from "./documents.js";

const dismissedKey = (source) => `claimgraph.dismissed.${source}`;

function dismissed(source) {
  try {
    return new Set(JSON.parse(sessionStorage.getItem(dismissedKey(source)) || "[]"));
  } catch {
    return new Set();
  }
}

/** Hide a suggestion in this tab (the API stores nothing either way). */
export function dismiss(source, key) {
  const set = dismissed(source);
  set.add(key);
  sessionStorage.setItem(dismissedKey(source), JSON.stringify([...set]));
}

/** The source's suggestions not yet recorded nor dismissed, as reader annotations. */
export async function suggestionAnnotations(source, signal) {
  const data = await query(SUGGESTIONS, { source }, { signal });
  const hidden = dismissed(source);
  const annotations = [];
  for (const suggestion of data.suggestions || []) {
    const key = `suggestion:${suggestion.span.start}-${suggestion.span.end}`;
    if (suggestion.recorded || hidden.has(key)) continue;
    const by = suggestion.speaker ? ` by ${suggestion.speaker.name}` : "";
    annotations.push({
      key,
      type: "suggestion",
      node: suggestion,
      start: suggestion.span.start,
      end: suggestion.span.end,
      kindClass: "k-suggestion",
      positions: new Map(),
      label: `suggested ${KIND[suggestion.kind]}${by} (not recorded)`,
    });
  }
  return annotations;
}

/** The panel of a suggestion: what it is, why, and Accept or Dismiss. */
export function suggestionPanel(annotation, { accept, dismissIt }) {
  const suggestion = annotation.node;
  const acceptButton = h("button", { type: "button", class: "accept-suggestion" }, "Accept…");
  const editButton = h("button", { type: "button", class: "secondary edit-suggestion" }, "Edit the passage…");
  const dismissButton = h("button", { type: "button", class: "secondary dismiss-suggestion" }, "Dismiss");
  acceptButton.addEventListener("click", () => accept());
  editButton.addEventListener("click", () => accept({ adjust: true }));
  dismissButton.addEventListener("click", () => dismissIt());
  const date = partialDate(suggestion.date, suggestion.precision);
  return [
    h("h2", { id: "detail-title" }, `Suggested ${KIND[suggestion.kind]}`),
    h("p", { class: "muted" }, "Not recorded: proposed from the text (", suggestion.reason, "). Nothing is stored until you accept it and save."),
    h("blockquote", { class: "quote selected-quote" }, suggestion.text),
    h(
      "dl",
      { class: "guesses" },
      h("dt", null, "Speaker (a guess)"),
      h("dd", null, suggestion.speaker ? `${suggestion.speaker.name}${suggestion.speaker.slug ? "" : " (a new actor)"}` : "no one named nearby"),
      h("dt", null, "Date (a guess)"),
      h("dd", null, date || "unknown"),
    ),
    h("p", { class: "form-actions" }, acceptButton, " ", editButton, " ", dismissButton),
  ];
}
