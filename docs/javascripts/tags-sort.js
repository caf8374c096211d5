// Tags overview: sort every group's list by name or by paper count.
// Without JavaScript the lists stay in name order and the buttons stay hidden.
(function () {
  "use strict";
  var controls = document.querySelector(".pa-sort");
  if (!controls) {
    return;
  }
  var buttons = controls.querySelectorAll("button[data-sort]");
  function sortBy(key) {
    document.querySelectorAll("ul[data-sortable]").forEach(function (list) {
      var items = Array.prototype.slice.call(list.children);
      items.sort(function (a, b) {
        if (key === "count") {
          var diff = Number(b.dataset.count) - Number(a.dataset.count);
          if (diff !== 0) {
            return diff;
          }
        }
        return a.dataset.name < b.dataset.name ? -1 : a.dataset.name > b.dataset.name ? 1 : 0;
      });
      items.forEach(function (item) {
        list.appendChild(item);
      });
    });
    buttons.forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.sort === key));
    });
  }
  buttons.forEach(function (button) {
    button.addEventListener("click", function () {
      sortBy(button.dataset.sort);
    });
  });
  controls.hidden = false;
})();
