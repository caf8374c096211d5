/*
 * The "Cite" block of a paper page: a button that copies the BibTeX entry.
 *
 * The button is in the page but hidden, and shown only here, so a reader without
 * JavaScript sees the entry (selectable text) and no dead button.  The clipboard API needs
 * a secure context; elsewhere the entry is selected and copied the old way, and if that
 * fails too it stays selected with a hint to press Ctrl+C.
 */
(function () {
  "use strict";

  function selectText(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function fallbackCopy(node) {
    selectText(node);
    try {
      return document.execCommand("copy");
    } catch (err) {
      return false;
    }
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".pa-copy__status");
    if (!source) return;
    button.hidden = false;
    function say(text) {
      if (status) status.textContent = text;
    }
    button.addEventListener("click", function () {
      var text = source.textContent;
      var done = function () { say("Copied"); };
      var failed = function () {
        say(fallbackCopy(source) ? "Copied" : "Selected: press Ctrl+C to copy");
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, failed);
      } else {
        failed();
      }
    });
  });
})();
