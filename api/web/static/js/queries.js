// Every GraphQL operation the explorer sends, by name. Each view reads only these, through
// persisted queries over GET; each view links to GraphiQL with its operation filled in.

const STANCES = `stances(first: 20) {
            edges { node { id version position hedged note claim { slug text } } }
          }`;

const STATEMENT_FIELDS = `slug version kind span { start end } saidOn saidOnPrecision attribution note
          speaker { slug name }
          event { slug title }
          ${STANCES}`;

const EVIDENCE_FIELDS = `slug version relation summary span { start end }
          claim { slug text }
          statement { slug }
          event { slug title }
          offeredBy { slug name }`;

/** A source's text, with its first pages of statements and evidence. */
export const SOURCE_PAGE = `query SourcePage($id: ID!, $source: String!) {
  source(id: $id) {
    slug title publisher url publishedAt modifiedAt language text
    statements(first: 100) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node {
          ${STATEMENT_FIELDS}
      } }
    }
  }
  evidenceList(first: 100, filter: { source: $source }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
          ${EVIDENCE_FIELDS}
    } }
  }
}`;

/** The next pages of a long source's statements. */
export const SOURCE_STATEMENTS = `query SourceStatements($id: ID!, $after: String) {
  source(id: $id) {
    statements(first: 100, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node {
          ${STATEMENT_FIELDS}
      } }
    }
  }
}`;

/** The next pages of a long source's evidence. */
export const SOURCE_EVIDENCE = `query SourceEvidence($source: String!, $after: String) {
  evidenceList(first: 100, after: $after, filter: { source: $source }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
          ${EVIDENCE_FIELDS}
    } }
  }
}`;

const DOSSIER_SPEAKERS = `speaker { slug name }
      statementCount
      statements { slug text kind date precision hedged attribution }`;

const DOSSIER_EVIDENCE = `slug summary offeredBy { slug name } span { start end exact }`;

/** A claim's dossier, and where each of its quotes and pieces of evidence is. */
export const CLAIM_PAGE = `query ClaimPage($id: ID!) {
  claim(id: $id) {
    slug text description tags
    dossier {
      firstSaid lastSaid supporterCount disputerCount neutralCount
      supporters { ${DOSSIER_SPEAKERS} }
      disputers { ${DOSSIER_SPEAKERS} }
      neutral { ${DOSSIER_SPEAKERS} }
      evidenceFor { ${DOSSIER_EVIDENCE} }
      evidenceAgainst { ${DOSSIER_EVIDENCE} }
      context { ${DOSSIER_EVIDENCE} }
      contradictions {
        pairCount
        pairs { supporting { slug speaker { slug name } } disputing { slug speaker { slug name } } }
        speakerCount
        speakers { speaker { slug name } supportingCount disputingCount supporting disputing }
      }
    }
    stances(first: 100) { totalCount edges { node { statement { slug source { slug title } } } } }
    evidence(first: 100) { totalCount edges { node { slug source { slug } } } }
  }
}`;

/** An actor, what they said (by date) and the events they took part in. */
export const ACTOR_PAGE = `query ActorPage($id: ID!, $actor: String!) {
  actor(id: $id) {
    slug name kind aliases description country wikidata
    affiliations(first: 50) {
      edges { node { role startDate endDate organization { slug name } actor { slug name } } }
    }
    statements(first: 100, sort: SAID_ON) {
      totalCount
      edges { node {
        slug kind text saidOn saidOnPrecision attribution
        source { slug title }
        ${STANCES}
      } }
    }
  }
  events(first: 100, filter: { actor: $actor }) {
    totalCount
    edges { node { slug title kind startDate startPrecision } }
  }
}`;

/** An event: when, where, who took part, what was said there. */
export const EVENT_PAGE = `query EventPage($id: ID!) {
  event(id: $id) {
    slug title kind startDate startPrecision endDate endPrecision description
    place { name country latitude longitude }
    span { exact }
    parent { slug title }
    children(first: 100) { edges { node { slug title kind startDate startPrecision } } }
    participants(first: 100) { edges { node { role actor { slug name kind } } } }
    statements(first: 100, sort: SAID_ON) {
      totalCount
      edges { node {
        slug kind text saidOn saidOnPrecision attribution
        speaker { slug name }
        source { slug title }
        ${STANCES}
      } }
    }
  }
}`;

/** Events and dated statements in one order (filtered), with what is left out undated. */
export const TIMELINE = `query Timeline($filter: TimelineFilter, $after: String) {
  timeline(first: 100, after: $after, filter: $filter) {
    totalCount undatedEvents undatedStatements
    pageInfo { hasNextPage endCursor }
    edges { node {
      type date precision end title
      event { slug kind }
      statement { slug kind source { slug } }
      speaker { slug name }
    } }
  }
}`;

/** What the timeline's filters offer. */
export const TIMELINE_CHOICES = `query TimelineChoices {
  actors(first: 100, sort: NAME) { edges { node { slug name } } }
  claims(first: 100) { edges { node { slug text } } }
}`;

/** A search, every kind of hit with its snippet. */
export const SEARCH = `query Search($q: String!) {
  search(query: $q, first: 60) {
    totalCount
    edges {
      match snippet
      node {
        __typename
        ... on Actor { slug name actorKind: kind description }
        ... on Claim { slug text }
        ... on Statement { slug statementKind: kind saidOn saidOnPrecision speaker { slug name } source { slug title } }
        ... on Evidence { slug relation source { slug } claim { slug text } }
        ... on Event { slug title startDate startPrecision }
      }
    }
  }
}`;

/** The overview: sources, claims with how many take each side, and totals. */
export const HOME = `query Home {
  sources(first: 20) {
    totalCount
    edges { node { slug title publisher modifiedAt publishedAt statements(first: 1) { totalCount } } }
  }
  claims(first: 100) {
    totalCount
    edges { node { slug text tags supporters(first: 1) { totalCount } disputers(first: 1) { totalCount } } }
  }
  actors(first: 1) { totalCount }
  events(first: 1) { totalCount }
}`;

/** Where a statement is (its source), to open it in the reader. */
export const STATEMENT_PLACE = `query StatementPlace($id: ID!) {
  statement(id: $id) { slug text speaker { name } source { slug } }
}`;

/** Where a piece of evidence is (its source), to open it in the reader. */
export const EVIDENCE_PLACE = `query EvidencePlace($id: ID!) {
  evidence(id: $id) { slug summary source { slug } }
}`;
