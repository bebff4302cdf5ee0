// Signing in with an API key (from `claimgraph keys create`). The key is kept in this tab's
// sessionStorage only (gone when the tab closes), sent as `Authorization: Bearer`, and never
// put in a URL, a form submission or the console. Without one the explorer is read-only and
// shows no edit controls. The key is checked with GraphQL `viewer` when entered and again on
// every page load, so a key revoked meanwhile signs the tab out with a clear message.

import { QueryFailed, query } from "../graphql.js";
import { h, replace } from "../dom.js";
import { announce } from "./status.js";

const STORE = "claimgraph.session";
const VIEWER = `query Viewer {
  viewer { name scopes }
}`;

let current = null;

/** The signed-in key and what it may do ({key, name, scopes}), or null. */
export function session() {
  return current;
}

/** Whether the tab holds a key that may write (annotate mode). */
export function canWrite() {
  return Boolean(current && current.scopes.includes("write"));
}

/** The key, for a write's Authorization header. */
export function bearer() {
  return current ? current.key : null;
}

function changed() {
  render();
  document.dispatchEvent(new CustomEvent("claimgraph:session", { detail: { signedIn: Boolean(current) } }));
}

/** The API refused the key itself (unknown or revoked), as opposed to not answering. */
class KeyRefused extends Error {}

/** Ask the API who `key` is: the viewer, or an Error whose message a person can read. */
async function identify(key) {
  try {
    const data = await query(VIEWER, {}, { key });
    if (!data.viewer) throw new KeyRefused("The API did not recognise this key.");
    return data.viewer;
  } catch (error) {
    const refusal = error instanceof QueryFailed && error.errors.find((e) => (e.extensions || {}).reason === "UNAUTHORIZED");
    if (refusal) {
      // The API says why (unknown or revoked, expired, rotated away): its words, as a sentence.
      const why = String(refusal.message || "the API key is unknown or revoked").replace(/\.$/, "");
      throw new KeyRefused(`The API refused this key: ${why}. Ask an administrator for a new one (claimgraph keys create).`);
    }
    throw error;
  }
}

async function signIn(key) {
  const viewer = await identify(key);
  if (!viewer.scopes.includes("write")) {
    throw new Error(`The key “${viewer.name}” may only read; annotating needs a write or admin key.`);
  }
  current = { key, name: viewer.name, scopes: viewer.scopes };
  sessionStorage.setItem(STORE, JSON.stringify({ key, name: viewer.name, scopes: viewer.scopes }));
  changed();
  announce(`Signed in as ${viewer.name}. Annotate mode is on.`);
}

/** Forget the key (and say why, when the API refused it). */
export function signOut(reason = null) {
  current = null;
  sessionStorage.removeItem(STORE);
  changed();
  announce(reason || "Signed out. The explorer is read-only.", { alert: Boolean(reason) });
}

/** On page load: the key this tab holds, checked again (it may have been revoked since). */
export async function restore() {
  let stored = null;
  try {
    stored = JSON.parse(sessionStorage.getItem(STORE) || "null");
  } catch {
    stored = null;
  }
  if (stored && stored.key) {
    try {
      const viewer = await identify(stored.key);
      current = { key: stored.key, name: viewer.name, scopes: viewer.scopes };
    } catch (error) {
      if (error instanceof KeyRefused) {
        sessionStorage.removeItem(STORE);
        current = null;
        announce(`Signed out: ${error.message}`, { alert: true });
      } else {
        // The API is not answering (an outage): keep the key; a write will be refused if it
        // is no good, and the next load checks it again.
        current = { key: stored.key, name: stored.name || "your key", scopes: stored.scopes || ["read", "write"] };
      }
    }
  }
  render();
}

function dialog() {
  const input = h("input", { id: "api-key", type: "password", autocomplete: "off", spellcheck: "false", required: true, "aria-describedby": "api-key-hint api-key-error" });
  const error = h("p", { id: "api-key-error", class: "field-error", role: "alert" });
  const submit = h("button", { type: "submit" }, "Sign in");
  // POST with no name on the input: should a submission ever escape the script, the key is
  // neither in a URL nor in a body.
  const form = h(
    "form",
    { method: "post", class: "sign-in-form" },
    h("h2", { id: "sign-in-title" }, "Sign in to annotate"),
    h("label", { for: "api-key" }, "API key"),
    input,
    h("p", { id: "api-key-hint", class: "hint" }, "A write or admin key from ", h("code", null, "claimgraph keys create"), ". It stays in this tab until you sign out or close it."),
    error,
    h("p", { class: "form-actions" }, submit, " ", h("button", { type: "button", class: "secondary", dataset: { action: "cancel" } }, "Cancel")),
  );
  const box = h("dialog", { class: "sign-in", "aria-labelledby": "sign-in-title" }, form);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    error.textContent = "";
    if (!key) {
      error.textContent = "Enter a key.";
      input.focus();
      return;
    }
    submit.disabled = true;
    try {
      await signIn(key);
      input.value = "";
      box.close();
      box.remove();
    } catch (failure) {
      error.textContent = failure.message;
      input.setAttribute("aria-invalid", "true");
      input.focus();
    } finally {
      submit.disabled = false;
    }
  });
  form.querySelector("[data-action='cancel']").addEventListener("click", () => {
    box.close();
  });
  box.addEventListener("close", () => {
    box.remove();
    document.getElementById("sign-in-open")?.focus();
  });
  return box;
}

/** The header's corner: "Sign in", or who is annotating with "New source" and "Sign out". */
function render() {
  const slot = document.getElementById("session");
  if (!slot) return;
  if (!current) {
    replace(slot, h("button", { type: "button", id: "sign-in-open", class: "secondary" }, "Sign in"));
    slot.querySelector("button").addEventListener("click", () => {
      const box = dialog();
      document.body.append(box);
      box.showModal();
      box.querySelector("input").focus();
    });
    return;
  }
  replace(
    slot,
    h("span", { class: "signed-in" }, "Annotating as ", h("strong", null, current.name)),
    " ",
    h("a", { href: "/new-source", class: "new-source-link" }, "New source"),
    " ",
    h("button", { type: "button", id: "sign-out", class: "secondary" }, "Sign out"),
  );
  slot.querySelector("#sign-out").addEventListener("click", () => signOut());
}
