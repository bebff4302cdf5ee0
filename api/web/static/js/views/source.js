// The source reader (/sources/{id}): the text exactly as published with every statement and
// piece of evidence highlighted; choosing one opens the panel; `#statement-id` (or
// `#evidence:id`) in the URL selects it and scrolls to it; `?claim=` colours the text by
// position on that claim. Long sources come in pages of 100, fetched in sequence.

import { allPages, query } from "../graphql.js";
import { h, replace } from "../dom.js";
import {
  KIND, KIND_GLYPH, POSITION_GLYPH, RELATION, day, partialDate, plural,
} from "../format.js";
import { SOURCE_EVIDENCE, SOURCE_PAGE, SOURCE_STATEMENTS } from "../queries.js";
import { NotFound } from "../router.js";
import { bipartite, legend as graphLegend } from "../svg/graph.js";
import { fillPanel } from "../reader/panel.js";
import { colourByClaim, renderText } from "../reader/text.js";
import { dataFooter, evidenceKey, pageHead, path } from "./common.js";
import { canWrite } from "../annotate/session.js";
import { suggestionAnnotations } from "../annotate/suggestions.js";
import { annotateReader } from "../annotate/reader.js";

const PHONE = window.matchMedia("(max-width: 59.99rem)");

async function load(id, signal, progress) {
  const variables = { id, source: id };
  const first = await query(SOURCE_PAGE, variables, { signal });
  const source = first.source;
  if (!source) throw new NotFound(`The source “${id}”`);
  const statements = [...source.statements.edges];
  let page = source.statements.pageInfo;
  while (page.hasNextPage) {
    progress(`Loading statements: ${statements.length} of ${source.statements.totalCount}…`);
    const next = (await query(SOURCE_STATEMENTS, { id, after: page.endCursor }, { signal })).source.statements;
    statements.push(...next.edges);
    page = next.pageInfo;
  }
  let evidence = first.evidenceList.edges;
  if (first.evidenceList.pageInfo.hasNextPage) {
    progress("Loading evidence…");
    const rest = await allPages(SOURCE_EVIDENCE, { source: id, after: first.evidenceList.pageInfo.endCursor }, (data) => data.evidenceList, { signal });
    evidence = [...evidence, ...rest.edges];
  }
  return {
    source,
    statements: statements.map((edge) => edge.node),
    evidence: evidence.map((edge) => edge.node),
  };
}

function speakerName(statement) {
  return statement.speaker ? statement.speaker.name : "no one";
}

function annotationsOf({ source, statements, evidence, suggestions }) {
  const annotations = new Map();
  for (const statement of statements) {
    const positions = new Map(statement.stances.edges.map((edge) => [edge.node.claim.slug, edge.node.position]));
    const date = partialDate(statement.saidOn, statement.saidOnPrecision);
    annotations.set(statement.slug, {
      key: statement.slug,
      type: "statement",
      node: statement,
      start: statement.span.start,
      end: statement.span.end,
      kindClass: `k-${KIND[statement.kind]}`,
      positions,
      label: `${KIND[statement.kind]} by ${speakerName(statement)}${date ? `, ${date}` : ""}`,
    });
  }
  for (const item of evidence) {
    const key = evidenceKey(item.slug);
    annotations.set(key, {
      key,
      type: "evidence",
      node: item,
      start: item.span.start,
      end: item.span.end,
      kindClass: `k-evidence r-${RELATION[item.relation]}`,
      positions: new Map([[item.claim.slug, item.relation === "REFUTES" ? "DISPUTES" : item.relation === "SUPPORTS" ? "SUPPORTS" : "NEUTRAL"]]),
      label: `evidence (${RELATION[item.relation]}): ${item.summary}`,
    });
  }
  for (const suggestion of suggestions) annotations.set(suggestion.key, suggestion);
  return annotations;
}

function claimsOf(annotations) {
  const claims = new Map();
  for (const annotation of annotations.values()) {
    if (annotation.type === "suggestion") continue;
    const stances = annotation.type === "statement" ? annotation.node.stances.edges.map((e) => e.node.claim) : [annotation.node.claim];
    for (const claim of stances) {
      const entry = claims.get(claim.slug) || { claim, count: 0 };
      entry.count += 1;
      claims.set(claim.slug, entry);
    }
  }
  return [...claims.values()].sort((a, b) => b.count - a.count || a.claim.text.localeCompare(b.claim.text));
}

function legendFor(claim) {
  const swatch = (cls, glyph, label) => h("li", null, h("span", { class: `swatch ${cls}`, "aria-hidden": "true" }, glyph), ` ${label}`);
  if (!claim) {
    return h(
      "ul",
      { class: "legend", "aria-label": "Legend: kinds" },
      swatch("k-quote", KIND_GLYPH.QUOTE, "quote"),
      swatch("k-paraphrase", KIND_GLYPH.PARAPHRASE, "paraphrase"),
      swatch("k-report", KIND_GLYPH.REPORT, "report"),
      swatch("k-evidence", "E", "evidence (underlined)"),
      swatch("d2", "", "darker: spans overlap"),
    );
  }
  return h(
    "ul",
    { class: "legend", "aria-label": "Legend: positions on the chosen claim" },
    swatch("p-supports", POSITION_GLYPH.SUPPORTS, "supports"),
    swatch("p-disputes", POSITION_GLYPH.DISPUTES, "disputes (or refutes)"),
    swatch("p-neutral", POSITION_GLYPH.NEUTRAL, "neutral (or context)"),
    swatch("p-none", "·", "no position on this claim"),
  );
}

function argument(statements) {
  const speakers = new Map();
  const claims = new Map();
  const edges = new Map();
  for (const statement of statements) {
    if (!statement.speaker) continue;
    for (const { node: stance } of statement.stances.edges) {
      speakers.set(statement.speaker.slug, statement.speaker);
      claims.set(stance.claim.slug, stance.claim);
      const key = `${statement.speaker.slug}|${stance.claim.slug}|${stance.position}`;
      const entry = edges.get(key) || { from: statement.speaker.slug, to: stance.claim.slug, position: stance.position, count: 0, hedged: true, speaker: statement.speaker, claim: stance.claim };
      entry.count += 1;
      entry.hedged = entry.hedged && stance.hedged;
      edges.set(key, entry);
    }
  }
  // A long source: the 25 speakers and 15 claims with the most positions.
  const weight = (key, side) => [...edges.values()].filter((e) => e[side] === key).length;
  const topSpeakers = [...speakers.values()].sort((a, b) => weight(b.slug, "from") - weight(a.slug, "from")).slice(0, 25);
  const topClaims = [...claims.values()].sort((a, b) => weight(b.slug, "to") - weight(a.slug, "to")).slice(0, 15);
  const shownSpeakers = new Set(topSpeakers.map((a) => a.slug));
  const shownClaims = new Set(topClaims.map((c) => c.slug));
  const shown = [...edges.values()].filter((e) => shownSpeakers.has(e.from) && shownClaims.has(e.to));
  for (const e of shown) {
    e.title = `${e.speaker.name} ${e.position.toLowerCase()} “${e.claim.text}”${e.hedged ? " (hedged)" : ""}${e.count > 1 ? `, ${e.count} statements` : ""}`;
  }
  const summary = `${plural(speakers.size, "speaker")} take ${plural(edges.size, "position")} on ${plural(claims.size, "claim")}` +
    (shown.length < edges.size ? `; the ${topSpeakers.length} speakers and ${topClaims.length} claims with the most are drawn.` : ".");
  const picture = bipartite(
    topSpeakers.map((a) => ({ key: a.slug, label: a.name, href: path.actor(a.slug) })),
    topClaims.map((c) => ({ key: c.slug, label: c.text, title: c.text, href: path.claim(c.slug) })),
    shown,
    { title: "Who stands where in this source", summary },
  );
  const list = h(
    "ul",
    { class: "edge-list" },
    [...edges.values()].map((e) =>
      h("li", null, `${e.speaker.name} `, h("strong", null, e.position.toLowerCase()), ` “${e.claim.text}”`, e.hedged ? " (hedged)" : "", e.count > 1 ? ` — ${e.count} statements` : ""),
    ),
  );
  return h(
    "section",
    { class: "argument", "aria-labelledby": "argument-title" },
    h("h2", { id: "argument-title" }, "Who stands where in this source"),
    h("p", { class: "muted" }, summary),
    graphLegend(),
    h("figure", { class: "graph-frame", tabindex: "0", "aria-label": "Graph of speakers and claims (scrolls sideways)" }, picture),
    h("details", null, h("summary", null, "The same, as a list"), list),
  );
}

export async function sourceView(context) {
  const [id] = context.params;
  const status = h("p", { class: "loading", role: "status" }, "Loading the source…");
  replace(context.main, status);
  // Annotate mode (a key that may write): the suggested quotes come too, read alongside.
  const annotating = canWrite();
  const [data, suggestions] = await Promise.all([
    load(id, context.signal, (message) => { status.textContent = message; }),
    annotating ? suggestionAnnotations(id, context.signal) : [],
  ]);
  data.suggestions = suggestions;
  const { source, statements, evidence } = data;
  context.setTitle(source.title);
  const annotations = annotationsOf(data);
  const rendered = renderText(source.text, annotations);
  const evidenceOf = new Map();
  for (const item of evidence) {
    if (!item.statement) continue;
    if (!evidenceOf.has(item.statement.slug)) evidenceOf.set(item.statement.slug, []);
    evidenceOf.get(item.statement.slug).push(item);
  }
  const claims = claimsOf(annotations);
  let chosenClaim = context.query.get("claim") || "";
  const select = h(
    "select",
    { id: "claim-choice" },
    h("option", { value: "" }, "none: colour by kind"),
    claims.map(({ claim, count }) => h("option", { value: claim.slug }, `${claim.text} (${count})`)),
  );
  select.value = claims.some((c) => c.claim.slug === chosenClaim) ? chosenClaim : "";
  chosenClaim = select.value;
  const legendSlot = h("div", { class: "legend-slot" }, legendFor(chosenClaim));
  const panel = h("section", { class: "detail-panel", id: "detail", "aria-labelledby": "detail-title", tabindex: "-1" });
  const live = h("p", { class: "visually-hidden", "aria-live": "polite" });
  let selected = null;

  const overlapping = (annotation) =>
    [...annotations.values()].filter((other) => other !== annotation && other.from < annotation.to && annotation.from < other.to);
  const labelOf = (slug) => (annotations.get(slug) ? annotations.get(slug).label : slug);

  let annotate = null;

  function selectSpan(key, { scroll = false, focus = false, keepPanel = false } = {}) {
    const annotation = annotations.get(key) || null;
    if (selected) for (const element of rendered.segmentsByKey.get(selected.key)) element.classList.remove("sel");
    if (selected && rendered.markers.get(selected.key)) rendered.markers.get(selected.key).removeAttribute("aria-current");
    selected = annotation;
    if (annotation) {
      annotation.text = source.text.slice(annotation.from, annotation.to);
      for (const element of rendered.segmentsByKey.get(key)) element.classList.add("sel");
      const marker = rendered.markers.get(key);
      if (marker) marker.setAttribute("aria-current", "true");
      if (scroll) {
        const first = rendered.segmentsByKey.get(key)[0] || marker;
        // On a phone the panel covers the lower half: the span goes to the top.
        first.scrollIntoView({ block: PHONE.matches ? "start" : "center" });
        context.scrolled = true;
      }
      if (focus && marker) marker.focus({ preventScroll: true });
      live.textContent = `Selected: ${annotation.label}`;
    }
    if (keepPanel) return;
    fillPanel(panel, annotation, { evidenceOf, overlapping: annotation ? overlapping(annotation) : [], labelOf, annotate });
    document.body.classList.toggle("panel-open", Boolean(annotation));
  }

  /** Select `key` as a new history entry (back returns to the previous selection). */
  function choose(key, options = {}) {
    if (!annotations.has(key)) return;
    history.pushState({}, "", `${location.pathname}${location.search}#${encodeURIComponent(key)}`);
    selectSpan(key, options);
  }

  rendered.container.addEventListener("click", (event) => {
    const marker = event.target.closest("a.marker");
    if (marker) {
      event.preventDefault();
      choose(marker.dataset.key);
      return;
    }
    const segment = event.target.closest(".seg");
    if (!segment || String(window.getSelection() || "")) return;
    // The innermost span first; clicking again reaches the spans around it.
    const keys = segment.keys;
    const at = selected ? keys.indexOf(selected.key) : -1;
    choose(at > 0 ? keys[at - 1] : keys[keys.length - 1]);
  });
  panel.addEventListener("click", (event) => {
    if (event.target.closest("[data-action='close']")) {
      const marker = selected && rendered.markers.get(selected.key);
      history.pushState({}, "", `${location.pathname}${location.search}`);
      selectSpan(null);
      if (marker) marker.focus({ preventScroll: true });
      return;
    }
    const anchor = event.target.closest("a[href^='#']");
    if (!anchor) return;
    event.preventDefault();
    choose(decodeURIComponent(anchor.getAttribute("href").slice(1)), { scroll: true, focus: true });
  });
  select.addEventListener("change", () => {
    chosenClaim = select.value;
    colourByClaim(rendered, annotations, chosenClaim || null);
    replace(legendSlot, legendFor(chosenClaim));
    const url = new URL(location.href);
    if (chosenClaim) url.searchParams.set("claim", chosenClaim);
    else url.searchParams.delete("claim");
    history.replaceState(history.state, "", url);
    context.router.current = { path: url.pathname, search: url.search };
  });

  colourByClaim(rendered, annotations, chosenClaim || null);
  if (annotating) {
    annotate = annotateReader({
      context,
      source,
      rendered,
      panel,
      select: (key, options = {}) => {
        if (!key) selectSpan(null, options);
        else choose(key, options);
      },
    });
  }
  const facts = [
    source.publisher,
    source.publishedAt ? ` · published ${day(source.publishedAt)}` : "",
    source.modifiedAt ? ` · last modified ${day(source.modifiedAt)}` : "",
    ` · ${plural(statements.length, "statement")}, ${plural(evidence.length, "piece")} of evidence`,
  ];
  replace(
    context.main,
    h(
      "article",
      { class: annotate ? "reader annotating" : "reader" },
      pageHead("Source", source.title, ...facts),
      source.url ? h("p", null, h("a", { href: source.url, rel: "noopener noreferrer" }, "The original publication")) : null,
      h(
        "div",
        { class: "reader-tools" },
        h("label", { for: "claim-choice" }, "Colour by position on a claim: "),
        select,
        legendSlot,
        h("p", { class: "hint" }, "Click highlighted text, or Tab to the small markers and press Enter. Overlapping spans: click again to reach the outer one."),
      ),
      annotate ? annotate.toolbar : null,
      h(
        "div",
        { class: "reader-body" },
        h("section", { class: "text-pane", "aria-label": "The text as published" }, rendered.container),
        panel,
      ),
      live,
      argument(statements),
      dataFooter([[SOURCE_PAGE, { id, source: id }], ...(statements.length > 100 ? [[SOURCE_STATEMENTS, { id }]] : [])]),
    ),
  );
  selectSpan(null);
  if (context.hash && annotations.has(context.hash)) selectSpan(context.hash, { scroll: true, focus: true });
  return {
    onHash(hash) {
      if (annotations.has(hash)) selectSpan(hash, { scroll: true, focus: true });
      else if (!hash) selectSpan(null);
    },
    destroy() {
      document.body.classList.remove("panel-open");
    },
  };
}
