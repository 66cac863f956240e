/*
 * Tables wider than the page scroll sideways inside their own box (issue 16: at
 * 390 px wide tables ran off the side of the screen, so the whole page scrolled
 * sideways, header and text with it).
 *
 * Each .govuk-table that is not already in an .app-table-scroll box (the templates
 * put the widest ones in one) is wrapped in one. A box that scrolls is made a
 * region labelled by the table's caption and given tabindex="0", so that keyboard
 * users can scroll it with the arrow keys; a box that fits is left out of the tab
 * order. Checked again when the window changes size and after htmx swaps content
 * in. Without JavaScript the table is as it was.
 */
(function () {
  "use strict";

  var BOX = "app-table-scroll";

  function labelFor(table) {
    var caption = table.querySelector("caption");
    var text = caption ? caption.textContent.replace(/\s+/g, " ").trim() : "";
    return text ? "Table: " + text : "Table";
  }

  function update(box) {
    var table = box.querySelector("table");
    if (!table || box.getAttribute("data-app-table-scroll") !== "auto") {
      return;
    }
    if (box.scrollWidth > box.clientWidth + 1) {
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", labelFor(table));
      box.setAttribute("tabindex", "0");
    } else {
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
      box.removeAttribute("tabindex");
    }
  }

  function wrapAll(root) {
    var tables = (root || document).querySelectorAll("table.govuk-table");
    Array.prototype.forEach.call(tables, function (table) {
      var parent = table.parentElement;
      if (!parent || parent.closest("." + BOX)) {
        return;
      }
      var box = document.createElement("div");
      box.className = BOX;
      box.setAttribute("data-app-table-scroll", "auto");
      parent.insertBefore(box, table);
      box.appendChild(table);
    });
    updateAll();
  }

  function updateAll() {
    var boxes = document.querySelectorAll("[data-app-table-scroll='auto']");
    Array.prototype.forEach.call(boxes, update);
  }

  wrapAll(document);
  window.addEventListener("resize", updateAll);
  document.addEventListener("htmx:afterSettle", function (event) {
    wrapAll(event.target);
  });
})();
