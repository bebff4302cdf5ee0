// The statement form: a passage said by someone. Its speaker (searched as you type, or a new
// actor inline), kind, attribution, the date as precisely as known, and its stances on claims
// (a claim picked or created inline, a position, hedged or not). Used to create a statement
// from a selection or an accepted suggestion, and to edit one (with its version).

import { h } from "../dom.js";
import { runSteps } from "./steps.js";
import {
  CREATE_STANCE, CREATE_STATEMENT, DELETE_STANCE, DELETE_STATEMENT, UPDATE_STANCE, UPDATE_STATEMENT,
} from "./documents.js";
import {
  clearProblems, field, parsePartialDate, radioValue, radios, showProblems, slugify, typedDate,
} from "./fields.js";
import { actorPicker, claimPicker, claimsChanged } from "./pickers.js";
import { formShell, passageField } from "./shell.js";
import { explain } from "./write.js";

const KINDS = [["QUOTE", "quote"], ["PARAPHRASE", "paraphrase"], ["REPORT", "report"]];
const ATTRIBUTIONS = [["EXPLICIT", "explicit: the text names the speaker here"], ["IMPLIED", "implied: only the context says who"]];
const POSITIONS = [["SUPPORTS", "supports"], ["DISPUTES", "disputes"], ["NEUTRAL", "neutral"]];

/** One stance row: a claim (fixed for an existing stance), a position, hedged, remove. */
function stanceRow(existing, onRemove) {
  const position = h("select", null, POSITIONS.map(([value, label]) => h("option", { value }, label)));
  position.value = existing ? existing.position : "SUPPORTS";
  const hedged = h("input", { type: "checkbox", checked: Boolean(existing && existing.hedged) });
  const picker = existing ? null : claimPicker({ name: "claim", label: "Claim" });
  const row = h(
    "li",
    { class: "stance-row" },
    existing ? h("p", { class: "stance-claim" }, "On the claim “", existing.claim.text, "”") : picker.element,
    field("position", "Position", position),
    h("div", { class: "field checkbox", dataset: { field: "hedged" } }, hedged, " ", h("label", null, "hedged (implied, or raised as a possibility)")),
    h("button", { type: "button", class: "secondary remove-stance" }, existing ? "Remove this position" : "Remove"),
    h("p", { class: "field-error", dataset: { errorFor: "statement" } }),
  );
  const hedgedId = `${position.id}-hedged`;
  hedged.id = hedgedId;
  row.querySelector(".checkbox label").setAttribute("for", hedgedId);
  let removed = false;
  row.querySelector(".remove-stance").addEventListener("click", () => {
    removed = true;
    row.hidden = true;
    onRemove(row);
  });
  return {
    row,
    picker,
    existing,
    read: () => ({ removed, position: position.value, hedged: hedged.checked, claim: picker ? picker.read() : null }),
  };
}

function payloadOf(result) {
  return result.done.map(({ payload }) => payload);
}

/**
 * The form. `source`: {slug, text}; `passage`: where it is (a new statement); `prefill`: a
 * suggestion's guesses {kind, speaker: {name, slug}, date, precision}; `node`: the statement
 * to edit (with `version` and its stances); `adjust`: the passage's words open to change.
 * `onSaved(slug)` after a save; `onCancel()`;
 * `onConflict(details)` when someone else changed the statement meanwhile.
 */
export function statementForm({ source, passage, prefill = null, node = null, adjust = false, onSaved, onCancel, onConflict }) {
  const editing = Boolean(node);
  const where = passageField(source.text, passage, { open: adjust });
  const id = h("input", { type: "text", spellcheck: "false" });
  const speakerInitial = node && node.speaker
    ? { slug: node.speaker.slug, label: node.speaker.name }
    : prefill && prefill.speaker && prefill.speaker.slug
      ? { slug: prefill.speaker.slug, label: prefill.speaker.name }
      : null;
  const speaker = actorPicker({ name: "speaker", label: "Speaker", hint: "Similar spellings are found too. Leave empty where the source names no one.", initial: speakerInitial });
  const kind = radios("kind", "Kind", KINDS, (node || prefill || {}).kind || "QUOTE");
  const attribution = radios("attribution", "Attribution", ATTRIBUTIONS, (node && node.attribution) || "EXPLICIT");
  const said = h("input", { type: "text", inputmode: "numeric", spellcheck: "false", placeholder: "YYYY, YYYY-MM or YYYY-MM-DD" });
  said.value = node ? typedDate(node.saidOn, node.saidOnPrecision) : (prefill && prefill.date) || "";
  const note = h("textarea", { rows: "2" });
  note.value = (node && node.note) || "";
  const rows = [];
  const list = h("ul", { class: "stance-rows" });
  const addRow = (existing) => {
    const row = stanceRow(existing, () => {});
    rows.push(row);
    list.append(row.row);
    return row;
  };
  for (const edge of node ? node.stances.edges : []) addRow(edge.node);
  const add = h("button", { type: "button", class: "secondary add-stance" }, "Add a position on a claim");
  add.addEventListener("click", () => {
    const row = addRow(null);
    row.picker.box.input.focus();
  });
  const body = [
    where.element,
    speaker.element,
    kind,
    attribution,
    field("saidOn", "When it was said, as precisely as known", said, { hint: "2022 for a year, 2022-01 for a month, 2022-01-10 for a day; empty if unknown." }),
    h("fieldset", { class: "field stances-field" }, h("legend", null, "Positions on claims"), list, add),
    field("note", "Note (optional)", note, { hint: "Implied dates, uncertain attributions." }),
    editing ? null : field("id", "Id (optional)", id, { hint: "Made from the speaker and the first words when left empty." }),
  ];
  const shell = formShell({
    title: editing ? "Edit the statement" : prefill ? "Accept the suggested statement" : "New statement",
    body,
    kind: "statement-form",
    onCancel,
    onSubmit: () => save(editing ? node.version : null),
  });
  if (prefill && prefill.speaker && !prefill.speaker.slug && prefill.speaker.name) {
    speaker.box.choose({ isNew: true, label: prefill.speaker.name });
  }

  /** The checks a browser can make before asking the API. */
  function check() {
    const problems = new Map();
    const date = parsePartialDate(said.value);
    if (!date) problems.set("saidOn", "Write the date as 2022, 2022-01 or 2022-01-10 (or leave it empty).");
    if (!where.read()) problems.set("text", "These words are not in the source's text: select the passage again.");
    const chosen = speaker.read();
    if (chosen && chosen.unpicked) problems.set("speaker", "Choose a speaker from the list, or “New actor”.");
    return { problems, date, chosen };
  }

  async function save(version) {
    clearProblems(shell.form);
    shell.say("");
    const { problems, date, chosen } = check();
    const stanceValues = rows.map((row) => ({ row, value: row.read() }));
    for (const { row, value } of stanceValues) {
      if (!value.removed && !row.existing && (!value.claim || value.claim.unpicked)) {
        showProblems(row.row, new Map([["claim", "Choose a claim from the list, or “New claim”."]]));
        problems.set("stances", "");
      }
    }
    if (problems.size) {
      const left = showProblems(shell.form, new Map([...problems].filter(([, message]) => message)));
      shell.say(["Nothing was saved: correct the fields marked.", ...left].join(" "), { failed: true });
      return;
    }
    const steps = [speaker.creation(chosen)].filter(Boolean);
    const speakerSlug = chosen && chosen.create ? chosen.create.id : chosen ? chosen.slug : null;
    const found = where.read();
    const slug = editing ? node.slug : id.value.trim() || slugify(`${chosen ? chosen.label : "unattributed"} ${found.exact.split(/\s+/).slice(0, 6).join(" ")}`);
    const fields = {
      speaker: speakerSlug,
      attribution: speakerSlug ? radioValue(shell.form, "attribution") : null,
      kind: radioValue(shell.form, "kind"),
      saidOn: date.date,
      saidOnPrecision: date.precision,
      note: note.value.trim() || null,
    };
    if (editing) {
      const input = { ...fields };
      if (where.changed()) Object.assign(input, { text: found.exact, span: { start: found.start, end: found.end } });
      steps.push({ document: UPDATE_STATEMENT, variables: { id: slug, expectedVersion: version, input }, root: shell.form, what: "statement" });
    } else {
      steps.push({
        document: CREATE_STATEMENT,
        variables: { input: { id: slug, source: source.slug, text: found.exact, span: { start: found.start, end: found.end }, ...fields } },
        root: shell.form,
        what: "statement",
        undo: DELETE_STATEMENT,
      });
    }
    for (const { row, value } of stanceValues) {
      if (row.existing) {
        if (value.removed) {
          steps.push({ document: DELETE_STANCE, variables: { id: row.existing.id, expectedVersion: row.existing.version }, root: row.row, what: "stance" });
        } else if (value.position !== row.existing.position || value.hedged !== row.existing.hedged) {
          steps.push({ document: UPDATE_STANCE, variables: { id: row.existing.id, expectedVersion: row.existing.version, input: { position: value.position, hedged: value.hedged } }, root: row.row, what: "stance" });
        }
        continue;
      }
      if (value.removed) continue;
      const claimSlug = value.claim.create ? value.claim.create.id : value.claim.slug;
      const creation = row.picker.creation(value.claim);
      if (creation) steps.push(creation);
      steps.push({
        document: CREATE_STANCE,
        variables: { input: { statement: slug, claim: claimSlug, position: value.position, hedged: value.hedged } },
        root: row.row,
        what: "stance",
        undo: DELETE_STANCE,
      });
    }
    shell.say("Saving…");
    const result = await runSteps(steps);
    if (result.ok) {
      if (payloadOf(result).some((p) => p.__typename === "ClaimCreated")) claimsChanged();
      shell.say(editing ? "Saved the changes." : "Saved the statement.");
      onSaved(slug);
      return;
    }
    if (result.error) {
      shell.say(`Nothing was saved: ${result.error.message}.`, { failed: true });
      return;
    }
    if (result.payload.__typename === "VersionConflict" && result.step.what === "statement" && onConflict) {
      shell.say(explain(result.payload, { what: "statement" }).message, { failed: true });
      onConflict({ current: result.payload.currentVersion, mine: fields, reapply: () => save(result.payload.currentVersion), shell });
      return;
    }
    const { fields: problemsByField, message } = explain(result.payload, { what: result.step.what });
    const left = showProblems(result.step.root, problemsByField);
    const what = result.step.what === "statement" ? "" : ` (the ${result.step.what})`;
    shell.say([`Nothing was saved${what}.`, message, ...left].filter(Boolean).join(" "), { failed: true });
  }

  return shell.form;
}
