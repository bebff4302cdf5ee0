// Pages with their own URLs: the History API, links taken over within the explorer, back and
// forward restoring the view (and its scroll position), focus moved to the new page's heading
// for keyboard and screen-reader users.
//
// A view is `async render(context)` that fills `context.main` and may return a controller:
// `onHash(hash)` (a same-page #fragment changed: the source reader selects a quote) and
// `destroy()` (the view is left).

import { QueryFailed } from "./graphql.js";
import { retrying } from "./notice.js";
import { h, replace } from "./dom.js";

/** Thrown by a view whose record the API does not hold (GraphQL answered null). */
export class NotFound extends Error {
  constructor(what) {
    super(`${what} is not in claimgraph`);
    this.name = "NotFound";
    this.what = what;
  }
}

/** Thrown by a view that only points elsewhere: the URL is replaced (back skips it). */
export class Redirect extends Error {
  constructor(url) {
    super(`moved to ${url}`);
    this.name = "Redirect";
    this.url = url;
  }
}

export class Router {
  constructor(routes, { notFound, failed }) {
    this.routes = routes;
    this.notFound = notFound;
    this.failed = failed;
    this.main = document.getElementById("main");
    this.controller = null;
    this.current = null;
    this.aborter = null;
    this.renders = 0;
  }

  start() {
    history.scrollRestoration = "manual";
    document.addEventListener("click", (event) => this.onClick(event));
    document.addEventListener("submit", (event) => this.onSubmit(event));
    window.addEventListener("popstate", () => this.onPop());
    window.addEventListener("pagehide", () => this.saveScroll());
    let saving = 0;
    window.addEventListener("scroll", () => {
      clearTimeout(saving);
      saving = setTimeout(() => this.saveScroll(), 150);
    }, { passive: true });
    return this.show({ initial: true });
  }

  match(pathname) {
    for (const [pattern, view] of this.routes) {
      const found = pattern.exec(pathname);
      if (found) return { view, params: found.slice(1).map(decodeURIComponent) };
    }
    return null;
  }

  saveScroll() {
    history.replaceState({ ...(history.state || {}), scrollY: window.scrollY }, "");
  }

  /** Go to `url` within the explorer (a new history entry unless `replace`). */
  navigate(url, { replace: replacing = false } = {}) {
    const target = new URL(url, window.location.href);
    const samePage = target.pathname === window.location.pathname;
    this.saveScroll();
    if (replacing) history.replaceState({}, "", target);
    else history.pushState({}, "", target);
    if (samePage && target.search === this.current?.search) return this.hashChanged();
    return this.show({});
  }

  /** Render the current page again at `url` (same path): after a write changed its data. */
  reload(url) {
    history.replaceState({}, "", new URL(url, window.location.href));
    return this.show({});
  }

  onClick(event) {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = event.target.closest("a[href]");
    if (!anchor || anchor.target || anchor.hasAttribute("download")) return;
    const url = new URL(anchor.href, window.location.href);
    if (url.origin !== window.location.origin || !this.match(url.pathname)) return;
    const here = window.location;
    if (url.pathname === here.pathname && url.search === here.search && url.hash) return; // a fragment: the browser's own
    event.preventDefault();
    this.navigate(url.href);
  }

  onSubmit(event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || (form.method || "get").toLowerCase() !== "get") return;
    const url = new URL(form.action, window.location.href);
    if (url.origin !== window.location.origin || !this.match(url.pathname)) return;
    event.preventDefault();
    for (const [name, value] of new FormData(form)) url.searchParams.set(name, String(value));
    this.navigate(url.href);
  }

  onPop() {
    const here = window.location;
    if (this.current && here.pathname === this.current.path && here.search === this.current.search) {
      this.hashChanged();
      return;
    }
    this.show({ restoring: true });
  }

  /** The view of the page shown now (null for a page not found). */
  get currentView() {
    return this.current?.view ?? null;
  }

  /** Show the current page again, in place: same scroll position, selection and focus. */
  refresh() {
    this.saveScroll();
    return this.show({ initial: true, restoring: true });
  }

  hashChanged() {
    this.controller?.onHash?.(decodeURIComponent(window.location.hash.slice(1)), { fromHistory: true });
    return Promise.resolve();
  }

  async show({ initial = false, restoring = false }) {
    const here = window.location;
    const found = this.match(here.pathname);
    this.aborter?.abort();
    const aborter = new AbortController();
    this.aborter = aborter;
    this.controller?.destroy?.();
    this.controller = null;
    this.current = { path: here.pathname, search: here.search, view: found?.view ?? null };
    const render = ++this.renders;
    const main = this.main;
    main.dataset.state = "loading";
    main.setAttribute("aria-busy", "true");
    if (!initial) replace(main, h("p", { class: "loading" }, "Loading…"));
    const context = {
      main,
      params: found ? found.params : [],
      query: new URLSearchParams(here.search),
      hash: decodeURIComponent(here.hash.slice(1)),
      signal: aborter.signal,
      router: this,
      setTitle: (title) => {
        document.title = title ? `${title} · claimgraph` : "claimgraph explorer";
      },
    };
    let state = "ready";
    try {
      if (!found) throw new NotFound("This page");
      this.controller = (await retrying(() => found.view(context), aborter.signal)) || null;
    } catch (error) {
      if (aborter.signal.aborted || render !== this.renders) return;
      if (error instanceof Redirect) {
        history.replaceState({}, "", error.url);
        return this.show({ initial });
      }
      if (error instanceof NotFound) {
        state = "not-found";
        this.notFound(context, error);
      } else {
        state = "error";
        this.failed(context, error instanceof QueryFailed ? error : new Error(String(error && error.message || error)));
      }
    }
    if (render !== this.renders) return;
    main.dataset.state = state;
    main.removeAttribute("aria-busy");
    document.dispatchEvent(new CustomEvent("claimgraph:rendered", { detail: { state } }));
    performance.mark("interactive", { detail: { path: here.pathname, state } });
    const scrollY = history.state && history.state.scrollY;
    if (restoring && typeof scrollY === "number") window.scrollTo(0, scrollY);
    else if (!context.scrolled) window.scrollTo(0, 0);
    if (!initial && !context.scrolled) {
      const heading = main.querySelector("h1");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus({ preventScroll: true });
      }
    }
  }
}
