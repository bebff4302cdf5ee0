// Annotate mode in the source reader, for a signed-in analyst: select a passage and say what
// it is (a statement or evidence), accept or dismiss suggested quotes, and edit or delete a
// recorded span from its panel. Every form opens in the reader's panel; a save renders the
// reader again with the new record selected.

import { h, replace } from "../dom.js";
import { evidenceForm } from "./evidence-form.js";
import { passage, selected, unitIndex } from "./passage.js";
import { recordTools, showConflict } from "./record.js";
import { statementForm } from "./statement-form.js";
import { dismiss, suggestionPanel } from "./suggestions.js";
import { announce } from "./status.js";
import { evidenceKey } from "../views/common.js";

/**
 * Wire annotate mode into a rendered reader. `reader`: {context, source, rendered, panel,
 * select(key)}. Returns the panel hooks the reader's fillPanel calls: `tools(annotation)`,
 * `suggestion(annotation)`, `invitation()`.
 */
export function annotateReader({ context, source, rendered, panel, select }) {
  const text = source.text;

  function reload(key, message) {
    if (message) announce(message);
    const url = `${location.pathname}${location.search}${key ? `#${encodeURIComponent(key)}` : ""}`;
    context.router.reload(url);
  }

  function open(form) {
    select(null, { keepPanel: true });
    panel.replaceChildren(form);
    document.body.classList.add("panel-open");
    const heading = form.querySelector("h2");
    if (heading) heading.focus();
  }

  function cancel() {
    select(null);
    panel.focus();
  }

  function conflictHandler(type, slug) {
    return (details) => showConflict(type, slug, details, { discard: () => reload(type === "statement" ? slug : evidenceKey(slug), "Discarded your changes: showing theirs.") });
  }

  function newStatement(found, prefill = null, { adjust = false } = {}) {
    open(statementForm({
      source,
      passage: found,
      prefill,
      adjust,
      onSaved: (slug) => reload(slug, `Saved the statement “${slug}”.`),
      onCancel: cancel,
    }));
  }

  function newEvidence(found) {
    open(evidenceForm({
      source,
      passage: found,
      onSaved: (slug) => reload(evidenceKey(slug), `Saved the evidence “${slug}”.`),
      onCancel: cancel,
    }));
  }

  /** The panel for a fresh selection: the passage, and what it may become. */
  function offer(found) {
    const statement = h("button", { type: "button", class: "as-statement" }, "Statement");
    const evidence = h("button", { type: "button", class: "as-evidence" }, "Evidence");
    statement.addEventListener("click", () => newStatement(found));
    evidence.addEventListener("click", () => newEvidence(found));
    select(null, { keepPanel: true });
    panel.replaceChildren(
      h("h2", { id: "detail-title" }, "The selected passage"),
      h("blockquote", { class: "quote selected-quote" }, found.exact),
      h("p", { class: "hint" }, `Characters ${found.start}–${found.end}${found.occurrences > 1 ? `, occurrence ${found.occurrence} of ${found.occurrences} of these words` : ""}.`),
      h("p", null, "Record it as:"),
      h("p", { class: "form-actions" }, statement, " ", evidence),
    );
    document.body.classList.add("panel-open");
  }

  function onSelect() {
    const found = selected(rendered.container, text);
    if (found) offer(found);
  }
  rendered.container.addEventListener("mouseup", () => setTimeout(onSelect, 0));
  rendered.container.addEventListener("keyup", (event) => {
    if (event.shiftKey) onSelect();
  });

  const toolbar = h(
    "div",
    { class: "annotate-bar", role: "region", "aria-label": "Annotate" },
    h("p", null, h("strong", null, "Annotate mode. "), "Select a passage in the text to record it, or type its words in a new form. Dashed highlights are suggested quotes, not recorded."),
    h(
      "p",
      { class: "form-actions" },
      h("button", { type: "button", class: "secondary new-statement" }, "New statement"),
      " ",
      h("button", { type: "button", class: "secondary new-evidence" }, "New evidence"),
    ),
  );
  toolbar.querySelector(".new-statement").addEventListener("click", () => newStatement(null));
  toolbar.querySelector(".new-evidence").addEventListener("click", () => newEvidence(null));

  return {
    toolbar,
    tools(annotation) {
      if (annotation.type === "suggestion") return null;
      return recordTools(annotation, {
        edit() {
          const { node, type } = annotation;
          const found = passage(text, unitIndex(text, node.span.start), unitIndex(text, node.span.end));
          const key = type === "statement" ? node.slug : evidenceKey(node.slug);
          const common = {
            source,
            passage: found,
            node,
            onSaved: () => reload(key, `Saved the changes to “${node.slug}”.`),
            onCancel: () => select(key),
            onConflict: conflictHandler(type, node.slug),
          };
          open(type === "statement" ? statementForm(common) : evidenceForm(common));
        },
        deleted: () => reload(null),
      });
    },
    suggestion(annotation) {
      return suggestionPanel(annotation, {
        accept({ adjust = false } = {}) {
          const found = passage(text, annotation.from, annotation.to);
          const { kind, speaker, date, precision } = annotation.node;
          newStatement(found, { kind, speaker, date, precision }, { adjust });
        },
        dismissIt() {
          dismiss(source.slug, annotation.key);
          reload(null, "Dismissed the suggestion (nothing was stored).");
        },
      });
    },
  };
}
