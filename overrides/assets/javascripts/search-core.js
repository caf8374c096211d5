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

  /* presence, field, term body, then ~N / ^N modifiers: lunr's clause syntax */
  var CLAUSE = /^([+-]?)(?:([A-Za-z]+):)?(.*?)((?:[~^]\d*)*)$/;

  /*
   * The folding rule the index was built with: the manifest's `text`, whose one home is
   * generator/textrules.py.  Set by useRules() (the Engine does) before any query.
   */
  var FORM = null, DROP = null, WORD = null, NOT_TERM = null, JOIN = null, INITIALS = null;
  var WORD_CHARS = "";

  function escapeClass(chars) {
    return chars.replace(/[\\\]\[^-]/g, "\\$&");
  }

  function useRules(text) {
    FORM = text.form;
    DROP = new RegExp(text.drop, "gu");
    WORD = new RegExp("[" + text.word + "]+", "gu");
    WORD_CHARS = text.word;
    NOT_TERM = new RegExp("[^" + text.word + "*]+", "gu");
    /* textrules.join_words: an apostrophe between word characters joins them ("model's"
       -> "models"); single letters each followed by the initials' dot are one word ("e.g."
       -> "eg"). No lookbehind (older Safari has none): the character before is captured. */
    JOIN = text.join ? new RegExp("([" + text.word + "])[" + escapeClass(text.join) + "](?=["
      + text.word + "])", "gu") : null;
    INITIALS = text.initials ? new RegExp("(^|[^" + text.word + "])((?:[" + text.word + "]["
      + escapeClass(text.initials) + "]){2,})(?![" + text.word + "])", "gu") : null;
  }

  function joinInitials(all, before, initials) {
    var letters = initials.replace(/(.)./gu, "$1");
    return /^\p{L}+$/u.test(letters) ? before + letters : all;
  }

  /* Normalise, drop the marks, lower case, join as textrules.join_words: as the index was. */
  function fold(text) {
    if (!FORM) throw new Error("search: the manifest's text rules are not loaded");
    var folded = text.normalize(FORM).replace(DROP, "").toLowerCase();
    if (JOIN) folded = folded.replace(JOIN, "$1");
    if (INITIALS) folded = folded.replace(INITIALS, joinInitials);
    return folded;
  }

  function words(text) {
    return fold(text).match(WORD) || [];
  }
  var words_ = words;  /* for functions whose argument is named `words` */

  /*
   * Fuzzy terms are bounded: lunr builds an automaton for `term~N` whose size grows
   * exponentially with N (`transformer~12` froze a tab for minutes and took 4 GB), and each
   * fuzzy term multiplies the words a query expands to.  So an edit distance is at most
   * MAX_EDIT, and less for short words (EDIT_FOR_LENGTH: 1 from 3 letters, 2 from 6), and
   * at most MAX_FUZZY terms of a query stay fuzzy; the rest are searched as typed.
   */
  var MAX_EDIT = 2;
  var MAX_FUZZY = 3;
  function editFor(term) {
    return term.length >= 6 ? 2 : term.length >= 3 ? 1 : 0;
  }

  function boundMods(mods, term, budget) {
    return mods.replace(/~(\d*)/g, function (all, digits) {
      if (!digits) return all;  /* a bare ~ is lunr's to refuse: the caller falls back */
      var edit = Math.min(parseInt(digits, 10), MAX_EDIT, editFor(term));
      if (edit <= 0 || budget.fuzzy >= MAX_FUZZY) return "";
      budget.fuzzy += 1;
      return "~" + edit;
    });
  }

  /*
   * Rewrite a typed query into lunr syntax over the words the index holds.
   * Returns {text, words, plain, phrases}: `plain` is true when the user typed no syntax at
   * all, which lets the caller complete the last word as a prefix while typing.  A chunk
   * whose term is empty (`title:`, `~`) is passed through untouched so that lunr reports it
   * and the caller falls back to a plain search.  A field-qualified quoted phrase
   * (`author:"Wei Liu"`, `title:"world model"`) requires each of its words in that field
   * (`isStop(word)`: a stop word, which the index lacks, is not required) and is listed in
   * `phrases` ({field, words}) for the engine to check as a phrase; other quotes are
   * punctuation.
   */
  function parseQuery(raw, isStop) {
    var parts = [];
    var all = [];
    var plain = true;
    var budget = { fuzzy: 0 };
    var phrases = [];
    /* field:"a phrase" (the closing quote optional: the box searches while it is typed):
       every word required in that field, the words as a phrase checked later (phrased()) */
    raw = raw.replace(PHRASE, function (all0, before, field, body) {
      var terms = words(body);
      if (!terms.length) return all0;
      plain = false;
      field = field.toLowerCase();
      phrases.push({ field: field, words: terms });
      terms.forEach(function (term) {
        /* lunr's search pipeline keeps stop words, which the index lacks: required, one
           would match nothing ("Kaiming He") */
        if (!(isStop && isStop(term))) parts.push("+" + field + ":" + term);
        all.push(term);
      });
      return before + " ";
    });
    raw.trim().split(/\s+/).forEach(function (chunk) {
      if (!chunk) return;
      var m = CLAUSE.exec(chunk);
      var presence = m[1], field = (m[2] || "").toLowerCase(), body = m[3], mods = m[4];
      if (presence || field || mods || body.indexOf("*") !== -1) plain = false;
      var terms = fold(body).replace(NOT_TERM, " ").trim().split(" ").filter(Boolean);
      if (!terms.length || terms.every(function (t) { return /^\*+$/.test(t); })) {
        plain = false;
        parts.push(chunk);
        return;
      }
      terms.forEach(function (term) {
        parts.push(presence + (field ? field + ":" : "") + term + boundMods(mods, term, budget));
        all.push(term.replace(/\*/g, ""));
      });
    });
    return { text: parts.join(" "), words: all.filter(Boolean), plain: plain, phrases: phrases };
  }

  /* field:"words" after a space or at the start; a phrase cannot be excluded (-field:"..."
     is left to lunr as its words). */
  var PHRASE = /(^|\s)\+?([A-Za-z]+):"([^"]*)(?:"|$)/g;

  /* The key for "this query is the title": words only, folded. */
  function titleKey(text) {
    return words(text).join(" ");
  }

  /*
   * 2: the query is the title; 1: the title starts with most of the query, holds all of it
   * as a phrase (Engine.PHRASE words or more), or the teaser opens with it (a pasted opening
   * of the abstract, Engine.OPENING words or more); 0: none of these.
   */
  function titleTier(doc, query) {
    var t = titleKey(doc.title), q = titleKey(query);
    if (!q) return 0;
    if (t === q) return 2;
    var n = q.split(" ").length;
    if (t.indexOf(q) === 0 && n >= 3 && q.length * 2 >= t.length) return 1;
    if (n >= Engine.PHRASE && (" " + t + " ").indexOf(" " + q + " ") !== -1) return 1;
    if (n >= Engine.OPENING && (titleKey(doc.teaser) + " ").indexOf(q + " ") === 0) return 1;
    return 0;
  }

  /* Sorted positions from comma-separated base-36 gaps (postings and facet lists). */
  function decodeGaps(list) {
    var out = [], position = 0;
    if (list) {
      list.split(",").forEach(function (token) {
        position += parseInt(token, 36);
        out.push(position);
      });
    }
    return out;
  }

  /*
   * arXiv ids as readers paste them: 2507.03745, 2507.03745v2, arXiv:2507.03745,
   * https://arxiv.org/abs/2507.03745 (or /pdf/2507.03745v1.pdf).  Group 3 is the id.  Not
   * inside a longer number or word (group 1 is the character before, kept in the rest).
   */
  var ARXIV_ID = new RegExp("(^|[^\\w./:])((?:https?://)?(?:www\\.|export\\.)?arxiv\\.org/" +
    "(?:abs|pdf|html)/|arxiv:)?(\\d{4}\\.\\d{4,5})(?:v\\d+)?(?:\\.pdf)?(?![\\w.])", "gi");

  /* {ids, rest}: the arXiv ids of a query (lower case, no version) and the query without them. */
  function splitIds(raw) {
    var ids = [];
    var rest = raw.replace(ARXIV_ID, function (all, before, prefix, id) {
      if (ids.indexOf(id.toLowerCase()) === -1) ids.push(id.toLowerCase());
      return before + " ";
    });
    return { ids: ids, rest: rest };
  }

  /* The key file of `key` among `files`: FNV-1a (32 bits) of its UTF-16 code units, as
     generator/search.py's key_file computes it. */
  function keyFile(key, files) {
    var h = 0x811c9dc5;
    for (var i = 0; i < key.length; i++) {
      h = Math.imul((h ^ key.charCodeAt(i)) >>> 0, 0x01000193) >>> 0;
    }
    return h % files;
  }

  function Engine(lunr, manifest, baseUrl, fetchJson) {
    this.lunr = lunr;
    this.manifest = manifest;
    this.baseUrl = baseUrl;
    this.fetchJson = fetchJson;
    this.shards = {};        /* file -> promise of entries */
    this.loaded = {};        /* file -> entries, once arrived */
    this.decoded = {};       /* file -> {entry number -> its postings decoded}, as needed */
    this.built = null;       /* the shard set the current lunr index was loaded from */
    this.index = null;
    this.chunks = {};        /* file -> promise of docs */
    this.docs = [];          /* position -> doc, as chunks arrive */
    this.facetData = null;   /* promise of {tags: {id: Uint8Array}, code: Uint8Array} */
    useRules(manifest.text);
    /* results ranked (and their documents fetched) with a query: the manifest's page size */
    this.top = manifest.results.page;
    this.vocab = {};         /* file -> promise of vocabulary words */
    this.keyFiles = {};      /* file -> promise of {key: [shown, positions]} */
    this.pipeline = lunr.Pipeline.load(manifest.pipeline);
    this.fieldNames = manifest.fields.map(function (f) { return f.name; });
    this.tagNames = {};
    var names = this.tagNames;
    manifest.tags.forEach(function (pair) { names[pair[0]] = pair[1]; });
  }

  /*
   * Leading letters a fuzzy term (`transfomer~1`) keeps: its variants are looked for in
   * the shards of words starting so, not in the whole index.
   */
  Engine.FUZZY_PREFIX = 2;

  /*
   * Shortest word completed as a prefix while typing in a split index: `d*` would fetch
   * every shard of words starting with d and match most papers, for one keystroke.
   */
  Engine.MIN_PREFIX = 3;

  /*
   * Fewest characters the header box searches in a split index whatever they cost, and
   * the most postings a shorter query may score there (options.maxPostings).  One letter
   * is no word: at 47,714 papers `s` (of "model's") is in 11,099 papers and `e`, `g` (of
   * "e.g.") in 6,000 and 4,200, and scoring them held the next keystrokes for hundreds of
   * milliseconds; `d`, `r`, `v` (600-1,300) are quick and show the first results at the
   * first keystroke.  The search page searches as typed.
   */
  Engine.MIN_TYPED = 2;
  Engine.LETTER_POSTINGS = 2000;

  /*
   * Most index words the fuzzy terms of one query may expand to.  Past it, the fuzzy terms
   * are searched as typed: each expanded word is a clause lunr scores against every paper
   * it names, so a few short fuzzy words over a 50,000-paper index could cost seconds.
   */
  Engine.MAX_EXPANDED = 300;

  /* A file of the index: "i" shard n, "d" document chunk n, "f" the facets (n = 0). */
  Engine.prototype.file = function (kind, n) {
    return kind + "-" + this.manifest.version + "-" + n + ".json";
  };

  Engine.prototype.allShards = function () {
    return this.manifest.shards.map(function (first, n) { return this.file("i", n); }, this);
  };

  /* Whether the whole index is one shard: then it is small enough to fetch ahead. */
  Engine.prototype.isSmall = function () {
    return this.manifest.shards.length <= 1 && this.manifest.docs.chunks <= 1;
  };

  /* Fetch and load everything ahead of the first query, but only for a small index. */
  Engine.prototype.prefetch = function () {
    var self = this;
    if (!this.isSmall()) return Promise.resolve();
    var files = this.allShards();
    return Promise.all([this.loadShards(files), this.loadDocs(null)]).then(function () {
      self.indexFor(files);
    });
  };

  /*
   * The papers of exact keys (an arXiv id "a:2507.03745", a whole author name "n:kaiming
   * he"): {key: {shown, positions}} for the keys the index has.  One small file per key
   * (generator/search.py: lookup_keys), so an id or a name costs a few KB.
   */
  Engine.prototype.lookup = function (keys) {
    var self = this, count = this.manifest.keys || 0, out = {};
    if (!count || !keys.length) return Promise.resolve(out);
    return Promise.all(keys.map(function (key) {
      var file = self.file("k", keyFile(key, count));
      if (!self.keyFiles[file]) {
        self.keyFiles[file] = self.fetchJson(self.baseUrl + file).then(function (data) {
          var map = {};
          data.keys.forEach(function (row) { map[row[0]] = row; });
          return map;
        });
      }
      return self.keyFiles[file].then(function (map) {
        var row = map[key];
        if (row) out[key] = { shown: row[1], positions: decodeGaps(row[2]) };
      });
    })).then(function () { return out; });
  };

  /* The number of the shard holding `term` (contiguous sorted ranges, by first term). */
  Engine.prototype.shardFor = function (term) {
    var firsts = this.manifest.shards, lo = 0, hi = firsts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (firsts[mid] <= term) lo = mid; else hi = mid - 1;
    }
    return lo;
  };

  /*
   * What one clause of a parsed query reads from the index: its exact (stemmed) `terms`,
   * the terms starting with a `prefix` (a wildcard after some letters), or, for a leading
   * wildcard (`all`) or a fuzzy term (`fuzzy`: the words sharing its first letters), a
   * whole range of shards.  The one home of that rule: shardsFor() and entriesFor() read it.
   */
  Engine.prototype.clauseNeeds = function (clause) {
    var term = clause.term, wildcard = this.lunr.Query.wildcard;
    if (term.charAt(0) === "*" || (clause.wildcard & wildcard.LEADING)) return { all: true };
    if (clause.wildcard & wildcard.TRAILING || term.indexOf("*") !== -1) {
      return { prefix: term.split("*")[0] };
    }
    var terms = clause.usePipeline === false ? [term] : this.pipeline.runString(term);
    if (clause.editDistance) {
      return { fuzzy: terms.map(function (t) { return t.slice(0, Engine.FUZZY_PREFIX); }) };
    }
    return { terms: terms };
  };

  /* Files of the shards a parsed query needs: by term, by prefix range, or all of them. */
  Engine.prototype.shardsFor = function (query) {
    var self = this, shards = this.allShards();
    if (!shards.length) return [];
    var wanted = {};
    function range(prefix) {
      var to = self.shardFor(prefix + "\uffff");
      for (var i = self.shardFor(prefix); i <= to; i++) wanted[shards[i]] = true;
    }
    query.clauses.forEach(function (clause) {
      var needs = self.clauseNeeds(clause);
      if (needs.all) shards.forEach(function (file) { wanted[file] = true; });
      else if (needs.prefix !== undefined) range(needs.prefix);
      /* a typo is looked for among the words sharing the term's first letters */
      else if (needs.fuzzy) needs.fuzzy.forEach(range);
      else needs.terms.forEach(function (t) { wanted[shards[self.shardFor(t)]] = true; });
    });
    /* in manifest order, which is term order: lunr needs its terms sorted */
    return shards.filter(function (file) { return wanted[file]; });
  };

  /*
   * The entries of these loaded shards that `query` can match, per file: `true` for all of
   * them (a leading wildcard, a fuzzy term: lunr expands those over every loaded word, as
   * it always did), else the sorted entry numbers of its exact terms and prefix ranges.
   * A shard holds about a thousand words and a query reads a few: decoding only those
   * keeps the cost of a keystroke that of its words, not of its shards.
   */
  Engine.prototype.entriesFor = function (files, query) {
    var self = this, picked = {};
    files.forEach(function (file) { picked[file] = {}; });
    var everything = !query || query.clauses.some(function (clause) {
      var needs = self.clauseNeeds(clause);
      return needs.all || needs.fuzzy;
    });
    if (everything) {
      files.forEach(function (file) { picked[file] = true; });
      return picked;
    }
    query.clauses.forEach(function (clause) {
      var needs = self.clauseNeeds(clause);
      files.forEach(function (file) {
        var entries = self.loaded[file], at;
        if (needs.prefix !== undefined) {
          for (at = firstAtLeast(entries, needs.prefix); at < entries.length &&
               entries[at][0].indexOf(needs.prefix) === 0; at++) picked[file][at] = true;
        } else {
          needs.terms.forEach(function (t) {
            at = firstAtLeast(entries, t);
            if (at < entries.length && entries[at][0] === t) picked[file][at] = true;
          });
        }
      });
    });
    files.forEach(function (file) {
      picked[file] = Object.keys(picked[file]).map(Number).sort(function (a, b) {
        return a - b;
      });
    });
    return picked;
  };

  /* How many postings (paper and field pairs) the entries `query` can match hold. */
  Engine.prototype.postings = function (files, query) {
    var picked = this.entriesFor(files, query), total = 0;
    files.forEach(function (file) {
      var entries = this.loaded[file], numbers = picked[file];
      if (numbers === true) numbers = entries.map(function (e, k) { return k; });
      numbers.forEach(function (at) {
        for (var k = 1; k < entries[at].length; k++) {
          if (entries[at][k]) total += entries[at][k].split(",").length;
        }
      });
    }, this);
    return total;
  };

  /* The first entry whose term is not below `term` (entries are sorted by term). */
  function firstAtLeast(entries, term) {
    var lo = 0, hi = entries.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (entries[mid][0] < term) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

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

  /*
   * One shard entry's postings decoded: per field its refs (lunr's posting form, empty
   * metadata) and the (field/ref, weight) pairs of the field vectors.  Decoded once, when a
   * query first needs it, and kept: the next keystroke usually reads the same words.
   */
  Engine.prototype.decode = function (file, at) {
    var cache = this.decoded[file] || (this.decoded[file] = {});
    if (cache[at]) return cache[at];
    var entry = this.loaded[file][at], fields = this.manifest.fields;
    var steps = this.manifest.weightSteps, postings = {}, weights = [];
    fields.forEach(function (field, k) {
      var refs = {}, list = entry[k + 1], position = 0;
      if (list) {
        list.split(",").forEach(function (token) {
          position += parseInt(token.slice(0, -2), 36);
          var ref = position.toString(36);
          refs[ref] = {};
          weights.push(field.name + "/" + ref, parseInt(token.slice(-2), 36) / steps * field.boost);
        });
      }
      postings[field.name] = refs;
    });
    cache[at] = { term: entry[0], postings: postings, weights: weights };
    return cache[at];
  };

  /*
   * Rebuild lunr's serialized form from the entries of these loaded shards that `query`
   * can match (all of them without a query) and hand it to Index.load.  Field vectors
   * exist only for the papers those entries mention: lunr looks vectors up by the postings
   * it matched, and a score is the dot product with the query's terms, so the words the
   * query cannot match add nothing to it.
   */
  Engine.prototype.indexFor = function (files, query) {
    /* an index of every entry of these files answers any query on them the same way */
    if (this.index && this.built === files.join(" ")) return this.index;
    var picked = this.entriesFor(files, query);
    var key = files.map(function (file) {
      return file + (picked[file] === true ? "" : ":" + picked[file].join(","));
    }).join(" ");
    if (this.index && this.built === key) return this.index;
    var inverted = [], vectors = {}, i = 0;
    files.forEach(function (file) {
      var numbers = picked[file];
      if (numbers === true) numbers = this.loaded[file].map(function (e, k) { return k; });
      numbers.forEach(function (at) {
        var entry = this.decode(file, at), weights = entry.weights, posting = { _index: i };
        for (var name in entry.postings) posting[name] = entry.postings[name];
        for (var w = 0; w < weights.length; w += 2) {
          (vectors[weights[w]] || (vectors[weights[w]] = [])).push(i, weights[w + 1]);
        }
        inverted.push([entry.term, posting]);
        i += 1;
      }, this);
    }, this);
    var index = this.lunr.Index.load({
      version: this.lunr.version,
      fields: this.fieldNames,
      fieldVectors: Object.keys(vectors).map(function (k) { return [k, vectors[k]]; }),
      invertedIndex: inverted,
      pipeline: this.manifest.pipeline
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
      for (var n = 0; n < docs.chunks; n++) wanted[n] = true;
    } else {
      positions.forEach(function (p) { wanted[Math.floor(p / docs.size)] = true; });
    }
    var numbers = Object.keys(wanted).map(Number).sort(function (a, b) { return a - b; });
    return Promise.all(numbers.map(function (n) {
      var file = self.file("d", n), first = n * docs.size;
      if (!self.chunks[file]) {
        self.chunks[file] = self.fetchJson(self.baseUrl + file).then(function (data) {
          data.docs.forEach(function (d, k) {
            self.docs[first + k] = {
              position: first + k, id: d[0], title: d[1], tags: d[2],
              teaser: d[3], code: d[4] === 1, authors: d[5] || ""
            };
          });
        });
      }
      return self.chunks[file];
    }));
  };

  /* Fill in `doc` of these results, fetching the chunks they live in. */
  Engine.prototype.withDocs = function (results) {
    var self = this;
    return this.loadDocs(results.map(function (r) { return r.position; })).then(function () {
      results.forEach(function (r) { r.doc = self.docs[r.position]; });
      return results;
    });
  };

  /* Parse lunr syntax; null when lunr cannot (the caller then searches the plain words). */
  Engine.prototype.parse = function (text) {
    var query = new this.lunr.Query(this.fieldNames);
    try {
      new this.lunr.QueryParser(text, query).parse();
    } catch (e) {
      if (!(e instanceof this.lunr.QueryParseError)) throw e;
      return null;
    }
    /* a bare `*` would match every paper: that is no search, it is malformed */
    var bare = query.clauses.some(function (c) { return /^\**$/.test(c.term); });
    return bare ? null : query;
  };

  /*
   * Run a typed query.  Resolves to {results, fallback, negated, match, allCount,
   * corrected}: results are ranked, each with its paper position, lunr score and the index
   * terms it matched (for highlighting); the first `options.top` (the manifest's results.page) are re-ranked
   * by title and word adjacency and have their `doc`, the rest get it from withDocs() when
   * shown.
   *
   * A field phrase checked on only the best-scored papers (phrased()) has `match`
   * "phrase": `allCount` hold the phrase, the papers after them only its words.
   *
   * Plain words (no syntax) ask for papers holding all of them: `match` is "all" and
   * results are those papers, unless fewer than a page of them have them all; then the papers
   * with some of the words follow them ("some"; `allCount` says how many have all).  A
   * word rarer than any of the vocabulary's is corrected against it (correction();
   * `corrected`: the query searched instead; options.verbatim turns that off).  arXiv ids
   * come first (searchOnce), and so do the papers of an author whose whole name the
   * query is (`named`: the name as written; each such result carries it too).  A query lunr cannot parse is searched as its plain words
   * (fallback: true).  A query made only of exclusions (negated: true) lists every other
   * paper in archive order.  Syntax (+, -, field:, *, ~) is lunr's, as typed.
   *
   * `options.superseded`, if given, is asked once the query's shards are in: when it says
   * true (the reader typed on, and earlier results are on screen), the query stops there
   * and resolves to {superseded: true}, so no keystroke waits for the scoring of one
   * before it (a three-letter prefix of 50,000 papers matches thousands).
   */
  Engine.prototype.search = function (raw, options) {
    var self = this, first = {};
    options = options || {};
    Object.keys(options).forEach(function (k) { first[k] = options[k]; });
    first.typos = !options.verbatim;
    return this.searchOnce(raw, first).then(function (found) {
      if (!found.retry) return found;
      /* a typo: the corrected words are searched instead (the typed ones never scored) */
      return self.searchOnce(found.retry, options).then(function (again) {
        if (again.superseded || again.skipped) return again;
        if (!again.results.length) return self.searchOnce(raw, options);
        again.corrected = found.retry;
        return again;
      });
    });
  };

  /*
   * One search, no correction: arXiv ids in the query first (looked up exactly; an id the
   * archive lacks is searched as the words it is), then the rest as words.
   */
  Engine.prototype.searchOnce = function (raw, options) {
    var self = this, split = splitIds(raw);
    if (!split.ids.length || !this.manifest.keys) return this.searchWords(raw, options);
    return this.lookup(split.ids.map(function (id) { return "a:" + id; })).then(function (hit) {
      var pinned = [];
      split.ids.forEach(function (id) {
        var found = hit["a:" + id];
        if (found) found.positions.forEach(function (p) { pinned.push(p); });
      });
      if (!pinned.length) return self.searchWords(raw, options);
      var rest = split.rest.trim() ? self.searchWords(split.rest, options)
        : Promise.resolve({ results: [], fallback: false, negated: false, match: "all",
          allCount: 0, words: [], corrected: null });
      return rest.then(function (found) {
        if (found.superseded || found.skipped) return found;
        var first = pinned.map(function (p) {
          return { position: p, score: 0, terms: [], fields: {}, byId: true };
        });
        var others = found.results.filter(function (r) { return pinned.indexOf(r.position) === -1; });
        return self.withDocs(first).then(function () {
          found.results = first.concat(others);
          found.allCount = first.length + (found.match === "all" ? others.length : found.allCount);
          found.plain = false;  /* a pasted id is not a typo to correct */
          found.ids = split.ids;
          return found;
        });
      });
    });
  };

  Engine.prototype.searchWords = function (raw, options) {
    var self = this;
    var parsed = parseQuery(raw, function (word) { return self.isStopWord(word); });
    var text = parsed.text;
    var last = parsed.words[parsed.words.length - 1] || "";
    var prefix = Boolean(options.prefix && parsed.plain && last && !/\s$/.test(raw) &&
        (this.isSmall() || last.length >= Engine.MIN_PREFIX));
    if (prefix) text += " " + last + "*";
    var query = text.trim() ? this.parse(text) : null, fallback = false;
    var words = parsed.words;
    if (text.trim() && !query) {
      fallback = true;
      words = plainWords(raw, this.fieldNames);
      text = words.join(" ");
      query = text ? this.parse(text) : null;
    }
    var phrases = fallback ? [] : parsed.phrases;
    var plain = parsed.plain || fallback;
    var none = { results: [], fallback: fallback, negated: false, match: "all", allCount: 0,
      plain: plain, words: words, corrected: null };
    if (!query) return Promise.resolve(none);
    var files = this.shardsFor(query);
    /* two to four plain words may be an author's whole name: one small key file */
    var nameKey = parsed.plain && parsed.words.length >= Engine.NAME_WORDS[0] &&
      parsed.words.length <= Engine.NAME_WORDS[1] ? "n:" + parsed.words.join(" ") : "";
    var keys = (nameKey ? [nameKey] : []).concat(phrases.map(nameOf).filter(Boolean));
    var named = null, keyed = {};
    return Promise.all([this.loadShards(files), this.lookup(keys)]).then(function (loaded) {
      keyed = loaded[1];
      named = keyed[nameKey] || null;
      if (options.superseded && options.superseded()) return { superseded: true };
      if (options.maxPostings !== undefined &&
          self.postings(files, query) > options.maxPostings) return { skipped: true };
      /* decided before scoring: a typo's query is not worth scoring as typed */
      var typos = options.typos && plain && !named ? self.typos(words, prefix ? last : "") : [];
      if (!typos.length) return score();
      return self.correction(words, typos).then(function (better) {
        return better ? { retry: better } : score();
      });
    });
    function score() {
      var index = self.indexFor(files, query);
      if (query.isNegated()) {
        var rest = self.allBut(index, query);
        return { results: rest, fallback: fallback, negated: true, match: "all",
          allCount: rest.length, plain: false, words: words, corrected: null };
      }
      var hits = (self.overBudget(index, query) ? self.exactly(index, query)
        : index.search(text)).map(toResult);
      var top = options.top || self.top;
      return self.phrased(hits, phrases, keyed).then(function (checked) {
        var held = checked.results;
        var split = plain ? self.allWords(held, words, prefix ? last : "")
          : checked.unchecked ? { results: held, match: "phrase", allCount: checked.held }
            : { results: held, match: "all", allCount: held.length };
        /* papers not checked for the phrase stay after those that hold it */
        var ranked = checked.unchecked ? split.results.slice(0, checked.held) : split.results;
        return self.rank(ranked, words, raw, top).then(function (ranked) {
          var after = checked.unchecked ? split.results.slice(checked.held) : [];
          return { results: ranked.concat(after), split: split };
        });
      }).then(function (done) {
        var split = done.split, ranked = done.results;
        return self.byName(ranked, named, top).then(function (ranked) {
          return { results: ranked, fallback: fallback, negated: false, match: split.match,
            allCount: split.allCount, plain: plain, words: words, corrected: null,
            named: named ? named.shown : phraseName(phrases, keyed) };
        });
      });
    }
  };

  /* The name as written of the first author phrase looked up whole ("" if none). */
  function phraseName(phrases, keyed) {
    var found = phrases.map(nameOf).filter(function (key) { return keyed[key]; });
    return found.length ? keyed[found[0]].shown : "";
  }

  /* The whole-name key of an author phrase of 2 to 4 words ("" for any other phrase). */
  function nameOf(phrase) {
    var n = phrase.words.length;
    return phrase.field === "author" && n >= Engine.NAME_WORDS[0] && n <= Engine.NAME_WORDS[1]
      ? "n:" + phrase.words.join(" ") : "";
  }

  /*
   * The hits that hold each field-qualified phrase as a phrase, in their order.  lunr
   * knows only that every word is in the field (no positions are indexed), so:
   *   - author: a phrase of 2 to 4 words is a whole name, looked up exactly (`keyed`: the
   *     key files' answer), so "Wei Liu" is one author, not a Wei and a Liu; the results
   *     carry the name (`named`), as a whole-name search's do.  Other lengths: the words
   *     in the author field.
   *   - tags: the tags whose name or id holds the phrase's stems side by side, in order
   *     (the manifest's vocabulary), and the papers carrying one of them (the facet file,
   *     which the search page loads anyway): exact, and no document is fetched.
   *   - title: the documents of the hits are fetched and the title must hold the phrase's
   *     stems side by side, in order.  In a split index at most Engine.PHRASE_CHUNKS
   *     document chunks are fetched for it, for the best-scored hits (`title:"language
   *     model"`: 208 files of 282 at 2,255 papers, before the bound); hits beyond are not
   *     checked and follow the checked ones.
   *   - abstract: the words in the abstract (the documents hold only its teaser).
   * Resolves to {results, held: how many were checked and hold the phrases, unchecked}.
   */
  Engine.prototype.phrased = function (hits, phrases, keyed) {
    var self = this, keys = Boolean(this.manifest.keys);
    var checked = phrases.filter(function (p) { return p.words.length > 1; });
    function all(results) {
      return { results: results, held: results.length, unchecked: 0 };
    }
    if (!checked.length) return Promise.resolve(all(hits));
    checked.forEach(function (p) {
      var key = nameOf(p);
      if (!key || !keys) return;
      var mine = {};
      (keyed[key] ? keyed[key].positions : []).forEach(function (at) { mine[at] = true; });
      hits = hits.filter(function (r) { return mine[r.position]; });
      hits.forEach(function (r) { if (!r.named) r.named = keyed[key].shown; });
    });
    var tagged = checked.filter(function (p) { return p.field === "tags"; });
    if (tagged.length && hits.length) {
      return this.facets().then(function (marks) {
        tagged.forEach(function (p) {
          var lists = self.manifest.tags.filter(function (pair) {
            return self.holdsPhrase(pair[1], p.words) || self.holdsPhrase(pair[0], p.words);
          }).map(function (pair) { return marks.tags[pair[0]] || new Uint8Array(0); });
          hits = hits.filter(function (r) {
            return lists.some(function (list) { return list[r.position] === 1; });
          });
        });
        return self.phrased(hits, checked.filter(function (p) { return p.field !== "tags"; }),
                            keyed);
      });
    }
    var onDocs = checked.filter(function (p) { return p.field === "title"; });
    if (!onDocs.length || !hits.length) return Promise.resolve(all(hits));
    var size = this.manifest.docs.size, budget = this.isSmall() ? Infinity : Engine.PHRASE_CHUNKS;
    var chunks = {}, taken = 0, mine = [], rest = [];
    hits.forEach(function (r) {
      var chunk = Math.floor(r.position / size);
      if (!self.docs[r.position] && !chunks[chunk] && taken < budget) {
        chunks[chunk] = true;
        taken += 1;
      }
      (self.docs[r.position] || chunks[chunk] ? mine : rest).push(r);
    });
    return this.withDocs(mine).then(function () {
      var held = mine.filter(function (r) {
        return onDocs.every(function (p) { return self.holdsPhrase(r.doc.title, p.words); });
      });
      return { results: held.concat(rest), held: held.length, unchecked: rest.length };
    });
  };

  /* Most document chunks fetched to check a title or tag phrase (a page's 20 results
     fetch up to 20). */
  Engine.PHRASE_CHUNKS = 24;

  /* Whether `text` holds `phrase` (folded words) in order, side by side, stem by stem. */
  Engine.prototype.holdsPhrase = function (text, phrase) {
    var lunr = this.lunr;
    function stems(list) {
      return " " + list.map(function (w) { return lunr.stemmer(new lunr.Token(w)).toString(); })
        .join(" ") + " ";
    }
    return stems(words(text)).indexOf(stems(phrase)) !== -1;
  };

  /* Words of a query looked up as an author's whole name (generator/search.py NAME_WORDS). */
  Engine.NAME_WORDS = [2, 4];

  /*
   * The papers of an author whose whole name is the query (`named`: a lookup() answer)
   * first, in the order they had, each marked with the name as written (`named`), so the
   * result shows it even where its byline stops at "et al.".  Their documents are fetched
   * for the first `size`, as rank() did for the others.
   */
  Engine.prototype.byName = function (ranked, named, size) {
    if (!named) return Promise.resolve(ranked);
    var mine = {}, first = [], rest = [];
    named.positions.forEach(function (p) { mine[p] = true; });
    ranked.forEach(function (r) {
      if (mine[r.position]) { r.named = named.shown; first.push(r); delete mine[r.position]; }
      else rest.push(r);
    });
    Object.keys(mine).forEach(function (p) {
      first.push({ position: Number(p), score: 0, terms: [], fields: {}, named: named.shown });
    });
    var out = first.concat(rest);
    return this.withDocs(out.slice(0, size)).then(function () { return out; });
  };

  /* Whether the fuzzy terms of `query` expand to more than MAX_EXPANDED words of `index`. */
  Engine.prototype.overBudget = function (index, query) {
    var lunr = this.lunr, pipeline = this.pipeline, total = 0;
    return query.clauses.some(function (clause) {
      if (!clause.editDistance) return false;
      var terms = clause.usePipeline === false ? [clause.term] : pipeline.runString(clause.term);
      terms.forEach(function (term) {
        var copy = { term: term, editDistance: clause.editDistance };
        total += index.tokenSet.intersect(lunr.TokenSet.fromClause(copy)).toArray().length;
      });
      return total > Engine.MAX_EXPANDED;
    });
  };

  /* `query` searched with its fuzzy terms as typed (edit distance 0). */
  Engine.prototype.exactly = function (index, query) {
    return index.query(function (q) {
      query.clauses.forEach(function (clause) {
        var copy = {};
        Object.keys(clause).forEach(function (k) { copy[k] = clause[k]; });
        delete copy.editDistance;
        q.clause(copy);
      });
    });
  };

  /* Whether lunr drops `word` when indexing (a stop word): such a word is never required. */
  Engine.prototype.isStopWord = function (word) {
    return !this.lunr.stopWordFilter(new this.lunr.Token(word));
  };

  /*
   * Papers holding every (non-stop) word first, in lunr's order; if fewer than a page,
   * then the papers holding some, most words first.  A word is held when the paper matched
   * its stem, or for the word being typed (`prefix`) any term starting with it.
   */
  Engine.prototype.allWords = function (hits, words, prefix) {
    var self = this, wanted = [];
    words.forEach(function (word, k) {
      if (self.isStopWord(word)) return;
      var stems = self.pipeline.runString(word);
      if (stems.length) wanted.push({ stems: stems, prefix: k === words.length - 1 ? prefix : "" });
    });
    if (wanted.length < 2) return { results: hits, match: "all", allCount: hits.length };
    var all = [], some = [];
    hits.forEach(function (hit, order) {
      var held = 0, inTitle = 0, titled = 0;
      wanted.forEach(function (w) {
        var found = 0;  /* 1: held, 2: in the title, 3: in the title as the word typed */
        hit.terms.forEach(function (t) {
          var stem = w.stems.indexOf(t) !== -1;
          if (stem || (w.prefix && t.indexOf(w.prefix) === 0)) {
            var there = hit.fields[t].indexOf("title") === -1 ? 1 : stem ? 3 : 2;
            if (there > found) found = there;
          }
        });
        if (found) held += 1;
        if (found >= 2) inTitle += 1;
        if (found === 3) titled += 1;
      });
      hit.held = held;
      hit.order = order;
      /* a paper whose title holds the words is about them; one whose abstract mentions
         them may not be: lunr's sum of field scores alone cannot tell the two apart */
      hit.score *= 1 + Engine.IN_TITLE * inTitle / wanted.length;
      /* every word in the title, as typed (a completion of the last word is not): first */
      hit.titled = Engine.TITLED && titled === wanted.length ? 1 : 0;
      (held === wanted.length ? all : some).push(hit);
    });
    function byScore(a, b) {
      return (b.titled - a.titled) || (b.score - a.score) || (a.order - b.order);
    }
    all.sort(byScore);
    if (all.length >= this.top) return { results: all, match: "all", allCount: all.length };
    some.sort(function (a, b) { return (b.held - a.held) || byScore(a, b); });
    return { results: all.concat(some), match: all.length === hits.length ? "all" : "some",
      allCount: all.length };
  };

  /* How much more a paper scores when all the query's words are in its title. */
  Engine.IN_TITLE = 1;

  /* Whether papers whose title holds every word of the query come first (1) or not (0). */
  Engine.TITLED = 1;

  /* Fewest words of a query found as a phrase in a title that puts the paper first. */
  Engine.PHRASE = 3;

  /* Fewest words of a query the teaser must open with to put the paper first. */
  Engine.OPENING = 6;

  /* The vocabulary words starting like `word`, for typo corrections: [[word, papers], ...],
     most frequent first (one file per first letter). */
  Engine.prototype.vocabulary = function (word) {
    var n = (this.manifest.vocabulary || []).indexOf(word.charAt(0));
    if (n === -1) return Promise.resolve([]);
    var file = this.file("w", n);
    if (!this.vocab[file]) {
      this.vocab[file] = this.fetchJson(this.baseUrl + file).then(function (data) {
        return data.words;
      });
    }
    return this.vocab[file];
  };

  /*
   * How many papers hold `word`'s stem, or, when `prefix` (the word being typed), any
   * loaded term starting with it; counted up to `limit` (enough to know it is no typo).
   * The shards are loaded already (the query just ran), so this costs no fetch.
   */
  Engine.prototype.papersWith = function (word, prefix, limit) {
    var self = this, seen = {}, n = 0;
    function count(entry) {
      for (var k = 1; k < entry.length && n < limit; k++) {
        if (!entry[k]) continue;
        if (entry[k].split(",").length >= limit) { n = limit; return; }
        var position = 0;
        entry[k].split(",").forEach(function (token) {  /* gap, then a 2-digit weight */
          position += parseInt(token.slice(0, -2), 36);
          if (!seen[position]) { seen[position] = true; n += 1; }
        });
      }
    }
    this.pipeline.runString(word).forEach(function (term) {
      var entries = self.loaded[self.file("i", self.shardFor(term))] || [];
      var at = firstAtLeast(entries, term);
      if (at < entries.length && entries[at][0] === term) count(entries[at]);
    });
    if (prefix && n < limit) {
      var to = this.shardFor(prefix + "\uffff");
      for (var i = this.shardFor(prefix); i <= to && n < limit; i++) {
        var entries = this.loaded[this.file("i", i)] || [];
        for (var at = firstAtLeast(entries, prefix); at < entries.length && n < limit &&
             entries[at][0].indexOf(prefix) === 0; at++) count(entries[at]);
      }
    }
    return Math.min(n, limit);
  };

  /*
   * The typos of a query's words: [{word, papers}], decided on the loaded shards alone.
   * A word is a typo candidate when at most as many papers hold it as hold the
   * vocabulary's rarest word (the manifest's vocabularyMin), whatever the rest of the
   * query finds: "difusion model" found 41,407 papers by "model" and one "DiFuse".  It is
   * corrected (correction()) to the vocabulary word nearest by edits (the most frequent
   * of equals) unless the vocabulary holds the word itself, when
   *   - the index lacks the word altogether, or
   *   - that word is in Engine.TYPO_RATIO times more papers and differs by letters added,
   *     dropped or swapped (a typo's usual edits), not replaced: so a rare name one letter
   *     from a common word ("llada", "llama") stays as typed.
   * Only such words fetch their letter's vocabulary file; an ordinary query fetches none.
   */
  Engine.prototype.typos = function (words, prefix) {
    var self = this, limit = this.manifest.vocabularyMin || 0, out = [];
    words.forEach(function (word, k) {
      if (self.isStopWord(word) || Engine.typoDistance(word) === 0) return;
      var typed = prefix && k === words.length - 1 ? word : "";
      var n = self.papersWith(word, typed, limit + 1);
      if (n <= limit) out.push({ word: word, papers: n });
    });
    return out;
  };

  /* The words with the typos `typos()` found replaced (null: no better word for any). */
  Engine.prototype.correction = function (words, typos) {
    var self = this;
    var unknown = typos.map(function (t) { return t.word; });
    var held = typos.map(function (t) { return t.papers; });
    return Promise.all(unknown.map(function (word, k) {
      var stems = self.pipeline.runString(word).join(" ");
      return self.vocabulary(word).then(function (vocab) {
        /* a word of the vocabulary is a word of the archive, however rare: no typo */
        if (vocab.some(function (v) { return v[0] === word; })) return null;
        return closest(word, vocab, Engine.typoDistance(word), function (candidate, papers) {
          if (self.pipeline.runString(candidate).join(" ") === stems) return false;
          if (!held[k]) return true;
          return papers >= Engine.TYPO_RATIO * held[k] && (candidate.length !== word.length ||
            swapped(word, candidate));
        });
      });
    })).then(function (found) {
      var changed = false;
      var out = words.map(function (word) {
        var at = unknown.indexOf(word);
        if (at === -1 || !found[at]) return word;
        changed = true;
        return found[at];
      });
      return changed ? out.join(" ") : null;
    });
  };

  /*
   * A spelling suggestion for a query that found nothing: `raw` (folded) with each word
   * the vocabulary lacks replaced by its nearest vocabulary word, whatever the number of
   * papers holding the typed one (a search corrects only words rarer than the vocabulary's
   * rarest, and never a query with syntax: `title:"difusion"`).  Null when no word has a
   * better spelling.  The caller shows it only when it finds papers.
   */
  Engine.prototype.suggestion = function (raw, words) {
    var self = this;
    var candidates = words.filter(function (w, k) {
      return words.indexOf(w) === k && !self.isStopWord(w) && Engine.typoDistance(w) > 0;
    });
    if (!candidates.length) return Promise.resolve(null);
    var unknown = candidates.map(function (w) { return { word: w, papers: 0 }; });
    return this.correction(candidates, unknown).then(function (better) {
      if (!better) return null;
      var fixed = better.split(" "), text = fold(raw).trim();
      candidates.forEach(function (word, k) {
        if (fixed[k] === word) return;
        text = text.replace(new RegExp("(^|[^" + WORD_CHARS + "])" + word + "(?![" +
          WORD_CHARS + "])", "gu"), "$1" + fixed[k]);
      });
      return text === fold(raw).trim() ? null : text;
    });
  };

  /*
   * The tags whose names are closest to a query's words (`words`, folded), for a search
   * that found nothing: [[id, name], ...], at most `limit`, best first (ties by name).
   * A tag word matches a query word: 1 when equal, 0.8 / 0.65 one or two typos apart
   * (within Engine.typoDistance), 0.8 x the shorter's share of the longer when one starts
   * the other (3 letters or more: "forecast", "forecasting"); a word of the tag's id counts
   * 0.9 of that (the name is what the reader reads).  A tag scores the mean over the
   * query's words of its best match, and is offered from Engine.TAG_NEAR.
   */
  Engine.prototype.closestTags = function (words, limit) {
    var self = this;
    var wanted = words.filter(function (w) { return !self.isStopWord(w); });
    if (!wanted.length) return [];
    function near(q, t) {
      if (t === q) return 1;
      var edits = editDistance(q, t, Engine.typoDistance(q));
      if (edits <= Engine.typoDistance(q)) return edits === 1 ? 0.8 : 0.65;
      var short = Math.min(t.length, q.length);
      if (short >= 3 && (t.indexOf(q) === 0 || q.indexOf(t) === 0)) {
        return 0.8 * short / Math.max(t.length, q.length);
      }
      return 0;
    }
    var scored = [];
    this.manifest.tags.forEach(function (pair) {
      var named = words_(pair[1]), ids = words_(pair[0]);
      var score = 0;
      wanted.forEach(function (q) {
        var best = 0;
        named.forEach(function (t) { best = Math.max(best, near(q, t)); });
        ids.forEach(function (t) { best = Math.max(best, 0.9 * near(q, t)); });
        score += best;
      });
      score /= wanted.length;
      if (score >= Engine.TAG_NEAR) scored.push([score, pair[1].toLowerCase(), pair]);
    });
    scored.sort(function (a, b) {
      return (b[0] - a[0]) || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
    });
    return scored.slice(0, limit).map(function (s) { return s[2]; });
  };

  /* The least share of a query's words a tag's name must match to be offered. */
  Engine.TAG_NEAR = 0.5;

  /* How many times more papers the correction of a word the index has must be in. */
  Engine.TYPO_RATIO = 20;

  /* Edits allowed when correcting a word: none for short words, 1 up to 6 letters, else 2. */
  Engine.typoDistance = function (word) {
    return word.length < 4 || /\d/.test(word) ? 0 : word.length <= 6 ? 1 : 2;
  };

  /* Whether b is a with two neighbouring letters swapped. */
  function swapped(a, b) {
    if (a.length !== b.length) return false;
    var i = 0;
    while (i < a.length && a.charAt(i) === b.charAt(i)) i++;
    return i < a.length - 1 && a.charAt(i) === b.charAt(i + 1) &&
      a.charAt(i + 1) === b.charAt(i) && a.slice(i + 2) === b.slice(i + 2);
  }

  /* The first (most frequent) word of `vocab` nearest to `word`, within `limit` edits, of
     those `allowed(word, papers)` accepts. */
  function closest(word, vocab, limit, allowed) {
    var best = null, bestDistance = limit + 1;
    for (var i = 0; i < vocab.length && bestDistance > 1; i++) {
      var candidate = vocab[i][0];
      if (candidate === word || Math.abs(candidate.length - word.length) >= bestDistance) {
        continue;
      }
      var d = editDistance(word, candidate, bestDistance - 1);
      if (d < bestDistance && allowed(candidate, vocab[i][1])) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best;
  }

  /* Edits (insert, delete, substitute, swap two neighbours) from a to b; limit+1 if more. */
  function editDistance(a, b, limit) {
    var previous2 = null, previous = [], row, i, j;
    for (j = 0; j <= b.length; j++) previous.push(j);
    for (i = 1; i <= a.length; i++) {
      row = [i];
      var smallest = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a.charAt(i - 1) === b.charAt(j - 1) ? 0 : 1;
        var d = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
        if (previous2 && i > 1 && j > 1 && a.charAt(i - 1) === b.charAt(j - 2) &&
            a.charAt(i - 2) === b.charAt(j - 1)) {
          d = Math.min(d, previous2[j - 2] + 1);
        }
        row.push(d);
        if (d < smallest) smallest = d;
      }
      if (smallest > limit) return limit + 1;
      previous2 = previous;
      previous = row;
    }
    return previous[b.length];
  }

  /* Every paper that none of the (all prohibited) clauses of `query` matches. */
  Engine.prototype.allBut = function (index, query) {
    var lunr = this.lunr, excluded = {};
    index.query(function (q) {
      query.clauses.forEach(function (clause) {
        var copy = {};
        Object.keys(clause).forEach(function (k) { copy[k] = clause[k]; });
        copy.presence = lunr.Query.presence.OPTIONAL;
        q.clause(copy);
      });
    }).forEach(function (hit) { excluded[hit.ref] = true; });
    var results = [];
    for (var p = 0; p < this.manifest.count; p++) {
      if (!excluded[p.toString(36)]) results.push({ position: p, score: 0, terms: [] });
    }
    return results;
  };

  /*
   * Re-rank the top results once their documents are in: an exact title first, then a
   * leading title match, then (within the same "holds all words" group) by lunr's score
   * raised for query words that stand next to each other in the title or teaser.
   */
  Engine.prototype.rank = function (results, words, raw, size) {
    var self = this, top = results.slice(0, size);
    return this.withDocs(top).then(function () {
      top.forEach(function (r, order) {
        r.tier = titleTier(r.doc, raw);
        r.order = order;
        r.near = r.score * (1 + Engine.ADJACENT * adjacency(words, r.doc));
        r.literal = r.titled && Engine.LITERAL ? literally(words, r.doc.title, self) : 0;
      });
      top.sort(function (a, b) {
        return (b.tier - a.tier) || ((b.held || 0) - (a.held || 0)) ||
          ((b.titled || 0) - (a.titled || 0)) || (b.literal - a.literal) ||
          (b.near - a.near) || (a.order - b.order);
      });
      return top.concat(results.slice(size));
    });
  };

  /*
   * Whether a title whose stems hold the query also holds its words as typed (1 or 0): of
   * "reinforced understanding generation", a title with "reinforced" before one with
   * "reinforcing".  The last word may be the start of a title word (it is being typed).
   */
  function literally(typed, title, engine) {
    var have = words(title), last = typed.length - 1;
    return typed.every(function (word, k) {
      return engine.isStopWord(word) || have.some(function (w) {
        return w === word || (k === last && w.indexOf(word) === 0);
      });
    }) ? 1 : 0;
  }

  /* Whether titles with the query's words as typed go before those with other forms. */
  Engine.LITERAL = 1;

  /* Score gained per pair of query words found side by side (title or teaser). */
  Engine.ADJACENT = 0.5;

  /* Pairs of consecutive query words that also stand side by side in the title or teaser. */
  function adjacency(typed, doc) {
    if (typed.length < 2) return 0;
    var text = " " + words(doc.title + " . " + doc.teaser).join(" ") + " ";
    var pairs = 0;
    for (var i = 1; i < typed.length; i++) {
      if (text.indexOf(" " + typed[i - 1] + " " + typed[i]) !== -1) pairs += 1;
    }
    return pairs / (typed.length - 1);
  }

  /* Every paper, in archive order: what a filter-only search (no words) lists. */
  Engine.prototype.everything = function () {
    var results = [];
    for (var p = 0; p < this.manifest.count; p++) {
      results.push({ position: p, score: 0, terms: [] });
    }
    return Promise.resolve({ results: results, fallback: false, negated: false, match: "all",
      allCount: results.length, plain: false, words: [], corrected: null });
  };

  /* Per tag (and for code links) a 0/1 array over paper positions, for the search page. */
  Engine.prototype.facets = function () {
    var self = this, count = this.manifest.count;
    if (!this.facetData) {
      this.facetData = this.fetchJson(this.baseUrl + this.file("f", 0)).then(function (data) {
        function marks(list) {
          var out = new Uint8Array(count);
          decodeGaps(list).forEach(function (p) { out[p] = 1; });
          return out;
        }
        var tags = {}, years = {};
        Object.keys(data.tags).forEach(function (t) { tags[t] = marks(data.tags[t]); });
        Object.keys(data.years || {}).forEach(function (y) { years[y] = marks(data.years[y]); });
        return { tags: tags, code: marks(data.code), years: years };
      });
    }
    return this.facetData;
  };

  function toResult(hit) {
    var metadata = hit.matchData.metadata, fields = {};
    Object.keys(metadata).forEach(function (t) { fields[t] = Object.keys(metadata[t]); });
    return {
      position: parseInt(hit.ref, 36), score: hit.score, terms: Object.keys(metadata),
      fields: fields
    };
  }

  /* The fallback's words: every word typed, a known field's name only when it has no term. */
  function plainWords(raw, fields) {
    var stripped = raw.replace(/(^|\s)[+-]?([A-Za-z]+):(?=\S)/g, function (all, space, name) {
      return fields.indexOf(name.toLowerCase()) !== -1 ? space : all;
    });
    return words(stripped);
  }

  /* Keep results having every tag of `tags` (an id or a list of ids), if `code` a code link
     and, if `year` is given, a date in that year: the facets narrow, so a facet's count is
     what clicking it shows. */
  function filterResults(results, facets, tags, code, year) {
    var lists = (typeof tags === "string" ? (tags ? [tags] : []) : tags || []).map(
      function (tag) { return facets.tags[tag] || new Uint8Array(0); });
    if (year) lists.push((facets.years || {})[year] || new Uint8Array(0));
    return results.filter(function (r) {
      for (var i = 0; i < lists.length; i++) if (lists[i][r.position] !== 1) return false;
      return !code || facets.code[r.position] === 1;
    });
  }

  /* [[year, count]] over the results, newest year first (papers of known date only). */
  function yearCounts(results, facets) {
    var counts = [];
    Object.keys(facets.years || {}).sort().reverse().forEach(function (y) {
      var marks = facets.years[y], n = 0;
      for (var i = 0; i < results.length; i++) n += marks[results[i].position];
      if (n) counts.push([y, n]);
    });
    return counts;
  }

  /* [[tag id, count]] over the results, most frequent first, then by id. */
  function tagCounts(results, facets) {
    var counts = [];
    Object.keys(facets.tags).forEach(function (t) {
      var marks = facets.tags[t], n = 0;
      for (var i = 0; i < results.length; i++) n += marks[results[i].position];
      if (n) counts.push([t, n]);
    });
    return counts.sort(function (a, b) {
      return (b[1] - a[1]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
    });
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

  /* How the search page asks (search.js and the relevance benchmark share it). */
  var PAGE_OPTIONS = { prefix: true };

  return {
    Engine: Engine,
    PAGE_OPTIONS: PAGE_OPTIONS,
    parseQuery: parseQuery,
    MAX_EDIT: MAX_EDIT,
    MAX_FUZZY: MAX_FUZZY,
    plainWords: plainWords,
    titleTier: titleTier,
    filterResults: filterResults,
    tagCounts: tagCounts,
    yearCounts: yearCounts,
    highlight: highlight,
    splitIds: splitIds,
    keyFile: keyFile,
    fold: fold,
    words: words,
    useRules: useRules
  };
});
