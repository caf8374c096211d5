/*
 * The "Cite" block of a paper page: a button that copies the BibTeX entry.
 *
 * The button and its status line are made here, not written into the page: a reader
 * without JavaScript sees the entry (selectable text) and no dead button, and 50,000
 * pages do not each carry 190 bytes of markup for it.  The clipboard API needs
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

  /* <p class="pa-cite__actions"><button class="md-button pa-copy">Copy BibTeX</button>
     <span class="pa-copy__status" role="status" aria-live="polite"></span></p>, after the
     entry; the live region exists before anything is said in it. */
  function actions(block) {
    var row = document.createElement("p");
    row.className = "pa-cite__actions";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button pa-copy";
    button.textContent = "Copy BibTeX";
    var status = document.createElement("span");
    status.className = "pa-copy__status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    row.appendChild(button);
    row.appendChild(document.createTextNode(" "));
    row.appendChild(status);
    block.appendChild(row);
    return [button, status];
  }

  document.querySelectorAll(".pa-cite").forEach(function (block) {
    var source = block.querySelector("pre.pa-bibtex > code");
    if (!source) return;
    var made = actions(block), button = made[0], status = made[1];
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
