// Sortable columns for tables marked data-sortable: each header becomes a button that sorts the rows by its
// column and says so with aria-sort. Without JavaScript the table reads as built, in the site's order.
(function () {
  "use strict";

  function cellValue(row, index, type) {
    var cell = row.cells[index];
    var missing = cell.querySelector(".pv-missing");
    if (missing && missing.textContent.trim() === cell.textContent.trim()) return null;
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    if (raw === "") return null; // "not stated" sorts last, whichever the direction
    return type === "number" ? parseFloat(raw) : raw;
  }

  function compare(a, b, type, lang) {
    if (type === "number") return a - b;
    if (type === "date") return a < b ? -1 : a > b ? 1 : 0;
    return a.localeCompare(b, lang, { sensitivity: "base", numeric: true });
  }

  function sortBy(table, header, index) {
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var type = header.getAttribute("data-type") || "text";
    var lang = document.documentElement.lang;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) {
      var a = cellValue(r1, index, type), b = cellValue(r2, index, type);
      if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
      var order = compare(a, b, type, lang);
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function enhance(table) {
    if (!table.tHead || !table.tBodies.length || table.tBodies[0].rows.length < 2) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (header.firstChild) button.appendChild(header.firstChild);
      header.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, header, index); });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), enhance);
})();
