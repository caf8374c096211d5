/*
 * Paper search, the page part: the header box with instant results on every page and the
 * full search page (/search/?q=...&tag=...&tag=...&code=1) with tag facets.
 *
 * Nothing is fetched at page load.  The index is fetched on intent: when the box gets
 * focus, the pointer or a finger reaches it, the reader types, or the search page opens
 * (see prefetch()).  Record text is only ever inserted as text nodes (textContent /
 * createTextNode): titles, teasers and tags come from strangers.
 */
(function () {
  "use strict";

  var core = window.PaperSearch;
  var form = document.querySelector("form.pa-searchbox");
  if (!core || !form) return;

  /* base_url is "." on most pages but absolute ("/paper-archive/") on the 404 page: join
     it without doubling the slash. */
  var base = new URL(form.getAttribute("data-base").replace(/\/+$/, "") + "/",
    location.href).href;
  /* the index folder as the template resolved it (generator/layout.py is its home) */
  var indexBase = new URL(form.getAttribute("data-index"), location.href).href;
  var THROTTLE_MS = 40;
  var enginePromise = null;
  var readyPromise = null;

  function fetchJson(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error("search: " + url + " " + r.status);
      return r.json();
    });
  }

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = url;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("search: " + url)); };
      document.head.appendChild(s);
    });
  }

  /* lunr.js + the manifest: the engine, with nothing of the index loaded yet. */
  function engine() {
    if (!enginePromise) {
      enginePromise = Promise.all([
        window.lunr ? Promise.resolve() : loadScript(indexBase + "lunr.js"),
        fetchJson(indexBase + "manifest.json")
      ]).then(function (loaded) {
        return new core.Engine(window.lunr, loaded[1], indexBase, fetchJson);
      });
    }
    return enginePromise;
  }

  /* The engine with a small index fetched whole (a large one loads per query). */
  function ready() {
    if (!readyPromise) {
      readyPromise = engine().then(function (e) {
        return e.prefetch().then(function () { return e; });
      });
    }
    return readyPromise;
  }

  /*
   * The one place that decides what to fetch ahead of a query.  On intent (focus, pointer
   * or touch on the box, typing) the engine and a small index; when the browser is idle,
   * only lunr.js and the manifest, and only on a connection that says it is fast and not
   * saving data: a page view of a reader who never searches costs nothing else.
   */
  function prefetch(reason) {
    if (reason !== "idle") { ready(); return; }
    var connection = navigator.connection;
    if (!connection || connection.saveData || !/^4g$/.test(connection.effectiveType || "")) {
      return;
    }
    if ("requestIdleCallback" in window) {
      window.requestIdleCallback(function () { engine(); }, { timeout: 4000 });
    }
  }

  /* Page URLs in the forms the manifest carries (generator/layout.py is their one home). */
  function pageUrl(e, kind, id) {
    return base + e.manifest.urls[kind].replace("{id}", encodeURIComponent(id));
  }

  function paperUrl(e, doc) { return pageUrl(e, "paper", doc.id); }

  function tagUrl(e, tag) { return pageUrl(e, "tag", tag); }

  function el(name, className, text) {
    var node = document.createElement(name);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* Append `text` to `parent`, the matched words wrapped in <mark>, as DOM nodes only. */
  function appendHighlighted(parent, text, terms) {
    core.highlight(window.lunr, text, terms).forEach(function (piece) {
      if (piece[1]) parent.appendChild(el("mark", null, piece[0]));
      else parent.appendChild(document.createTextNode(piece[0]));
    });
  }

  function tagChips(e, doc, onTag) {
    var chips = el("span", "pa-result__tags");
    doc.tags.forEach(function (tag) {
      var chip = el(onTag ? "button" : "span", "pa-chip", e.tagNames[tag] || tag);
      if (onTag) {
        chip.type = "button";
        chip.addEventListener("click", function (ev) { ev.preventDefault(); onTag(tag); });
      }
      chips.appendChild(chip);
    });
    return chips;
  }

  /* A result: in the header box the whole result is the link (an option of the listbox); on
     the search page its tag chips are buttons, which may not sit inside a link, so there
     only the title links to the paper. */
  function resultNode(e, result, onTag) {
    var doc = result.doc;
    var node = el(onTag ? "div" : "a", "pa-result");
    var title = el(onTag ? "a" : "span", "pa-result__title");
    (onTag ? title : node).href = paperUrl(e, doc);
    appendHighlighted(title, doc.title, result.terms);
    node.appendChild(title);
    if (doc.authors || result.named) node.appendChild(byline(doc.authors, result.named));
    if (doc.tags.length) node.appendChild(tagChips(e, doc, onTag));
    var teaser = el("span", "pa-result__teaser");
    appendHighlighted(teaser, doc.teaser, result.terms);
    node.appendChild(teaser);
    return node;
  }

  /* The authors line; `named` (the author whose whole name was searched) is marked, and
     added after "et al." when the shortened byline leaves it out. */
  function byline(authors, named) {
    var line = el("span", "pa-result__authors");
    var at = named ? authors.indexOf(named) : -1;
    if (!named) { line.textContent = authors; return line; }
    if (at === -1) {
      if (authors) line.appendChild(document.createTextNode(authors + ", with "));
      line.appendChild(el("mark", null, named));
      return line;
    }
    line.appendChild(document.createTextNode(authors.slice(0, at)));
    line.appendChild(el("mark", null, named));
    line.appendChild(document.createTextNode(authors.slice(at + named.length)));
    return line;
  }

  /* Run `task` now if idle, else once the running one ends; only the latest input counts. */
  function throttled(task) {
    var running = false, pending = false;
    function run() {
      running = true;
      pending = false;
      Promise.resolve(task()).catch(function (err) { console.error(err); }).then(function () {
        setTimeout(function () {
          running = false;
          if (pending) run();
        }, THROTTLE_MS);
      });
    }
    return function () {
      if (running) pending = true; else run();
    };
  }

  /* ---------------------------------------------------------------- header box */

  var input = form.querySelector("input[name=q]");
  var panel = form.querySelector(".pa-searchbox__panel");
  var active = -1;
  /* closed by the reader (Escape, a click elsewhere): no result reopens it until they type */
  var dismissed = false;

  /* The results as options of a listbox; the link to the search page is not one of them. */
  function links() {
    return Array.prototype.slice.call(panel.querySelectorAll("[role=option]"));
  }

  function setActive(i) {
    var items = links();
    if (!items.length) return;
    active = (i + items.length) % items.length;
    items.forEach(function (a, k) {
      a.setAttribute("aria-selected", k === active ? "true" : "false");
      a.classList.toggle("pa-result--active", k === active);
    });
    input.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({ block: "nearest" });
  }

  /* The reader closed the box: no result reopens it until they type again. */
  function dismissPanel() {
    dismissed = true;
    closePanel();
  }

  function closePanel() {
    panel.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  /* The form's own action: the template resolves the search page's URL. */
  function searchPageUrl(q) {
    return form.action + "?q=" + encodeURIComponent(q);
  }

  /* What a search says besides its results: a correction, or that only some words match. */
  function noteText(found) {
    if (found.corrected) return "Showing results for " + found.corrected;
    if (found.match === "some") {
      return found.allCount ? found.allCount + " with all the words, then some"
        : "No paper has all the words: papers with some";
    }
    if (found.match === "phrase") return found.allCount + " with the phrase, then its words";
    return "";
  }

  var instant = throttled(function () {
    var q = input.value;
    if (!q.trim()) {
      panel.replaceChildren();
      closePanel();
      return null;
    }
    /* results on screen are of an earlier query until this one's arrive */
    if (!panel.hidden) panel.setAttribute("aria-busy", "true");
    return ready().then(function (e) {
      var box = e.manifest.results.box;
      /* typed on, with earlier results on screen: skip this one's scoring */
      var superseded = function () { return input.value !== q && !panel.hidden; };
      var options = { prefix: true, top: box, superseded: superseded };
      /* one letter of a split index: only if its word is rare enough to score at once */
      if (q.trim().length < core.Engine.MIN_TYPED && !e.isSmall()) {
        options.maxPostings = core.Engine.LETTER_POSTINGS;
      }
      return e.search(q, options).then(function (found) {
        if (found.skipped) {
          if (input.value === q) { panel.replaceChildren(); closePanel(); }
          return found;
        }
        if (found.superseded) return found;
        return e.withDocs(found.results.slice(0, box)).then(function (shown) {
          found.shown = shown;
          return found;
        });
      }).then(function (found) {
        if (found.superseded || found.skipped) return;
        /* Typed on while this ran: these results still show (marked busy) until the newer
           query's arrive, unless the reader closed the box or typed something else: the
           first results of a large index come from the first keystroke's one shard. */
        if (dismissed || input.value.indexOf(q) !== 0) return;
        if (input.value === q) panel.removeAttribute("aria-busy");
        else panel.setAttribute("aria-busy", "true");
        var list = el("div", "pa-searchbox__list");
        list.setAttribute("role", "listbox");
        list.setAttribute("aria-label", "Search results");
        found.shown.forEach(function (r, k) {
          var node = resultNode(e, r, null);
          node.setAttribute("role", "option");
          node.id = "pa-search-option-" + k;
          list.appendChild(node);
        });
        var footer = el("a", "pa-searchbox__more");
        footer.href = searchPageUrl(q);
        var parts = [];
        var note = noteText(found);
        if (note) parts.push(el("p", "pa-searchbox__note", note));
        if (found.results.length) {
          footer.textContent = "All " + found.results.length + " results";
          parts.push(list, footer);
        } else {
          footer.textContent = "Search page and tags";
          parts.push(el("p", "pa-searchbox__empty", "No papers match."), footer);
        }
        panel.replaceChildren.apply(panel, parts);
        panel.hidden = false;
        input.setAttribute("aria-expanded", "true");
        input.removeAttribute("aria-activedescendant");
        active = -1;
      });
    });
  });

  /* The "/" shortcut is worth a hint only where there is a keyboard (a fine pointer that
     hovers); the template's placeholder is the short one a phone header has room for. */
  if (window.matchMedia && window.matchMedia("(hover: hover) and (pointer: fine)").matches &&
      input.getAttribute("data-placeholder-keys")) {
    input.placeholder = input.getAttribute("data-placeholder-keys");
  }

  var page = document.getElementById("pa-search-page");

  input.addEventListener("focus", function () { prefetch("focus"); });
  form.addEventListener("pointerenter", function () { prefetch("pointer"); });
  form.addEventListener("touchstart", function () { prefetch("touch"); }, { passive: true });
  /* On the search page the header box and the page's box are one query: the page shows it. */
  input.addEventListener("input", function () {
    dismissed = false;
    if (page) pageQuery(input.value); else instant();
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown") { ev.preventDefault(); setActive(active + 1); }
    else if (ev.key === "ArrowUp") {
      /* from the box itself (nothing selected), up goes to the last result */
      ev.preventDefault();
      setActive(active < 0 ? -1 : active - 1);
    }
    else if (ev.key === "Escape") {
      /* first Esc closes the results (keeping the query), the second clears and leaves */
      ev.preventDefault();
      if (!panel.hidden) dismissPanel(); else { input.value = ""; input.blur(); }
    } else if (ev.key === "Enter" && active >= 0 && !panel.hidden) {
      ev.preventDefault();
      location.href = links()[active].href;
    }
  });
  document.addEventListener("keydown", function (ev) {
    var target = ev.target;
    var typing = target && (target.isContentEditable ||
      /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (ev.key === "/" && !typing && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
      ev.preventDefault();
      input.focus();
      input.select();
    }
  });
  document.addEventListener("click", function (ev) {
    if (!form.contains(ev.target)) dismissPanel();
  });

  prefetch("idle");

  /* ---------------------------------------------------------------- search page */

  if (!page) return;

  var state = { q: "", tags: [], code: false, verbatim: false, year: "" };
  var pushNext = false;     /* the next render's address is a new history entry */
  var scrollTo = null;      /* where Back left the page, restored once its results are in */
  readUrl();
  var unknownTags = null;   /* tag ids of the address the vocabulary lacks, once known */
  var pageInput = page.querySelector("input[name=q]");
  var codeBox = page.querySelector("input[name=code]");
  var status = page.querySelector(".pa-page__status");
  var notes = page.querySelector(".pa-page__notes");
  var facets = page.querySelector(".pa-page__facets");
  var list = page.querySelector(".pa-page__results");
  var toggle = page.querySelector(".pa-page__filter-toggle");
  pageInput.value = state.q;
  input.value = state.q;
  codeBox.checked = state.code;
  document.documentElement.classList.add("pa-searchbox-js");
  page.classList.add("pa-page--js");

  /* The address of the current state; `push` (a filter changed) makes a history entry,
     so Back undoes the filter; typing replaces the entry.  The scroll position of the
     state left is kept in its entry and restored when Back returns to it. */
  function writeUrl(push) {
    var p = new URLSearchParams();
    if (state.q) p.set("q", state.q);
    state.tags.forEach(function (tag) { p.append("tag", tag); });
    if (state.code) p.set("code", "1");
    if (state.year) p.set("year", state.year);
    if (state.verbatim) p.set("verbatim", "1");
    var query = p.toString();
    var url = location.pathname + (query ? "?" + query : "");
    if (push && url !== location.pathname + location.search) {
      history.replaceState({ scroll: window.scrollY }, "", location.href);
      history.pushState(null, "", url);
    } else {
      history.replaceState(history.state, "", url);
    }
  }

  /* The state of an address (the page opening, or Back/Forward to one of its entries). */
  function readUrl() {
    var params = new URLSearchParams(location.search);
    state.q = params.get("q") || "";
    state.tags = [];
    state.code = params.get("code") === "1";
    state.verbatim = params.get("verbatim") === "1";
    state.year = params.get("year") || "";
    params.getAll("tag").forEach(function (value) {
      value.split(",").forEach(function (tag) {
        if (tag && state.tags.indexOf(tag) === -1) state.tags.push(tag);
      });
    });
  }

  /* A filter changed: a new history entry, then the results. */
  function filtered() {
    pushNext = true;
    render();
  }

  function pageQuery(q) {
    state.q = q;
    state.verbatim = false;
    if (pageInput.value !== q) pageInput.value = q;
    if (input.value !== q) input.value = q;
    render();
  }

  /* A tag narrows the results (AND with the others); clicking a selected one removes it. */
  function toggleTag(tag) {
    var at = state.tags.indexOf(tag);
    if (at === -1) state.tags.push(tag); else state.tags.splice(at, 1);
    filtered();
  }

  function clearFilters() {
    state.tags = [];
    state.code = false;
    state.year = "";
    codeBox.checked = false;
    filtered();
  }

  function hasFilters() {
    return state.tags.length > 0 || state.code || Boolean(state.year);
  }

  function toggleYear(year) {
    state.year = state.year === year ? "" : year;
    filtered();
  }

  /* The year facet, when some results have a known date: one button per year. */
  function yearFacet(years) {
    if (state.year && !years.some(function (c) { return c[0] === state.year; })) {
      years.unshift([state.year, 0]);
    }
    var box = el("div", "pa-facets pa-facets--years");
    if (!years.length) return box;
    box.appendChild(el("h2", "pa-facets__title", "Year"));
    years.forEach(function (pair) {
      var button = el("button", "pa-facet");
      button.type = "button";
      button.setAttribute("data-year", pair[0]);
      button.setAttribute("aria-pressed", pair[0] === state.year ? "true" : "false");
      button.appendChild(el("span", "pa-facet__name", pair[0]));
      button.appendChild(el("span", "pa-facet__count", String(pair[1])));
      button.addEventListener("click", function () { toggleYear(pair[0]); });
      box.appendChild(button);
    });
    return box;
  }

  function clearButton() {
    var button = el("button", "pa-page__clear", "Clear filters");
    button.type = "button";
    button.addEventListener("click", clearFilters);
    return button;
  }

  function renderFacets(e, counts, total, years) {
    var box = el("div", "pa-facets");
    var shown = {};
    counts.forEach(function (pair) { shown[pair[0]] = true; });
    state.tags.forEach(function (tag) { if (!shown[tag]) counts.unshift([tag, total]); });
    /* no heading over nothing (a search that found nothing, with no filter on) */
    if (counts.length || hasFilters()) box.appendChild(el("h2", "pa-facets__title", "Tags"));
    if (hasFilters()) box.appendChild(clearButton());
    counts.forEach(function (pair) {
      var selected = state.tags.indexOf(pair[0]) !== -1;
      var button = el("button", "pa-facet");
      button.type = "button";
      button.setAttribute("data-tag", pair[0]);
      button.setAttribute("aria-pressed", selected ? "true" : "false");
      button.appendChild(el("span", "pa-facet__name", e.tagNames[pair[0]] || pair[0]));
      button.appendChild(el("span", "pa-facet__count", String(selected ? total : pair[1])));
      button.addEventListener("click", function () { toggleTag(pair[0]); });
      box.appendChild(button);
    });
    facets.replaceChildren(box, yearFacet(years || []));
    if (toggle) {
      var active = state.tags.length + (state.code ? 1 : 0) + (state.year ? 1 : 0);
      toggle.textContent = active ? "Filters (" + active + ")" : "Filters";
    }
  }

  /* Tags offered when a search finds nothing: a few near the query by name, not all. */
  var NEAR_TAGS = 5;

  /*
   * What a search that found nothing shows: that nothing matched (the query quoted, as
   * text), then next steps: a spelling that finds papers (fetched after, so it is added
   * when it arrives), the tags nearest the query by name (at most NEAR_TAGS), and links to
   * all tags and the A-Z list.  Every text goes in as a text node.
   */
  function renderEmpty(e, hidden, found, q) {
    var empty = el("div", "pa-page__empty");
    if (hidden) {
      empty.appendChild(el("p", null, "No papers match this search with these filters."));
      empty.appendChild(clearButton());
      return empty;
    }
    empty.appendChild(el("p", "pa-page__none", "No papers match \u201c" + q.trim() + "\u201d."));
    var steps = el("ul", "pa-page__steps");
    var near = e.closestTags(found.words || [], NEAR_TAGS);
    if (near.length) {
      var item = el("li", null, near.length === 1 ? "A tag with a similar name: "
        : "Tags with similar names: ");
      var chips = el("span", "pa-page__suggest");
      near.forEach(function (pair) {
        var a = el("a", "pa-chip", pair[1]);
        a.href = tagUrl(e, pair[0]);
        chips.appendChild(a);
      });
      item.appendChild(chips);
      steps.appendChild(item);
    }
    if ((found.words && found.words.length > 1) || found.plain === false) {
      steps.appendChild(el("li", null, found.plain === false
        ? "Try fewer words, or drop quotes and field: prefixes." : "Try fewer words."));
    }
    var browse = el("li", null, "Browse ");
    var all = el("a", null, "all " + e.manifest.tags.length + " tags");
    all.href = base + e.manifest.urls.tags;
    var az = el("a", null, "the A\u2013Z list of papers");
    az.href = base + e.manifest.urls.papers;
    browse.append(all, " or ", az, ".");
    steps.appendChild(browse);
    empty.appendChild(steps);
    if (!found.corrected) {
      e.suggestion(q, found.words || []).then(function (better) {
        if (!better || q !== state.q) return null;
        return e.search(better, { prefix: false, top: 1, verbatim: true }).then(function (again) {
          if (!again.results || !again.results.length || q !== state.q) return;
          var line = el("li", "pa-page__spelling", "Did you mean ");
          var a = el("a", null, better);
          a.href = "?q=" + encodeURIComponent(better);
          line.append(a, "? (" + papers(again.results.length) + ")");
          steps.insertBefore(line, steps.firstChild);
        });
      }).catch(function () { /* no suggestion is no error */ });
    }
    return empty;
  }

  /* Append the next page of results (fetching their documents), then a "more" button. */
  function appendPage(e, nodes, results, from, q) {
    var size = e.manifest.results.page;
    return e.withDocs(results.slice(from, from + size)).then(function (page) {
      if (q !== state.q) return;
      page.forEach(function (r) { nodes.appendChild(resultNode(e, r, toggleTag)); });
      var next = from + page.length;
      if (next >= results.length) return;
      var more = el("button", "pa-page__more",
        "Show more (" + (results.length - next) + " left)");
      more.type = "button";
      more.addEventListener("click", function () {
        more.disabled = true;
        appendPage(e, nodes, results, next, q).then(function () {
          /* keyboard users carry on at the first new result, where the button was */
          var first = more.nextElementSibling;
          var link = first && first.querySelector("a.pa-result__title");
          more.remove();
          if (link) link.focus();
        });
      });
      nodes.appendChild(more);
    });
  }

  function papers(n) {
    return n === 1 ? "1 paper" : n + " papers";
  }

  function statusText(found, count, total) {
    var words = hasFilters() ? papers(count) + " of " + total + " (filtered)" : papers(count);
    if (found.fallback) return words + " (query syntax not understood: searched its words)";
    if (found.negated) return words + " (the query only excludes words: every other paper)";
    if (found.match === "phrase") {
      return words + ": " + found.allCount + " of the best matches hold the phrase, then " +
        papers(found.results.length - found.allCount) + " with its words, not checked for it";
    }
    if (found.match === "some") {
      return words + (found.allCount
        ? ": " + found.allCount + " with all the words first, then papers with some of them"
        : ": none has all the words, these have some of them");
    }
    return words;
  }

  /* A line of notes: [text or [text, onclick] or [text, href]] pieces, as DOM nodes only. */
  function noteLine(pieces) {
    var line = el("p", "pa-page__note");
    pieces.forEach(function (piece) {
      if (typeof piece === "string") { line.appendChild(document.createTextNode(piece)); return; }
      if (typeof piece[1] === "function") {
        var b = el("button", "pa-page__link", piece[0]);
        b.type = "button";
        b.addEventListener("click", piece[1]);
        line.appendChild(b);
      } else {
        var a = el("a", null, piece[0]);
        a.href = piece[1];
        line.appendChild(a);
      }
    });
    return line;
  }

  function renderNotes(found, count, total) {
    var lines = [];
    if (found.corrected) {
      var original = new URLSearchParams({ q: state.q, verbatim: "1" });
      state.tags.forEach(function (tag) { original.append("tag", tag); });
      lines.push(noteLine(["Showing results for ", [found.corrected, "?q=" +
        encodeURIComponent(found.corrected)], "; search instead for ",
        [state.q, "?" + original.toString()]]));
    }
    if (unknownTags && unknownTags.length) {
      lines.push(noteLine(["No tag " + unknownTags.map(function (t) { return "\u201c" + t +
        "\u201d"; }).join(", ") + " in this archive: ignored."]));
    }
    if (hasFilters() && count < total) {
      lines.push(noteLine(["Filters hide " + papers(total - count) + " of the " + total +
        " found. ", ["Clear filters", clearFilters]]));
    }
    notes.replaceChildren.apply(notes, lines);
  }

  var render = throttled(function () {
    writeUrl(pushNext);
    pushNext = false;
    var q = state.q;
    page.classList.toggle("pa-page--query", Boolean(q.trim() || hasFilters()));
    if (!q.trim() && !hasFilters()) {
      facets.replaceChildren();
      list.replaceChildren();
      notes.replaceChildren();
      status.textContent = "Type to search.";
      return null;
    }
    return ready().then(function (e) {
      if (unknownTags === null) {
        unknownTags = state.tags.filter(function (t) { return !(t in e.tagNames); });
        state.tags = state.tags.filter(function (t) { return t in e.tagNames; });
        writeUrl();
      }
      var options = { prefix: core.PAGE_OPTIONS.prefix, top: e.manifest.results.page,
        verbatim: state.verbatim };
      var search = q.trim() ? e.search(q, options) : e.everything();
      return Promise.all([search, e.facets()]).then(function (loaded) {
        if (q !== state.q) return;
        var found = loaded[0], marks = loaded[1];
        var tagged = core.filterResults(found.results, marks, state.tags, state.code);
        var shown = core.filterResults(tagged, marks, [], false, state.year);
        var nodes = el("div", "pa-page__list");
        return appendPage(e, nodes, shown, 0, q).then(function () {
          if (q !== state.q) return;
          renderFacets(e, core.tagCounts(shown, marks), shown.length,
                       core.yearCounts(tagged, marks));
          if (!shown.length) nodes.appendChild(renderEmpty(e, found.results.length > 0, found, q));
          list.replaceChildren(nodes);
          status.textContent = statusText(found, shown.length, found.results.length);
          renderNotes(found, shown.length, found.results.length);
          if (scrollTo !== null) { window.scrollTo(0, scrollTo); scrollTo = null; }
        });
      });
    });
  });

  pageInput.addEventListener("input", function () { pageQuery(pageInput.value); });
  pageInput.addEventListener("focus", function () { prefetch("focus"); });
  codeBox.addEventListener("change", function () { state.code = codeBox.checked; filtered(); });
  window.addEventListener("popstate", function (ev) {
    readUrl();
    unknownTags = null;
    pageInput.value = state.q;
    input.value = state.q;
    codeBox.checked = state.code;
    scrollTo = ev.state && typeof ev.state.scroll === "number" ? ev.state.scroll : null;
    render();
  });
  if (toggle) {
    toggle.addEventListener("click", function () {
      var open = !page.classList.contains("pa-page--filters-open");
      page.classList.toggle("pa-page--filters-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) {
        var first = facets.querySelector("button");
        if (first) first.focus();
      }
    });
  }
  page.querySelector("form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    pageQuery(pageInput.value);
  });
  render();
})();
