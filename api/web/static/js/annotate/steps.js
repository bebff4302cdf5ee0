// A save is a few writes in order (a new actor, a new claim, then the statement and its
// stances), each its own transaction on the API. So that a failed save leaves nothing behind,
// the writes already made are undone, newest first, when a later one fails; the failure is
// then said next to the field it concerns.

import { mutate, succeeded } from "./write.js";

/**
 * Run `steps` in order: each {document, variables(done) or variables, root, what, undo?};
 * `undo` is the mutation deleting what the step created (its payload holds it under `what`).
 * Resolves to {ok: true, done} or {ok: false, step, payload} (a typed payload case) or
 * {ok: false, error} (the request as a whole failed); what was done before is undone.
 */
export async function runSteps(steps) {
  const done = [];
  for (const step of steps) {
    const variables = typeof step.variables === "function" ? step.variables(done) : step.variables;
    let payload;
    try {
      const data = await mutate(step.document, variables);
      payload = Object.values(data)[0];
    } catch (error) {
      await undo(done);
      return { ok: false, step, error };
    }
    if (!succeeded(payload)) {
      await undo(done);
      return { ok: false, step, payload };
    }
    done.push({ step, payload });
  }
  return { ok: true, done };
}

async function undo(done) {
  for (const { step, payload } of [...done].reverse()) {
    if (!step.undo) continue;
    const record = payload[step.what];
    try {
      await mutate(step.undo, { id: record.slug ?? record.id, expectedVersion: record.version });
    } catch {
      // Nothing more to do from a browser: the audit log keeps both writes.
    }
  }
}
