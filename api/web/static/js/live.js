// Live: the open page follows the change feed (Server-Sent Events from /v1/changes, starting
// from now) and is shown again, in place, soon after another person's write, so that two
// analysts looking at the same source or claim see each other's quotes within a second.
//
// A page is not redrawn under someone working in it: the refresh waits until no field of the
// page has focus, no passage of it is selected and nothing in it is marked `data-dirty`. The
// browser reconnects a dropped stream by itself (with the Last-Event-ID it saw), so an outage
// costs no change.
//
// Only a page someone can see holds a stream: a browser opens at most six connections to one
// server (HTTP/1.1), and a stream each in background tabs, or in pages kept for the Back
// button, would leave none for the page in front. A hidden or left page closes its stream;
// shown again, it opens a new one from the last change it saw, and redraws if any came since.

import { apiRoot } from "./config.js";

/** Changes arriving this close together make one refresh. */
const SETTLE_MS = 250;

function busy(main) {
  const active = document.activeElement;
  const typing = active && main.contains(active) && active.matches("input, textarea, select, [contenteditable]");
  // A passage being selected (to annotate it) is work in progress too.
  const selection = window.getSelection();
  const selecting = selection && !selection.isCollapsed && main.contains(selection.anchorNode);
  return typing || selecting || main.querySelector("[data-dirty]") !== null;
}

/** Where the feed stands now (the number of its last change), or "now" if it cannot say. */
async function position() {
  try {
    const answer = await fetch(new URL("v1/changes?after=now", apiRoot), { headers: { Accept: "application/json" } });
    if (answer.ok) return (await answer.json()).next_cursor ?? "now";
  } catch {
    // An outage: follow from whenever the stream connects.
  }
  return "now";
}

/** Follow the feed while the page is shown; `refresh()` redraws the current page (when it
 * shows a record). */
export async function followChanges(main, refresh) {
  if (!("EventSource" in window)) return;
  let stream = null;
  let timer = 0;
  // The last change accounted for: a stream opened again starts after it, so a page shown
  // again redraws only if something changed while it was hidden.
  let seen = await position();
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (busy(main)) later();
      else refresh();
    }, SETTLE_MS);
  };
  const open = () => {
    if (stream !== null || document.hidden) return;
    stream = new EventSource(new URL(`v1/changes?after=${encodeURIComponent(seen)}`, apiRoot));
    stream.addEventListener("change", (event) => {
      if (event.lastEventId) seen = event.lastEventId;
      later();
    });
  };
  const close = () => {
    if (stream === null) return;
    stream.close();
    stream = null;
  };
  document.addEventListener("visibilitychange", () => (document.hidden ? close() : open()));
  window.addEventListener("pagehide", close);
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) open();
  });
  open();
}
