// A passage of the source text, as the API counts it: offsets in Unicode code points of the
// stored text (a browser's selection counts UTF-16 code units), and which occurrence it is
// where the same words appear more than once.

/** Code points in `text` before UTF-16 index `unit`. */
function codePoints(text, unit) {
  let count = 0;
  for (let i = 0; i < unit; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) i++;
    count++;
  }
  return count;
}

/** UTF-16 index of code point `point` in `text`. */
export function unitIndex(text, point) {
  let unit = 0;
  for (let seen = 0; seen < point && unit < text.length; seen++) {
    const code = text.charCodeAt(unit);
    unit += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
  }
  return unit;
}

/** UTF-16 starts of every occurrence of `exact` in `text`. */
function starts(text, exact) {
  const found = [];
  if (!exact) return found;
  for (let at = text.indexOf(exact); at !== -1; at = text.indexOf(exact, at + 1)) found.push(at);
  return found;
}

/**
 * The passage from UTF-16 offsets [from, to) of `text`, trimmed of surrounding white space:
 * {start, end} in code points, `exact`, its `occurrence` (1-based) and how many there are.
 * Null if nothing but white space is selected.
 */
export function passage(text, from, to) {
  while (from < to && /\s/.test(text[from])) from++;
  while (to > from && /\s/.test(text[to - 1])) to--;
  if (to <= from) return null;
  const exact = text.slice(from, to);
  const all = starts(text, exact);
  return {
    start: codePoints(text, from),
    end: codePoints(text, to),
    exact,
    occurrence: all.indexOf(from) + 1,
    occurrences: all.length,
  };
}

/** The passage of `exact`'s `occurrence` in `text`, or null if the text has no such one. */
export function find(text, exact, occurrence = 1) {
  const at = starts(text, exact)[occurrence - 1];
  return at === undefined ? null : passage(text, at, at + exact.length);
}

/** The passage the page's selection covers inside `container` (whose text is `text`). */
export function selected(container, text) {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
  const range = selection.getRangeAt(0);
  if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
  // The container's text is the source's text (markers carry no text): count what precedes.
  const before = document.createRange();
  before.selectNodeContents(container);
  before.setEnd(range.startContainer, range.startOffset);
  const from = before.toString().length;
  return passage(text, from, from + range.toString().length);
}

/** "occurrence 2 of 3", where the words repeat; "" where they do not. */
export function occurrenceNote(found) {
  return found && found.occurrences > 1 ? `occurrence ${found.occurrence} of ${found.occurrences} of these words` : "";
}
