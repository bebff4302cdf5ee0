// Overlapping highlights made readable: the text is cut at every span boundary, and each
// piece (segment) knows every span that covers it, outermost first. Segments never nest, so
// any set of spans (nested, overlapping, identical) renders as flat, non-interactive pieces.

/**
 * `spans`: [{key, start, end}] (offsets into the string, end exclusive). Returns
 * {segments: [{start, end, keys}], starts: Map(offset -> [key, ...])}: the covered pieces in
 * order, and which spans begin where (outermost first), for the spans' markers.
 */
export function segments(spans) {
  const valid = spans.filter((span) => span.end > span.start);
  const length = new Map(valid.map((span) => [span.key, span.end - span.start]));
  const opening = new Map();
  const closing = new Map();
  const points = new Set();
  for (const span of valid) {
    points.add(span.start);
    points.add(span.end);
    if (!opening.has(span.start)) opening.set(span.start, []);
    opening.get(span.start).push(span.key);
    if (!closing.has(span.end)) closing.set(span.end, []);
    closing.get(span.end).push(span.key);
  }
  const order = [...points].sort((a, b) => a - b);
  const outerFirst = (a, b) => length.get(b) - length.get(a) || (a < b ? -1 : a > b ? 1 : 0);
  const active = new Set();
  const result = [];
  const starts = new Map();
  for (let i = 0; i < order.length; i++) {
    const at = order[i];
    for (const key of closing.get(at) || []) active.delete(key);
    const opened = opening.get(at);
    if (opened) {
      for (const key of opened) active.add(key);
      starts.set(at, [...opened].sort(outerFirst));
    }
    if (active.size && i + 1 < order.length) {
      result.push({ start: at, end: order[i + 1], keys: [...active].sort(outerFirst) });
    }
  }
  return { segments: result, starts };
}

/**
 * Offsets of a text counted in Unicode code points (the API's) as JavaScript string indexes
 * (UTF-16 code units): the same numbers unless the text holds characters beyond the BMP.
 */
export function codeUnitIndex(text) {
  if (!/[\ud800-\udfff]/.test(text)) return (offset) => offset;
  const units = [];
  let unit = 0;
  for (const character of text) {
    units.push(unit);
    unit += character.length;
  }
  units.push(unit);
  return (offset) => units[Math.min(offset, units.length - 1)];
}
