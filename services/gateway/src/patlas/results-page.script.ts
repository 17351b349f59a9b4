/**
 * The results page's only script, served as a file (GET /results/page.js) so the page runs under a strict
 * Content-Security-Policy: sortable tables, and expiry times shown in the reader's own time zone.
 */
export const RESULTS_PAGE_SCRIPT = `'use strict';
(function () {
  function cellValue(row, index, numeric) {
    var text = row.cells[index].textContent.trim();
    if (!numeric) return text.toLowerCase();
    var n = parseFloat(text);
    return isNaN(n) ? -Infinity : n;
  }
  function sortBy(table, header, index) {
    var numeric = header.getAttribute('data-type') === 'number';
    var ascending = header.getAttribute('aria-sort') !== 'ascending';
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index, numeric), y = cellValue(b, index, numeric);
      return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) { th.removeAttribute('aria-sort'); });
    header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    rows.forEach(function (row) { body.appendChild(row); });
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
      header.addEventListener('click', function () { sortBy(table, header, index); });
    });
    var first = table.tHead.rows[0].cells[1];
    if (first) first.setAttribute('aria-sort', 'descending');
    table.setAttribute('data-sort-ready', 'true');
  });
  Array.prototype.forEach.call(document.querySelectorAll('time'), function (time) {
    var date = new Date(time.getAttribute('datetime'));
    if (!isNaN(date)) time.textContent = date.toLocaleString();
  });
})();
`;
