{#-
  A template (mkdocs.yml: theme.static_templates), rendered once per build into
  site/assets/javascripts/lean.js: it carries the palettes of mkdocs.yml, their one home,
  so no page has to.  Loaded, not deferred, in the head of the lean pages (overrides/lean.html).
-#}
{%- set options = config.theme.palette if config.theme.palette is not mapping else [config.theme.palette] -%}
{%- set palettes = [] -%}
{%- for option in options or [] -%}
  {%- set icon -%}
    {%- if option.toggle %}{% include ".icons/" ~ option.toggle.icon ~ ".svg" %}{% endif -%}
  {%- endset -%}
  {%- set _ = palettes.append({
    "color": {
      "media": option.media or "",
      "scheme": option.scheme | d("default", true) | replace(" ", "-"),
      "primary": option.primary | d("indigo", true) | replace(" ", "-"),
      "accent": option.accent | d("indigo", true) | replace(" ", "-")
    },
    "name": option.toggle.name if option.toggle else "",
    "icon": icon | trim
  }) -%}
{%- endfor -%}
{#- The top-level entries of the navigation, a section through its first page (as the
    hand-written pages' drawer shows them): [text, URL from the site's root]. #}
{%- import "partials/search-scripts.html" as search_files -%}
{%- set sections = [] -%}
{%- for item in nav.items -%}
  {%- set target = item if item.is_page else (item.children | selectattr("is_page") | first) -%}
  {%- if target -%}
    {%- set _ = sections.append([item.title | striptags, target.url]) -%}
  {%- endif -%}
{%- endfor -%}
/* What the lean pages (papers, tags, A-Z letters, months: overrides/lean.html) need of a
 * script.  Material's bundle is not loaded there; this file is loaded once and cached, so
 * what it writes into a page costs nothing per page in the site's size.
 *
 * Palette.  The reader's choice is kept where Material keeps it: localStorage under
 * "<site root path>.__palette", as {index, color: {media, scheme, primary, accent}}, the
 * value Material's palette component reads and writes.  So a palette chosen on a paper
 * page holds on the hand-written pages (Material's bundle and md-base.js) and back.  With
 * nothing stored, the palette whose media query matches (the system's light or dark) is
 * taken, as Material does.  This runs in the head, before the page is painted: the colours
 * are set on <html> (Material sets them on <body>, which does not exist yet here; its
 * stylesheets match the attributes on any element).  The toggle, a button put into the
 * header before the search box, shows the current palette's toggle icon and name, as
 * Material's labels do, and switches to the next palette.  Without JavaScript there is no
 * toggle (Material's does nothing without its bundle either).
 *
 * Header title.  As on Material's pages, the page title takes the site name's place in
 * the header once the page's heading has scrolled under the header.
 *
 * Search.  The header search box's scripts (partials/search-scripts.html) are loaded from
 * here once the page is parsed, in their order, so that no lean page has to name them.
 *
 * Cite.  A paper page's "Cite" block has a copy button that cite.js brings to life; it is
 * loaded from here when the page has one, so that no page has to name the script.
 *
 * Sections.  The page's navigation holds one link, to the home page (whose navigation
 * is the whole site's); the other top-level sections are added here, from the build's
 * navigation, so that 50,000 pages do not each carry the list.
 *
 * Footer.  The hand-written pages' footer line, with a link to the site's repository
 * (which their header shows), is added here: written into each page it would cost about
 * 0.3 KB on each of 50,000 pages.
 */
(function () {
  var palettes = {{ palettes | tojson }};
  var sections = {{ sections | tojson }};
  var siteName = {{ config.site_name | tojson }};
  var repo = {{ [config.repo_url or "", config.repo_name or ""] | tojson }};
  var searchScripts = {{ search_files.scripts | tojson }};
  var root = document.documentElement;
  // The site's root: this file is <root>/assets/javascripts/lean.js (as md-base.js).
  var base = new URL("../..", document.currentScript.src);
  var key = base.pathname + ".__palette";
  var stored = null;
  try { stored = JSON.parse(localStorage.getItem(key)); } catch (e) { /* none kept */ }
  var index = stored && palettes[stored.index] ? stored.index
    : Math.max(0, palettes.findIndex(function (p) { return matchMedia(p.color.media).matches; }));

  function apply(switching) {
    var color = palettes[index].color, shown = color;
    if (color.media === "(prefers-color-scheme)") {  // Material's "follow the system"
      var system = matchMedia("(prefers-color-scheme: light)").matches
        ? "(prefers-color-scheme: light)" : "(prefers-color-scheme: dark)";
      shown = (palettes.find(function (p) { return p.color.media === system; }) || palettes[index]).color;
    }
    if (switching) root.setAttribute("data-md-color-switching", "");
    for (var name in shown) root.setAttribute("data-md-color-" + name, shown[name]);
    if (switching) setTimeout(function () { root.removeAttribute("data-md-color-switching"); });
    try { localStorage.setItem(key, JSON.stringify({index: index, color: color})); } catch (e) { /* private mode */ }
  }
  if (palettes.length) apply(false);

  function paletteToggle(header) {
    var search = header.querySelector(".pa-searchbox");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-header__button md-icon";
    button.id = "pa-palette";
    var show = function () {
      var palette = palettes[index];
      button.title = palette.name;
      button.setAttribute("aria-label", palette.name);
      button.innerHTML = palette.icon;  // an icon of the theme, from this file, never page text
    };
    show();
    button.addEventListener("click", function () {
      index = (index + 1) % palettes.length;
      apply(true);
      show();
    });
    header.insertBefore(button, search);
  }

  function headerTitle(header) {
    var title = header.querySelector(".md-header__ellipsis");
    var heading = document.querySelector(".md-content h1");
    if (!title || !heading || !("IntersectionObserver" in window)) return;
    var topic = document.createElement("div");
    topic.className = "md-header__topic";
    var text = document.createElement("span");
    text.className = "md-ellipsis";
    var suffix = " - " + siteName;
    var name = document.title;
    text.textContent = name.endsWith(suffix) ? name.slice(0, -suffix.length) : name;
    topic.appendChild(text);
    title.appendChild(topic);
    var bar = header.closest(".md-header");
    new IntersectionObserver(function (entries) {
      var entry = entries[entries.length - 1];
      title.parentNode.classList.toggle("md-header__title--active",
        !entry.isIntersecting && entry.boundingClientRect.top < bar.offsetHeight);
    }, {rootMargin: "-" + bar.offsetHeight + "px 0px 0px 0px"}).observe(heading);
  }

  function siteSections() {
    var list = document.querySelector(".pa-sitenav ul");
    if (!list) return;
    var home = new URL(list.querySelector("a").href).href;
    sections.forEach(function (section) {
      var url = new URL(section[1], base).href;
      if (url === home) return;
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = url;
      link.textContent = section[0];
      item.appendChild(link);
      list.appendChild(item);
    });
  }

  // The footer of the hand-written pages (Material's classes, so its look), with the link
  // to the site's repository that their header carries: written here, not in each page.
  function siteFooter() {
    if (!repo[0] || document.querySelector(".md-footer")) return;
    var footer = document.createElement("footer");
    footer.className = "md-footer";
    footer.innerHTML = '<div class="md-footer-meta md-typeset"><div class="md-footer-meta__inner'
      + ' md-grid"><div class="md-copyright"></div></div></div>';
    var line = footer.querySelector(".md-copyright");
    var link = document.createElement("a");
    link.href = repo[0];
    link.textContent = repo[1] || repo[0];
    line.append("Source: ", link, " · Made with ");
    var theme = document.createElement("a");
    theme.href = "https://squidfunk.github.io/mkdocs-material/";
    theme.textContent = "Material for MkDocs";
    line.append(theme);
    document.body.appendChild(footer);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var header = document.querySelector(".md-header__inner");
    if (header && palettes.length > 1) paletteToggle(header);
    if (header) headerTitle(header);
    siteSections();
    siteFooter();
    searchScripts.forEach(function (path) {
      var script = document.createElement("script");
      script.src = new URL(path, base).href;
      script.async = false;  // run in the listed order, as deferred scripts would
      document.head.appendChild(script);
    });
    if (document.querySelector(".pa-cite")) {
      var cite = document.createElement("script");
      cite.src = new URL("assets/javascripts/cite.js", base).href;
      document.head.appendChild(cite);
    }
  });
})();
