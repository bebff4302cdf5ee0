// Choosing the records a statement or a piece of evidence names: a speaker (or whoever offers
// evidence) among the actors, searched as you type with similar names included, and a claim;
// either can be a new one, filled in inline and created just before the record that names it.

import { allPages, query } from "../graphql.js";
import { h } from "../dom.js";
import { combobox } from "./combobox.js";
import { ACTOR_CHOICES, CLAIM_CHOICES } from "./documents.js";
import { field, slugify, uid } from "./fields.js";

async function searchActors(q) {
  const data = await query(ACTOR_CHOICES, { q });
  return data.actors.edges.map(({ node }) => ({ slug: node.slug, label: node.name, detail: node.description || "" }));
}

let claims = null;

/** Every claim, read once per page: there are few, and filtering them here is instant. */
async function searchClaims(q) {
  if (!claims) {
    claims = allPages(CLAIM_CHOICES, {}, (data) => data.claims).then(({ edges }) => edges.map((edge) => edge.node));
  }
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  return (await claims)
    .filter((claim) => words.every((word) => `${claim.text} ${claim.slug}`.toLowerCase().includes(word)))
    .slice(0, 8)
    .map((claim) => ({ slug: claim.slug, label: claim.text }));
}

/** Forget the claims read, after one was created. */
export function claimsChanged() {
  claims = null;
}

const ACTOR_KINDS = [["PERSON", "person"], ["ORGANIZATION", "organisation"], ["STATE", "state"], ["GROUP", "group"], ["MEDIA", "media outlet"]];

/** An id field that follows `source`'s words until the analyst types one of their own. */
function followingId(control, words) {
  let own = false;
  control.addEventListener("input", () => {
    own = true;
  });
  return (text) => {
    if (!own) control.value = slugify(text);
  };
}

/**
 * An actor box (`name`: the input field it fills, `speaker` or `offeredBy`). `read()` gives
 * {slug} for a known actor, {create: CreateActorInput} for a new one, or null.
 */
export function actorPicker({ name, label, hint, initial = null }) {
  const nameInput = h("input", { type: "text", required: true });
  const kind = h("select", null, ACTOR_KINDS.map(([value, text]) => h("option", { value }, text)));
  const description = h("input", { type: "text", required: true });
  const id = h("input", { type: "text", required: true, pattern: "[a-z0-9]+(-[a-z0-9]+)*", spellcheck: "false" });
  const follow = followingId(id);
  nameInput.addEventListener("input", () => follow(nameInput.value));
  const legendId = uid("new-actor");
  const inline = h(
    "fieldset",
    { class: "inline-new", hidden: true, "aria-labelledby": legendId, dataset: { newRecord: "actor" } },
    h("legend", { id: legendId }, "The new actor"),
    field("name", "Name", nameInput),
    field("kind", "Kind", kind),
    field("description", "Who they are, in a few words", description, { hint: "For instance “CIS Executive Commissioner”." }),
    field("id", "Id", id, { hint: "Lower-case words joined by “-”; it becomes the actor's address." }),
  );
  const box = combobox({
    name,
    label,
    hint,
    search: searchActors,
    create: "actor",
    initial,
    placeholder: "Type a name…",
    onChange(choice) {
      inline.hidden = !(choice && choice.isNew);
      if (choice && choice.isNew) {
        nameInput.value = choice.label;
        follow(choice.label);
      }
    },
  });
  return {
    element: h("div", { class: "picker" }, box.element, inline),
    inline,
    box,
    read() {
      const choice = box.choice();
      if (!choice) return box.input.value.trim() ? { unpicked: box.input.value.trim() } : null;
      if (!choice.isNew) return { slug: choice.slug, label: choice.label };
      return { create: { id: id.value.trim(), name: nameInput.value.trim(), kind: kind.value, description: description.value.trim() }, label: nameInput.value.trim() };
    },
  };
}

/** A claim box; `read()` gives {slug}, {create: CreateClaimInput} or null. */
export function claimPicker({ name = "claim", label = "Claim", initial = null }) {
  const text = h("textarea", { rows: "2", required: true });
  const id = h("input", { type: "text", required: true, spellcheck: "false" });
  const follow = followingId(id);
  text.addEventListener("input", () => follow(text.value));
  const legendId = uid("new-claim");
  const inline = h(
    "fieldset",
    { class: "inline-new", hidden: true, "aria-labelledby": legendId, dataset: { newRecord: "claim" } },
    h("legend", { id: legendId }, "The new claim"),
    field("text", "The proposition, in neutral words", text),
    field("id", "Id", id, { hint: "Lower-case words joined by “-”." }),
  );
  const box = combobox({
    name,
    label,
    search: searchClaims,
    create: "claim",
    initial,
    placeholder: "Type words of the claim…",
    onChange(choice) {
      inline.hidden = !(choice && choice.isNew);
      if (choice && choice.isNew) {
        text.value = choice.label;
        follow(choice.label);
      }
    },
  });
  return {
    element: h("div", { class: "picker" }, box.element, inline),
    inline,
    box,
    read() {
      const choice = box.choice();
      if (!choice) return box.input.value.trim() ? { unpicked: box.input.value.trim() } : null;
      if (!choice.isNew) return { slug: choice.slug, label: choice.label };
      return { create: { id: id.value.trim(), text: text.value.trim() }, label: text.value.trim() };
    },
  };
}
