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

export const CREATE_SOURCE = `mutation CreateSource($input: CreateSourceInput!) {
  createSource(input: $input) { ${payload("... on SourceCreated { source { slug } }", CREATE)} }
}`;

export const CREATE_ACTOR = `mutation CreateActor($input: CreateActorInput!) {
  createActor(input: $input) { ${payload("... on ActorCreated { actor { slug version } }", CREATE)} }
}`;

export const DELETE_ACTOR = `mutation DeleteActor($id: ID!, $expectedVersion: Int!) {
  deleteActor(id: $id, expectedVersion: $expectedVersion) { ${payload(DELETED, DELETE)} }
}`;

export const CREATE_CLAIM = `mutation CreateClaim($input: CreateClaimInput!) {
  createClaim(input: $input) { ${payload("... on ClaimCreated { claim { slug version } }", CREATE)} }
}`;

export const DELETE_CLAIM = `mutation DeleteClaim($id: ID!, $expectedVersion: Int!) {
  deleteClaim(id: $id, expectedVersion: $expectedVersion) { ${payload(DELETED, DELETE)} }
}`;

export const CREATE_STATEMENT = `mutation CreateStatement($input: CreateStatementInput!) {
  createStatement(input: $input) { ${payload("... on StatementCreated { statement { slug version } }", CREATE_SPAN)} }
}`;

export const UPDATE_STATEMENT = `mutation UpdateStatement($id: ID!, $expectedVersion: Int!, $input: UpdateStatementInput!) {
  updateStatement(id: $id, expectedVersion: $expectedVersion, input: $input) {
    ${payload("... on StatementUpdated { statement { slug version } }", [...UPDATE, "SpanMismatch"])}
  }
}`;

export const DELETE_STATEMENT = `mutation DeleteStatement($id: ID!, $expectedVersion: Int!) {
  deleteStatement(id: $id, expectedVersion: $expectedVersion) { ${payload(DELETED, DELETE)} }
}`;

export const CREATE_STANCE = `mutation CreateStance($input: CreateStanceInput!) {
  createStance(input: $input) { ${payload("... on StanceCreated { stance { id version } }", CREATE)} }
}`;

export const UPDATE_STANCE = `mutation UpdateStance($id: ID!, $expectedVersion: Int!, $input: UpdateStanceInput!) {
  updateStance(id: $id, expectedVersion: $expectedVersion, input: $input) {
    ${payload("... on StanceUpdated { stance { id version } }", UPDATE)}
  }
}`;

export const DELETE_STANCE = `mutation DeleteStance($id: ID!, $expectedVersion: Int!) {
  deleteStance(id: $id, expectedVersion: $expectedVersion) { ${payload(DELETED, DELETE)} }
}`;

export const CREATE_EVIDENCE = `mutation CreateEvidence($input: CreateEvidenceInput!) {
  createEvidence(input: $input) { ${payload("... on EvidenceCreated { evidence { slug version } }", CREATE_SPAN)} }
}`;

export const UPDATE_EVIDENCE = `mutation UpdateEvidence($id: ID!, $expectedVersion: Int!, $input: UpdateEvidenceInput!) {
  updateEvidence(id: $id, expectedVersion: $expectedVersion, input: $input) {
    ${payload("... on EvidenceUpdated { evidence { slug version } }", [...UPDATE, "SpanMismatch"])}
  }
}`;

export const DELETE_EVIDENCE = `mutation DeleteEvidence($id: ID!, $expectedVersion: Int!) {
  deleteEvidence(id: $id, expectedVersion: $expectedVersion) { ${payload(DELETED, DELETE)} }
}`;

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
