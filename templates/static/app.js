/* auditor: progressive enhancement for audit tables — sorting, filtering, shareable state.
   Everything works without this script; it never inserts content as HTML. */
(function () {
  "use strict";

  var FIELDS = ["q", "author", "tag", "source", "band", "label"];

  function readState() {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    var state = {};
    FIELDS.concat(["sort", "dir"]).forEach(function (key) {
      state[key] = params.get(key) || "";
    });
    return state;
  }

  function writeState(state) {
    var params = new URLSearchParams();
    Object.keys(state).forEach(function (key) {
      if (state[key]) { params.set(key, state[key]); }
    });
    var hash = params.toString();
    var url = window.location.pathname + window.location.search + (hash ? "#" + hash : "");
    try { window.history.replaceState(null, "", url); } catch (e) { /* file:// in some browsers */ }
  }

  function sortValue(row, index) {
    var cell = row.cells[index];
    if (!cell) { return ""; }
    var value = cell.getAttribute("data-sort");
    return value === null ? cell.textContent.trim() : value;
  }

  function compare(a, b, numeric) {
    if (a === "" && b === "") { return 0; }
    if (a === "") { return 1; }
    if (b === "") { return -1; }
    if (numeric) { return Number(a) - Number(b); }
    return a.localeCompare(b, undefined, { sensitivity: "base", numeric: true });
  }

  function sortTable(table, key, dir) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var index = -1;
    headers.forEach(function (th, i) {
      if (th.getAttribute("data-key") === key) {
        index = i;
        th.setAttribute("aria-sort", dir === "desc" ? "descending" : "ascending");
      } else {
        th.removeAttribute("aria-sort");
      }
    });
    if (index < 0) { return; }
    var numeric = headers[index].getAttribute("data-type") === "num";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (row, i) { row.setAttribute("data-order", String(i)); });
    rows.sort(function (r1, r2) {
      var result = compare(sortValue(r1, index), sortValue(r2, index), numeric);
      if (dir === "desc") { result = -result; }
      return result || Number(r1.getAttribute("data-order")) - Number(r2.getAttribute("data-order"));
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function listAttr(row, name) {
    try { return JSON.parse(row.getAttribute(name) || "[]"); } catch (e) { return []; }
  }

  function matches(row, state) {
    var title = (row.cells[0].getAttribute("data-sort") || "").toLowerCase();
    if (state.q && title.indexOf(state.q.toLowerCase()) < 0) { return false; }
    if (state.author && listAttr(row, "data-authors").indexOf(state.author) < 0) { return false; }
    if (state.tag && listAttr(row, "data-tags").indexOf(state.tag) < 0) { return false; }
    if (state.source && row.getAttribute("data-source") !== state.source) { return false; }
    if (state.band && row.getAttribute("data-band") !== state.band) { return false; }
    if (state.label && row.getAttribute("data-label") !== state.label) { return false; }
    return true;
  }

  function band(score) {
    if (score === null || score === undefined) { return "na"; }
    return score < 50 ? "poor" : score < 90 ? "average" : "good";
  }

  var BAND_TEXT = { poor: "Needs work", average: "Fair", good: "Good", na: "n/a" };

  function cell(tag, text, sort) {
    var el = document.createElement(tag);
    el.textContent = text;
    if (sort !== undefined) { el.setAttribute("data-sort", sort); }
    return el;
  }

  function scoreCell(score) {
    var td = document.createElement("td");
    var b = band(score);
    td.className = "num";
    td.setAttribute("data-sort", score === null ? "" : String(score));
    var span = document.createElement("span");
    span.className = "score band-" + b;
    span.textContent = score === null ? "n/a" : String(score);
    td.appendChild(span);
    if (score !== null) {
      var hidden = document.createElement("span");
      hidden.className = "vh";
      hidden.textContent = " " + BAND_TEXT[b];
      td.appendChild(hidden);
    }
    return td;
  }

  function linkList(names, hrefs, root) {
    var td = document.createElement("td");
    names.forEach(function (name, i) {
      if (i) { td.appendChild(document.createTextNode(", ")); }
      var href = hrefs && Object.prototype.hasOwnProperty.call(hrefs, name) ? hrefs[name] : "";
      if (href) {
        var a = document.createElement("a");
        a.href = root + href;
        a.textContent = name;
        td.appendChild(a);
      } else {
        td.appendChild(document.createTextNode(name));
      }
    });
    return td;
  }

  function deltaCell(delta) {
    var td = document.createElement("td");
    var text = "", words = "", dir = "new";
    if (delta === null || delta === undefined) {
      text = "new"; words = "new since the last build";
    } else if (delta > 0) {
      text = "\u25B2" + delta; words = "up " + delta + " since the last build"; dir = "up";
    } else if (delta < 0) {
      text = "\u25BC" + (-delta); words = "down " + (-delta) + " since the last build"; dir = "down";
    } else {
      text = "\u00B10"; words = "unchanged since the last build"; dir = "same";
    }
    td.className = "num delta delta-" + dir;
    td.setAttribute("data-sort", delta === null || delta === undefined ? "" : String(delta));
    var shown = document.createElement("span");
    shown.setAttribute("aria-hidden", "true");
    shown.textContent = text;
    var hidden = document.createElement("span");
    hidden.className = "vh";
    hidden.textContent = words;
    td.appendChild(shown);
    td.appendChild(hidden);
    return td;
  }

  function buildRow(item, root, data) {
    var links = data.links || {};
    var tr = document.createElement("tr");
    tr.setAttribute("data-authors", JSON.stringify(item.authors));
    tr.setAttribute("data-tags", JSON.stringify(item.tags));
    tr.setAttribute("data-source", item.source);
    tr.setAttribute("data-label", item.label);
    tr.setAttribute("data-band", band(item.scores[0]));
    var th = document.createElement("th");
    th.scope = "row";
    th.setAttribute("data-sort", item.title);
    var a = document.createElement("a");
    a.href = root + item.href;
    a.textContent = item.title;
    th.appendChild(a);
    tr.appendChild(th);
    tr.appendChild(linkList([item.source], links.sources, root));
    tr.appendChild(linkList(item.authors, links.authors, root));
    tr.appendChild(linkList(item.tags, links.tags, root));
    tr.appendChild(cell("td", item.date, item.date));
    item.scores.forEach(function (s, i) {
      tr.appendChild(scoreCell(s));
      if (i === 0 && data.has_previous) { tr.appendChild(deltaCell(item.delta)); }
    });
    var words = cell("td", String(item.words), String(item.words));
    words.className = "num";
    tr.appendChild(words);
    tr.appendChild(cell("td", item.label.charAt(0).toUpperCase() + item.label.slice(1)));
    return tr;
  }

  function enhanceSorting(table, onSort) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      var key = th.getAttribute("data-key");
      if (!key) { return; }
      var button = document.createElement("button");
      button.type = "button";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var dir = th.getAttribute("aria-sort") === "ascending" ? "desc" : "asc";
        sortTable(table, key, dir);
        onSort(key, dir);
      });
    });
  }

  function enhanceFilters(form, table, state) {
    var root = document.body.getAttribute("data-root") || "";
    var status = document.getElementById("filter-status");
    var body = table.tBodies[0];
    var pageRows = Array.prototype.slice.call(body.rows);
    var allRows = null;
    var multiPage = Number(form.getAttribute("data-pages") || "1") > 1;

    function active() {
      return FIELDS.some(function (f) { return state[f]; });
    }

    function useRows(rows) {
      while (body.firstChild) { body.removeChild(body.firstChild); }
      rows.forEach(function (r) { body.appendChild(r); });
    }

    function apply() {
      var rows = multiPage && active() && allRows ? allRows : pageRows;
      if (body.rows.length !== rows.length || body.rows[0] !== rows[0]) { useRows(rows); }
      if (state.sort) { sortTable(table, state.sort, state.dir); }
      var shown = 0;
      Array.prototype.forEach.call(body.rows, function (row) {
        var ok = matches(row, state);
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      var scope = rows === allRows ? " across all pages" : multiPage ? " on this page" : "";
      status.textContent = active() ? shown + " of " + rows.length + " pieces shown" + scope + "." : "";
      writeState(state);
    }

    function loadAll() {
      if (!multiPage || allRows || !active() || !window.fetch) { return; }
      window.fetch(root + "pieces.json").then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (data) {
        allRows = data.rows.map(function (item) { return buildRow(item, root, data); });
        apply();
      }).catch(function () { /* offline or file://: filter this page only */ });
    }

    FIELDS.forEach(function (name) {
      var control = form.elements.namedItem(name);
      if (control) { control.value = state[name]; }
    });
    form.addEventListener("input", function (event) {
      var target = event.target;
      if (target && FIELDS.indexOf(target.name) >= 0) {
        state[target.name] = target.value;
        apply();
        loadAll();
      }
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () {
      FIELDS.forEach(function (f) { state[f] = ""; });
      window.setTimeout(apply, 0);
    });
    form.hidden = false;
    apply();
    loadAll();
    return apply;
  }

  /* A mark covered by one span links to its finding; one that several spans cover lists
     them all in data-evidence. */
  function marksOf(prose, finding) {
    var prefix = "e-" + finding + "-";
    var href = "#f-" + finding;
    return Array.prototype.filter.call(prose.querySelectorAll("mark.hl"), function (m) {
      var ids = m.getAttribute("data-evidence");
      if (ids) {
        return ids.split(" ").some(function (id) { return id.indexOf(prefix) === 0; });
      }
      var link = m.querySelector("a");
      return link !== null && link.getAttribute("href") === href;
    });
  }

  /* What a mark is about, as its title: each finding it belongs to, "To improve: <heading>".
     Marks carry no title in the page (a post has ~200 of them); the one under the pointer
     gets this when first hovered. */
  var STATUS_NOTE = { improve: "To improve", works: "Works", na: "Not applicable" };
  function markNote(mark) {
    var ids = mark.getAttribute("data-evidence");
    var link = mark.querySelector("a");
    var numbers = ids ? ids.split(" ").map(function (id) { return id.split("-")[1]; })
      : [link ? (link.getAttribute("href") || "").replace("#f-", "") : ""];
    var notes = [];
    numbers.forEach(function (n) {
      var item = document.getElementById("f-" + n);
      var heading = item && item.querySelector("h4");
      if (!heading || !heading.firstChild) { return; }
      var status = (item.className.match(/finding-(\w+)/) || [])[1];
      var note = (STATUS_NOTE[status] || status) + ": " + heading.firstChild.textContent.trim();
      if (notes.indexOf(note) < 0) { notes.push(note); }
    });
    return notes.join("; ");
  }

  function enhanceHighlights(form, prose) {
    prose.addEventListener("mouseover", function (event) {
      var mark = event.target.closest ? event.target.closest("mark.hl") : null;
      if (mark && !mark.hasAttribute("title")) { mark.setAttribute("title", markNote(mark)); }
    });
    var showAll = document.getElementById("hl-all");
    function toggle(event) {
      var box = event.target;
      if (box && (box.name === "works" || box.name === "improve")) {
        prose.classList.toggle("hide-" + box.name, !box.checked);
      }
    }
    function clearFocus() {
      Array.prototype.forEach.call(prose.querySelectorAll("mark.hl-focus"), function (m) {
        m.classList.remove("hl-focus");
      });
      prose.classList.remove("focusing");
      showAll.hidden = true;
    }
    function focusFinding(finding) {
      clearFocus();
      marksOf(prose, finding).forEach(function (m) { m.classList.add("hl-focus"); });
      prose.classList.add("focusing");
      showAll.hidden = false;
    }
    form.addEventListener("change", toggle);
    showAll.addEventListener("click", clearFocus);
    var links = document.querySelectorAll("li[data-finding] .evidence a");
    Array.prototype.forEach.call(links, function (link) {
      var item = link.closest("li[data-finding]");  /* the finding the evidence belongs to */
      if (!item) { return; }
      link.addEventListener("click", function () {
        focusFinding(item.getAttribute("data-finding"));
      });
    });
    form.hidden = false;
  }

  function init() {
    var state = readState();
    var hlForm = document.getElementById("hl-toggles");
    var prose = document.getElementById("prose");
    if (hlForm && prose) { enhanceHighlights(hlForm, prose); }
    var tables = document.querySelectorAll("table[data-sortable]");
    Array.prototype.forEach.call(tables, function (table) {
      var form = table.id === "pieces" ? document.getElementById("filters") : null;
      var refresh = null;
      enhanceSorting(table, function (key, dir) {
        state.sort = key;
        state.dir = dir;
        if (refresh) { refresh(); } else { writeState(state); }
      });
      if (form) {
        refresh = enhanceFilters(form, table, state);
      } else if (state.sort) {
        sortTable(table, state.sort, state.dir);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
