/*
 * Pizhu: sorting and filters for the speeches index (speeches/index.html). No library,
 * nothing fetched; plain ES5 like pizhu-terms.js, for old office browsers.
 *
 * scripts/pizhu/site.py writes a plain table (it works without this script) and a hidden
 * filter form whose options come from the same data as the rows' attributes:
 *
 *   <tr data-pz-year="2021" data-pz-speaker="…" data-pz-occasion="…"
 *       data-pz-date="2021-06-28" data-pz-chars="2524" data-pz-concepts="id1 id2">
 *   <th data-pz-sort="text|date|number">
 *   <select data-pz-filter="year|speaker|occasion|concept">, <input data-pz-filter="text">
 *
 * This script shows the form, filters the rows (all filters at once; the text filter
 * looks for every word in the row's text), and sorts by a column when its header is
 * clicked (again: the other direction) or from the 排序 menu, which also serves phones,
 * where the table is shown as cards without a header row. Undated speeches and empty
 * cells stay last in either direction.
 */
(function () {
  "use strict";

  var form = document.querySelector("form.pz-filter");
  var table = document.querySelector(".pz-index table");
  if (!form || !table || !table.tBodies.length || !table.tHead) {
    return;
  }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var empty = document.querySelector(".pz-filter-empty");
  var count = form.querySelector(".pz-filter__count");
  var EMPTY_CELL = "—";
  var ORDER_NAMES = {
    text: ["（拼音 A→Z）", "（拼音 Z→A）"],
    date: ["（旧→新）", "（新→旧）"],
    number: ["（少→多）", "（多→少）"]
  };
  // The direction a column sorts in on its first click: names A→Z, dates and sizes
  // newest/largest first.
  var FIRST_DIRECTION = { text: "ascending", date: "descending", number: "descending" };

  var collator = null;
  try {
    collator = new Intl.Collator("zh-Hans-CN-u-co-pinyin", { numeric: true });
  } catch (error) {
    collator = null;
  }
  function compareText(a, b) {
    if (collator) {
      return collator.compare(a, b);
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }

  // Remember each row's first position (ties keep it) and its searchable text.
  rows.forEach(function (row, position) {
    row.pzPosition = position;
    row.pzText = row.textContent.replace(/\s+/g, " ").toLowerCase();
  });

  // --- sorting ------------------------------------------------------------------------

  var sortState = { column: -1, direction: "" };

  function sortValue(row, column, kind) {
    if (kind === "date") {
      return row.getAttribute("data-pz-date") || "";
    }
    if (kind === "number") {
      var number = parseInt(row.getAttribute("data-pz-chars"), 10);
      return isNaN(number) ? "" : number;
    }
    var text = row.cells[column].textContent.replace(/\s+/g, " ").trim();
    return text === EMPTY_CELL ? "" : text;
  }

  function sortBy(column, direction) {
    var kind = headers[column].getAttribute("data-pz-sort");
    var sign = direction === "ascending" ? 1 : -1;
    var sorted = rows.slice().sort(function (a, b) {
      var x = sortValue(a, column, kind);
      var y = sortValue(b, column, kind);
      if (x === "" || y === "") {
        // empty last, whatever the direction
        if (x !== y) {
          return x === "" ? 1 : -1;
        }
        return a.pzPosition - b.pzPosition;
      }
      var order = kind === "number" ? x - y : compareText(String(x), String(y));
      return order !== 0 ? sign * order : a.pzPosition - b.pzPosition;
    });
    sorted.forEach(function (row) {
      body.appendChild(row);
    });
    sortState = { column: column, direction: direction };
    headers.forEach(function (header, index) {
      if (index === column) {
        header.setAttribute("aria-sort", direction);
      } else {
        header.removeAttribute("aria-sort");
      }
    });
    if (sortMenu) {
      sortMenu.value = column + ":" + direction;
    }
  }

  // Each header becomes a button (keyboard and screen readers); Material's stylesheet
  // draws the sort arrows for th[role=columnheader][aria-sort].
  headers.forEach(function (header, column) {
    var kind = header.getAttribute("data-pz-sort");
    if (!kind) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "pz-sort";
    button.title = "按" + header.textContent + "排序";
    while (header.firstChild) {
      button.appendChild(header.firstChild);
    }
    header.appendChild(button);
    header.setAttribute("role", "columnheader");
    button.addEventListener("click", function () {
      var direction = FIRST_DIRECTION[kind];
      if (sortState.column === column) {
        direction = sortState.direction === "ascending" ? "descending" : "ascending";
      }
      sortBy(column, direction);
    });
  });

  // The 排序 menu: every column both ways (phones have no header row to click).
  var sortMenu = document.createElement("select");
  sortMenu.name = "sort";
  headers.forEach(function (header, column) {
    var kind = header.getAttribute("data-pz-sort");
    if (!kind) {
      return;
    }
    var name = header.textContent.replace(/\s+/g, "");
    ["descending", "ascending"].forEach(function (direction) {
      var option = document.createElement("option");
      option.value = column + ":" + direction;
      option.textContent = name + ORDER_NAMES[kind][direction === "ascending" ? 0 : 1];
      sortMenu.appendChild(option);
    });
  });
  var sortLabel = document.createElement("label");
  sortLabel.className = "pz-filter__field";
  var sortName = document.createElement("span");
  sortName.className = "pz-filter__label";
  sortName.textContent = "排序";
  sortLabel.appendChild(sortName);
  sortLabel.appendChild(sortMenu);
  form.insertBefore(sortLabel, form.querySelector(".pz-filter__status"));
  sortMenu.addEventListener("change", function () {
    var parts = sortMenu.value.split(":");
    sortBy(parseInt(parts[0], 10), parts[1]);
  });

  // The table arrives newest first: say so.
  headers.forEach(function (header, column) {
    if (header.getAttribute("data-pz-sort") === "date" && sortState.column < 0) {
      sortState = { column: column, direction: "descending" };
      header.setAttribute("aria-sort", "descending");
      sortMenu.value = column + ":descending";
    }
  });

  // --- filters ------------------------------------------------------------------------

  var controls = Array.prototype.slice.call(form.querySelectorAll("[data-pz-filter]"));

  function matches(row, key, value) {
    if (!value) {
      return true;
    }
    if (key === "text") {
      var words = value.toLowerCase().split(/\s+/);
      for (var i = 0; i < words.length; i++) {
        if (words[i] && row.pzText.indexOf(words[i]) < 0) {
          return false;
        }
      }
      return true;
    }
    if (key === "concept") {
      var ids = " " + (row.getAttribute("data-pz-concepts") || "") + " ";
      return ids.indexOf(" " + value + " ") >= 0;
    }
    return row.getAttribute("data-pz-" + key) === value;
  }

  function applyFilters() {
    var shown = 0;
    rows.forEach(function (row) {
      var visible = controls.every(function (control) {
        return matches(row, control.getAttribute("data-pz-filter"), control.value.trim());
      });
      row.hidden = !visible;
      if (visible) {
        shown += 1;
      }
    });
    if (count) {
      count.textContent =
        shown === rows.length ? "共 " + rows.length + " 篇" : "显示 " + shown + " / " + rows.length + " 篇";
    }
    if (empty) {
      empty.hidden = shown > 0;
    }
  }

  form.addEventListener("input", applyFilters);
  form.addEventListener("change", function (event) {
    if (event.target !== sortMenu) {
      applyFilters();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault(); // Enter in the text box: nothing to send anywhere
  });
  form.addEventListener("reset", function () {
    // The form's values are reset after this event.
    setTimeout(function () {
      applyFilters();
      sortBy(sortState.column, sortState.direction);
    }, 0);
  });

  form.hidden = false;
  applyFilters();
})();
