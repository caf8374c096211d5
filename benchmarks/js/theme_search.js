// Runs queries through the theme's own search worker (mkdocs-material's lunr search) under
// node, for benchmarks/search_relevance.py: the worker file the theme ships, fed the
// search_index.json its search plugin built, exactly the messages its search UI sends.
// usage: node theme_search.js <worker js> <search_index.json> <queries json> <top>
// Prints one JSON list: per query, the locations of the top pages (sections folded into
// their page, in the order the theme lists them).
"use strict";
const fs = require("fs");
const vm = require("vm");

const [workerPath, indexPath, queriesPath, topText] = process.argv.slice(2);
const top = Number(topText);
let reply = null;
const listeners = [];
const sandbox = {
  console, setTimeout, clearTimeout, Promise,
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

(async () => {
  const data = JSON.parse(fs.readFileSync(indexPath, "utf8"));
  const ready = await send({ type: 0, data });
  if (ready.type !== 1) throw new Error("theme search did not get ready");
  const out = [];
  for (const query of JSON.parse(fs.readFileSync(queriesPath, "utf8"))) {
    const answer = await send({ type: 2, data: query });
    const pages = [];
    for (const group of answer.data.items) {
      const page = group.find((item) => !item.location.includes("#")) || group[0];
      pages.push(page.location.split("#")[0]);
      if (pages.length >= top) break;
    }
    out.push(pages);
  }
  process.stdout.write(JSON.stringify(out));
})().catch((err) => {
  process.stderr.write(String((err && err.stack) || err));
  process.exit(1);
});
