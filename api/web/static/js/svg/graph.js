// The argument as a picture: speakers and the claims they take positions on, as SVG.
//
// An edge's colour says its position, and so do its end (an arrow supports, a bar disputes, a
// circle is neutral) and the legend's words; a hedged position is dashed. Nodes are links.
// The picture is a labelled group (its nodes are links) with a summary; the views put a list
// of the same edges beside it.

import { s } from "../dom.js";

const ENDS = {
  SUPPORTS: () => s("path", { d: "M0,0 L10,5 L0,10 z", class: "end-supports" }),
  DISPUTES: () => s("path", { d: "M6,0 L10,0 L10,10 L6,10 z", class: "end-disputes" }),
  NEUTRAL: () => s("circle", { cx: "5", cy: "5", r: "4", class: "end-neutral" }),
};

let instances = 0;

function defs(prefix) {
  return s(
    "defs",
    null,
    Object.entries(ENDS).map(([position, shape]) =>
      s(
        "marker",
        {
          id: `${prefix}-${position}`,
          viewBox: "0 0 10 10",
          refX: "9",
          refY: "5",
          markerWidth: "7",
          markerHeight: "7",
          orient: "auto-start-reverse",
        },
        shape(),
      ),
    ),
  );
}

function clip(text, length) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/** Lines of at most `width` characters, for a label inside a box. */
function wrap(text, width, lines) {
  const words = text.split(/\s+/);
  const out = [""];
  for (const word of words) {
    const line = out[out.length - 1];
    if (line && line.length + word.length + 1 > width) out.push(word);
    else out[out.length - 1] = line ? `${line} ${word}` : word;
  }
  if (out.length > lines) {
    out.length = lines;
    out[lines - 1] = clip(`${out[lines - 1]} …`, width);
  }
  return out;
}

function node(item, x, y, anchor, width) {
  const label = s("text", { x: anchor === "end" ? x - 10 : x + 10, y: y + 4, "text-anchor": anchor }, clip(item.label, width));
  const dot = s("circle", { cx: x, cy: y, r: "5", class: "node-dot" });
  const group = s("g", { class: "node" }, dot, label, s("title", null, item.title || item.label));
  return item.href ? s("a", { href: item.href, class: "node-link" }, group) : group;
}

function edge(prefix, edgeData, d) {
  const classes = ["edge", `pos-${edgeData.position.toLowerCase()}`];
  if (edgeData.hedged) classes.push("hedged");
  return s(
    "path",
    { d, class: classes.join(" "), "marker-end": `url(#${prefix}-${edgeData.position})`, "stroke-width": Math.min(1.5 + edgeData.count * 0.5, 4) },
    s("title", null, edgeData.title),
  );
}

function frame(width, height, title, summary) {
  const id = `graph-${++instances}`;
  const svg = s("svg", {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    class: "graph",
    role: "group",
    "aria-labelledby": `${id}-title ${id}-desc`,
  });
  svg.append(s("title", { id: `${id}-title` }, title), s("desc", { id: `${id}-desc` }, summary), defs(id));
  return { svg, id };
}

/**
 * Speakers (left) and claims (right), an edge for each position a speaker takes on a claim.
 * left/right: [{key, label, href, title}]; edges: [{from, to, position, hedged, count, title}].
 */
export function bipartite(left, right, edges, { title, summary }) {
  const row = 30;
  const top = 24;
  // Claims in the order of their speakers' mean row: fewer crossings than the data's order.
  const rowOf = new Map(left.map((item, index) => [item.key, index]));
  const mean = new Map(right.map((item) => {
    const rows = edges.filter((e) => e.to === item.key).map((e) => rowOf.get(e.from));
    return [item.key, rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : Infinity];
  }));
  const claims = [...right].sort((a, b) => mean.get(a.key) - mean.get(b.key));
  const height = top * 2 + Math.max(left.length, claims.length, 1) * row;
  const width = 920;
  const xLeft = 230;
  const xRight = 500;
  const yLeft = (index) => top + (index + 0.5) * ((height - 2 * top) / Math.max(left.length, 1));
  const yRight = (index) => top + (index + 0.5) * ((height - 2 * top) / Math.max(claims.length, 1));
  const { svg, id } = frame(width, height, title, summary);
  const leftY = new Map(left.map((item, index) => [item.key, yLeft(index)]));
  const rightY = new Map(claims.map((item, index) => [item.key, yRight(index)]));
  const lines = s("g", { class: "edges" });
  for (const e of edges) {
    const y1 = leftY.get(e.from);
    const y2 = rightY.get(e.to);
    if (y1 === undefined || y2 === undefined) continue;
    const middle = (xLeft + xRight) / 2;
    lines.append(edge(id, e, `M${xLeft + 6},${y1} C${middle},${y1} ${middle},${y2} ${xRight - 7},${y2}`));
  }
  svg.append(
    lines,
    s("g", { class: "nodes speakers" }, left.map((item) => node(item, xLeft, leftY.get(item.key), "end", 30))),
    s("g", { class: "nodes claims" }, claims.map((item) => node(item, xRight, rightY.get(item.key), "start", 54))),
  );
  return svg;
}

/**
 * One claim in the middle, its supporters on the left, its disputers on the right, neutral
 * speakers below it. sides: {SUPPORTS: [...], DISPUTES: [...], NEUTRAL: [...]} of
 * {key, label, href, hedged, count, title}.
 */
export function sides(claim, sidesByPosition, { title, summary }) {
  const row = 34;
  const supporters = sidesByPosition.SUPPORTS || [];
  const disputers = sidesByPosition.DISPUTES || [];
  const neutral = sidesByPosition.NEUTRAL || [];
  const width = 700;
  const box = { x: 250, width: 200 };
  const lines = wrap(claim.text, 26, 7);
  const boxHeight = lines.length * 18 + 24;
  const sideRows = Math.max(supporters.length, disputers.length, 1);
  const middle = Math.max(sideRows * row, boxHeight + 40) / 2 + 40;
  const height = Math.max(sideRows * row + 80, middle + boxHeight / 2 + 40 + neutral.length * row);
  const { svg, id } = frame(width, height, title, summary);
  const boxTop = middle - boxHeight / 2;
  const columnY = (count, index) => middle + (index - (count - 1) / 2) * row;
  const headings = s(
    "g",
    { class: "side-headings" },
    s("text", { x: 120, y: 22, "text-anchor": "middle" }, `Supports (${supporters.length})`),
    s("text", { x: 590, y: 22, "text-anchor": "middle" }, `Disputes (${disputers.length})`),
  );
  const edges = s("g", { class: "edges" });
  const nodes = s("g", { class: "nodes" });
  const place = (items, position, x, anchor, y) => {
    items.forEach((item, index) => {
      const at = y(index, items.length);
      const toX = position === "SUPPORTS" ? box.x : position === "DISPUTES" ? box.x + box.width : box.x + box.width / 2;
      const toY = position === "NEUTRAL" ? boxTop + boxHeight : middle;
      const fromX = position === "NEUTRAL" ? x : anchor === "end" ? x + 6 : x - 6;
      const d = position === "NEUTRAL"
        ? `M${fromX},${at - 8} L${toX},${toY + 6}`
        : `M${fromX},${at} C${(fromX + toX) / 2},${at} ${(fromX + toX) / 2},${toY} ${toX + (position === "SUPPORTS" ? -6 : 6)},${toY}`;
      edges.append(edge(id, { position, hedged: item.hedged, count: item.count, title: item.title }, d));
      nodes.append(node(item, x, at, anchor, 24));
    });
  };
  place(supporters, "SUPPORTS", 190, "end", (i, n) => columnY(n, i));
  place(disputers, "DISPUTES", 510, "start", (i, n) => columnY(n, i));
  place(neutral, "NEUTRAL", box.x + box.width / 2, "start", (i) => boxTop + boxHeight + 40 + i * row);
  const claimBox = s(
    "g",
    { class: "claim-box" },
    s("rect", { x: box.x, y: boxTop, width: box.width, height: boxHeight, rx: "8" }),
    s(
      "text",
      { x: box.x + box.width / 2, y: boxTop + 22, "text-anchor": "middle" },
      lines.map((line, index) => s("tspan", { x: box.x + box.width / 2, dy: index ? "18" : "0" }, line)),
    ),
    s("title", null, claim.text),
  );
  svg.append(headings, edges, claimBox, nodes);
  return svg;
}

/** The legend shared by both pictures: colour, line end and dash each say something. */
export function legend() {
  const item = (position, label) => {
    const marker = s(
      "svg",
      { width: "34", height: "12", viewBox: "0 0 34 12", "aria-hidden": "true", class: "legend-line" },
      s("line", { x1: "1", y1: "6", x2: "25", y2: "6", class: `edge pos-${position.toLowerCase()}` }),
      position === "SUPPORTS"
        ? s("path", { d: "M24,1 L33,6 L24,11 z", class: "end-supports" })
        : position === "DISPUTES"
          ? s("rect", { x: "27", y: "1", width: "4", height: "10", class: "end-disputes" })
          : s("circle", { cx: "29", cy: "6", r: "4", class: "end-neutral" }),
    );
    return [marker, ` ${label}`];
  };
  const dashed = s(
    "svg",
    { width: "34", height: "12", viewBox: "0 0 34 12", "aria-hidden": "true", class: "legend-line" },
    s("line", { x1: "1", y1: "6", x2: "33", y2: "6", class: "edge pos-neutral hedged" }),
  );
  const entries = [item("SUPPORTS", "supports"), item("DISPUTES", "disputes"), item("NEUTRAL", "neutral"), [dashed, " hedged (dashed)"]];
  const list = document.createElement("ul");
  list.className = "legend";
  for (const entry of entries) {
    const li = document.createElement("li");
    li.append(...entry);
    list.append(li);
  }
  return list;
}
