/*
 * Paper search, the part without a page: loads the prebuilt index into lunr.js, runs
 * queries, ranks and filters results, and finds the words to highlight.
 *
 * It touches no DOM so that the same file runs in the browser (as window.PaperSearch) and
 * under node for the query tests.  The index format is described in generator/search.py
 * and docs/maintainers/search.md: shards of sorted terms whose postings carry weights
 * already normalised per field vector, so no index is ever built here, only loaded.
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.PaperSearch = factory();
  }
})(this, function () {
  "use strict";

  var WORD = /[\p{L}\p{N}]+/gu;
  var NOT_TERM = /[^\p{L}\p{N}*]+/gu;
  /* presence, field, term body, then ~N / ^N modifiers: lunr's clause syntax */
  var CLAUSE = /^([+-]?)(?:([A-Za-z]+):)?(.*?)((?:[~^]\d*)*)$/;

  /* Lower case without diacritics, exactly as generator/search.py folds indexed text. */
  function fold(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  }

  function words(text) {
    return fold(text).match(WORD) || [];
  }

  /*
   * Rewrite a typed query into lunr syntax over the words the index holds.
   * Returns {text, words, plain}: `plain` is true when the user typed no syntax at all,
   * which lets the caller complete the last word as a prefix while typing.  A chunk whose
   * term is empty (`title:`, `~`) is passed through untouched so that lunr reports it
   * and the caller falls back to a plain search.
   */
  function parseQuery(raw) {
    var parts = [];
    var all = [];
    var plain = true;
    raw.trim().split(/\s+/).forEach(function (chunk) {
      if (!chunk) return;
      var m = CLAUSE.exec(chunk);
      var presence = m[1], field = m[2] || "", body = m[3], mods = m[4];
      if (presence || field || mods || body.indexOf("*") !== -1) plain = false;
      var terms = fold(body).replace(NOT_TERM, " ").trim().split(" ").filter(Boolean);
      if (!terms.length || terms.every(function (t) { return /^\*+$/.test(t); })) {
        plain = false;
        parts.push(chunk);
        return;
      }
      terms.forEach(function (term) {
        parts.push(presence + (field ? field + ":" : "") + term + mods);
        all.push(term.replace(/\*/g, ""));
      });
    });
    return { text: parts.join(" "), words: all.filter(Boolean), plain: plain };
  }

  /* The key for "this query is the title": words only, folded. */
  function titleKey(text) {
    return words(text).join(" ");
  }

  /* 2: the query is the title; 1: the title starts with most of the query; 0: neither. */
  function titleTier(title, query) {
    var t = titleKey(title), q = titleKey(query);
    if (!q) return 0;
    if (t === q) return 2;
    if (t.indexOf(q) === 0 && q.split(" ").length >= 3 && q.length * 2 >= t.length) return 1;
    return 0;
  }

  function Engine(lunr, manifest, baseUrl, fetchJson) {
    this.lunr = lunr;
    this.manifest = manifest;
    this.baseUrl = baseUrl;
    this.fetchJson = fetchJson;
    this.shards = {};        /* file -> promise of entries */
    this.loaded = {};        /* file -> entries, once arrived */
    this.built = null;       /* the shard set the current lunr index was loaded from */
    this.index = null;
    this.chunks = {};        /* file -> promise of docs */
    this.docs = [];          /* position -> doc, as chunks arrive */
    this.pipeline = lunr.Pipeline.load(manifest.pipeline);
    this.fieldNames = manifest.fields.map(function (f) { return f.name; });
    this.tagNames = {};
    var names = this.tagNames;
    manifest.tags.forEach(function (pair) { names[pair[0]] = pair[1]; });
  }

  /* The shard holding `term` (shards are contiguous sorted ranges, by first term). */
  Engine.prototype.shardFor = function (term) {
    var shards = this.manifest.shards, lo = 0, hi = shards.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (shards[mid].first <= term) lo = mid; else hi = mid - 1;
    }
    return shards[lo];
  };

  /* Files of the shards a query needs: by term, by prefix range, or all of them. */
  Engine.prototype.shardsFor = function (text) {
    var self = this, lunr = this.lunr, shards = this.manifest.shards;
    if (!shards.length) return [];
    var query = new lunr.Query(this.fieldNames);
    try {
      new lunr.QueryParser(text, query).parse();
    } catch (e) {
      return shards.map(function (s) { return s.file; });
    }
    var wanted = {};
    query.clauses.forEach(function (clause) {
      var term = clause.term;
      if (clause.editDistance || term.charAt(0) === "*" ||
          (clause.wildcard & lunr.Query.wildcard.LEADING)) {
        shards.forEach(function (s) { wanted[s.file] = true; });
        return;
      }
      if (clause.wildcard & lunr.Query.wildcard.TRAILING || term.indexOf("*") !== -1) {
        var prefix = term.split("*")[0];
        var from = shards.indexOf(self.shardFor(prefix));
        var to = shards.indexOf(self.shardFor(prefix + "\uffff"));
        for (var i = from; i <= to; i++) wanted[shards[i].file] = true;
        return;
      }
      var terms = clause.usePipeline === false ? [term] : self.pipeline.runString(term);
      terms.forEach(function (t) { wanted[self.shardFor(t).file] = true; });
    });
    return Object.keys(wanted).sort();
  };

  Engine.prototype.loadShards = function (files) {
    var self = this;
    return Promise.all(files.map(function (file) {
      if (!self.shards[file]) {
        self.shards[file] = self.fetchJson(self.baseUrl + file).then(function (data) {
          self.loaded[file] = data.terms;
          return data.terms;
        });
      }
      return self.shards[file];
    }));
  };

  Engine.prototype.loadAll = function () {
    var files = this.manifest.shards.map(function (s) { return s.file; });
    return Promise.all([this.loadShards(files), this.loadDocs(null)]);
  };

  /* Rebuild lunr's serialized form from the loaded shards and hand it to Index.load. */
  Engine.prototype.indexFor = function () {
    var files = this.manifest.shards.map(function (s) { return s.file; })
      .filter(function (f) { return this.loaded[f]; }, this);
    var key = files.join(" ");
    if (this.index && this.built === key) return this.index;
    var manifest = this.manifest, fields = manifest.fields, steps = manifest.weightSteps;
    var inverted = [], vectors = {}, i = 0;
    files.forEach(function (file) {
      this.loaded[file].forEach(function (entry) {
        var posting = { _index: i };
        fields.forEach(function (field, k) {
          var refs = {}, list = entry[k + 1], position = 0;
          if (list) {
            list.split(",").forEach(function (token) {
              position += parseInt(token.slice(0, -2), 36);
              var ref = position.toString(36);
              var weight = parseInt(token.slice(-2), 36) / steps * field.boost;
              refs[ref] = {};
              var vkey = field.name + "/" + ref;
              (vectors[vkey] || (vectors[vkey] = [])).push(i, weight);
            });
          }
          posting[field.name] = refs;
        });
        inverted.push([entry[0], posting]);
        i += 1;
      });
    }, this);
    var fieldVectors = [];
    for (var p = 0; p < manifest.count; p++) {
      var ref = p.toString(36);
      for (var f = 0; f < fields.length; f++) {
        var name = fields[f].name + "/" + ref;
        fieldVectors.push([name, vectors[name] || []]);
      }
    }
    var index = this.lunr.Index.load({
      version: this.lunr.version,
      fields: this.fieldNames,
      fieldVectors: fieldVectors,
      invertedIndex: inverted,
      pipeline: manifest.pipeline
    });
    /* Weights are normalised at build time: each vector already has length 1. */
    Object.keys(index.fieldVectors).forEach(function (k) {
      index.fieldVectors[k]._magnitude = 1;
    });
    this.index = index;
    this.built = key;
    return index;
  };

  /* Document-store chunks for these positions (null: all of them). */
  Engine.prototype.loadDocs = function (positions) {
    var self = this, docs = this.manifest.docs, wanted = {};
    if (positions === null) {
      docs.chunks.forEach(function (c) { wanted[c.file] = c; });
    } else {
      positions.forEach(function (p) {
        var c = docs.chunks[Math.floor(p / docs.size)];
        if (c) wanted[c.file] = c;
      });
    }
    return Promise.all(Object.keys(wanted).sort().map(function (file) {
      if (!self.chunks[file]) {
        var chunk = wanted[file];
        self.chunks[file] = self.fetchJson(self.baseUrl + file).then(function (data) {
          data.docs.forEach(function (d, k) {
            self.docs[chunk.first + k] = {
              position: chunk.first + k, id: d[0], title: d[1], tags: d[2],
              teaser: d[3], code: d[4] === 1
            };
          });
        });
      }
      return self.chunks[file];
    }));
  };

  /*
   * Run a typed query.  Resolves to {results, fallback, terms}: each result has the doc,
   * its lunr score, its rank tier and the index terms it matched (for highlighting).
   * A query lunr cannot parse is searched again as its plain words (fallback: true).
   */
  Engine.prototype.search = function (raw, options) {
    var self = this, lunr = this.lunr;
    options = options || {};
    var parsed = parseQuery(raw);
    var text = parsed.text;
    if (options.prefix && parsed.plain && parsed.words.length && !/\s$/.test(raw)) {
      text += " " + parsed.words[parsed.words.length - 1] + "*";
    }
    return this.loadShards(this.shardsFor(text)).then(function () {
      var index = self.indexFor(), hits, fallback = false;
      if (!text.trim()) {
        hits = [];
      } else {
        try {
          hits = index.search(text);
        } catch (e) {
          if (!(e instanceof lunr.QueryParseError)) throw e;
          fallback = true;
          hits = self.plainSearch(raw);
        }
      }
      return self.withDocs(hits, raw, fallback);
    });
  };

  /* Plain words of the query, each an optional term: the fallback for malformed queries. */
  Engine.prototype.plainSearch = function (raw) {
    var fields = this.fieldNames, lunr = this.lunr;
    var stripped = raw.replace(/(^|\s)[+-]?([A-Za-z]+):/g, function (all, space, name) {
      return fields.indexOf(name) !== -1 ? space : all;
    });
    var terms = words(stripped);
    if (!terms.length) return [];
    return this.indexFor().query(function (q) {
      terms.forEach(function (t) {
        q.term(t, { presence: lunr.Query.presence.OPTIONAL });
      });
    });
  };

  Engine.prototype.withDocs = function (hits, raw, fallback) {
    var self = this;
    var positions = hits.map(function (h) { return parseInt(h.ref, 36); });
    return this.loadDocs(positions).then(function () {
      var results = hits.map(function (hit, order) {
        var doc = self.docs[parseInt(hit.ref, 36)];
        return {
          doc: doc, score: hit.score, order: order,
          tier: titleTier(doc.title, raw),
          terms: Object.keys(hit.matchData.metadata)
        };
      });
      results.sort(function (a, b) {
        return (b.tier - a.tier) || (a.order - b.order);
      });
      return { results: results, fallback: fallback };
    });
  };

  /* Every paper, in archive order: what a filter-only search (no words) lists. */
  Engine.prototype.everything = function () {
    var self = this;
    return this.loadDocs(null).then(function () {
      return {
        fallback: false,
        results: self.docs.map(function (doc, order) {
          return { doc: doc, score: 0, order: order, tier: 0, terms: [] };
        })
      };
    });
  };

  /* Keep results having `tag` (if given) and a code link (if `code`). */
  function filterResults(results, tag, code) {
    return results.filter(function (r) {
      return (!tag || r.doc.tags.indexOf(tag) !== -1) && (!code || r.doc.code);
    });
  }

  /* [[tag id, count]] over the results, most frequent first, then by id. */
  function tagCounts(results) {
    var counts = {};
    results.forEach(function (r) {
      r.doc.tags.forEach(function (t) { counts[t] = (counts[t] || 0) + 1; });
    });
    return Object.keys(counts).map(function (t) { return [t, counts[t]]; })
      .sort(function (a, b) { return (b[1] - a[1]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0); });
  }

  /*
   * Split `text` into [piece, matched] pairs: a word is matched when its stem is one of
   * the index terms the result matched.  The caller turns pairs into text nodes and
   * <mark> elements, so record text never reaches innerHTML.
   */
  function highlight(lunr, text, terms) {
    var wanted = {}, out = [], last = 0, m;
    terms.forEach(function (t) { wanted[t] = true; });
    var re = new RegExp(WORD.source, "gu");
    while ((m = re.exec(text)) !== null) {
      var stem = lunr.stemmer(new lunr.Token(fold(m[0]))).toString();
      if (wanted[stem] || wanted[fold(m[0])]) {
        if (m.index > last) out.push([text.slice(last, m.index), false]);
        out.push([m[0], true]);
        last = m.index + m[0].length;
      }
    }
    if (last < text.length) out.push([text.slice(last), false]);
    return out;
  }

  return {
    Engine: Engine,
    parseQuery: parseQuery,
    titleTier: titleTier,
    filterResults: filterResults,
    tagCounts: tagCounts,
    highlight: highlight,
    fold: fold,
    words: words
  };
});
