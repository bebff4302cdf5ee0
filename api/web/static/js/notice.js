// A database outage is a notice that retries, never a blank page: the API answers 503 with
// Retry-After, and the view's load is tried again after that many seconds (growing while it
// lasts, up to half a minute), or at once with "Retry now".

import { Unavailable, Unreachable } from "./graphql.js";
import { h, replace } from "./dom.js";

const notice = () => document.getElementById("notice");

function show(message, seconds, retryNow) {
  const element = notice();
  replace(
    element,
    h("p", null, message, " ", `Trying again in ${seconds} s…`, " "),
    h("button", { type: "button", class: "secondary", onclick: retryNow }, "Retry now"),
  );
  element.hidden = false;
}

function hideNotice() {
  const element = notice();
  if (!element.hidden) {
    element.hidden = true;
    element.replaceChildren();
  }
}

function pause(seconds, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(done, seconds * 1000);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      document.removeEventListener("claimgraph:retry", done);
      resolve();
    }
    signal.addEventListener("abort", done);
    document.addEventListener("claimgraph:retry", done);
  });
}

/** `task()` until it succeeds; outages shown as a notice while they last. */
export async function retrying(task, signal) {
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await task();
      hideNotice();
      return result;
    } catch (error) {
      if (signal.aborted || !(error instanceof Unavailable || error instanceof Unreachable)) {
        hideNotice();
        throw error;
      }
      const seconds = Math.min(30, Math.max(error.retryAfter || 2, 2 ** (attempt - 1)));
      const message =
        error instanceof Unavailable
          ? "claimgraph's database is not answering right now."
          : "The claimgraph API cannot be reached.";
      show(message, seconds, () => document.dispatchEvent(new Event("claimgraph:retry")));
      await pause(seconds, signal);
      if (signal.aborted) throw new DOMException("navigated away", "AbortError");
    }
  }
}
