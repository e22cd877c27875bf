/* Search for Vietnamese typed any way, loaded only when wanted (in <head>, before Material's bundle).
 *
 * Material's search runs lunr in a web worker that it starts, with the whole search index, as
 * soon as a page opens. This script wraps that worker so that:
 * (1) nothing of search is downloaded or computed until the reader opens search (the search box
 *     gets focus, the search icon or a keyboard shortcut opens it, or the page is opened with
 *     ?q=…): the worker script and the index request wait until then. On a cheap phone on a slow
 *     link this halves what the first page costs;
 * (2) when the index is handed to the worker, every entry gets folded copies of its title and
 *     text (đ → d, tone marks removed) in the fields title_folded and text_folded, which
 *     mkdocs.yml declares; folding here instead of at build time halves the index download;
 * (3) each query word that has diacritics is sent with its folded form, so "cải cách" finds what
 *     "cai cach" finds, and pages with the exact accents rank first (they match twice). Queries
 *     using lunr syntax (quotes, + - ~ ^ : *) are sent folded only, for the same reason;
 * (4) the pages lunr found are put in the order the reader meant (rank()): lunr matches every
 *     word as a prefix ("so" finds "soạn", "soát") and adds up scores word by word, so a page
 *     with the words apart, or with fragments of them, could come before the page that has the
 *     phrase. Pages are ranked by where the folded phrase is (the page title is the phrase; the
 *     title has it; the page's first part; a section title; anywhere), then by whole words
 *     (all of them, some), then by the words typed with their accents, then the page higher in the
 *     site's folders (a plan before its commitments), then by how much of the title or first
 *     part the phrase makes, then in lunr's order. A document's number is in its
 *     page title ("Quyết định 364/QĐ-UBND: …"), so a number finds its document first.
 * The same fold() is in planpub/website/searchfold.py. Material's message types: SETUP 0,
 * QUERY 2, RESULT 3. */
(function () {
  "use strict";
  var MARKS = /[\u0300-\u036f]/g;
  var canFold = typeof "".normalize === "function";
  function fold(s) {
    s = String(s).replace(/đ/g, "d").replace(/Đ/g, "D");
    return canFold ? s.normalize("NFD").replace(MARKS, "").normalize("NFC") : s;
  }
  function expand(query) {
    if (/["+\-~^:*]/.test(query)) return fold(query);
    var out = [];
    query.split(/\s+/).forEach(function (word) {
      if (!word) return;
      out.push(word);
      var folded = fold(word);
      if (folded !== word) out.push(folded);
    });
    return out.join(" ");
  }
  function foldIndex(index) {
    var fields = index.config.fields;
    fields.title_folded = fields.title_folded || { boost: (fields.title || {}).boost || 1 };
    fields.text_folded = fields.text_folded || { boost: (fields.text || {}).boost || 1 };
    index.docs.forEach(function (doc) {
      var title = fold(doc.title || ""), text = fold(doc.text || "");
      if (title !== doc.title) doc.title_folded = title;
      if (text !== doc.text) doc.text_folded = text;
    });
  }
  window.__ppFold = fold;

  /* --- ranking: what the reader meant first ---------------------------------------------------- */
  var WORD = /[\p{L}\p{N}]+/gu, TAG = /<[^>]*>/g;
  var entries = {}, seen = {};  // page URL → its index entries; → what rank() needs, made when first asked
  function words(s) { return String(s).toLowerCase().match(WORD) || []; }
  function spaced(list) { return " " + list.join(" ") + " "; }
  function learn(index) {
    entries = {};
    seen = {};
    index.docs.forEach(function (doc) {
      var url = doc.location.split("#")[0];
      (entries[url] = entries[url] || []).push(doc);
    });
  }
  function page(url) {
    if (seen[url] || !entries[url]) return seen[url];
    var p = { title: " ", main: " ", sections: "", all: "", exact: "" };
    entries[url].forEach(function (doc) {
      var title = String(doc.title || "").replace(TAG, " "), text = String(doc.text || "").replace(TAG, " ");
      var ftitle = spaced(words(fold(title))), ftext = spaced(words(fold(text)));
      if (doc.location === url) { p.title = ftitle; p.main = ftext; } else p.sections += ftitle + "|";
      p.all += ftitle + "|" + ftext + "|";
      p.exact += spaced(words(title.normalize("NFC"))) + "|" + spaced(words(text.normalize("NFC"))) + "|";
    });
    return (seen[url] = p);
  }
  function rank(result, query) {
    var typed = words(String(query).normalize("NFC")), folded = words(fold(query));
    if (!folded.length || !result || !result.items) return result;
    var phrase = spaced(folded);
    var accented = typed.filter(function (w) { return fold(w) !== w; });
    var keyed = result.items.map(function (group, i) {
      var p = page(String(group[0].location).split("#")[0]), tier = 0, exact = 0, size = 0;
      if (p) {
        var whole = folded.filter(function (w) { return p.all.indexOf(" " + w + " ") >= 0; }).length;
        tier = p.title === phrase ? 8 : p.title.indexOf(phrase) >= 0 ? 7 : p.main.indexOf(phrase) >= 0 ? 6
          : p.sections.indexOf(phrase) >= 0 ? 5 : p.all.indexOf(phrase) >= 0 ? 4
          : whole === folded.length ? 3 : whole ? 2 : 1;
        exact = accented.filter(function (w) { return p.exact.indexOf(" " + w + " ") >= 0; }).length;
        size = tier >= 7 ? p.title.length : tier === 6 ? p.main.length : 0;
      }
      return { group: group, key: [-tier, -exact, String(group[0].location).split("/").length, size, i] };
    });
    keyed.sort(function (a, b) {
      for (var k = 0; k < a.key.length; k++) if (a.key[k] !== b.key[k]) return a.key[k] - b.key[k];
      return 0;
    });
    var out = {};
    for (var name in result) out[name] = result[name];
    out.items = keyed.map(function (k) { return k.group; });
    return out;
  }
  window.__ppRank = rank;

  /* --- wait until search is wanted ------------------------------------------------------- */
  var wanted = /[?&]q=/.test(location.search), waiting = [];
  function want() {
    if (wanted) return;
    wanted = true;
    waiting.splice(0).forEach(function (run) { run(); });
  }
  function whenWanted(run) { if (wanted) run(); else waiting.push(run); }
  function isSearch(el) {
    return el && el.nodeType === 1 && (el.id === "__search" || el.matches(".md-search__input, label[for=__search]"));
  }
  document.addEventListener("focusin", function (ev) { if (isSearch(ev.target)) want(); }, true);
  document.addEventListener("pointerdown", function (ev) { if (isSearch(ev.target.closest && ev.target.closest("label, input"))) want(); }, true);
  document.addEventListener("change", function (ev) { if (ev.target.id === "__search" && ev.target.checked) want(); }, true);

  var XHR = window.XMLHttpRequest && window.XMLHttpRequest.prototype;
  if (XHR) {
    var open = XHR.open, send = XHR.send;
    XHR.open = function (method, url) { this.__ppIndex = /search\/search_index\.json$/.test(String(url)); return open.apply(this, arguments); };
    XHR.send = function () {
      var xhr = this, args = arguments;
      if (!xhr.__ppIndex) return send.apply(xhr, args);
      whenWanted(function () { send.apply(xhr, args); });
    };
  }

  /* --- the worker: started when wanted, folding what it is sent ------------------------------ */
  var Native = window.Worker;
  if (!Native || !canFold || typeof EventTarget !== "function") return;
  function DeferredWorker(url, options) {
    var stub = new EventTarget(), queue = [], worker = null, asked = [];
    function relay(type) {
      worker.addEventListener(type, function (ev) {
        var data = ev.data;
        if (type === "message" && data && data.type === 3) data = { type: 3, data: rank(data.data, asked.shift() || "") };
        var copy = type === "message" ? new MessageEvent("message", { data: data }) : new ErrorEvent("error", ev);
        stub.dispatchEvent(copy);
        var handler = stub["on" + type];
        if (typeof handler === "function") handler.call(stub, copy);
      });
    }
    whenWanted(function () {
      worker = new Native(url, options);
      relay("message");
      relay("error");
      queue.splice(0).forEach(function (m) { worker.postMessage(m); });
    });
    stub.postMessage = function (message) {
      if (message && message.type === 0 && message.data && message.data.docs) {
        foldIndex(message.data);
        learn(message.data);
      } else if (message && message.type === 2 && typeof message.data === "string") {
        asked.push(message.data);
        message = { type: 2, data: expand(message.data) };
      }
      if (worker) worker.postMessage(message); else queue.push(message);
    };
    stub.terminate = function () { if (worker) worker.terminate(); queue = []; };
    return stub;
  }
  window.Worker = DeferredWorker;
})();
