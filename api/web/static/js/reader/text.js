// The source text exactly as published, with every statement's and evidence's span
// highlighted. The text is cut into flat segments at every span boundary (segments.js), so
// nested and overlapping spans stay readable: a segment covered by more spans is darker, its
// innermost statement gives its tint, evidence underlines it. Each span begins with a small
// marker link (#key): Tab reaches every span in reading order, Enter selects it, and the
// marker's glyph tells its kind (or its position on a chosen claim) without colour.

import { h } from "../dom.js";
import { segments, codeUnitIndex } from "../segments.js";

/**
 * annotations: Map(key -> {key, type: "statement"|"evidence", start, end, kindClass, label})
 * with `start`/`end` in code points. Returns the element, and per key its segments and marker.
 */
export function renderText(text, annotations) {
  const unit = codeUnitIndex(text);
  const spans = [];
  for (const annotation of annotations.values()) {
    annotation.from = unit(annotation.start);
    annotation.to = unit(annotation.end);
    spans.push({ key: annotation.key, start: annotation.from, end: annotation.to });
  }
  const { segments: pieces, starts } = segments(spans);
  const container = h("div", { class: "source-text", lang: "en" });
  const fragment = document.createDocumentFragment();
  const segmentsByKey = new Map([...annotations.keys()].map((key) => [key, []]));
  const markers = new Map();
  const allSegments = [];
  let cursor = 0;
  const boundaries = [...new Set([...starts.keys(), ...pieces.map((piece) => piece.start)])].sort((a, b) => a - b);
  const pieceAt = new Map(pieces.map((piece) => [piece.start, piece]));
  for (const at of boundaries) {
    if (at > cursor) fragment.append(text.slice(cursor, at));
    cursor = Math.max(cursor, at);
    for (const key of starts.get(at) || []) {
      const annotation = annotations.get(key);
      const marker = h("a", {
        href: `#${key}`,
        class: `marker ${annotation.kindClass}`,
        "aria-label": annotation.label,
        dataset: { key },
      });
      markers.set(key, marker);
      fragment.append(marker);
    }
    const piece = pieceAt.get(at);
    if (piece) {
      const element = h("span", { class: segmentClass(piece.keys, annotations) }, text.slice(piece.start, piece.end));
      element.keys = piece.keys;
      allSegments.push(element);
      for (const key of piece.keys) segmentsByKey.get(key).push(element);
      fragment.append(element);
      cursor = piece.end;
    }
  }
  if (cursor < text.length) fragment.append(text.slice(cursor));
  container.append(fragment);
  return { container, segmentsByKey, markers, segments: allSegments };
}

function segmentClass(keys, annotations) {
  const classes = ["seg", `d${Math.min(keys.length, 4)}`];
  for (let i = keys.length - 1; i >= 0; i--) {
    const annotation = annotations.get(keys[i]);
    if (annotation.type === "statement") {
      classes.push(annotation.kindClass);
      break;
    }
  }
  if (keys.some((key) => annotations.get(key).type === "evidence")) classes.push("ev");
  if (keys.some((key) => annotations.get(key).type === "suggestion")) classes.push("sug");
  return classes.join(" ");
}

const POSITION_CLASSES = ["p-supports", "p-disputes", "p-neutral", "p-none"];

/**
 * Colour every segment and marker by position on `claim` (a slug, or null to go back to
 * kinds): the innermost statement taking a position on it decides a segment's colour.
 */
export function colourByClaim(rendered, annotations, claim) {
  rendered.container.classList.toggle("by-position", Boolean(claim));
  for (const element of rendered.segments) {
    element.classList.remove(...POSITION_CLASSES);
    if (!claim) continue;
    let position = null;
    for (let i = element.keys.length - 1; i >= 0 && !position; i--) {
      position = annotations.get(element.keys[i]).positions.get(claim) || null;
    }
    element.classList.add(position ? `p-${position.toLowerCase()}` : "p-none");
  }
  for (const [key, marker] of rendered.markers) {
    marker.classList.remove(...POSITION_CLASSES);
    if (!claim) continue;
    const position = annotations.get(key).positions.get(claim);
    marker.classList.add(position ? `p-${position.toLowerCase()}` : "p-none");
  }
}
