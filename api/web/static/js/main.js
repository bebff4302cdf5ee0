// The explorer starts here: API links pointed at the configured API, the routes, and the
// pages for what is not found or fails.

import { linkApiPages } from "./config.js";
import { h, replace } from "./dom.js";
import { followChanges } from "./live.js";
import { Router } from "./router.js";
import { actorView } from "./views/actor.js";
import { claimView } from "./views/claim.js";
import { eventView } from "./views/event.js";
import { homeView } from "./views/home.js";
import { evidenceView, statementView } from "./views/place.js";
import { searchView } from "./views/search.js";
import { sourceView } from "./views/source.js";
import { timelineView } from "./views/timeline.js";
import { newSourceView } from "./views/new-source.js";
import { restore } from "./annotate/session.js";

const routes = [
  [/^\/$/, homeView],
  [/^\/sources\/([^/]+)$/, sourceView],
  [/^\/claims\/([^/]+)$/, claimView],
  [/^\/actors\/([^/]+)$/, actorView],
  [/^\/events\/([^/]+)$/, eventView],
  [/^\/statements\/([^/]+)$/, statementView],
  [/^\/evidence\/([^/]+)$/, evidenceView],
  [/^\/timeline$/, timelineView],
  [/^\/search$/, searchView],
  [/^\/new-source$/, newSourceView],
];

function notFound(context, error) {
  context.setTitle("Not found");
  replace(
    context.main,
    h(
      "article",
      { class: "not-found" },
      h("p", { class: "eyebrow" }, "Not found"),
      h("h1", { tabindex: "-1" }, error.message),
      h("p", null, "The link may be mistyped, or the record may have been removed. Try a search, or start from the ", h("a", { href: "/" }, "overview"), "."),
    ),
  );
}

function failed(context, error) {
  context.setTitle("Something went wrong");
  replace(
    context.main,
    h(
      "article",
      { class: "failed" },
      h("p", { class: "eyebrow" }, "Error"),
      h("h1", { tabindex: "-1" }, "This page could not be shown"),
      h("p", null, "The API answered: ", h("code", null, error.message)),
      h("p", null, h("a", { href: window.location.href }, "Try again")),
    ),
  );
}

/** Pages of one record: shown again when the change feed says something changed. */
const live = new Set([sourceView, claimView, actorView, eventView, statementView, evidenceView]);

linkApiPages();
const router = new Router(routes, { notFound, failed });
// A key this tab signed in with is checked again before the first page renders, so that a
// revoked key shows no edit controls; signing in or out renders the page again.
restore().finally(() => {
  router.start();
  document.addEventListener("claimgraph:session", () => router.show({}));
  followChanges(router.main, () => {
    if (live.has(router.currentView)) router.refresh();
  });
});
