// Runs search queries through search-core.js and lunr.js under node, for the pytest suite.
// usage: node search_driver.js <search index dir> <core js> <queries json>
// Prints one JSON line: per query, {ids, fallback, terms} in rank order.
"use strict";
const fs = require("fs");
const path = require("path");

const [dir, corePath, queriesPath] = process.argv.slice(2);
const lunr = require(path.resolve(dir, "lunr.js"));
const core = require(path.resolve(corePath));
const read = (file) => Promise.resolve(JSON.parse(fs.readFileSync(file, "utf8")));

(async () => {
  const manifest = await read(path.join(dir, "manifest.json"));
  const engine = new core.Engine(lunr, manifest, dir + path.sep, read);
  const out = [];
  for (const c of JSON.parse(fs.readFileSync(queriesPath, "utf8"))) {
    const found = await engine.search(c.query, { prefix: Boolean(c.prefix) });
    out.push({
      ids: found.results.map((r) => r.doc.id),
      fallback: found.fallback,
      terms: found.results.map((r) => r.terms),
      shards: Object.keys(engine.loaded).length,
    });
  }
  process.stdout.write(JSON.stringify(out));
})().catch((err) => {
  process.stderr.write(String(err && err.stack || err));
  process.exit(1);
});
