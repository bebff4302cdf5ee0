// Building the page from data without ever parsing the data as HTML.
//
// `h()` makes elements whose children are text nodes or elements; attributes are set one by
// one (never a `style` attribute: the page runs under a CSP without 'unsafe-inline'). The one
// piece of API text that carries markup, a search snippet (hits in <mark>, the rest
// HTML-escaped), goes through `snippet()`, which understands exactly that and nothing more.

const SVG_NS = "http://www.w3.org/2000/svg";

function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

function assign(element, attributes) {
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "style") throw new Error("inline styles are not allowed (CSP)");
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === "dataset") {
      Object.assign(element.dataset, value);
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  return element;
}

/** An HTML element: h("a", {href: "/x"}, "text", otherElement). */
export function h(tag, attributes, ...children) {
  return append(assign(document.createElement(tag), attributes), children);
}

/** An SVG element, as h() makes HTML ones. */
export function s(tag, attributes, ...children) {
  return append(assign(document.createElementNS(SVG_NS, tag), attributes), children);
}

/** Replace everything inside `parent` with `children`. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

/** Text with HTML character references decoded (&amp; &#39; &#x27; ...). */
function decodeEntities(text) {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * A search snippet as DOM: the API wraps hits in <mark>…</mark> and HTML-escapes the rest.
 * Only those two tags are read as markup; anything else stays text, so a snippet can never
 * inject an element or an attribute.
 */
export function snippet(html) {
  const fragment = document.createDocumentFragment();
  let marked = false;
  for (const part of String(html).split(/(<mark>|<\/mark>)/)) {
    if (part === "<mark>") marked = true;
    else if (part === "</mark>") marked = false;
    else if (part) {
      const text = decodeEntities(part);
      fragment.append(marked ? h("mark", null, text) : document.createTextNode(text));
    }
  }
  return fragment;
}

/** A link within the explorer (the router takes its clicks). */
export function link(href, ...children) {
  return h("a", { href }, ...children);
}
