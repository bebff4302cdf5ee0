// The timeline (/timeline?actor=&claim=&event=): events and dated statements in one order,
// as a picture (svg/timeline.js) and as a list grouped by date, an item known only to a month
// or a year heading its period; undated items are counted, not placed.

import { allPages, query } from "../graphql.js";
import { h, link, replace } from "../dom.js";
import { isoPartial, kindBadge, partialDate, plural } from "../format.js";
import { TIMELINE, TIMELINE_CHOICES } from "../queries.js";
import { timeline as drawTimeline } from "../svg/timeline.js";
import { dataFooter, pageHead, path } from "./common.js";

function hrefOf(entry) {
  if (entry.type === "EVENT") return path.event(entry.event.slug);
  const statement = entry.statement;
  return statement.source ? path.source(statement.source.slug, statement.slug) : path.statement(statement.slug);
}

function choice(name, label, options, selected) {
  const id = `filter-${name}`;
  const select = h(
    "select",
    { id, name },
    h("option", { value: "" }, "anyone / anything"),
    options.map(([value, text]) => h("option", { value }, text)),
  );
  if (selected && !options.some(([value]) => value === selected)) select.append(h("option", { value: selected }, selected));
  select.value = selected || "";
  return h("p", { class: "field" }, h("label", { for: id }, label), " ", select);
}

function groups(entries) {
  const out = [];
  for (const entry of entries) {
    const key = `${entry.date}|${entry.precision}`;
    const last = out[out.length - 1];
    if (last && last.key === key) last.entries.push(entry);
    else out.push({ key, date: entry.date, precision: entry.precision, entries: [entry] });
  }
  return out;
}

export async function timelineView(context) {
  const filter = {};
  for (const name of ["actor", "claim", "event"]) if (context.query.get(name)) filter[name] = context.query.get(name);
  const variables = Object.keys(filter).length ? { filter } : {};
  const [choices, { data, edges }] = await Promise.all([
    query(TIMELINE_CHOICES, {}, { signal: context.signal }),
    allPages(TIMELINE, variables, (answer) => answer.timeline, { signal: context.signal }),
  ]);
  const entries = edges.map((edge) => ({ ...edge.node, href: hrefOf(edge.node) }));
  const { undatedEvents, undatedStatements } = data.timeline;
  const actors = choices.actors.edges.map(({ node }) => [node.slug, node.name]);
  const claims = choices.claims.edges.map(({ node }) => [node.slug, node.text]);
  const named = (list, slug) => (list.find(([value]) => value === slug) || [slug, slug])[1];
  const filtered = [
    filter.actor ? `by or with ${named(actors, filter.actor)}` : "",
    filter.claim ? `on “${named(claims, filter.claim)}”` : "",
    filter.event ? `at the event ${filter.event}` : "",
  ].filter(Boolean).join(", ");
  context.setTitle(filtered ? `Timeline ${filtered}` : "Timeline");
  const summary = `${plural(entries.length, "dated item")}${filtered ? ` ${filtered}` : ""}; ${undatedEvents} undated events and ${undatedStatements} undated statements are left out.`;
  const picture = drawTimeline(entries, { title: "Timeline", summary });
  replace(
    context.main,
    h(
      "article",
      { class: "timeline-page" },
      pageHead("Timeline", filtered ? `What happened and was said, ${filtered}` : "What happened, and what was said", summary),
      h(
        "form",
        { class: "filters", method: "get", action: "/timeline", "aria-label": "Filter the timeline" },
        choice("actor", "Actor", actors, filter.actor),
        choice("claim", "Claim", claims, filter.claim),
        filter.event ? h("input", { type: "hidden", name: "event", value: filter.event }) : null,
        h("p", { class: "field" }, h("button", { type: "submit" }, "Show"), " ", link("/timeline", "Clear")),
      ),
      picture
        ? h(
            "figure",
            { class: "timeline-frame", tabindex: "0", "aria-label": "Timeline picture (scrolls sideways)" },
            picture,
            h(
              "figcaption",
              { class: "legend-inline" },
              h("span", { class: "key key-event", "aria-hidden": "true" }, "■"), " event (day) · ",
              h("span", { class: "key key-statement", "aria-hidden": "true" }, "◆"), " statement (day) · ",
              h("span", { class: "key key-period", "aria-hidden": "true" }, "├──┤"), " known only to a month or a year: the whole period · ",
              h("span", { "aria-hidden": "true" }, "≈"), " a stretch with nothing in it",
            ),
          )
        : h("p", { class: "muted" }, "Nothing dated matches."),
      h(
        "section",
        { "aria-labelledby": "timeline-list-title" },
        h("h2", { id: "timeline-list-title" }, "In order"),
        h(
          "ol",
          { class: "timeline-list" },
          groups(entries).map((group) =>
            h(
              "li",
              { class: `period-group precision-${group.precision.toLowerCase()}` },
              h(
                "h3",
                null,
                h("time", { datetime: isoPartial(group.date, group.precision) }, partialDate(group.date, group.precision)),
                group.precision !== "DAY" ? h("span", { class: "badge period-badge" }, `the whole ${group.precision === "MONTH" ? "month" : "year"}`) : null,
              ),
              h(
                "ul",
                null,
                group.entries.map((entry) =>
                  h(
                    "li",
                    { class: `timeline-entry ${entry.type.toLowerCase()}` },
                    entry.type === "EVENT"
                      ? [h("span", { class: "badge event-badge" }, "event"), " ", link(entry.href, entry.title)]
                      : [kindBadge(entry.statement.kind), " ", entry.speaker ? link(path.actor(entry.speaker.slug), entry.speaker.name) : "no one", ": ", link(entry.href, entry.title)],
                  ),
                ),
              ),
            ),
          ),
        ),
      ),
      dataFooter([[TIMELINE, variables], [TIMELINE_CHOICES, {}]]),
    ),
  );
  return null;
}
