// Where the API is: the page's <meta name="claimgraph-graphql"> (default: this origin's
// /graphql). Hosting the explorer's files elsewhere means changing only that tag.

function meta(name) {
  const element = document.querySelector(`meta[name="${name}"]`);
  return element ? element.getAttribute("content") : null;
}

/** The GraphQL endpoint, as an absolute URL. */
export const endpoint = new URL(meta("claimgraph-graphql") || "/graphql", window.location.href);

/** The API's root (where /docs and /openapi.json are): the endpoint's folder. */
export const apiRoot = new URL(".", endpoint);

/** GraphiQL (served by the API at its endpoint) with an operation and variables filled in. */
export function graphiqlUrl(query, variables) {
  const url = new URL(endpoint);
  url.searchParams.set("query", query);
  if (variables && Object.keys(variables).length) {
    url.searchParams.set("variables", JSON.stringify(variables, null, 2));
  }
  return url.href;
}

/** Point the page's links to API pages (GraphiQL, the REST reference) at the API's origin. */
export function linkApiPages(root = document) {
  for (const anchor of root.querySelectorAll("a[data-api-link]")) {
    const path = anchor.dataset.apiLink;
    anchor.href = path === "graphql" ? endpoint.href : new URL(path, apiRoot).href;
  }
}
