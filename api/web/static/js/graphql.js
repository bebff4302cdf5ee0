// The explorer's one way to its data: GraphQL operations sent as Apollo automatic persisted
// queries over GET.
//
// The first request names the operation by its SHA-256 only; if the server has not seen it
// (PERSISTED_QUERY_NOT_FOUND), the same GET is sent again with the document, which the server
// then keeps. Being GETs, the answers are cached by the browser and revalidated with their
// ETag (a 304 carries no body). Failures come out as three kinds of error, which the views
// and the retry notice tell apart.

import { endpoint } from "./config.js";
import { sha256 } from "./sha256.js";

/** The database (or the API) cannot answer now; try again after `retryAfter` seconds. */
export class Unavailable extends Error {
  constructor(message, retryAfter) {
    super(message);
    this.name = "Unavailable";
    this.retryAfter = retryAfter;
  }
}

/** The API could not be reached at all (network down, server stopped). */
export class Unreachable extends Error {
  constructor(message) {
    super(message);
    this.name = "Unreachable";
    this.retryAfter = 2;
  }
}

/** The API answered with GraphQL errors: a bug or a bad argument, not worth retrying. */
export class QueryFailed extends Error {
  constructor(errors) {
    super(errors.map((error) => error.message).join("; ") || "the query failed");
    this.name = "QueryFailed";
    this.errors = errors;
  }
}

const hashes = new Map();

function hashOf(document) {
  let hash = hashes.get(document);
  if (!hash) {
    hash = sha256(document);
    hashes.set(document, hash);
  }
  return hash;
}

/** The operation's name (the explorer names every one). */
export function operationName(document) {
  const match = /^\s*(?:query|mutation)\s+(\w+)/.exec(document);
  return match ? match[1] : null;
}

async function get(parameters, signal, key) {
  const url = new URL(endpoint);
  for (const [name, value] of Object.entries(parameters)) url.searchParams.set(name, value);
  // A signed-in analyst's key travels only in this header, never in the URL.
  const headers = { Accept: "application/json" };
  if (key) headers.Authorization = `Bearer ${key}`;
  let response;
  try {
    response = await fetch(url, {
      headers,
      credentials: "omit",
      signal,
    });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new Unreachable("the API does not answer");
  }
  if (response.status === 503 || response.status === 502 || response.status === 504) {
    const seconds = Number.parseInt(response.headers.get("Retry-After") || "", 10);
    throw new Unavailable("the database is not answering", Number.isFinite(seconds) ? seconds : 2);
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new Unreachable(`the API answered ${response.status} without JSON`);
  }
  if (!response.ok && !(body && body.errors)) {
    throw new QueryFailed([{ message: `the API answered ${response.status}` }]);
  }
  return body;
}

function notPersisted(body) {
  return (body.errors || []).some(
    (error) => (error.extensions || {}).code === "PERSISTED_QUERY_NOT_FOUND",
  );
}

/**
 * Run a named query; resolves to its `data`, or throws one of the errors above. `key`: an API
 * key to send as `Authorization: Bearer` (only the sign-in's `viewer` needs one).
 */
export async function query(document, variables = {}, { signal, key } = {}) {
  const parameters = {
    operationName: operationName(document),
    extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hashOf(document) } }),
  };
  if (Object.keys(variables).length) parameters.variables = JSON.stringify(variables);
  let body = await get(parameters, signal, key);
  if (notPersisted(body)) body = await get({ ...parameters, query: document }, signal, key);
  if (body.errors && body.errors.length) throw new QueryFailed(body.errors);
  return body.data;
}

/**
 * Every page of a connection, fetched in sequence (each page's cursor comes from the one
 * before). `pick(data)` finds the connection in an answer; the edges of all pages come back
 * in order, with the first answer (for the rest of its fields).
 */
export async function allPages(document, variables, pick, { signal, onPage } = {}) {
  const first = await query(document, variables, { signal });
  const connection = pick(first);
  if (!connection) return { data: first, edges: [] };
  const edges = [...connection.edges];
  let info = connection.pageInfo;
  while (info && info.hasNextPage) {
    if (onPage) onPage(edges.length, connection.totalCount);
    const next = pick(await query(document, { ...variables, after: info.endCursor }, { signal }));
    edges.push(...next.edges);
    info = next.pageInfo;
  }
  return { data: first, edges };
}
