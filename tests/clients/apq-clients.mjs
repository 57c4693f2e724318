// Automatic persisted queries with the clients frontends use: Apollo Client 3's
// createPersistedQueryLink (GET for hashed queries, as `useGETForHashedQueries` does) and
// urql's persistedExchange, against a running server.
// Usage: node apq-clients.mjs http://127.0.0.1:8000/graphql/
// Prints {apollo: {data, requests}, urql: {data, requests}}; each request is what went over
// the wire: {method, hash, hasQuery, status, firstError}.
import { createHash } from "node:crypto";
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client/core/index.js";
import { createPersistedQueryLink } from "@apollo/client/link/persisted-queries/index.js";
import { Client, fetchExchange } from "@urql/core";
import { persistedExchange } from "@urql/exchange-persisted";

const url = process.argv[2];
const sha256 = (text) => createHash("sha256").update(text).digest("hex");

function recordingFetch(requests) {
  return async (input, init = {}) => {
    const target = new URL(typeof input === "string" ? input : input.url);
    const method = init.method || "GET";
    const body = method === "POST" ? JSON.parse(init.body) : {
      query: target.searchParams.get("query"),
      extensions: JSON.parse(target.searchParams.get("extensions") || "null"),
    };
    const response = await fetch(input, init);
    const text = await response.clone().text();
    let firstError = null;
    try {
      firstError = JSON.parse(text).errors?.[0]?.message ?? null;
    } catch {
      firstError = `not JSON: ${text.slice(0, 80)}`;
    }
    requests.push({
      method,
      hash: body.extensions?.persistedQuery?.sha256Hash ?? null,
      hasQuery: Boolean(body.query),
      status: response.status,
      firstError,
    });
    return response;
  };
}

async function apollo() {
  const requests = [];
  const link = createPersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(
    new HttpLink({ uri: url, fetch: recordingFetch(requests) }),
  );
  const query = gql`
    query ApolloTopics {
      topics(first: 3) { totalCount edges { node { id slug } } }
    }
  `;
  const results = [];
  for (let run = 0; run < 2; run += 1) {
    const client = new ApolloClient({ link, cache: new InMemoryCache() });
    const result = await client.query({ query, fetchPolicy: "network-only" });
    results.push(result.data.topics.totalCount);
  }
  return { data: results, requests };
}

async function urql() {
  const requests = [];
  const client = new Client({
    url,
    exchanges: [
      persistedExchange({ generateHash: async (query) => sha256(query), preferGetForPersistedQueries: true }),
      fetchExchange,
    ],
    fetch: recordingFetch(requests),
    requestPolicy: "network-only",
  });
  const query = "query UrqlEvents { events { totalCount } }";
  const results = [];
  for (let run = 0; run < 2; run += 1) {
    const result = await client.query(query, {}).toPromise();
    if (result.error) throw result.error;
    results.push(result.data.events.totalCount);
  }
  return { data: results, requests };
}

async function apolloErrors() {
  // What Apollo shows for a refused request and for a request error: the server's messages.
  const client = new ApolloClient({ link: new HttpLink({ uri: url }), cache: new InMemoryCache() });
  let deep = {};
  for (let level = 0; level < 40; level += 1) deep = { deeper: deep };
  const shown = {};
  try {
    await client.query({ query: gql`query Deep($x: String!) { actor(slug: $x) { id } }`, variables: { x: deep } });
  } catch (error) {
    shown.transport = {
      status: error.networkError?.statusCode ?? null,
      message: error.networkError?.result?.errors?.[0]?.message ?? null,
    };
  }
  try {
    await client.query({ query: gql`query Bad { topics(first: 1000) { totalCount } }` });
  } catch (error) {
    shown.request = error.graphQLErrors?.[0]?.message ?? error.message;
  }
  return shown;
}

console.log(
  JSON.stringify({ apollo: await apollo(), urql: await urql(), apolloErrors: await apolloErrors() }),
);
