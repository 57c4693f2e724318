// Reads the seed through openapi-fetch, typed by openapi-typescript from openapi.yaml, as a
// frontend would. The test generates ./schema.d.ts next to this file, type-checks it with tsc
// (strict), runs the compiled script against a live server and reads the JSON it prints.
//
// Usage: node read_seed.js BASE_URL

import createClient from "openapi-fetch";

import type { components, paths } from "./schema.js";

declare const process: { argv: string[] };

type EntryHit = components["schemas"]["EntryHit"];
type EventDetail = components["schemas"]["EventDetail"];
type Stance = components["schemas"]["Stance"];
type Problem = components["schemas"]["Problem"];

// A read's object is the full form, the brief form (`brief: true`) or a selection (`fields`):
// a read with neither is the full form, and these guards tell the compiler so by a field that
// only the full form carries.
const isEntry = (entry: object): entry is EntryHit => "citations" in entry && "body" in entry;
const isEventDetail = (event: object): event is EventDetail => "entries" in event;
const isStance = (stance: object): stance is Stance => "actor" in stance && "position" in stance;

const EVENT = "coalition-of-the-willing-summit-2025-09-04";

async function read(baseUrl: string) {
  // The media types this client reads: JSON bodies, and problem details for errors (the
  // document gives CSV and NDJSON their own string schemas, which this leaves out).
  const api = createClient<paths, "application/json" | "application/problem+json">({ baseUrl });

  const page = await api.GET("/api/v1/entries/", {
    params: { query: { event: EVENT, limit: 4 } },
  });
  if (!page.data) throw new Error(`entries: ${page.response.status}`);
  const published: string[] = page.data.results.filter(isEntry).map((entry) => entry.published_at);

  // The brief form has its event as a slug, the full form as an object: `typeof` tells them.
  const briefs = await api.GET("/api/v1/entries/", {
    params: { query: { event: EVENT, limit: 4, brief: true } },
  });
  if (!briefs.data) throw new Error(`brief entries: ${briefs.response.status}`);
  const briefEvents = briefs.data.results.map((entry) =>
    typeof entry.event === "string" ? entry.event : entry.event?.slug,
  );
  // A selection: every field optional, those not asked for absent.
  const picked = await api.GET("/api/v1/entries/", {
    params: { query: { event: EVENT, limit: 4, fields: "id,headline" } },
  });
  if (!picked.data) throw new Error(`selected entries: ${picked.response.status}`);
  const selected = picked.data.results.map((entry) => [entry.id, entry.headline]);

  const event = await api.GET("/api/v1/events/{slug}/", {
    params: { path: { slug: EVENT } },
  });
  if (!event.data || !isEventDetail(event.data)) throw new Error(`event: ${event.response.status}`);
  const detail: EventDetail = event.data;
  const chains: string[][] = detail.entries
    .flatMap((entry) => entry.citations)
    .map((citation) => citation.chain)
    .filter((chain) => chain.length > 1);

  const stances = await api.GET("/api/v1/stances/", {
    params: { query: { topic: "troops-to-ukraine", position: "support" } },
  });
  if (!stances.data) throw new Error(`stances: ${stances.response.status}`);
  const supporters: Stance[] = stances.data.results.filter(isStance);

  // An error is problem details, typed as such.
  const missing = await api.GET("/api/v1/events/{slug}/", {
    params: { path: { slug: "no-such-event" } },
  });
  const problem: Problem | undefined = missing.error;

  // Exports are text: declared as strings, read with parseAs.
  const exports = createClient<paths>({ baseUrl });
  const csv = await exports.GET("/api/v1/entries/export.csv/", {
    params: { query: { event: EVENT } },
    parseAs: "text",
  });
  if (csv.data === undefined) throw new Error(`csv: ${csv.response.status}`);
  const table: string = csv.data;
  const lines = table.trimEnd().split("\r\n");

  return {
    published,
    title: detail.title,
    entries: detail.entries.length,
    publisher: detail.publisher?.slug ?? null,
    chains,
    supporters: [...new Set(supporters.map((stance) => stance.actor.slug))].sort(),
    brief_events: briefEvents,
    selected,
    problem: problem ? { status: problem.status, title: problem.title } : null,
    csv_columns: (lines[0] ?? "").split(","),
    csv_rows: lines.length - 1,
  };
}

const result = await read(process.argv[2] ?? "http://127.0.0.1:8000");
console.log(JSON.stringify(result));
