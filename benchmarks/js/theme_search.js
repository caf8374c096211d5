// Runs queries through the theme's own search worker (mkdocs-material's lunr search) under
// node, for benchmarks/search_relevance.py: the worker file the theme ships, fed the
// search_index.json its search plugin built, exactly the messages its search UI sends.
// usage: node theme_search.js <worker js> <search_index.json> <queries json> <top>
// Prints one JSON list: per query, the locations of the top pages (sections folded into
// their page, in the order the theme lists them). Progress (index build time, each
// query's time) goes to stderr: at 10,000 papers a run takes many minutes.
//
// The setup message carries `options` as the theme's UI adds them (bundle.js: `{config,
// docs, options: {suggest: feature("search.suggest")}}`; search_index.json has none).
// Without them every query threw inside the worker after scoring and highlighting every
// match ("Cannot read properties of undefined (reading 'suggest')"), and the worker
// answered an empty result: the first version of this driver never had a figure to give.
"use strict";
const fs = require("fs");
const vm = require("vm");

const [workerPath, indexPath, queriesPath, topText] = process.argv.slice(2);
const top = Number(topText);
/** What the theme's UI puts beside config and docs; our mkdocs.yml has no search.suggest. */
const OPTIONS = { suggest: false };
let reply = null;
const listeners = [];
const warnings = [];
const sandbox = {
  // the worker reports a failed query with console.warn and answers an empty result:
  // kept, so a run that hides errors fails instead of scoring nothing
  console: { log: console.error, warn: (...a) => warnings.push(a.map(String).join(" ")) },
  setTimeout, clearTimeout, Promise,
  postMessage: (message) => { reply = message; },
  addEventListener: (type, fn) => { if (type === "message") listeners.push(fn); },
};
sandbox.self = sandbox;
vm.createContext(sandbox);
vm.runInContext(fs.readFileSync(workerPath, "utf8"), sandbox);

async function send(message) {
  reply = null;
  for (const fn of listeners) await fn({ data: message });
  while (reply === null) await new Promise((resolve) => setTimeout(resolve, 0));
  return reply;
}

const seconds = (since) => (Number(process.hrtime.bigint() - since) / 1e9).toFixed(1);

(async () => {
  const data = JSON.parse(fs.readFileSync(indexPath, "utf8"));
  data.options = Object.assign({}, OPTIONS, data.options);
  let started = process.hrtime.bigint();
  const ready = await send({ type: 0, data });
  if (ready.type !== 1) throw new Error("theme search did not get ready");
  const heap = Math.round(process.memoryUsage().heapUsed / 1e6);
  process.stderr.write(`theme: index of ${data.docs.length} pages built in ${seconds(started)} s, `
    + `heap ${heap} MB\n`);
  const queries = JSON.parse(fs.readFileSync(queriesPath, "utf8"));
  const out = [];
  for (const [n, query] of queries.entries()) {
    started = process.hrtime.bigint();
    const answer = await send({ type: 2, data: query });
    if (warnings.length) throw new Error(`query ${JSON.stringify(query)}: ${warnings.join("; ")}`);
    const pages = [];
    for (const group of answer.data.items) {
      const page = group.find((item) => !item.location.includes("#")) || group[0];
      pages.push(page.location.split("#")[0]);
      if (pages.length >= top) break;
    }
    out.push(pages);
    process.stderr.write(`theme: ${n + 1}/${queries.length} ${seconds(started)} s `
      + `${answer.data.items.length} pages: ${query.slice(0, 60)}\n`);
  }
  process.stdout.write(JSON.stringify(out));
})().catch((err) => {
  process.stderr.write(String((err && err.stack) || err));
  process.exit(1);
});
