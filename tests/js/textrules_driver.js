// Folds texts with search-core.js under the rules the manifest carries, for the parity test
// of tests/test_textrules.py.
// usage: node textrules_driver.js <core js>   (stdin: {"rules": {...}, "texts": [...]})
// Prints one JSON list: per text, {words, query}: the words as highlighted and titles are
// keyed (words()), and the words of the text typed as a query (parseQuery().words).
"use strict";
const fs = require("fs");
const path = require("path");

const core = require(path.resolve(process.argv[2]));
const input = JSON.parse(fs.readFileSync(0, "utf8"));
core.useRules(input.rules);
process.stdout.write(JSON.stringify(input.texts.map((text) => ({
  words: core.words(text),
  query: core.parseQuery(text).words,
}))));
