/* The theme's start-up code, loaded once and cached instead of inlined into every page.
 *
 * Material inlines this into the <head> of each page (partials/javascripts/base.html)
 * and the palette script into each header (partials/javascripts/palette.html): together
 * 1 KB of every one of 50,000 paper pages.  This file defines the same globals the
 * theme's bundle expects (__md_scope, __md_hash, __md_get, __md_set) and the palette
 * restore as __md_palette(), which the header calls right after the palette form, so a
 * chosen dark palette is applied before the page is painted, as before.
 *
 * __md_scope is the site's root, as Material's base_url gives it: this file lives at
 * <root>/assets/javascripts/, so "../.." from its own URL is the root on every page.
 */
__md_scope = new URL("../..", document.currentScript.src),
__md_hash = e => [...e].reduce((e, _) => (e << 5) - e + _.charCodeAt(0), 0),
__md_get = (e, _ = localStorage, t = __md_scope) => JSON.parse(_.getItem(t.pathname + "." + e)),
__md_set = (e, _, t = localStorage, a = __md_scope) => {
  try { t.setItem(a.pathname + "." + e, JSON.stringify(_)) } catch (e) {}
};
/* Material's palette script (partials/javascripts/palette.html), unchanged but named. */
function __md_palette() {
  var palette = __md_get("__palette");
  if (palette && palette.color) {
    if ("(prefers-color-scheme)" === palette.color.media) {
      var media = matchMedia("(prefers-color-scheme: light)"),
        input = document.querySelector(media.matches
          ? "[data-md-color-media='(prefers-color-scheme: light)']"
          : "[data-md-color-media='(prefers-color-scheme: dark)']");
      palette.color.media = input.getAttribute("data-md-color-media"),
      palette.color.scheme = input.getAttribute("data-md-color-scheme"),
      palette.color.primary = input.getAttribute("data-md-color-primary"),
      palette.color.accent = input.getAttribute("data-md-color-accent");
    }
    for (var [key, value] of Object.entries(palette.color))
      document.body.setAttribute("data-md-color-" + key, value);
  }
}
