// The GraphQL operations annotate mode sends: reads (persisted queries over GET, like every
// view's) and writes (mutations over POST). A mutation asks for each failure case its payload
// union can hold, so that every case can be said next to its field.

const CASES = {
  ValidationFailed: "... on ValidationFailed { message errors { field message } }",
  SpanMismatch: "... on SpanMismatch { message quote }",
  AlreadyExists: "... on AlreadyExists { message entity slug }",
  NotFound: "... on NotFound { message entity slug }",
  VersionConflict: "... on VersionConflict { message entity slug currentVersion }",
  StillReferenced: "... on StillReferenced { message referrers { entity slug } }",
  NotAuthorized: "... on NotAuthorized { message reason }",
};

function payload(success, cases) {
  return `__typename
    ${success}
    ${cases.map((name) => CASES[name]).join("\n    ")}`;
}

const CREATE = ["ValidationFailed", "AlreadyExists", "NotAuthorized"];
const CREATE_SPAN = [...CREATE, "SpanMismatch"];
const UPDATE = ["ValidationFailed", "NotFound", "VersionConflict", "NotAuthorized"];
const DELETE = ["ValidationFailed", "NotFound", "VersionConflict", "StillReferenced", "NotAuthorized"];
const DELETED = "... on Deleted { slug }";

/** `createActor` and the like: the new record (`actor { slug version }`), or a failure case. */
function created(type, fields = "slug version", cases = CREATE) {
  const record = type[0].toLowerCase() + type.slice(1);
  return `mutation Create${type}($input: Create${type}Input!) {
  create${type}(input: $input) { ${payload(`... on ${type}Created { ${record} { ${fields} } }`, cases)} }
}`;
}

/** `updateStatement` and the like, with the version the change is made to. */
function updated(type, fields, cases) {
  const record = type[0].toLowerCase() + type.slice(1);
  return `mutation Update${type}($id: ID!, $expectedVersion: Int!, $input: Update${type}Input!) {
  update${type}(id: $id, expectedVersion: $expectedVersion, input: $input) {
    ${payload(`... on ${type}Updated { ${record} { ${fields} } }`, cases)}
  }
}`;
}

/** `deleteActor` and the like, of the version last read. */
function deleted(type) {
  return `mutation Delete${type}($id: ID!, $expectedVersion: Int!) {
  delete${type}(id: $id, expectedVersion: $expectedVersion) { ${payload(DELETED, DELETE)} }
}`;
}

export const CREATE_SOURCE = created("Source", "slug");
export const CREATE_ACTOR = created("Actor");
export const DELETE_ACTOR = deleted("Actor");
export const CREATE_CLAIM = created("Claim");
export const DELETE_CLAIM = deleted("Claim");
export const CREATE_STATEMENT = created("Statement", "slug version", CREATE_SPAN);
export const UPDATE_STATEMENT = updated("Statement", "slug version", [...UPDATE, "SpanMismatch"]);
export const DELETE_STATEMENT = deleted("Statement");
export const CREATE_STANCE = created("Stance", "id version");
export const UPDATE_STANCE = updated("Stance", "id version", UPDATE);
export const DELETE_STANCE = deleted("Stance");
export const CREATE_EVIDENCE = created("Evidence", "slug version", CREATE_SPAN);
export const UPDATE_EVIDENCE = updated("Evidence", "slug version", [...UPDATE, "SpanMismatch"]);
export const DELETE_EVIDENCE = deleted("Evidence");

/** Actors whose name or alias is like `q` (misspellings too), for the speaker box. */
export const ACTOR_CHOICES = `query ActorChoices($q: String!) {
  actors(first: 8, filter: { q: $q }, sort: NAME) { edges { node { slug name description } } }
}`;

/** Every claim (in pages of 100), for the claim box. */
export const CLAIM_CHOICES = `query ClaimChoices($after: String) {
  claims(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { slug text } }
  }
}`;

/** Suggested statements in a source's text: proposals, nothing stored. */
export const SUGGESTIONS = `query Suggestions($source: ID!) {
  suggestions(source: $source) {
    span { start end } text kind speaker { name slug } date precision reason recorded
  }
}`;

const HISTORY = "history(first: 50) { totalCount edges { node { at action requestId before after } } }";

/** A statement as stored now (to show beside the analyst's version in a conflict). */
export const STATEMENT_NOW = `query StatementNow($id: ID!) {
  statement(id: $id) {
    slug version kind text saidOn saidOnPrecision attribution note
    speaker { slug name }
  }
}`;

/** A piece of evidence as stored now. */
export const EVIDENCE_NOW = `query EvidenceNow($id: ID!) {
  evidence(id: $id) {
    slug version relation summary
    claim { slug text }
    offeredBy { slug name }
  }
}`;

/** A statement's writes, from the audit log. */
export const STATEMENT_HISTORY = `query StatementHistory($id: ID!) {
  statement(id: $id) { slug ${HISTORY} }
}`;

/** A piece of evidence's writes, from the audit log. */
export const EVIDENCE_HISTORY = `query EvidenceHistory($id: ID!) {
  evidence(id: $id) { slug ${HISTORY} }
}`;
