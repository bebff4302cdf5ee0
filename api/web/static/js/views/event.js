// An event's page (/events/{id}): when (as precisely as known), where, what it is part of,
// who took part, what was said there.

import { query } from "../graphql.js";
import { h, link, replace } from "../dom.js";
import { lower, when } from "../format.js";
import { EVENT_PAGE } from "../queries.js";
import { NotFound } from "../router.js";
import { dataFooter, pageHead, path, statementItem } from "./common.js";

export async function eventView(context) {
  const [id] = context.params;
  const { event } = await query(EVENT_PAGE, { id }, { signal: context.signal });
  if (!event) throw new NotFound(`The event “${id}”`);
  context.setTitle(event.title);
  const children = event.children.edges.map((edge) => edge.node);
  const participants = event.participants.edges.map((edge) => edge.node);
  const statements = event.statements.edges.map((edge) => edge.node);
  const place = event.place;
  replace(
    context.main,
    h(
      "article",
      { class: "event-page" },
      pageHead(
        `Event · ${lower(event.kind)}`,
        event.title,
        when(event.startDate, event.startPrecision),
        event.endDate ? [" to ", when(event.endDate, event.endPrecision)] : "",
        place ? ` · ${place.name}${place.country ? ` (${place.country})` : ""}` : "",
      ),
      event.description ? h("p", { class: "lead" }, event.description) : null,
      event.span ? h("blockquote", { class: "quote" }, event.span.exact) : null,
      event.parent ? h("p", null, "Part of ", link(path.event(event.parent.slug), event.parent.title)) : null,
      h("p", null, link(path.timeline({ event: event.slug }), "This event on the timeline")),
      children.length
        ? h("section", { "aria-labelledby": "children-title" }, h("h2", { id: "children-title" }, "Parts of it"),
            h("ul", null, children.map((child) => h("li", null, link(path.event(child.slug), child.title), " · ", when(child.startDate, child.startPrecision)))))
        : null,
      h(
        "section",
        { "aria-labelledby": "participants-title" },
        h("h2", { id: "participants-title" }, "Who took part"),
        participants.length
          ? h("ul", null, participants.map((p) => h("li", null, link(path.actor(p.actor.slug), p.actor.name), ` — ${p.role}`)))
          : h("p", { class: "muted" }, "No one recorded."),
      ),
      h(
        "section",
        { "aria-labelledby": "said-title" },
        h("h2", { id: "said-title" }, `Said there (${event.statements.totalCount})`),
        statements.length ? h("ol", { class: "statement-list" }, statements.map((s) => statementItem(s))) : h("p", { class: "muted" }, "No statement recorded at this event."),
      ),
      dataFooter([[EVENT_PAGE, { id }]]),
    ),
  );
}
