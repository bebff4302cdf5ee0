// The evidence form: a passage that bears on a claim. Its relation to the claim (supports,
// refutes, context), the claim (picked, or created inline), who offers it (optional; an actor
// or a new one) and a summary in neutral words. Creates, or edits with the record's version.

import { h } from "../dom.js";
import { runSteps } from "./steps.js";
import { CREATE_EVIDENCE, DELETE_EVIDENCE, UPDATE_EVIDENCE } from "./documents.js";
import { clearProblems, field, radioValue, radios, showProblems, slugify } from "./fields.js";
import { actorPicker, claimPicker, claimsChanged } from "./pickers.js";
import { formShell, passageField } from "./shell.js";
import { explain } from "./write.js";

const RELATIONS = [["SUPPORTS", "supports the claim"], ["REFUTES", "refutes the claim"], ["CONTEXT", "context for the claim"]];

/** As statementForm: `source`, `passage` (new) or `node` (edit), `onSaved`, `onCancel`, `onConflict`. */
export function evidenceForm({ source, passage, node = null, onSaved, onCancel, onConflict }) {
  const editing = Boolean(node);
  const where = passageField(source.text, passage);
  const relation = radios("relation", "Relation", RELATIONS, node ? node.relation : "SUPPORTS");
  const claim = claimPicker({ name: "claim", label: "The claim it bears on", initial: node && node.claim ? { slug: node.claim.slug, label: node.claim.text } : null });
  const offeredBy = actorPicker({ name: "offeredBy", label: "Offered by (optional)", hint: "Who offers it as evidence, if anyone in particular.", initial: node && node.offeredBy ? { slug: node.offeredBy.slug, label: node.offeredBy.name } : null });
  const summary = h("textarea", { rows: "3", required: true });
  summary.value = node ? node.summary : "";
  const id = h("input", { type: "text", spellcheck: "false" });
  const shell = formShell({
    title: editing ? "Edit the evidence" : "New evidence",
    body: [
      where.element,
      relation,
      claim.element,
      offeredBy.element,
      field("summary", "What it is, in neutral words", summary),
      editing ? null : field("id", "Id (optional)", id, { hint: "Made from the summary when left empty." }),
    ],
    kind: "evidence-form",
    onCancel,
    onSubmit: () => save(editing ? node.version : null),
  });

  async function save(version) {
    clearProblems(shell.form);
    shell.say("");
    const problems = new Map();
    const found = where.read();
    if (!found) problems.set("text", "These words are not in the source's text: select the passage again.");
    const chosenClaim = claim.read();
    if (!chosenClaim || chosenClaim.unpicked) problems.set("claim", "Choose the claim from the list, or “New claim”.");
    const offerer = offeredBy.read();
    if (offerer && offerer.unpicked) problems.set("offeredBy", "Choose an actor from the list, or “New actor”, or leave it empty.");
    if (!summary.value.trim()) problems.set("summary", "Say what the evidence is.");
    if (problems.size) {
      const left = showProblems(shell.form, problems);
      shell.say(["Nothing was saved: correct the fields marked.", ...left].join(" "), { failed: true });
      return;
    }
    const steps = [offeredBy.creation(offerer), claim.creation(chosenClaim)].filter(Boolean);
    const fields = {
      claim: chosenClaim.slug || chosenClaim.create.id,
      relation: radioValue(shell.form, "relation"),
      summary: summary.value.trim(),
      offeredBy: offerer ? offerer.slug || offerer.create.id : null,
    };
    const slug = editing ? node.slug : id.value.trim() || slugify(fields.summary);
    if (editing) {
      const input = { ...fields };
      if (where.changed()) Object.assign(input, { quote: found.exact, span: { start: found.start, end: found.end } });
      steps.push({ document: UPDATE_EVIDENCE, variables: { id: slug, expectedVersion: version, input }, root: shell.form, what: "evidence" });
    } else {
      steps.push({
        document: CREATE_EVIDENCE,
        variables: { input: { id: slug, source: source.slug, quote: found.exact, span: { start: found.start, end: found.end }, ...fields } },
        root: shell.form,
        what: "evidence",
        undo: DELETE_EVIDENCE,
      });
    }
    shell.say("Saving…");
    const result = await runSteps(steps);
    if (result.ok) {
      if (chosenClaim.create) claimsChanged();
      shell.say(editing ? "Saved the changes." : "Saved the evidence.");
      onSaved(slug);
      return;
    }
    if (result.error) {
      shell.say(`Nothing was saved: ${result.error.message}.`, { failed: true });
      return;
    }
    if (result.payload.__typename === "VersionConflict" && result.step.what === "evidence" && onConflict) {
      shell.say(explain(result.payload, { what: "evidence" }).message, { failed: true });
      onConflict({ current: result.payload.currentVersion, mine: fields, reapply: () => save(result.payload.currentVersion), shell });
      return;
    }
    const { fields: problemsByField, message } = explain(result.payload, { what: result.step.what });
    const left = showProblems(result.step.root, problemsByField);
    const what = result.step.what === "evidence" ? "" : ` (the ${result.step.what})`;
    shell.say([`Nothing was saved${what}.`, message, ...left].filter(Boolean).join(" "), { failed: true });
  }

  return shell.form;
}
