// The claim page (/claims/{id}): its dossier. Each side by speaker with their statements in
// date order (hedged and implied marked), the evidence for, against and as context, when it
// was first and last said, the contradictions; a picture of who stands where. Every quote
// links to its highlighted place in its source.

import { query } from "../graphql.js";
import { h, link, replace } from "../dom.js";
import {
  hedgedBadge, impliedBadge, kindBadge, partialDate, plural, positionBadge, verb, when,
} from "../format.js";
import { CLAIM_PAGE } from "../queries.js";
import { NotFound } from "../router.js";
import { legend as graphLegend, sides } from "../svg/graph.js";
import { actorLink, dataFooter, evidenceKey, pageHead, path } from "./common.js";

const SIDES = [
  ["supporters", "SUPPORTS", "Supports", "supporterCount"],
  ["disputers", "DISPUTES", "Disputes", "disputerCount"],
  ["neutral", "NEUTRAL", "Neutral", "neutralCount"],
];

function speakerName(entry) {
  return entry.speaker ? entry.speaker.name : "Unattributed";
}

function quoteHref(places, slug) {
  const source = places.get(slug);
  return source ? path.source(source, slug) : path.statement(slug);
}

function speakerCard(entry, position, places) {
  return h(
    "li",
    { class: "speaker-card" },
    h(
      "h4",
      null,
      positionBadge(position),
      " ",
      entry.speaker ? link(path.actor(entry.speaker.slug), entry.speaker.name) : h("span", null, "Unattributed"),
      h("span", { class: "muted" }, ` · ${plural(entry.statementCount, "statement")}`),
    ),
    h(
      "ol",
      { class: "dossier-statements" },
      entry.statements.map((statement) =>
        h(
          "li",
          null,
          h(
            "p",
            { class: "byline" },
            kindBadge(statement.kind),
            statement.hedged ? [" ", hedgedBadge()] : null,
            statement.attribution === "IMPLIED" ? [" ", impliedBadge()] : null,
            " · ",
            when(statement.date, statement.precision),
          ),
          h("blockquote", { class: "quote" }, h("a", { href: quoteHref(places, statement.slug), class: "quote-link" }, statement.text)),
        ),
      ),
    ),
    entry.statementCount > entry.statements.length
      ? h("p", { class: "muted" }, `and ${entry.statementCount - entry.statements.length} more`)
      : null,
  );
}

function evidenceSection(title, items, places, relation) {
  return h(
    "section",
    { class: "evidence-group", "aria-labelledby": `evidence-${relation}` },
    h("h3", { id: `evidence-${relation}` }, `${title} (${items.length})`),
    items.length
      ? h(
          "ul",
          { class: "evidence-list" },
          items.map((item) =>
            h(
              "li",
              null,
              h("p", null, item.summary),
              h("p", { class: "byline" }, "Offered by ", actorLink(item.offeredBy)),
              h(
                "blockquote",
                { class: "quote" },
                h("a", { href: places.has(item.slug) ? path.source(places.get(item.slug), evidenceKey(item.slug)) : path.evidence(item.slug), class: "quote-link" }, item.span.exact),
              ),
            ),
          ),
        )
      : h("p", { class: "muted" }, "None recorded."),
  );
}

function picture(claim, dossier) {
  const bySide = {};
  const rows = [];
  for (const [field, position] of SIDES) {
    bySide[position] = dossier[field].map((entry) => {
      const hedged = entry.statements.length > 0 && entry.statements.every((s) => s.hedged);
      const title = `${speakerName(entry)} ${position.toLowerCase()}${hedged ? " (hedged)" : ""}, ${plural(entry.statementCount, "statement")}`;
      rows.push(h("li", null, title));
      return {
        key: entry.speaker ? entry.speaker.slug : "unattributed",
        label: speakerName(entry),
        href: entry.speaker ? path.actor(entry.speaker.slug) : null,
        hedged,
        count: entry.statementCount,
        title,
      };
    });
  }
  const summary = `${plural(dossier.supporterCount, "speaker")} ${verb(dossier.supporterCount, "support")} the claim, ${dossier.disputerCount} ${verb(dossier.disputerCount, "dispute")} it, ${dossier.neutralCount} ${verb(dossier.neutralCount, "speak")} to it without a side.`;
  return h(
    "section",
    { class: "argument", "aria-labelledby": "picture-title" },
    h("h2", { id: "picture-title" }, "Who stands where"),
    graphLegend(),
    h(
      "figure",
      { class: "graph-frame", tabindex: "0", "aria-label": "Graph of the speakers on each side (scrolls sideways)" },
      sides(claim, bySide, { title: `Who stands where on “${claim.text}”`, summary }),
    ),
    h("details", null, h("summary", null, "The same, as a list"), h("ul", { class: "edge-list" }, rows)),
  );
}

function contradictions(dossier, places) {
  const { contradictions: found } = dossier;
  if (!found.pairCount) {
    return h("section", { "aria-labelledby": "contradictions-title" }, h("h2", { id: "contradictions-title" }, "Contradictions"), h("p", { class: "muted" }, "No statement on one side meets one on the other."));
  }
  const name = (brief) => (brief.speaker ? brief.speaker.name : "Unattributed");
  return h(
    "section",
    { "aria-labelledby": "contradictions-title" },
    h("h2", { id: "contradictions-title" }, `Contradictions (${plural(found.pairCount, "opposite pair")})`),
    h(
      "ul",
      { class: "pairs" },
      found.pairs.map((pair) =>
        h(
          "li",
          null,
          positionBadge("SUPPORTS"), " ", link(quoteHref(places, pair.supporting.slug), name(pair.supporting)),
          h("span", { class: "versus" }, " versus "),
          positionBadge("DISPUTES"), " ", link(quoteHref(places, pair.disputing.slug), name(pair.disputing)),
        ),
      ),
    ),
    found.speakerCount
      ? [
          h("h3", null, `Speakers on both sides (${found.speakerCount})`),
          h("ul", null, found.speakers.map((torn) => h("li", null, link(path.actor(torn.speaker.slug), torn.speaker.name), ` — ${torn.supportingCount} supporting, ${torn.disputingCount} disputing`))),
        ]
      : h("p", { class: "muted" }, "No speaker takes both sides."),
  );
}

export async function claimView(context) {
  const [id] = context.params;
  const { claim } = await query(CLAIM_PAGE, { id }, { signal: context.signal });
  if (!claim) throw new NotFound(`The claim “${id}”`);
  context.setTitle(claim.text);
  const { dossier } = claim;
  const places = new Map();
  for (const { node } of claim.stances.edges) if (node.statement && node.statement.source) places.set(node.statement.slug, node.statement.source.slug);
  for (const { node } of claim.evidence.edges) if (node.source) places.set(node.slug, node.source.slug);
  const first = partialDate(dossier.firstSaid);
  const last = partialDate(dossier.lastSaid);
  replace(
    context.main,
    h(
      "article",
      { class: "claim-page" },
      pageHead(
        "Claim",
        claim.text,
        `${plural(dossier.supporterCount, "speaker")} ${verb(dossier.supporterCount, "support")} it · ${dossier.disputerCount} ${verb(dossier.disputerCount, "dispute")} it`,
        dossier.neutralCount ? ` · ${dossier.neutralCount} neutral` : "",
        first && last === first ? [" · first and last said ", when(dossier.firstSaid)] : "",
        first && last !== first ? [" · first said ", when(dossier.firstSaid)] : "",
        last && last !== first ? [" · last said ", when(dossier.lastSaid)] : "",
      ),
      claim.description ? h("p", { class: "lead" }, claim.description) : null,
      claim.tags.length ? h("p", { class: "tags" }, claim.tags.map((tag) => h("span", { class: "tag" }, tag))) : null,
      h("p", null, link(path.timeline({ claim: claim.slug }), "This claim on the timeline")),
      picture(claim, dossier),
      h(
        "section",
        { class: "sides", "aria-labelledby": "sides-title" },
        h("h2", { id: "sides-title" }, "Sides, by speaker"),
        h(
          "div",
          { class: "side-columns" },
          SIDES.filter(([field]) => field !== "neutral" || dossier.neutral.length).map(([field, position, title, count]) =>
            h(
              "section",
              { class: `side side-${position.toLowerCase()}`, "aria-labelledby": `side-${field}` },
              h("h3", { id: `side-${field}` }, `${title} (${plural(dossier[count], "speaker")})`),
              dossier[field].length
                ? h("ul", { class: "speaker-cards" }, dossier[field].map((entry) => speakerCard(entry, position, places)))
                : h("p", { class: "muted" }, "No one."),
              dossier[count] > dossier[field].length ? h("p", { class: "muted" }, `and ${dossier[count] - dossier[field].length} more speakers`) : null,
            ),
          ),
        ),
      ),
      h(
        "section",
        { class: "evidence", "aria-labelledby": "evidence-title" },
        h("h2", { id: "evidence-title" }, "Evidence"),
        h(
          "div",
          { class: "evidence-columns" },
          evidenceSection("For", dossier.evidenceFor, places, "for"),
          evidenceSection("Against", dossier.evidenceAgainst, places, "against"),
          evidenceSection("Context", dossier.context, places, "context"),
        ),
      ),
      contradictions(dossier, places),
      dataFooter([[CLAIM_PAGE, { id }]]),
    ),
  );
}
