// The overview (/ for browsers): the sources to read, the claims people argue about (with
// how many statements take each side), and the way to the timeline and to search.

import { query } from "../graphql.js";
import { h, link, replace } from "../dom.js";
import { day, plural, positionBadge } from "../format.js";
import { HOME } from "../queries.js";
import { dataFooter, pageHead, path } from "./common.js";

export async function homeView(context) {
  const data = await query(HOME, {}, { signal: context.signal });
  context.setTitle(null);
  const sources = data.sources.edges.map((edge) => edge.node);
  const claims = data.claims.edges.map((edge) => edge.node);
  replace(
    context.main,
    h(
      "article",
      { class: "home" },
      pageHead(
        "claimgraph explorer",
        "Who claimed what, when, on what evidence",
        `${plural(data.sources.totalCount, "source")} · ${plural(data.claims.totalCount, "claim")} · ${plural(data.actors.totalCount, "actor")} · ${plural(data.events.totalCount, "event")}`,
      ),
      h("p", { class: "lead" }, "Every quote is pinned to its exact place in the published text and tied to the claims it supports or disputes, and to the evidence. Read a source, follow a claim, or see it all on the ", link("/timeline", "timeline"), "."),
      h(
        "section",
        { "aria-labelledby": "sources-title" },
        h("h2", { id: "sources-title" }, "Sources"),
        h("ul", { class: "cards" }, sources.map((source) =>
          h("li", { class: "card" },
            h("h3", null, link(path.source(source.slug), source.title)),
            h("p", { class: "byline" }, source.publisher, source.modifiedAt ? ` · last modified ${day(source.modifiedAt)}` : "", ` · ${plural(source.statements.totalCount, "statement")}`)))),
      ),
      h(
        "section",
        { "aria-labelledby": "claims-title" },
        h("h2", { id: "claims-title" }, "Claims"),
        h("ul", { class: "claim-list" }, claims.map((claim) =>
          h("li", null,
            link(path.claim(claim.slug), claim.text),
            h("span", { class: "counts" }, " ", positionBadge("SUPPORTS", `${claim.supporters.totalCount} supporting`), " ", positionBadge("DISPUTES", `${claim.disputers.totalCount} disputing`))))),
      ),
      dataFooter([[HOME, {}]]),
    ),
  );
  return null;
}
