// The result of a write or a sign-in, said once for everyone: shown under the header and read
// out by screen readers (a live region outside <main>, always in the page so that a change is
// heard, and surviving the page being rendered again after a save).

import { h, replace } from "../dom.js";

// A message stays on the page the render after it shows (a save renders the reader again, a
// new source opens its reader), also when that page is drawn again in place, and goes when
// the analyst moves to another page.
let fresh = false;
let shownOn = null;
document.addEventListener("claimgraph:rendered", () => {
  if (fresh) {
    fresh = false;
    shownOn = location.pathname;
  } else if (location.pathname !== shownOn) {
    document.getElementById("status")?.replaceChildren();
  }
});

/** Show and announce `message` (`alert`: a failure, read out at once). */
export function announce(message, { alert = false } = {}) {
  const region = document.getElementById("status");
  if (!region) return;
  fresh = true;
  region.setAttribute("role", alert ? "alert" : "status");
  region.classList.toggle("failed", alert);
  replace(
    region,
    h("p", null, message),
    h("button", { type: "button", class: "secondary", "aria-label": "Dismiss this message", dataset: { action: "dismiss" } }, "×"),
  );
  region.querySelector("button").addEventListener("click", () => {
    region.replaceChildren();
  });
}
