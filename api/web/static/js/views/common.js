// Pieces that several views share: page headings, links to records, lists of statements,
// and the "open this query in GraphiQL" footer.

import { graphiqlUrl } from "../config.js";
import { operationName } from "../graphql.js";
import { h, link } from "../dom.js";
import {
  hedgedBadge, impliedBadge, kindBadge, positionBadge, when,
} from "../format.js";

export const path = {
  source: (slug, key) => `/sources/${encodeURIComponent(slug)}${key ? `#${encodeURIComponent(key)}` : ""}`,
  claim: (slug) => `/claims/${encodeURIComponent(slug)}`,
  actor: (slug) => `/actors/${encodeURIComponent(slug)}`,
  event: (slug) => `/events/${encodeURIComponent(slug)}`,
  statement: (slug) => `/statements/${encodeURIComponent(slug)}`,
  evidence: (slug) => `/evidence/${encodeURIComponent(slug)}`,
  timeline: (params) => {
    const query = new URLSearchParams(Object.entries(params || {}).filter(([, v]) => v));
    return `/timeline${query.toString() ? `?${query}` : ""}`;
  },
};

/** The key of a piece of evidence in a reader's URL fragment (statements use their slug). */
export const evidenceKey = (slug) => `evidence:${slug}`;

/** A page's heading block: what kind of page, the title, and a line of facts. */
export function pageHead(eyebrow, title, ...facts) {
  return h(
    "header",
    { class: "page-head" },
    h("p", { class: "eyebrow" }, eyebrow),
    h("h1", { tabindex: "-1" }, title),
    facts.length ? h("p", { class: "facts" }, ...facts) : null,
  );
}

export function actorLink(actor) {
  return actor ? link(path.actor(actor.slug), actor.name) : h("span", { class: "muted" }, "unattributed");
}

export function claimLink(claim) {
  return link(path.claim(claim.slug), claim.text);
}

/** "Open in GraphiQL" for each operation a view ran, with its variables. */
export function dataFooter(operations) {
  return h(
    "aside",
    { class: "data-footer", "aria-label": "Where this page's data comes from" },
    h("h2", null, "This page's data"),
    h(
      "ul",
      null,
      operations.map(([document, variables]) =>
        h(
          "li",
          null,
          h("code", null, `query ${operationName(document)}`),
          " ",
          h("a", { href: graphiqlUrl(document, variables), class: "graphiql-link" }, "open this query in GraphiQL"),
        ),
      ),
    ),
  );
}

/** A statement's positions on claims, as badges with links. */
export function stanceList(stances, { empty = null } = {}) {
  if (!stances.length) return empty;
  return h(
    "ul",
    { class: "stances" },
    stances.map((stance) =>
      h(
        "li",
        null,
        positionBadge(stance.position),
        stance.hedged ? [" ", hedgedBadge()] : null,
        " ",
        claimLink(stance.claim),
        stance.note ? h("span", { class: "note" }, ` (${stance.note})`) : null,
      ),
    ),
  );
}

/** A statement as a list item: who, when, the words (linked to their place), positions. */
export function statementItem(statement, { speaker = true } = {}) {
  const stances = (statement.stances?.edges || []).map((edge) => edge.node);
  const place = statement.source ? path.source(statement.source.slug, statement.slug) : path.statement(statement.slug);
  return h(
    "li",
    { class: "statement-item" },
    h(
      "p",
      { class: "byline" },
      kindBadge(statement.kind),
      speaker ? [" ", actorLink(statement.speaker)] : null,
      statement.attribution === "IMPLIED" ? [" ", impliedBadge()] : null,
      " · ",
      when(statement.saidOn, statement.saidOnPrecision),
    ),
    h("blockquote", { class: "quote" }, h("a", { href: place, class: "quote-link" }, statement.text)),
    stanceList(stances),
  );
}
