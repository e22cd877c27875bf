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
 *     using lunr syntax (quotes, + - ~ ^ : *) are sent folded only, for the same reason.
 * The same fold() is in planpub/website/searchfold.py. Material's message types: SETUP 0, QUERY 2. */
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
    var stub = new EventTarget(), queue = [], worker = null;
    function relay(type) {
      worker.addEventListener(type, function (ev) {
        var copy = type === "message" ? new MessageEvent("message", { data: ev.data }) : new ErrorEvent("error", ev);
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
      if (message && message.type === 0 && message.data && message.data.docs) foldIndex(message.data);
      else if (message && message.type === 2 && typeof message.data === "string")
        message = { type: 2, data: expand(message.data) };
      if (worker) worker.postMessage(message); else queue.push(message);
    };
    stub.terminate = function () { if (worker) worker.terminate(); queue = []; };
    return stub;
  }
  window.Worker = DeferredWorker;
})();
