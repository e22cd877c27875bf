/* Search for Vietnamese typed any way (loaded in <head>, before Material's bundle).
 *
 * Material's search runs lunr in a web worker. This script wraps the Worker constructor so that
 * (1) when the search index is handed to the worker, every entry gets folded copies of its title
 *     and text (đ → d, tone marks removed) in the fields title_folded and text_folded, which
 *     mkdocs.yml declares; folding here instead of at build time halves the download;
 * (2) each query word that has diacritics is sent with its folded form, so "cải cách" finds what
 *     "cai cach" finds, and pages with the exact accents rank first (they match twice). Queries
 *     using lunr syntax (quotes, + - ~ ^ : *) are sent folded only, for the same reason.
 * The same fold() is in planpub/website/searchfold.py. */
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
  var Native = window.Worker;
  if (!Native || !canFold) return;
  var SETUP = 0, QUERY = 2; /* Material's SearchMessageType */
  function FoldingWorker(url, options) {
    var worker = new Native(url, options);
    var post = worker.postMessage;
    worker.postMessage = function (message) {
      if (message && message.type === SETUP && message.data && message.data.docs)
        foldIndex(message.data);
      else if (message && message.type === QUERY && typeof message.data === "string")
        message = { type: QUERY, data: expand(message.data) };
      return post.apply(worker, [message].concat([].slice.call(arguments, 1)));
    };
    return worker;
  }
  FoldingWorker.prototype = Native.prototype;
  window.Worker = FoldingWorker;
})();
