// GraphiQL with the explorer plugin, as strawberry's page starts it, from a file of its own so
// that the page's Content-Security-Policy needs no inline script. The query, variables and
// headers are kept in the address, so a link shares a query.
"use strict";

const EXAMPLE_QUERY = `# Chronicle's GraphQL API.
# Run: the play button or Ctrl-Enter.
# Complete: Ctrl-Space, or the explorer.
{
  events(first: 5) {
    edges {
      node {
        id
        slug
        title
        startsAt
      }
    }
  }
}
`;

// URLSearchParams, not decodeURIComponent: a malformed escape (`?query=%E0`) must not stop the
// page from loading.
const parameters = Object.fromEntries(new URLSearchParams(window.location.search));

function updateURL(data) {
  Object.assign(parameters, data);
  const search = Object.keys(parameters)
    .filter((key) => Boolean(parameters[key]))
    .map((key) => encodeURIComponent(key) + "=" + encodeURIComponent(parameters[key]))
    .join("&");
  history.replaceState(null, "", "?" + search);
}

// A signed-in editor's session needs Django's CSRF token on POST; a token in the headers pane
// (`{"Authorization": "Token …"}`) needs none.
const defaultHeaders = {};
const csrfToken = Cookies.get("csrftoken");
if (csrfToken) {
  defaultHeaders["x-csrftoken"] = csrfToken;
}

const fetcher = GraphiQL.createFetcher({
  url: window.location.href.split("?")[0],
  headers: defaultHeaders,
});

function GraphiQLWithExplorer() {
  const [query, setQuery] = React.useState(parameters.q || EXAMPLE_QUERY);
  const [variables, setVariables] = React.useState(parameters.variables);
  const [headers, setHeaders] = React.useState(parameters.headers);
  const explorerPlugin = GraphiQLPluginExplorer.explorerPlugin();

  return React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultEditorToolsVisibility: true,
    plugins: [explorerPlugin],
    query: query,
    variables: variables,
    headers: headers,
    onEditQuery: (value) => {
      setQuery(value);
      updateURL({ q: value });
    },
    onEditVariables: (value) => {
      setVariables(value);
      updateURL({ variables: value });
    },
    onEditHeaders: setHeaders,
    inputValueDeprecation: true,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: true,
  });
}

ReactDOM.createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQLWithExplorer),
);
