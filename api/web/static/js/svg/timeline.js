// The timeline as SVG: events above the axis, dated statements below, each where and as long
// as its date allows. A date known only to a year or a month is drawn as that whole period (a
// bar), a day as a mark. The axis spends room only where something happened: a year with
// finer dates opens into months, a month with days into days, and empty stretches shrink to
// a short break, so 2011 and 10 January 2022 both stay legible.

import { s } from "../dom.js";
import { partialDate } from "../format.js";

const DAY = 86400000;
const WIDTH = { YEAR: 80, MONTH: 64, DAY: 46, GAP: 22 };
const MIN_WIDTH = 640;
const MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const dayNumber = (y, m, d) => Date.UTC(y, m, d) / DAY;

/** [from, to) in day numbers for a partial date: its whole period. */
export function period(value, precision) {
  const [y, m = 1, d = 1] = String(value).split("-").map(Number);
  if (precision === "YEAR") return [dayNumber(y, 0, 1), dayNumber(y + 1, 0, 1)];
  if (precision === "MONTH") return [dayNumber(y, m - 1, 1), dayNumber(y, m, 1)];
  return [dayNumber(y, m - 1, d), dayNumber(y, m - 1, d + 1)];
}

function precisionOf(value) {
  const parts = String(value).split("-").length;
  return parts === 3 ? "DAY" : parts === 2 ? "MONTH" : "YEAR";
}

/** The axis: units of years, months, days and gaps, each with its x and width. */
function axis(items) {
  const years = items.map((item) => new Date(item.from * DAY).getUTCFullYear());
  const first = Math.min(...years);
  const last = Math.max(...years);
  const units = [];
  const push = (kind, from, to, label) => {
    const previous = units[units.length - 1];
    if (kind === "GAP" && previous && previous.kind === "GAP") previous.to = to;
    else units.push({ kind, from, to, label });
  };
  const starting = (from, to, precisions) => items.some((item) => item.from >= from && item.from < to && precisions.includes(item.precision));
  for (let y = first; y <= last; y++) {
    const [yFrom, yTo] = period(String(y), "YEAR");
    if (!starting(yFrom, yTo, ["MONTH", "DAY"])) {
      push(starting(yFrom, yTo, ["YEAR"]) ? "YEAR" : "GAP", yFrom, yTo, String(y));
      continue;
    }
    for (let m = 0; m < 12; m++) {
      const [mFrom, mTo] = [dayNumber(y, m, 1), dayNumber(y, m + 1, 1)];
      if (!starting(mFrom, mTo, ["DAY"])) {
        push(starting(mFrom, mTo, ["MONTH"]) ? "MONTH" : "GAP", mFrom, mTo, `${MONTH_ABBR[m]} ${y}`);
        continue;
      }
      for (let d = mFrom; d < mTo; d++) {
        push(starting(d, d + 1, ["DAY"]) ? "DAY" : "GAP", d, d + 1, String(new Date(d * DAY).getUTCDate()));
      }
    }
  }
  // A short timeline (one day, say) is stretched to a readable width.
  const natural = units.reduce((sum, unit) => sum + WIDTH[unit.kind], 0);
  const stretch = Math.max(1, MIN_WIDTH / natural);
  let x = 0;
  for (const unit of units) {
    unit.x = x;
    unit.width = WIDTH[unit.kind] * stretch;
    x += unit.width;
  }
  const at = (day) => {
    for (const unit of units) {
      if (day < unit.to || unit === units[units.length - 1]) {
        const share = Math.min(Math.max((day - unit.from) / (unit.to - unit.from), 0), 1);
        return unit.x + share * unit.width;
      }
    }
    return x;
  };
  return { units, width: x, at };
}

/** Rows for items so that none overlaps another in its row. */
function rows(items, gap = 4) {
  const ends = [];
  for (const item of items) {
    let row = ends.findIndex((end) => end + gap <= item.x0);
    if (row < 0) {
      row = ends.length;
      ends.push(0);
    }
    ends[row] = item.x1;
    item.row = row;
  }
  return ends.length;
}

/**
 * entries: the API's timeline entries, each with `href`. Returns the <svg> (a labelled group; the
 * view lists the same entries as text beside it).
 */
export function timeline(entries, { title, summary }) {
  if (!entries.length) return null;
  const items = entries.map((entry) => {
    const precision = entry.precision || precisionOf(entry.date);
    const [from, to] = period(entry.date, precision);
    const end = entry.end ? period(entry.end, precisionOf(entry.end))[1] : to;
    return { entry, precision, from, to: Math.max(to, end) };
  });
  const scale = axis(items);
  for (const item of items) {
    const x0 = scale.at(item.from);
    const x1 = scale.at(item.to);
    const point = item.precision === "DAY" && item.to - item.from <= 1;
    item.point = point;
    item.x0 = point ? (x0 + x1) / 2 - 6 : x0 + 1;
    item.x1 = point ? (x0 + x1) / 2 + 6 : Math.max(x1 - 1, x0 + 8);
  }
  const events = items.filter((item) => item.entry.type === "EVENT").sort((a, b) => a.x0 - b.x0);
  const statements = items.filter((item) => item.entry.type === "STATEMENT").sort((a, b) => a.x0 - b.x0);
  const lane = 16;
  const margin = 16;
  const eventRows = rows(events);
  const statementRows = rows(statements);
  const bandTop = 8;
  const eventsTop = bandTop + 28;
  const axisY = eventsTop + Math.max(eventRows, 1) * lane + 10;
  const statementsTop = axisY + 34;
  const height = statementsTop + Math.max(statementRows, 1) * lane + 12;
  const width = scale.width + 2 * margin + 90;
  const id = `timeline-${Math.random().toString(36).slice(2, 8)}`;
  const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, width, height, class: "timeline-svg", role: "group", "aria-labelledby": `${id}-title ${id}-desc` });
  svg.append(s("title", { id: `${id}-title` }, title), s("desc", { id: `${id}-desc` }, summary));
  const plot = s("g", { transform: `translate(${margin + 90}, 0)` });
  // Lane names.
  svg.append(
    s("text", { x: margin, y: eventsTop + 12, class: "lane-label" }, "Events"),
    s("text", { x: margin, y: statementsTop + 12, class: "lane-label" }, "Statements"),
  );
  // Bands naming the opened years and months above everything.
  const bands = new Map();
  for (const unit of scale.units) {
    if (unit.kind !== "DAY" && unit.kind !== "MONTH") continue;
    const date = new Date(unit.from * DAY);
    const key = unit.kind === "DAY" ? `${date.getUTCFullYear()}-${date.getUTCMonth()}` : `${date.getUTCFullYear()}`;
    const label = unit.kind === "DAY" ? `${MONTH_ABBR[date.getUTCMonth()]} ${date.getUTCFullYear()}` : `${date.getUTCFullYear()}`;
    const band = bands.get(key) || { x0: unit.x, x1: unit.x + unit.width, label };
    band.x1 = unit.x + unit.width;
    bands.set(key, band);
  }
  for (const band of bands.values()) {
    plot.append(
      s("line", { x1: band.x0 + 2, x2: band.x1 - 2, y1: bandTop + 14, y2: bandTop + 14, class: "band-line" }),
      s("text", { x: (band.x0 + band.x1) / 2, y: bandTop + 10, "text-anchor": "middle", class: "band-label" }, band.label),
    );
  }
  // The axis: a tick and a label per unit; gaps as a break.
  plot.append(s("line", { x1: 0, x2: scale.width, y1: axisY, y2: axisY, class: "axis" }));
  for (const unit of scale.units) {
    if (unit.kind === "GAP") {
      plot.append(s("text", { x: unit.x + unit.width / 2, y: axisY + 4, "text-anchor": "middle", class: "gap" }, "≈"));
      continue;
    }
    const label = unit.kind === "MONTH" ? unit.label.split(" ")[0] : unit.label;
    plot.append(
      s("line", { x1: unit.x, x2: unit.x, y1: axisY - 4, y2: axisY + 4, class: "tick" }),
      s("text", { x: unit.x + unit.width / 2, y: axisY + 20, "text-anchor": "middle", class: "tick-label" }, label),
    );
  }
  const draw = (item, top) => {
    const y = top + item.row * lane;
    const kind = item.entry.type === "EVENT" ? "event" : "statement";
    const when = partialDate(item.entry.date, item.precision);
    let shape;
    if (item.point) {
      const cx = (item.x0 + item.x1) / 2;
      shape = kind === "event"
        ? s("rect", { x: cx - 5, y: y + 2, width: 10, height: 10, class: `mark ${kind}` })
        : s("path", { d: `M${cx},${y + 1} L${cx + 6},${y + 7} L${cx},${y + 13} L${cx - 6},${y + 7} z`, class: `mark ${kind}` });
    } else {
      shape = s(
        "g",
        { class: `period ${kind} ${item.precision.toLowerCase()}` },
        s("rect", { x: item.x0, y: y + 3, width: item.x1 - item.x0, height: 8, rx: 2 }),
        s("line", { x1: item.x0, x2: item.x0, y1: y + 1, y2: y + 13 }),
        s("line", { x1: item.x1, x2: item.x1, y1: y + 1, y2: y + 13 }),
      );
    }
    const speaker = item.entry.speaker ? `${item.entry.speaker.name}: ` : "";
    return s("a", { href: item.entry.href, class: "timeline-item" }, shape, s("title", null, `${when}${item.point ? "" : " (the whole period)"} — ${speaker}${item.entry.title}`));
  };
  plot.append(
    s("g", { class: "lane events" }, events.map((item) => draw(item, eventsTop))),
    s("g", { class: "lane statements" }, statements.map((item) => draw(item, statementsTop))),
  );
  svg.append(plot);
  return svg;
}
