// A recorded statement or piece of evidence, from its panel: edit it (with the version read),
// delete it, or read its history. When someone else changed it meanwhile, their version is
// shown beside the analyst's, who can reapply theirs on top; a delete refused because other
// records still refer to this one lists them.

import { query } from "../graphql.js";
import { h, replace } from "../dom.js";
import { KIND, POSITION, RELATION, partialDate } from "../format.js";
import {
  DELETE_EVIDENCE, DELETE_STATEMENT, EVIDENCE_HISTORY, EVIDENCE_NOW, STATEMENT_HISTORY,
  STATEMENT_NOW,
} from "./documents.js";
import { explain, mutate, succeeded } from "./write.js";
import { announce } from "./status.js";

const LABELS = {
  speaker: "Speaker",
  attribution: "Attribution",
  kind: "Kind",
  saidOn: "Said on",
  note: "Note",
  claim: "Claim",
  relation: "Relation",
  summary: "Summary",
  offeredBy: "Offered by",
};

function shown(name, value) {
  if (value === null || value === undefined || value === "") return "—";
  if (name === "kind") return KIND[value] || value;
  if (name === "relation") return RELATION[value] || value;
  if (name === "position") return POSITION[value] || value;
  return /^[A-Z_]+$/.test(value) ? value.toLowerCase() : String(value);
}

/** Their version of the record (as stored now), as the same fields the form sends. */
async function theirs(type, slug) {
  if (type === "statement") {
    const { statement } = await query(STATEMENT_NOW, { id: slug });
    if (!statement) return null;
    return {
      version: statement.version,
      fields: {
        speaker: statement.speaker ? statement.speaker.slug : null,
        attribution: statement.attribution,
        kind: statement.kind,
        saidOn: partialDate(statement.saidOn, statement.saidOnPrecision),
        note: statement.note,
      },
    };
  }
  const { evidence } = await query(EVIDENCE_NOW, { id: slug });
  if (!evidence) return null;
  return {
    version: evidence.version,
    fields: {
      claim: evidence.claim ? evidence.claim.slug : null,
      relation: evidence.relation,
      summary: evidence.summary,
      offeredBy: evidence.offeredBy ? evidence.offeredBy.slug : null,
    },
  };
}

/**
 * Someone else saved the record while the analyst edited it: their version beside the
 * analyst's, and "Reapply my changes" (the analyst's fields saved over the new version) or
 * "Discard mine" (the record as stored now).
 */
export async function showConflict(type, slug, { mine, reapply, shell }, { discard }) {
  const now = await theirs(type, slug);
  if (!now) {
    shell.say(`This ${type} has been deleted meanwhile: nothing was saved.`, { failed: true });
    return;
  }
  const mineShown = { ...mine };
  if ("saidOn" in mine) mineShown.saidOn = partialDate(mine.saidOn, mine.saidOnPrecision);
  const names = Object.keys(now.fields);
  const reapplyButton = h("button", { type: "button", class: "reapply" }, "Reapply my changes");
  const discardButton = h("button", { type: "button", class: "secondary" }, "Discard mine");
  reapplyButton.addEventListener("click", () => reapply());
  discardButton.addEventListener("click", () => discard());
  shell.sayElement(
    h(
      "div",
      { class: "conflict", role: "alert" },
      h("p", null, `Someone else changed this ${type} while you had it open: it is now at version ${now.version}. Nothing of yours was saved yet.`),
      h(
        "table",
        { class: "conflict-table" },
        h("caption", null, "Their version and yours"),
        h("thead", null, h("tr", null, h("th", { scope: "col" }, "Field"), h("th", { scope: "col" }, `Theirs (version ${now.version})`), h("th", { scope: "col" }, "Yours"))),
        h(
          "tbody",
          null,
          names.map((name) => {
            const differs = shown(name, now.fields[name]) !== shown(name, mineShown[name]);
            return h(
              "tr",
              { class: differs ? "differs" : null },
              h("th", { scope: "row" }, LABELS[name] || name),
              h("td", null, shown(name, now.fields[name])),
              h("td", null, shown(name, mineShown[name]), differs ? h("span", { class: "visually-hidden" }, " (differs)") : null),
            );
          }),
        ),
      ),
      h("p", { class: "form-actions" }, reapplyButton, " ", discardButton),
    ),
  );
  reapplyButton.focus();
}

const REFERRER = {
  stance: (slug) => {
    const [statement, claim] = slug.split("--");
    return ["the position of ", h("a", { href: `#${statement}` }, statement), " on the claim ", h("a", { href: `/claims/${encodeURIComponent(claim)}` }, claim)];
  },
  statement: (slug) => ["the statement ", h("a", { href: `#${slug}` }, slug)],
  evidence: (slug) => ["the evidence ", h("a", { href: `#evidence:${slug}` }, slug)],
};

function referrerItem({ entity, slug }) {
  return h("li", null, REFERRER[entity] ? REFERRER[entity](slug) : [`the ${entity} `, h("code", null, slug)]);
}

/** Delete, after a confirmation in the panel; `onDeleted()` after it is gone. */
function confirmDelete(type, node, slot, onDeleted) {
  const yes = h("button", { type: "button", class: "danger" }, `Delete this ${type}`);
  const no = h("button", { type: "button", class: "secondary" }, "Keep it");
  const result = h("div", { class: "delete-result", role: "status", "aria-live": "polite" });
  // data-dirty: a delete under way, and its answer, stay until the analyst moves on (a live
  // refresh waits for that).
  replace(slot, h("div", { class: "confirm-delete", "data-dirty": true }, h("p", null, `Delete this ${type} (version ${node.version})? The audit log keeps what it was.`), h("p", { class: "form-actions" }, yes, " ", no), result));
  no.addEventListener("click", () => {
    replace(slot);
  });
  yes.addEventListener("click", async () => {
    yes.disabled = true;
    let payload;
    try {
      const data = await mutate(type === "statement" ? DELETE_STATEMENT : DELETE_EVIDENCE, { id: node.slug, expectedVersion: node.version });
      payload = Object.values(data)[0];
    } catch (error) {
      replace(result, h("p", { class: "failed" }, `Nothing was deleted: ${error.message}.`));
      yes.disabled = false;
      return;
    }
    if (succeeded(payload)) {
      announce(`Deleted the ${type} “${node.slug}”.`);
      onDeleted();
      return;
    }
    yes.disabled = false;
    const { message } = explain(payload, { what: type });
    replace(
      result,
      h("p", { class: "failed" }, message || payload.message),
      payload.__typename === "StillReferenced"
        ? [h("p", null, "These still refer to it; delete or change them first:"), h("ul", { class: "referrers" }, payload.referrers.map(referrerItem))]
        : null,
    );
  });
  yes.focus();
}

function changedFields(entry) {
  const before = entry.before || {};
  const after = entry.after || {};
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((name) => !["version", "updated_at", "created_at"].includes(name))
    .filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]));
  return names;
}

/** The record's writes, from the audit log, oldest first. */
async function showHistory(type, slug, slot) {
  replace(slot, h("p", { class: "loading" }, "Loading the history…"));
  const data = await query(type === "statement" ? STATEMENT_HISTORY : EVIDENCE_HISTORY, { id: slug });
  const record = data[type];
  if (!record) {
    replace(slot, h("p", null, "This record is no longer in claimgraph."));
    return;
  }
  const entries = record.history.edges.map((edge) => edge.node);
  replace(
    slot,
    h("h3", { tabindex: "-1" }, "History"),
    entries.length
      ? h(
          "ol",
          { class: "history", "data-dirty": true },
          entries.map((entry) => {
            const names = entry.action === "update" ? changedFields(entry) : [];
            return h(
              "li",
              null,
              h("time", { datetime: entry.at }, entry.at.replace("T", " ").slice(0, 19)),
              " ",
              h("strong", null, entry.action === "create" ? "created" : entry.action === "delete" ? "deleted" : "changed"),
              names.length ? ` ${names.join(", ")}` : "",
              entry.after && entry.after.version ? ` (version ${entry.after.version})` : "",
              entry.requestId ? h("span", { class: "muted" }, ` · request ${entry.requestId}`) : null,
            );
          }),
        )
      : h("p", { class: "muted" }, "No writes recorded: it came with the fixtures."),
  );
  slot.querySelector("h3").focus();
}

/**
 * The panel's annotate tools for a recorded span: Edit, Delete, History. `edit()` opens the
 * form; `deleted()` after a delete.
 */
export function recordTools(annotation, { edit, deleted }) {
  const { type, node } = annotation;
  const slot = h("div", { class: "record-slot" });
  const editButton = h("button", { type: "button", class: "edit-record" }, "Edit");
  const deleteButton = h("button", { type: "button", class: "secondary delete-record" }, "Delete");
  const historyButton = h("button", { type: "button", class: "secondary history-record" }, "History");
  editButton.addEventListener("click", () => edit());
  deleteButton.addEventListener("click", () => confirmDelete(type, node, slot, deleted));
  historyButton.addEventListener("click", () => {
    showHistory(type, node.slug, slot).catch((error) => replace(slot, h("p", { class: "failed" }, `The history could not be read: ${error.message}`)));
  });
  return h(
    "section",
    { class: "record-tools", "aria-label": `Annotate this ${type}` },
    h("p", { class: "form-actions" }, editButton, " ", deleteButton, " ", historyButton),
    slot,
  );
}
