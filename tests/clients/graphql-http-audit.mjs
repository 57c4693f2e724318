// The graphql-http audit suite (GraphQL over HTTP spec) against a running server.
// Usage: node graphql-http-audit.mjs http://127.0.0.1:8000/graphql/
// Prints one JSON object: {ok: [...], warn: [...], error: [...]}, each audit as {id, name, reason}.
import { auditServer } from "graphql-http";

const url = process.argv[2];
const results = await auditServer({ url });
const report = { ok: [], warn: [], error: [] };
for (const result of results) {
  const entry = { id: result.id, name: result.name };
  if (result.status !== "ok") {
    entry.reason = result.reason;
    if (result.response) {
      entry.status = result.response.status;
      entry.body = await result.response.text().catch(() => "");
    }
  }
  report[result.status].push(entry);
}
console.log(JSON.stringify(report));
