// An actor's page (/actors/{id}): who they are, what they said (by date, each quote linked to
// its place), the claims they take positions on, the events they took part in.

import { query } from "../graphql.js";
import { h, link, replace } from "../dom.js";
import { lower, positionBadge, when } from "../format.js";
import { ACTOR_PAGE } from "../queries.js";
import { NotFound } from "../router.js";
import { dataFooter, pageHead, path, statementItem } from "./common.js";

function positions(statements) {
  const byClaim = new Map();
  for (const statement of statements) {
    for (const { node: stance } of statement.stances.edges) {
      const entry = byClaim.get(stance.claim.slug) || { claim: stance.claim, counts: new Map() };
      entry.counts.set(stance.position, (entry.counts.get(stance.position) || 0) + 1);
      byClaim.set(stance.claim.slug, entry);
    }
  }
  return [...byClaim.values()];
}

export async function actorView(context) {
  const [id] = context.params;
  const data = await query(ACTOR_PAGE, { id, actor: id }, { signal: context.signal });
  const { actor } = data;
  if (!actor) throw new NotFound(`The actor “${id}”`);
  context.setTitle(actor.name);
  const statements = actor.statements.edges.map((edge) => edge.node);
  const events = data.events.edges.map((edge) => edge.node);
  const affiliations = actor.affiliations.edges.map((edge) => edge.node);
  const stands = positions(statements);
  replace(
    context.main,
    h(
      "article",
      { class: "actor-page" },
      pageHead(
        `Actor · ${lower(actor.kind)}`,
        actor.name,
        actor.country ? `Country: ${actor.country}` : "",
        actor.aliases.length ? `${actor.country ? " · " : ""}also written ${actor.aliases.join(", ")}` : "",
      ),
      actor.description ? h("p", { class: "lead" }, actor.description) : null,
      actor.wikidata ? h("p", null, "Wikidata: ", h("a", { href: `https://www.wikidata.org/wiki/${encodeURIComponent(actor.wikidata)}`, rel: "noopener noreferrer" }, actor.wikidata)) : null,
      affiliations.length
        ? h("section", { "aria-labelledby": "affiliations-title" }, h("h2", { id: "affiliations-title" }, "Roles"), h("ul", null, affiliations.map((a) => h("li", null, `${a.role}, `, a.organization ? link(path.actor(a.organization.slug), a.organization.name) : ""))))
        : null,
      h("p", null, link(path.timeline({ actor: actor.slug }), `${actor.name} on the timeline`)),
      h(
        "section",
        { "aria-labelledby": "positions-title" },
        h("h2", { id: "positions-title" }, "Positions on claims"),
        stands.length
          ? h("ul", { class: "stances" }, stands.map(({ claim, counts }) =>
              h("li", null, [...counts].map(([position, count]) => [positionBadge(position), count > 1 ? ` ×${count} ` : " "]), link(path.claim(claim.slug), claim.text))))
          : h("p", { class: "muted" }, "No position on any claim."),
      ),
      h(
        "section",
        { "aria-labelledby": "statements-title" },
        h("h2", { id: "statements-title" }, `Statements (${actor.statements.totalCount}), by date`),
        statements.length ? h("ol", { class: "statement-list" }, statements.map((s) => statementItem(s, { speaker: false }))) : h("p", { class: "muted" }, "None."),
        actor.statements.totalCount > statements.length ? h("p", { class: "muted" }, `The first ${statements.length} are shown.`) : null,
      ),
      h(
        "section",
        { "aria-labelledby": "events-title" },
        h("h2", { id: "events-title" }, `Events taken part in (${data.events.totalCount})`),
        events.length
          ? h("ul", null, events.map((event) => h("li", null, link(path.event(event.slug), event.title), " · ", when(event.startDate, event.startPrecision))))
          : h("p", { class: "muted" }, "None recorded."),
      ),
      dataFooter([[ACTOR_PAGE, { id, actor: id }]]),
    ),
  );
}

