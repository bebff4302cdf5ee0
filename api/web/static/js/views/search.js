// Search (/search?q=): every kind of hit, grouped by kind, each with the API's snippet (hits in
// <mark>, inserted by dom.snippet, never as HTML). Names match when misspelled (Tokaev).

import { query } from "../graphql.js";
import { h, link, replace, snippet } from "../dom.js";
import { KIND, lower, plural, relationBadge, when } from "../format.js";
import { SEARCH } from "../queries.js";
import { dataFooter, evidenceKey, pageHead, path } from "./common.js";

const GROUPS = [
  ["Actor", "People and organisations"],
  ["Claim", "Claims"],
  ["Statement", "Statements"],
  ["Evidence", "Evidence"],
  ["Event", "Events"],
];

function hit(edge) {
  const node = edge.node;
  const similar = edge.match === "SIMILAR" ? h("span", { class: "badge similar", title: "Matched a similar spelling" }, "similar spelling") : null;
  const text = h("p", { class: "snippet" }, snippet(edge.snippet));
  switch (node.__typename) {
    case "Actor":
      return [h("h3", null, link(path.actor(node.slug), node.name)), h("p", { class: "byline" }, lower(node.actorKind), similar ? [" ", similar] : null), text];
    case "Claim":
      return [h("h3", null, link(path.claim(node.slug), node.text)), similar, text];
    case "Statement":
      return [
        h("h3", null, link(node.source ? path.source(node.source.slug, node.slug) : path.statement(node.slug), `${KIND[node.statementKind]} by ${node.speaker ? node.speaker.name : "no one"}`)),
        h("p", { class: "byline" }, when(node.saidOn, node.saidOnPrecision), node.source ? ` · in ${node.source.title}` : "", similar ? [" ", similar] : null),
        text,
      ];
    case "Evidence":
      return [
        h("h3", null, link(node.source ? path.source(node.source.slug, evidenceKey(node.slug)) : path.evidence(node.slug), "Evidence on “", node.claim.text, "”")),
        h("p", { class: "byline" }, relationBadge(node.relation), similar ? [" ", similar] : null),
        text,
      ];
    case "Event":
      return [h("h3", null, link(path.event(node.slug), node.title)), h("p", { class: "byline" }, when(node.startDate, node.startPrecision), similar ? [" ", similar] : null), text];
    default:
      return [text];
  }
}

export async function searchView(context) {
  const q = (context.query.get("q") || "").trim();
  const box = document.getElementById("search-q");
  if (box) box.value = q;
  context.setTitle(q ? `Search: ${q}` : "Search");
  if (!q) {
    replace(context.main, pageHead("Search", "Search claimgraph"), h("p", null, "Type a name, a claim or words of a quote in the search box above."));
    return null;
  }
  const { search } = await query(SEARCH, { q }, { signal: context.signal });
  const groups = new Map(GROUPS.map(([type]) => [type, []]));
  for (const edge of search.edges) groups.get(edge.node.__typename)?.push(edge);
  const found = GROUPS.filter(([type]) => groups.get(type).length);
  replace(
    context.main,
    h(
      "article",
      { class: "search-page" },
      pageHead("Search", `“${q}”`, `${plural(search.totalCount, "hit")}${search.totalCount > search.edges.length ? `, the best ${search.edges.length} shown` : ""}`),
      found.length
        ? h("nav", { class: "jump", "aria-label": "Kinds of hits" }, h("ul", null, found.map(([type, title]) => h("li", null, h("a", { href: `#hits-${type.toLowerCase()}` }, `${title} (${groups.get(type).length})`)))))
        : h("p", null, "Nothing found. Try fewer words, or a prefix such as ", h("code", null, "revol*"), "."),
      found.map(([type, title]) =>
        h(
          "section",
          { class: "hit-group", id: `hits-${type.toLowerCase()}`, "aria-labelledby": `hits-${type.toLowerCase()}-title` },
          h("h2", { id: `hits-${type.toLowerCase()}-title` }, `${title} (${groups.get(type).length})`),
          h("ol", { class: "hits" }, groups.get(type).map((edge) => h("li", { class: "hit" }, hit(edge)))),
        ),
      ),
      dataFooter([[SEARCH, { q }]]),
    ),
  );
  return null;
}
