/*
 * Paper search, the page part: the header box with instant results on every page and the
 * full search page (/search/?q=...&tag=...&code=1) with tag facets.
 *
 * Nothing is fetched at page load.  lunr.js, the manifest and the index shards are loaded
 * when the search box gets focus, when the browser is idle, or when the search page opens,
 * so search never delays the first paint.  Record text is only ever inserted as text
 * nodes (textContent / createTextNode): titles, teasers and tags come from strangers.
 */
(function () {
  "use strict";

  var core = window.PaperSearch;
  var form = document.querySelector("form.pa-searchbox");
  if (!core || !form) return;

  var base = new URL(form.getAttribute("data-base") + "/", location.href).href;
  /* the index folder as the template resolved it (generator/layout.py is its home) */
  var indexBase = new URL(form.getAttribute("data-index"), location.href).href;
  var THROTTLE_MS = 40;
  var enginePromise = null;

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

  /* lunr.js + manifest; a small index is fetched whole, a large one shard by shard. */
  function engine() {
    if (!enginePromise) {
      enginePromise = Promise.all([
        window.lunr ? Promise.resolve() : loadScript(indexBase + "lunr.js"),
        fetchJson(indexBase + "manifest.json")
      ]).then(function (loaded) {
        var e = new core.Engine(window.lunr, loaded[1], indexBase, fetchJson);
        return e.prefetch().then(function () { return e; });
      });
    }
    return enginePromise;
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
    if (doc.tags.length) node.appendChild(tagChips(e, doc, onTag));
    var teaser = el("span", "pa-result__teaser");
    appendHighlighted(teaser, doc.teaser, result.terms);
    node.appendChild(teaser);
    return node;
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

  var instant = throttled(function () {
    var q = input.value;
    if (!q.trim()) {
      panel.replaceChildren();
      closePanel();
      return null;
    }
    return engine().then(function (e) {
      var box = e.manifest.results.box;
      return e.search(q, { prefix: true, top: box }).then(function (found) {
        return e.withDocs(found.results.slice(0, box)).then(function (shown) {
          return { results: found.results, shown: shown };
        });
      }).then(function (found) {
        if (input.value !== q) return;
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
        if (found.results.length) {
          footer.textContent = "All " + found.results.length + " results";
          panel.replaceChildren(list, footer);
        } else {
          footer.textContent = "Search page and tags";
          panel.replaceChildren(el("p", "pa-searchbox__empty", "No papers match."), footer);
        }
        panel.hidden = false;
        input.setAttribute("aria-expanded", "true");
        input.removeAttribute("aria-activedescendant");
        active = -1;
      });
    });
  });

  input.addEventListener("focus", function () { engine(); });
  input.addEventListener("input", instant);
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown") { ev.preventDefault(); setActive(active + 1); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); setActive(active - 1); }
    else if (ev.key === "Escape") {
      /* first Esc closes the results (keeping the query), the second clears and leaves */
      ev.preventDefault();
      if (!panel.hidden) closePanel(); else { input.value = ""; input.blur(); }
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
    if (!form.contains(ev.target)) closePanel();
  });

  /* Prefetch when the page has nothing better to do: never competes with first paint. */
  if ("requestIdleCallback" in window) {
    window.requestIdleCallback(function () { engine(); }, { timeout: 4000 });
  } else {
    window.addEventListener("load", function () { setTimeout(engine, 1000); });
  }

  /* ---------------------------------------------------------------- search page */

  var page = document.getElementById("pa-search-page");
  if (!page) return;

  var params = new URLSearchParams(location.search);
  var state = {
    q: params.get("q") || "",
    tag: params.get("tag") || "",
    code: params.get("code") === "1"
  };
  var pageInput = page.querySelector("input[name=q]");
  var codeBox = page.querySelector("input[name=code]");
  var status = page.querySelector(".pa-page__status");
  var facets = page.querySelector(".pa-page__facets");
  var list = page.querySelector(".pa-page__results");
  pageInput.value = state.q;
  codeBox.checked = state.code;
  page.hidden = false;
  document.documentElement.classList.add("pa-searchbox-js");

  function writeUrl() {
    var p = new URLSearchParams();
    if (state.q) p.set("q", state.q);
    if (state.tag) p.set("tag", state.tag);
    if (state.code) p.set("code", "1");
    var query = p.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }

  function toggleTag(tag) {
    state.tag = state.tag === tag ? "" : tag;
    render();
  }

  function renderFacets(e, counts) {
    var box = el("div", "pa-facets");
    if (state.tag && !counts.some(function (c) { return c[0] === state.tag; })) {
      counts.unshift([state.tag, 0]);
    }
    if (counts.length) box.appendChild(el("h2", "pa-facets__title", "Tags"));
    counts.forEach(function (pair) {
      var button = el("button", "pa-facet");
      button.type = "button";
      button.setAttribute("data-tag", pair[0]);
      button.setAttribute("aria-pressed", pair[0] === state.tag ? "true" : "false");
      button.appendChild(el("span", "pa-facet__name", e.tagNames[pair[0]] || pair[0]));
      button.appendChild(el("span", "pa-facet__count", String(pair[1])));
      button.addEventListener("click", function () { toggleTag(pair[0]); });
      box.appendChild(button);
    });
    facets.replaceChildren(box);
  }

  function renderEmpty(e) {
    var empty = el("div", "pa-page__empty");
    empty.appendChild(el("p", null, "No papers match this search. Try a tag:"));
    var tags = el("p", "pa-page__suggest");
    Object.keys(e.tagNames).sort().forEach(function (tag) {
      var a = el("a", "pa-chip", e.tagNames[tag]);
      a.href = tagUrl(e, tag);
      tags.appendChild(a);
    });
    empty.appendChild(tags);
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

  function statusText(found, count) {
    var words = count === 1 ? "1 paper" : count + " papers";
    if (found.fallback) return words + " (query syntax not understood: searched its words)";
    if (found.negated) return words + " (the query only excludes words: every other paper)";
    return words;
  }

  var render = throttled(function () {
    writeUrl();
    var q = state.q;
    if (!q.trim() && !state.tag && !state.code) {
      facets.replaceChildren();
      list.replaceChildren();
      status.textContent = "Type to search.";
      return null;
    }
    return engine().then(function (e) {
      var top = e.manifest.results.page;
      var search = q.trim() ? e.search(q, { prefix: false, top: top }) : e.everything();
      return Promise.all([search, e.facets()]).then(function (loaded) {
        if (q !== state.q) return;
        var found = loaded[0], marks = loaded[1];
        var all = core.filterResults(found.results, marks, "", state.code);
        var shown = core.filterResults(all, marks, state.tag, false);
        var nodes = el("div", "pa-page__list");
        return appendPage(e, nodes, shown, 0, q).then(function () {
          if (q !== state.q) return;
          renderFacets(e, core.tagCounts(shown, marks));
          if (!shown.length) nodes.appendChild(renderEmpty(e));
          list.replaceChildren(nodes);
          status.textContent = statusText(found, shown.length);
        });
      });
    });
  });

  pageInput.addEventListener("input", function () { state.q = pageInput.value; render(); });
  codeBox.addEventListener("change", function () { state.code = codeBox.checked; render(); });
  page.querySelector("form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    state.q = pageInput.value;
    render();
  });
  render();
})();
