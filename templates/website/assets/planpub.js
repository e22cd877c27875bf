/* Keyboard: the header's menu and search icons are <label>s of Material's hidden checkboxes, which
 * a keyboard cannot reach. Each becomes a button (Tab stop, Enter or Space, a name, its state);
 * the menu, opened from the keyboard, puts the focus on its first link, and Escape closes it and
 * gives the focus back to the button. */
(function () {
  "use strict";
  function button(label, name, toggle, onOpen) {
    if (!label || !toggle) return;
    label.setAttribute("role", "button");
    label.setAttribute("tabindex", "0");
    label.setAttribute("aria-label", name);
    label.removeAttribute("title");
    function state() { label.setAttribute("aria-expanded", toggle.checked ? "true" : "false"); }
    state();
    toggle.addEventListener("change", state);
    label.addEventListener("keydown", function (ev) {
      if (ev.key !== "Enter" && ev.key !== " ") return;
      ev.preventDefault();
      ev.stopPropagation();  // Material clicks a focused label on Enter too: once is enough
      label.click();
      if (toggle.checked && onOpen) onOpen();
    });
  }
  var drawer = document.getElementById("__drawer"), search = document.getElementById("__search");
  var menu = document.querySelector(".md-header label[for='__drawer']");
  button(menu, "Mở danh mục trang", drawer, function () {
    var first = document.querySelector(".md-sidebar--primary a[href], .md-sidebar--primary label[tabindex]");
    if (first) setTimeout(function () { first.focus(); }, 0);
  });
  button(document.querySelector(".md-header label[for='__search']"), "Tìm kiếm", search, function () {
    var input = document.querySelector(".md-search__input");
    if (input) setTimeout(function () { input.focus(); }, 0);
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && drawer && drawer.checked) {
      drawer.click();
      if (menu) menu.focus();
    }
  });
})();

/* Commitments explorer: filters the pre-rendered list in place, and keeps the filter in the URL
 * (?linh-vuc=procedures&q=…) so that a filtered view can be shared. Without JavaScript the page
 * shows every commitment and links to the pre-rendered list of each facet value. */
(function () {
  "use strict";
  var form = document.getElementById("pp-filter");
  var list = document.getElementById("pp-list");
  if (!form || !list) return;
  var fold = window.__ppFold || function (s) { return s; };
  var items = Array.prototype.slice.call(list.children);
  // what the text box matches: the commitment's whole content and the meta line (lead, deadline,
  // area), not the plan's name that every card of a plan shares; folded, as a set of whole words
  var WORD = /[\p{L}\p{N}]+/gu;
  function words(s) { return fold(s).toLowerCase().match(WORD) || []; }
  var texts = items.map(function (li) {
    var title = li.querySelector(".pp-card__title"), meta = li.querySelector(".pp-card__meta");
    var plan = li.querySelector(".pp-card__plan");
    // each part of the meta line on its own (a <br> has no text: "công<br>Thời" must not read "côngThời")
    var metaText = meta ? Array.prototype.map.call(meta.childNodes, function (n) {
      return n === plan ? " " : n.textContent;
    }).join(" ") : "";
    return " " + words((li.getAttribute("data-full") || (title ? title.textContent : "")) + " " + metaText).join(" ") + " ";
  });
  // every word typed is a whole word of the card; the last one may be the start of a word (being typed)
  function matches(text, ws) {
    return ws.every(function (w, k) { return text.indexOf(" " + w + (k === ws.length - 1 ? "" : " ")) >= 0; });
  }
  var fields = Array.prototype.slice.call(form.elements).filter(function (el) { return el.name; });
  var selects = fields.filter(function (el) { return el.tagName === "SELECT"; });
  selects.forEach(function (el) {  // each option's name without its count: "Năm 2026 (46)" → "Năm 2026"
    Array.prototype.forEach.call(el.options, function (o) {
      if (o.value) o.setAttribute("data-label", o.textContent.replace(/\s*\(\d+\)$/, ""));
    });
  });
  var values = items.map(function (li) {  // item → facet → its values
    var v = {};
    selects.forEach(function (el) { v[el.name] = (li.getAttribute("data-" + el.name) || "").split(" "); });
    return v;
  });
  var more = document.getElementById("pp-more"), active = document.getElementById("pp-active");
  var count = document.getElementById("pp-count");
  var empty = document.getElementById("pp-empty");
  var facets = document.getElementById("pp-facets");

  function params() {
    var p = new URLSearchParams();
    fields.forEach(function (el) { if (el.value.trim()) p.set(el.name, el.value.trim()); });
    return p;
  }

  function apply(remember) {
    var p = params();
    var typed = words(p.get("q") || "");
    var shown = 0, counts = {};
    selects.forEach(function (el) { counts[el.name] = {}; });
    function tally(facet, i) {
      values[i][facet].forEach(function (v) { counts[facet][v] = (counts[facet][v] || 0) + 1; });
    }
    items.forEach(function (li, i) {
      // the facets this item fails; an option's count: the items that pass every other condition
      var failed = selects.filter(function (el) { return el.value && values[i][el.name].indexOf(el.value) < 0; });
      var ok = failed.length === 0 && matches(texts[i], typed);
      if (matches(texts[i], typed)) {
        if (failed.length === 0) selects.forEach(function (el) { tally(el.name, i); });
        else if (failed.length === 1) tally(failed[0].name, i);
      }
      li.hidden = !ok;
      if (ok) shown++;
    });
    selects.forEach(function (el) {
      Array.prototype.forEach.call(el.options, function (o) {
        if (o.value) o.textContent = o.getAttribute("data-label") + " (" + (counts[el.name][o.value] || 0) + ")";
      });
    });
    var chosen = selects.filter(function (el) { return el.value; }).length;
    if (active) active.textContent = chosen ? "(" + chosen + " điều kiện đang chọn)" : "";
    count.textContent = shown === items.length ? items.length + " nhiệm vụ"
      : shown + " trong " + items.length + " nhiệm vụ";
    empty.hidden = shown > 0;
    var query = p.toString();
    if (remember) history.replaceState(null, "", query ? "?" + query : location.pathname);
    // the other pages of a long list (pagination.py) open with the same filter
    Array.prototype.forEach.call(document.querySelectorAll(".pp-pager a"), function (a) {
      var plain = a.getAttribute("data-href") || a.getAttribute("href");
      a.setAttribute("data-href", plain);
      a.setAttribute("href", query ? plain + "?" + query : plain);
    });
  }

  var start = new URLSearchParams(location.search);
  fields.forEach(function (el) { if (start.has(el.name)) el.value = start.get(el.name); });
  form.hidden = false;
  if (facets) {  // the pre-rendered lists (the way without JavaScript) go after the list, folded
    facets.open = false;
    list.parentNode.insertBefore(facets, empty.nextSibling);
  }
  // the seven lists open on a wide screen; on a phone they stay folded so that the list shows first
  if (more) more.open = !!(window.matchMedia && window.matchMedia("(min-width: 60em)").matches);
  form.addEventListener("input", function () { apply(true); });
  form.addEventListener("change", function () { apply(true); });
  form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });
  apply(false);
})();
