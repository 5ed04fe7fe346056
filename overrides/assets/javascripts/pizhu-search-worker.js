/*
 * Pizhu search worker: exact-phrase search that speaks Material's worker protocol.
 *
 * Material's bundle starts `new Worker(config.search)`, posts SETUP with the search index
 * ({config, docs, options}), waits for READY, then posts QUERY with the raw input value on
 * every keyup and renders the RESULT ({items: SearchItem[][]}). This worker replaces
 * Material's lunr worker: a query finds exactly the pages that contain it.
 *
 * Matching. Text and query are normalised the same way: NFKC (fullwidth ＡＢＣ１２３，
 * fold to ASCII), lower case, whitespace and zero-width characters removed, so 三会 一课 in a
 * text still matches 三会一课. Block boundaries of the index text ("\n") are never crossed.
 * Space-separated words must all occur in the same page (not necessarily the same
 * paragraph); ASCII "…" keeps a quoted phrase together (Chinese “…” are text).
 * Punctuation is significant.
 * A query of single characters (维, or 维 护) searches page titles only: one character
 * occurs in nearly every paragraph, and listing them all would be noise (and, on 1,000
 * speeches, tens of thousands of snippets).
 *
 * Results. One group per page, best first: [page, ...matching sections/paragraphs].
 * score = occurrences in the text + 10 per occurrence in the title. Material shows the
 * children whose score is at least the page's score and folds the rest into
 * "在该页上还有 N 个符合条件的结果"; the page's score is set so that the best three
 * children show (or none, with the page's own snippet, when its title matches). Enter opens
 * the highest score, which is the best item of the first group.
 *
 * The index (scripts/pizhu/search_index.py) has page docs ("x.html"), section docs
 * ("x.html#id", with a title) and paragraph docs ("x.html#p-12", no title: they show the
 * title of the section they are in, and it is not searched again for them).
 *
 * Runs as a dedicated worker (HTTP), or, from file://, as a plain <script> in the page via
 * pizhu-file-worker.js: then it registers a factory in window.pizhuWorkerFactories under its
 * own URL instead of listening on self. Plain ES2017, no dependencies, no build step.
 */
(function (root) {
  "use strict";

  var SETUP = 0;
  var READY = 1;
  var QUERY = 2;
  var RESULT = 3;

  var TITLE_BOOST = 10;      /* score of one title occurrence */
  var SHOWN_CHILDREN = 3;    /* children shown before Material's "more" fold */
  var CONTEXT = 40;          /* characters of context either side of a match */
  var TEASER = 80;           /* characters of a page teaser without a match */
  var DOC_END = "\u0000";    /* between documents in the haystack */
  var BLOCK_END = "\u0001";  /* between blocks of one document ("\n" in the index) */

  /* Characters that never take part in a match: whitespace, zero-width, soft hyphen */
  var IGNORED = /[\s\u00ad\u180e\u200b-\u200d\u2060\ufeff]+/g;
  var CONTROL = /[\u0000-\u001f\u007f]/g;

  /* ------------------------------------------------------------------------ text */

  /** The search form of a string (no position map): used for the whole corpus. */
  function normalise(value) {
    return value.normalize("NFKC").toLowerCase()
      .replace(CONTROL, function (c) { return c === "\n" ? BLOCK_END : ""; })
      .replace(IGNORED, "");
  }

  /** The search form of a query word (never contains a boundary character). */
  function normaliseWord(value) {
    return value.normalize("NFKC").toLowerCase().replace(CONTROL, "").replace(IGNORED, "");
  }

  var unitCache = new Map();

  /**
   * Normalise with a map back to the original: out[i] came from value[start[i], end[i]).
   * Works per character plus its combining marks, so it agrees with normalise() except in
   * exotic cases (then a snippet merely loses its highlight).
   */
  function normaliseMapped(value) {
    var out = [];
    var start = [];
    var end = [];
    var i = 0;
    var n = value.length;
    while (i < n) {
      var c = value.charCodeAt(i);
      var j = i + 1;
      if (c >= 0xd800 && c < 0xdc00 && j < n) {
        var d = value.charCodeAt(j);
        if (d >= 0xdc00 && d < 0xe000) j++;
      }
      while (j < n && isCombining(value.charCodeAt(j))) j++;
      var piece;
      if (j === i + 1 && ((c >= 0x4e00 && c < 0xa000) || (c >= 0x3400 && c < 0x4dc0) ||
          (c >= 0x21 && c < 0x7f && !(c >= 0x41 && c <= 0x5a)))) {
        piece = value[i];                             /* fast path: CJK, ASCII non-upper */
      } else {
        var unit = value.slice(i, j);
        piece = unitCache.get(unit);
        if (piece === undefined) {
          piece = unit === "\n" ? BLOCK_END : normaliseWord(unit);
          if (unitCache.size < 10000) unitCache.set(unit, piece);
        }
      }
      for (var k = 0; k < piece.length; k++) {
        out.push(piece[k]);
        start.push(i);
        end.push(j);
      }
      i = j;
    }
    return { text: out.join(""), start: start, end: end };
  }

  function isCombining(c) {
    return (c >= 0x300 && c < 0x370) || (c >= 0x1ab0 && c < 0x1b00) ||
      (c >= 0x1dc0 && c < 0x1e00) || (c >= 0x20d0 && c < 0x2100) ||
      (c >= 0xfe20 && c < 0xfe30) || c === 0x3099 || c === 0x309a ||
      (c >= 0xfe00 && c < 0xfe10);
  }

  function escapeHTML(value) {
    return value.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  /**
   * Ranges [start, end) of the original value where any word occurs, merged, sorted.
   * norm, when given, is normalise(value): if it has the same length (the usual case: no
   * whitespace, one character per character) its positions are the value's, which is
   * checked per match; otherwise the value is normalised again with a position map.
   */
  function matchRanges(value, words, norm) {
    var ranges = norm !== undefined && norm.length === value.length
      ? alignedRanges(value, words, norm) : null;
    if (ranges === null) {
      var mapped = normaliseMapped(value);
      ranges = [];
      for (var w = 0; w < words.length; w++) {
        var word = words[w];
        var at = mapped.text.indexOf(word);
        while (at !== -1) {
          ranges.push([mapped.start[at], mapped.end[at + word.length - 1]]);
          at = mapped.text.indexOf(word, at + word.length);
        }
      }
    }
    return mergeRanges(ranges);
  }

  function alignedRanges(value, words, norm) {
    var ranges = [];
    for (var w = 0; w < words.length; w++) {
      var word = words[w];
      var at = norm.indexOf(word);
      while (at !== -1) {
        if (normaliseWord(value.slice(at, at + word.length)) !== word) return null;
        ranges.push([at, at + word.length]);
        at = norm.indexOf(word, at + word.length);
      }
    }
    return ranges;
  }

  function mergeRanges(ranges) {
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    for (var r = 0; r < ranges.length; r++) {
      var last = merged[merged.length - 1];
      if (last && ranges[r][0] <= last[1]) last[1] = Math.max(last[1], ranges[r][1]);
      else merged.push([ranges[r][0], ranges[r][1]]);
    }
    return merged;
  }

  /** Escaped HTML of value[from, to) with the ranges inside it wrapped in <mark>. */
  function markup(value, ranges, from, to) {
    var html = "";
    var at = from;
    for (var r = 0; r < ranges.length; r++) {
      var s = Math.max(ranges[r][0], from);
      var e = Math.min(ranges[r][1], to);
      if (e <= s) continue;
      html += escapeHTML(value.slice(at, s)) + "<mark>" + escapeHTML(value.slice(s, e)) + "</mark>";
      at = e;
    }
    return html + escapeHTML(value.slice(at, to));
  }

  /** Do not cut a surrogate pair in two. */
  function clampStart(value, i) {
    return i > 0 && isLowSurrogate(value.charCodeAt(i)) ? i - 1 : i;
  }
  function clampEnd(value, i) {
    return i < value.length && isLowSurrogate(value.charCodeAt(i)) ? i + 1 : i;
  }
  function isLowSurrogate(c) { return c >= 0xdc00 && c < 0xe000; }

  /** "<p>…context <mark>phrase</mark> context…</p>" around the first match. */
  function snippet(value, words, norm) {
    var text = value.replace(/\n/g, " ");
    var ranges = words.length ? matchRanges(value, words, norm) : [];
    var from = 0;
    var to = Math.min(text.length, TEASER);
    if (ranges.length) {
      from = Math.max(0, ranges[0][0] - CONTEXT);
      to = Math.min(text.length, ranges[0][1] + CONTEXT);
      /* Never cut a later match in half */
      for (var r = 1; r < ranges.length && ranges[r][0] < to; r++)
        to = Math.max(to, ranges[r][1]);
    }
    from = clampStart(text, from);
    to = clampEnd(text, to);
    if (!text.length) return "";
    return "<p>" + (from > 0 ? "…" : "") + markup(text, ranges, from, to) +
      (to < text.length ? "…" : "") + "</p>";
  }

  function highlightTitle(title, words) {
    return words.length ? markup(title, matchRanges(title, words), 0, title.length)
      : escapeHTML(title);
  }

  /* ------------------------------------------------------------------------ query */

  /**
   * Words of a query: whitespace splits, ASCII "…" keeps words together. Chinese quotes
   * “…” are text: “不忘初心、牢记使命”主题教育 is one phrase, quotes included.
   */
  function parseQuery(query) {
    var value = String(query).normalize("NFKC");
    var words = [];
    var labels = [];
    var re = /"([^"]*)"|(\S+)/g;
    var m;
    while ((m = re.exec(value)) !== null) {
      var raw = m[1] !== undefined ? m[1] : m[2].replace(/^"+|"+$/g, "");
      var word = normaliseWord(raw);
      if (word && words.indexOf(word) === -1) {
        words.push(word);
        labels.push(raw.trim());
      }
    }
    return { words: words, labels: labels };
  }

  function codePoints(value) {
    var n = 0;
    for (var i = 0; i < value.length; i++)
      if (!isLowSurrogate(value.charCodeAt(i))) n++;
    return n;
  }

  /* ------------------------------------------------------------------------ index */

  /**
   * Haystack: the normalised texts of many documents, separated by DOC_END, with the
   * offset where each starts (for mapping a hit back to its document).
   */
  function Haystack(texts, owners) {
    var parts = [];
    var starts = new Int32Array(texts.length + 1);
    var offset = 0;
    for (var i = 0; i < texts.length; i++) {
      var norm = normalise(texts[i]);
      starts[i] = offset;
      parts.push(norm, DOC_END);
      offset += norm.length + 1;
    }
    starts[texts.length] = offset;
    this.text = parts.join("");
    this.starts = starts;
    this.owners = owners;     /* haystack entry -> document number */
  }

  /** The normalised text of haystack entry i. */
  Haystack.prototype.entry = function (i) {
    return this.text.slice(this.starts[i], this.starts[i + 1] - 1);
  };

  /** Adds the number of (non-overlapping) occurrences of word per document to counts. */
  Haystack.prototype.count = function (word, counts) {
    var starts = this.starts;
    var entry = 0;
    var at = this.text.indexOf(word);
    while (at !== -1) {
      /* Hits come in order: advance the entry pointer (or binary-search a long jump) */
      if (starts[entry + 1] <= at) {
        if (entry + 8 < starts.length - 1 && starts[entry + 8] <= at) {
          var lo = entry + 8;
          var hi = starts.length - 2;
          while (lo < hi) {
            var mid = (lo + hi + 1) >> 1;
            if (starts[mid] <= at) lo = mid; else hi = mid - 1;
          }
          entry = lo;
        } else {
          while (starts[entry + 1] <= at) entry++;
        }
      }
      var doc = this.owners[entry];
      counts.set(doc, (counts.get(doc) || 0) + 1);
      at = this.text.indexOf(word, at + word.length);
    }
  };

  function SearchIndex(data) {
    var docs = (data && data.docs) || [];
    this.docs = [];
    this.groups = [];
    var byPath = new Map();
    var texts = [];
    var titles = [];
    var titleOwners = [];
    var section = null;
    for (var i = 0; i < docs.length; i++) {
      var source = docs[i];
      var location = String(source.location || "");
      var path = location.split("#")[0];
      var group = byPath.get(path);
      if (group === undefined) {
        group = { path: path, page: -1, members: [] };
        byPath.set(path, group);
        this.groups.push(group);
        section = null;
      }
      var own = typeof source.title === "string";
      var isPage = location.indexOf("#") === -1 && group.page === -1;
      var doc = {
        location: location,
        title: own ? source.title : "",
        text: typeof source.text === "string" ? source.text : "",
        tags: source.tags,
        boost: typeof source.boost === "number" && source.boost > 0 ? source.boost : 1,
        group: group,
        ownTitle: own
      };
      var number = this.docs.length;
      this.docs.push(doc);
      if (isPage) {
        group.page = number;
      } else {
        group.members.push(number);
        if (own) section = doc;
        else doc.title = section ? section.title : null;   /* page title: filled below */
      }
      texts.push(doc.text);
      if (own) {
        titles.push(doc.title);
        titleOwners.push(number);
      }
    }
    /* Groups without a page document (not written by our indexer) get one */
    for (var g = 0; g < this.groups.length; g++) {
      var grp = this.groups[g];
      if (grp.page === -1) {
        var first = this.docs[grp.members[0]];
        grp.page = this.docs.length;
        this.docs.push({
          location: grp.path, title: first.title || grp.path, text: "", group: grp,
          ownTitle: false
        });
        texts.push("");
      }
      var pageTitle = this.docs[grp.page].title;
      for (var k = 0; k < grp.members.length; k++) {
        var member = this.docs[grp.members[k]];
        if (member.title === null) member.title = pageTitle;
      }
    }
    var owners = new Int32Array(texts.length);
    for (var t = 0; t < owners.length; t++) owners[t] = t;
    this.text = new Haystack(texts, owners);
    this.titles = new Haystack(titles, Int32Array.from(titleOwners));
  }

  SearchIndex.prototype.search = function (query) {
    var parsed = parseQuery(query);
    var words = parsed.words;
    if (!words.length) return { items: [] };
    var terms = {};
    for (var l = 0; l < parsed.labels.length; l++) terms[parsed.labels[l]] = true;

    var titlesOnly = words.every(function (word) { return codePoints(word) === 1; });
    var self = this;

    /* Per word: occurrences per document, in text and in own titles */
    var perWord = words.map(function (word) {
      var text = new Map();
      var title = new Map();
      if (!titlesOnly) self.text.count(word, text);
      self.titles.count(word, title);
      return { text: text, title: title };
    });

    /* Pages where every word occurs (in titles only, for a one-character query) */
    var candidates = null;
    for (var w = 0; w < perWord.length; w++) {
      var pages = new Set();
      var collect = function (count, doc) {
        var d = self.docs[doc];
        if (!titlesOnly || d.group.page === doc) pages.add(d.group);
      };
      perWord[w].text.forEach(collect);
      perWord[w].title.forEach(collect);
      if (candidates === null) {
        candidates = pages;
      } else {
        var both = new Set();
        pages.forEach(function (p) { if (candidates.has(p)) both.add(p); });
        candidates = both;
      }
      if (!candidates.size) return { items: [] };
    }

    function scoreOf(doc) {
      var s = 0;
      for (var x = 0; x < perWord.length; x++)
        s += (perWord[x].text.get(doc) || 0) + TITLE_BOOST * (perWord[x].title.get(doc) || 0);
      return s;
    }

    var results = [];
    candidates.forEach(function (group) {
      var children = [];
      var total = 0;
      if (!titlesOnly) {
        for (var m = 0; m < group.members.length; m++) {
          var member = group.members[m];
          var s = scoreOf(member);
          if (s > 0) children.push({ doc: member, score: s, order: m });
        }
      }
      children.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
      var own = scoreOf(group.page);
      total = own;
      for (var c = 0; c < children.length; c++) {
        total += children[c].score;
        /* Strictly decreasing, so that exactly SHOWN_CHILDREN pass Material's threshold */
        children[c].score -= c / (children.length + 1) / 2;
      }
      var threshold = children.length
        ? children[Math.min(SHOWN_CHILDREN, children.length) - 1].score : 0;
      var pageScore = Math.max(own, threshold);
      /* A page's `search: boost` (front matter) weighs in the order of pages only */
      var boost = self.docs[group.page].boost || 1;
      results.push({
        group: group,
        children: children,
        pageScore: pageScore,
        best: boost * Math.max(pageScore, children.length ? children[0].score : 0),
        total: boost * total
      });
    });

    results.sort(function (a, b) {
      return b.best - a.best || b.total - a.total || a.group.page - b.group.page;
    });

    var titleCache = new Map();
    function title(value) {
      var html = titleCache.get(value);
      if (html === undefined) {
        html = highlightTitle(value, words);
        titleCache.set(value, html);
      }
      return html;
    }

    var items = results.map(function (result) {
      var page = self.docs[result.group.page];
      var teaser = result.group.page;
      if (!page.text && result.group.members.length) teaser = result.group.members[0];
      var head = item(page, result.pageScore, teaser);
      var parent = { location: head.location, title: head.title, text: "" };
      var group = [head];
      for (var c = 0; c < result.children.length; c++) {
        var child = result.children[c];
        var entry = item(self.docs[child.doc], child.score, child.doc);
        entry.parent = parent;
        group.push(entry);
      }
      return group;
    });
    return { items: items };

    /* A SearchItem for doc, its snippet taken from the text of document textOf */
    function item(doc, score, textOf) {
      var out = {
        location: doc.location,
        title: title(doc.title || ""),
        text: titlesOnly ? snippet(self.docs[textOf].text, [])
          : snippet(self.docs[textOf].text, words, self.text.entry(textOf)),
        score: score,
        terms: terms
      };
      if (doc.tags) out.tags = doc.tags;
      return out;
    }
  };

  /* ------------------------------------------------------------------------ protocol */

  /** A message handler with its own index; reply(message) sends to the page. */
  function createSearchWorker(reply) {
    var index = null;
    return function (message) {
      switch (message && message.type) {
        case SETUP:
          index = new SearchIndex(message.data);
          reply({ type: READY });
          break;
        case QUERY:
          var data;
          try {
            data = index ? index.search(message.data) : { items: [] };
          } catch (err) {
            if (typeof console !== "undefined") console.warn("pizhu search:", err);
            data = { items: [] };
          }
          reply({ type: RESULT, data: data });
          break;
      }
    };
  }

  var api = {
    createSearchWorker: createSearchWorker,
    SearchIndex: SearchIndex,
    parseQuery: parseQuery,
    normalise: normalise,
    snippet: snippet
  };

  if (typeof module === "object" && module.exports) {
    module.exports = api;                                   /* Node, for unit tests */
  } else if (typeof window === "undefined" && typeof root.postMessage === "function") {
    var handle = createSearchWorker(function (message) { root.postMessage(message); });
    root.addEventListener("message", function (ev) { handle(ev.data); });
  } else if (typeof document !== "undefined" && document.currentScript) {
    var factories = root.pizhuWorkerFactories = root.pizhuWorkerFactories || {};
    factories[document.currentScript.src] = createSearchWorker;
  }
})(typeof self !== "undefined" ? self : this);
