// Copies the files GraphiQL's page loads out of node_modules (installed by `npm ci` from
// package-lock.json) into the static folder, unchanged, under vendor/<package>/<path>.
// Usage: node copy-assets.mjs [destination]; tests copy into a scratch folder and compare.
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

const ASSETS = {
  react: ["umd/react.production.min.js", "LICENSE"],
  "react-dom": ["umd/react-dom.production.min.js", "LICENSE"],
  "js-cookie": ["dist/js.cookie.min.js", "LICENSE"],
  // The source maps are named by the bundles, and the static files' manifest resolves them.
  graphiql: [
    "graphiql.min.js",
    "graphiql.min.js.map",
    "graphiql.min.css",
    "graphiql.min.css.map",
    "LICENSE",
  ],
  "@graphiql/plugin-explorer": ["dist/index.umd.js", "dist/style.css"],
};

const destination = process.argv[2] ?? join(here, "..", "static", "graphiql", "vendor");
rmSync(destination, { recursive: true, force: true });
for (const [name, files] of Object.entries(ASSETS)) {
  for (const file of files) {
    const target = join(destination, name, file);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(here, "node_modules", name, file), target);
  }
}
