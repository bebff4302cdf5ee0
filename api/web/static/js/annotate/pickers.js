// Choosing the records a statement or a piece of evidence names: a speaker (or whoever offers
// evidence) among the actors, searched as you type with similar names included, and a claim;
// either can be a new one, filled in inline and created just before the record that names it.

import { allPages, query } from "../graphql.js";
import { h } from "../dom.js";
import { combobox } from "./combobox.js";
import { ACTOR_CHOICES, CLAIM_CHOICES, CREATE_ACTOR, CREATE_CLAIM, DELETE_ACTOR, DELETE_CLAIM } from "./documents.js";
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

/** An id field that follows the words typed for the record until the analyst types an id. */
function followingId(control) {
  let own = false;
  control.addEventListener("input", () => {
    own = true;
  });
  return (text) => {
    if (!own) control.value = slugify(text);
  };
}

/**
 * A box choosing a record of `kind` among `search`'s, or a new one filled in inline: `named`
 * is the field the typed words go to, `fields` the inline ones, `created()` the new record's
 * input beside its id. `read()` gives {slug, label} for a known record, {create, label} for a
 * new one, {unpicked} for words not chosen from the list, or null; `creation(read)` the step
 * creating a new one (undone, the save failing later).
 */
function recordPicker({ kind, legend, named, fields, created, idHint, idAttributes = {}, ...box }) {
  const id = h("input", { type: "text", required: true, spellcheck: "false", ...idAttributes });
  const follow = followingId(id);
  named.addEventListener("input", () => follow(named.value));
  const legendId = uid(`new-${kind}`);
  const inline = h(
    "fieldset",
    { class: "inline-new", hidden: true, "aria-labelledby": legendId, dataset: { newRecord: kind } },
    h("legend", { id: legendId }, legend),
    ...fields,
    field("id", "Id", id, { hint: idHint }),
  );
  const combo = combobox({
    ...box,
    create: kind,
    onChange(choice) {
      inline.hidden = !(choice && choice.isNew);
      if (choice && choice.isNew) {
        named.value = choice.label;
        follow(choice.label);
      }
    },
  });
  return {
    element: h("div", { class: "picker" }, combo.element, inline),
    inline,
    box: combo,
    read() {
      const choice = combo.choice();
      if (!choice) return combo.input.value.trim() ? { unpicked: combo.input.value.trim() } : null;
      if (!choice.isNew) return { slug: choice.slug, label: choice.label };
      return { create: { id: id.value.trim(), ...created() }, label: named.value.trim() };
    },
    creation(read) {
      if (!read || !read.create) return null;
      const [document, undo] = CREATES[kind];
      return { document, variables: { input: read.create }, root: inline, what: kind, undo };
    },
  };
}

const CREATES = { actor: [CREATE_ACTOR, DELETE_ACTOR], claim: [CREATE_CLAIM, DELETE_CLAIM] };

/** An actor box (`name`: the input field it fills, `speaker` or `offeredBy`). */
export function actorPicker({ name, label, hint, initial = null }) {
  const nameInput = h("input", { type: "text", required: true });
  const kind = h("select", null, ACTOR_KINDS.map(([value, text]) => h("option", { value }, text)));
  const description = h("input", { type: "text", required: true });
  return recordPicker({
    kind: "actor",
    legend: "The new actor",
    named: nameInput,
    fields: [
      field("name", "Name", nameInput),
      field("kind", "Kind", kind),
      field("description", "Who they are, in a few words", description, { hint: "For instance “CIS Executive Commissioner”." }),
    ],
    created: () => ({ name: nameInput.value.trim(), kind: kind.value, description: description.value.trim() }),
    idHint: "Lower-case words joined by “-”; it becomes the actor's address.",
    idAttributes: { pattern: "[a-z0-9]+(-[a-z0-9]+)*" },
    name,
    label,
    hint,
    search: searchActors,
    initial,
    placeholder: "Type a name…",
  });
}

/** A claim box. */
export function claimPicker({ name = "claim", label = "Claim", initial = null }) {
  const text = h("textarea", { rows: "2", required: true });
  return recordPicker({
    kind: "claim",
    legend: "The new claim",
    named: text,
    fields: [field("text", "The proposition, in neutral words", text)],
    created: () => ({ text: text.value.trim() }),
    idHint: "Lower-case words joined by “-”.",
    name,
    label,
    search: searchClaims,
    initial,
    placeholder: "Type words of the claim…",
  });
}
