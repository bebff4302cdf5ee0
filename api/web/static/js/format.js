// Words and small marks for the data: dates as precise as they are known, kinds, positions.
// A position or a kind is never told by colour alone: each has a glyph and a word too.

import { h } from "./dom.js";

const MONTHS = [
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
];

/** The precision a date string carries: `2022` YEAR, `2022-01` MONTH, `2022-01-10` DAY. */
export function precisionOf(value) {
  const parts = String(value).split("-");
  return parts.length >= 3 ? "DAY" : parts.length === 2 ? "MONTH" : "YEAR";
}

/**
 * A date as precise as it is known: ("2022-01-01", "MONTH") is "January 2022", never a first
 * of the month. Null when unknown.
 */
export function partialDate(value, precision) {
  if (!value || precision === "UNKNOWN") return null;
  const known = precision || precisionOf(value);
  const [year, month, day] = String(value).split("-");
  if (known === "YEAR" || !month) return year;
  if (known === "MONTH" || !day) return `${MONTHS[Number(month) - 1]} ${year}`;
  return `${Number(day)} ${MONTHS[Number(month) - 1]} ${year}`;
}

/** The machine-readable form of a partial date (<time datetime>): 2022, 2022-01, 2022-01-10. */
export function isoPartial(value, precision) {
  const known = precision || precisionOf(value);
  const parts = String(value).split("-");
  return parts.slice(0, known === "YEAR" ? 1 : known === "MONTH" ? 2 : 3).join("-");
}

/** A <time> element, or "date unknown". */
export function when(value, precision) {
  const text = partialDate(value, precision);
  if (!text) return h("span", { class: "muted" }, "date unknown");
  return h("time", { datetime: isoPartial(value, precision) }, text);
}

/** A timestamp's day, for a source's published and modified dates. */
export function day(timestamp) {
  return timestamp ? partialDate(String(timestamp).slice(0, 10), "DAY") : null;
}

export const KIND = { QUOTE: "quote", PARAPHRASE: "paraphrase", REPORT: "report" };
export const KIND_GLYPH = { QUOTE: "❝", PARAPHRASE: "≈", REPORT: "¶" };
export const POSITION = { SUPPORTS: "supports", DISPUTES: "disputes", NEUTRAL: "neutral" };
export const POSITION_GLYPH = { SUPPORTS: "+", DISPUTES: "−", NEUTRAL: "○" };
export const RELATION = { SUPPORTS: "supports", REFUTES: "refutes", CONTEXT: "context" };
const RELATION_POSITION = { SUPPORTS: "SUPPORTS", REFUTES: "DISPUTES", CONTEXT: "NEUTRAL" };

export function lower(value) {
  return String(value || "").toLowerCase();
}

/** A position (or an evidence relation) as a badge: glyph, word, colour. */
export function positionBadge(position, label = POSITION[position] || lower(position)) {
  return h(
    "span",
    { class: `badge pos-${lower(position)}` },
    h("span", { class: "glyph", "aria-hidden": "true" }, POSITION_GLYPH[position] || "•"),
    " ",
    label,
  );
}

export function relationBadge(relation) {
  return positionBadge(RELATION_POSITION[relation], RELATION[relation] || lower(relation));
}

export function hedgedBadge() {
  return h("span", { class: "badge hedged", title: "Implied or raised as a possibility rather than asserted" }, "hedged");
}

export function kindBadge(kind) {
  return h(
    "span",
    { class: `badge kind-${lower(kind)}` },
    h("span", { class: "glyph", "aria-hidden": "true" }, KIND_GLYPH[kind] || ""),
    " ",
    KIND[kind] || lower(kind),
  );
}

/** "Implied" attribution, marked as such wherever a speaker is named. */
export function impliedBadge() {
  return h(
    "span",
    { class: "badge implied", title: "The article attributes this only by its context" },
    "attributed by context",
  );
}

export function plural(count, one, many = `${one}s`) {
  return `${count.toLocaleString("en")} ${count === 1 ? one : many}`;
}

/** A verb agreeing with a count as its subject: "1 speaker supports", "2 speakers support". */
export function verb(count, base) {
  return count === 1 ? `${base}s` : base;
}

