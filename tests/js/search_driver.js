// Runs search queries through search-core.js and lunr.js under node, for the pytest suite
// and the scale benchmark.
// usage: node search_driver.js <search index dir> <core js> <queries json>
// Each query runs on a fresh engine (nothing cached), as a first search in a new page:
// {query, prefix?, page?, verbatim?, tag?, code?, year?, facets?, show?}; `page` asks as the search
// page does
// (core.PAGE_OPTIONS); `facets` loads the facet file and
// counts tags as the search page does; `show` limits the results ranked by title and
// whose documents load,
// as the header box (8) or the first page of the search page does.
// Prints one JSON line: per query, {ids, count, fallback, negated, terms, shards, vectors,
// files, ms}: ms is the time from the query to its shown documents (files read from disk).
"use strict";
const fs = require("fs");
const path = require("path");

const [dir, corePath, queriesPath] = process.argv.slice(2);
const lunr = require(path.resolve(dir, "lunr.js"));
const core = require(path.resolve(corePath));
const readFile = (file) => Promise.resolve(JSON.parse(fs.readFileSync(file, "utf8")));

(async () => {
  const manifest = await readFile(path.join(dir, "manifest.json"));
  const out = [];
  for (const c of JSON.parse(fs.readFileSync(queriesPath, "utf8"))) {
    const files = [];
    const read = (file) => { files.push(path.basename(file)); return readFile(file); };
    const engine = new core.Engine(lunr, manifest, dir + path.sep, read);
    const started = process.hrtime.bigint();
    const options = c.page ? Object.assign({}, core.PAGE_OPTIONS)
      : { prefix: Boolean(c.prefix), top: c.show };
    options.verbatim = Boolean(c.verbatim);
    const found = c.query.trim() ? await engine.search(c.query, options)
      : await engine.everything();
    let results = found.results;
    if (c.facets || c.tag || c.code || c.year) {
      const marks = await engine.facets();
      results = core.filterResults(results, marks, c.tag || "", c.code, c.year || "");
      core.tagCounts(results, marks);
    }
    const shown = await engine.withDocs(results.slice(0, c.show === undefined ? results.length
      : c.show));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    out.push({
      ids: shown.map((r) => r.doc.id),
      count: results.length,
      fallback: found.fallback,
      negated: found.negated,
      match: found.match,
      allCount: found.allCount,
      corrected: found.corrected || null,
      named: found.named || "",
      shownNamed: shown.map((r) => r.named || null),
      terms: shown.map((r) => r.terms),
      shards: Object.keys(engine.loaded).length,
      vectors: engine.index ? Object.keys(engine.index.fieldVectors).length : 0,
      files: files,
      ms: ms,
    });
  }
  process.stdout.write(JSON.stringify(out));
})().catch((err) => {
  process.stderr.write(String(err && err.stack || err));
  process.exit(1);
});
