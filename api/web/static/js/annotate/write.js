// Writes: GraphQL mutations sent as POST with the signed-in key in `Authorization: Bearer`
// (never in the URL), and what each typed payload case means, as a plain sentence next to
// the field it concerns.

import { endpoint } from "../config.js";
import { Unavailable, Unreachable } from "../graphql.js";
import { bearer } from "./session.js";

/** The API refused the request as a whole (not a typed payload): a sentence to show. */
export class WriteFailed extends Error {
  constructor(message) {
    super(message);
    this.name = "WriteFailed";
  }
}

/** Send a mutation; resolves to `data` (each field a typed payload). */
export async function mutate(document, variables) {
  let response;
  try {
    response = await fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", Authorization: `Bearer ${bearer() || ""}` },
      body: JSON.stringify({ query: document, variables }),
      credentials: "omit",
    });
  } catch {
    throw new Unreachable("the API does not answer; nothing was saved");
  }
  if ([502, 503, 504].includes(response.status)) {
    throw new Unavailable("the database is not answering; nothing was saved. Try again in a moment", 2);
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new WriteFailed(`The API answered ${response.status}; nothing was saved.`);
  }
  if (body.errors && body.errors.length) {
    throw new WriteFailed(`The API refused the request: ${body.errors.map((e) => e.message).join("; ")}`);
  }
  return body.data;
}

/** Whether a payload is one of the success cases (`StatementCreated`, `Deleted`, ...). */
export function succeeded(payload) {
  return Boolean(payload) && /(Created|Updated|Deleted)$/.test(payload.__typename);
}

/** Input fields whose problems show at another field of the form (the passage's). */
const ALIASES = { span: "text", occurrence: "text", quote: "text" };
const ENTITY_FIELD = { actor: "speaker", claim: "claim", source: "source", statement: "statement", event: "event" };

/**
 * A failed payload as sentences: `fields` maps an input field (`id`, `text`, `saidOn`,
 * `speaker`, ...) to what is wrong with it; `message` is the sentence for the form as a whole
 * (null when every problem has its field).
 */
export function explain(payload, { what = "record" } = {}) {
  const fields = new Map();
  let message = null;
  switch (payload.__typename) {
    case "ValidationFailed":
      for (const problem of payload.errors) {
        const field = ALIASES[problem.field.split(".")[0]] || problem.field.split(".")[0];
        fields.set(field, [fields.get(field), sentence(problem.message)].filter(Boolean).join(" "));
      }
      if (!payload.errors.length) message = sentence(payload.message);
      break;
    case "SpanMismatch":
      fields.set("text", `This passage is not exactly where it was said to be in the source (“${payload.quote}”). Select it again.`);
      break;
    case "AlreadyExists":
      fields.set("id", `A ${payload.entity} with the id “${payload.slug}” already exists: choose another id.`);
      break;
    case "NotFound":
      if (ENTITY_FIELD[payload.entity] && payload.entity !== what) {
        fields.set(ENTITY_FIELD[payload.entity], `There is no ${payload.entity} “${payload.slug}”.`);
      } else {
        message = `This ${payload.entity} (“${payload.slug}”) is no longer in claimgraph: someone may have deleted it.`;
      }
      break;
    case "VersionConflict":
      message = `Someone else changed this ${payload.entity} while you had it open (it is now at version ${payload.currentVersion}).`;
      break;
    case "StillReferenced":
      message = `This ${what} cannot be deleted: other records still refer to it.`;
      break;
    case "NotAuthorized":
      message = payload.reason === "INVALID_KEY"
        ? "Your key is unknown or has been revoked: nothing was saved. Sign out and sign in with a valid key."
        : payload.reason === "INSUFFICIENT_SCOPE"
          ? "Your key may not write: nothing was saved."
          : "You are not signed in: nothing was saved.";
      break;
    default:
      message = payload.message ? sentence(payload.message) : `The ${what} was not saved.`;
  }
  return { fields, message };
}

/** A message as a sentence: capitalised, with a full stop. */
function sentence(text) {
  const trimmed = String(text || "").trim();
  if (!trimmed) return "";
  const first = trimmed[0].toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}
