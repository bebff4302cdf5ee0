// GraphiQL for claimgraph, started from a file (no inline script: the page works under a
// Content-Security-Policy without 'unsafe-inline'). `?query=`, `?variables=` and
// `?operationName=` in the page's URL prefill the editors, so that any frontend (the
// explorer's "open in GraphiQL" links among them) can hand a person the exact operation.
const url = window.location.origin + window.location.pathname;
const params = new URLSearchParams(window.location.search);
const defaultQuery = `# claimgraph: who claimed what, when, on what evidence.
{
  claim(id: "unrest-had-foreign-backing") {
    text
    supporters(first: 5) {
      totalCount
      edges { node { statement { text saidOn speaker { name } } } }
    }
  }
}
`;
// Subscriptions (`subscription { changes { seq node { id } } }`) go over a WebSocket to the
// same path, with the graphql-transport-ws protocol (graphql-ws, bundled in GraphiQL).
const subscriptionUrl = url.replace(/^http/, "ws");
const props = { fetcher: GraphiQL.createFetcher({ url, subscriptionUrl }), defaultQuery };
// Given explicitly, these win over what GraphiQL kept from an earlier visit.
if (params.has("query")) props.query = params.get("query");
if (params.has("variables")) props.variables = params.get("variables");
if (params.has("operationName")) props.operationName = params.get("operationName");
ReactDOM.createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, props)
);
