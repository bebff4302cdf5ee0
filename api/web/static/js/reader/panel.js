// What the reader says about the selected span: who said it (an implied attribution marked as
// such), when (as precisely as known), the claims it takes positions on, the evidence resting
// on it; for evidence, what it bears on and what it rests on.

import { graphiqlUrl } from "../config.js";
import { h, link } from "../dom.js";
import {
  KIND, impliedBadge, kindBadge, relationBadge, when,
} from "../format.js";
import { STATEMENT_PLACE } from "../queries.js";
import { actorLink, claimLink, evidenceKey, path, stanceList } from "../views/common.js";

function others(annotation, overlapping) {
  if (!overlapping.length) return null;
  return [
    h("h3", null, "Also at this place"),
    h(
      "ul",
      { class: "overlapping" },
      overlapping.map((other) => h("li", null, h("a", { href: `#${other.key}` }, other.label))),
    ),
  ];
}

function statementPanel(annotation, context) {
  const statement = annotation.node;
  const stances = statement.stances.edges.map((edge) => edge.node);
  const evidence = context.evidenceOf.get(statement.slug) || [];
  return [
    h(
      "h2",
      { id: "detail-title" },
      `${KIND[statement.kind][0].toUpperCase()}${KIND[statement.kind].slice(1)} by `,
      actorLink(statement.speaker),
    ),
    h(
      "p",
      { class: "byline" },
      kindBadge(statement.kind),
      statement.attribution === "IMPLIED" ? [" ", impliedBadge()] : null,
      " · ",
      when(statement.saidOn, statement.saidOnPrecision),
      statement.event ? [" · at ", link(path.event(statement.event.slug), statement.event.title)] : null,
    ),
    h("blockquote", { class: "quote selected-quote" }, annotation.text),
    statement.note ? h("p", { class: "note" }, h("strong", null, "Note: "), statement.note) : null,
    h("h3", null, "Positions on claims"),
    stanceList(stances, { empty: h("p", { class: "muted" }, "Takes no position on a claim.") }),
    evidence.length
      ? [
          h("h3", null, "Evidence resting on it"),
          h(
            "ul",
            { class: "evidence-list" },
            evidence.map((item) =>
              h(
                "li",
                null,
                relationBadge(item.relation),
                " ",
                h("a", { href: `#${evidenceKey(item.slug)}` }, item.summary),
                " — on ",
                claimLink(item.claim),
              ),
            ),
          ),
        ]
      : null,
    others(annotation, context.overlapping),
    h(
      "p",
      { class: "panel-links" },
      h("a", { href: graphiqlUrl(STATEMENT_PLACE, { id: statement.slug }), class: "graphiql-link" }, "open this statement in GraphiQL"),
    ),
  ];
}

function evidencePanel(annotation, context) {
  const evidence = annotation.node;
  return [
    h("h2", { id: "detail-title" }, "Evidence ", relationBadge(evidence.relation)),
    h("p", { class: "lead" }, evidence.summary),
    h("p", null, "On the claim ", claimLink(evidence.claim)),
    h(
      "p",
      { class: "byline" },
      "Offered by ",
      actorLink(evidence.offeredBy),
      evidence.event ? [" · about ", link(path.event(evidence.event.slug), evidence.event.title)] : null,
    ),
    h("blockquote", { class: "quote selected-quote" }, annotation.text),
    evidence.statement
      ? h("p", null, "Rests on the statement ", h("a", { href: `#${evidence.statement.slug}` }, context.labelOf(evidence.statement.slug)))
      : null,
    others(annotation, context.overlapping),
  ];
}

/** Fill the panel for `annotation` (null: the panel's invitation). */
export function fillPanel(panel, annotation, context) {
  panel.replaceChildren();
  if (!annotation && context.annotate) {
    panel.append(
      h("h2", { id: "detail-title" }, "Select a passage"),
      h("p", { class: "muted" }, "Select words in the text to record them as a statement or evidence; click a highlight to see, edit or delete it; click a dashed one to accept or dismiss a suggestion."),
    );
    return;
  }
  if (!annotation) {
    panel.append(
      h("h2", { id: "detail-title" }, "Choose a highlight"),
      h(
        "p",
        { class: "muted" },
        "Click highlighted text, or Tab to a highlight's marker and press Enter, to see who said it, when, the claims it takes positions on and the evidence.",
      ),
    );
    return;
  }
  const build = { statement: statementPanel, evidence: evidencePanel, suggestion: (a) => context.annotate.suggestion(a) }[annotation.type];
  const parts = build(annotation, context);
  panel.append(h("button", { type: "button", class: "secondary panel-close", dataset: { action: "close" } }, "Close"));
  for (const part of parts.flat(Infinity)) if (part) panel.append(part);
  // Annotate mode (signed in with a write key): Edit, Delete and History.
  const tools = context.annotate ? context.annotate.tools(annotation) : null;
  if (tools) panel.append(tools);
}
