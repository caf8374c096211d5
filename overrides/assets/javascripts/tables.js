/* Wide tables that a keyboard can scroll.
 *
 * Material wraps every plain table of a page in a scrolling `div.md-typeset__scrollwrap`
 * from its script, at run time.  On a phone the maintainers' wide tables scroll sideways
 * in that box, but a keyboard cannot reach it: nothing in the box takes the focus (axe:
 * scrollable-region-focusable).  This makes each box a focusable, named region, so Tab
 * stops on it and the arrow keys scroll it.  The name is the heading the table sits
 * under, which is what a screen reader says when the focus lands there.
 *
 * It runs after the theme's own code has wrapped the tables: on each document the theme
 * announces (`document$`), one task later.  Loaded only on pages that have a table
 * (overrides/main.html), so the generated pages do not carry it.
 */
(function () {
  "use strict";

  function headingBefore(node) {
    for (let el = node; el && !el.matches(".md-content__inner"); el = el.parentElement) {
      for (let prev = el.previousElementSibling; prev; prev = prev.previousElementSibling) {
        if (/^H[1-6]$/.test(prev.tagName)) return prev.textContent.replace(/¶$/, "").trim();
      }
    }
    return "";
  }

  /* Each region's name is unique on the page (a screen reader lists them by name): the
     second table under one heading is "Table 2: ...". */
  function makeFocusable() {
    const seen = new Map();
    for (const box of document.querySelectorAll(".md-typeset__scrollwrap")) {
      const heading = headingBefore(box);
      const count = (seen.get(heading) || 0) + 1;
      seen.set(heading, count);
      if (box.hasAttribute("tabindex")) continue;
      const label = count > 1 ? "Table " + count : "Table";
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", heading ? label + ": " + heading : label);
    }
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { setTimeout(makeFocusable, 0); });
  } else {
    window.addEventListener("load", makeFocusable);
  }
})();
