/*
 * Pizhu search worker: exact-phrase search over the whole site, behind Material's search box.
 *
 * Material's bundle starts `new Worker(config.search)` (overrides/main.html points it
 * here), sends SETUP with the search index it loaded, waits for READY and sends a QUERY on
 * every keyup. Pizhu's result list (pizhu-search-results.js) gets the answers. Every
 * message this file sends or understands is in PROTOCOL below.
 *
 * Index. Material's index file is only a manifest (scripts/pizhu/search_index.py): its
 * config.pizhu names the shards, ASCII files that hold the text in a compact code
 * (scripts/pizhu/search_code.py). They are loaded on SETUP, one after the other: with
 * importScripts in a real worker, with <script> tags when this file runs in the page from
 * file:// (pizhu-file-worker.js). Each shard calls pizhuSearchShard({format, pages, text}).
 * The first shard in makes the box usable (READY): queries are answered over the shards
 * loaded so far, marked as partial (PAGES loading), and answered again as more come in,
 * until the whole index answers. At 1,000 speeches (9 shards) from file:// the first
 * results come about 0.3 s after the box is clicked, the whole answer about 0.9 s after it.
 *
 * Matching. Text and query are folded the same way, one character at a time: NFKC
 * (fullwidth ＡＢＣ１２３，fold to ASCII), lower case, whitespace and zero-width
 * characters dropped, so 三会 一课 in a text still matches 三会一课. The text is folded
 * once, while it is decoded. Block boundaries ("\n") are never crossed. Space-separated words
 * must all occur in the same page (not necessarily the same paragraph); ASCII "…" keeps a
 * quoted phrase together (Chinese “…” are text). Punctuation is significant. A query of
 * single characters (维, or 维 护) searches page titles only: one character occurs in
 * nearly every paragraph.
 *
 * Answers. For a query the list gets every matching page with its number of hits (all
 * occurrences of all words, titles included), its boost (speeches have one) and date,
 * and orders them itself. It then asks for the items of the pages it is about to draw:
 * the page title with the phrase marked, the intro snippet, and the matching sections and
 * paragraphs, best first (score = occurrences + 10 per occurrence in a heading), each
 * with the text around the first match. Snippets are made only for what is drawn.
 *
 * Runs as a dedicated worker (HTTP), or, from file://, as a plain <script> in the page via
 * pizhu-file-worker.js: then it registers a factory in window.pizhuWorkerFactories under its
 * own URL instead of listening on self. Plain ES2017, no dependencies, no build step.
 */
(function (root) {
  "use strict";

  /* ------------------------------------------------------------------------ protocol */

  /**
   * Every message between Material's bundle, this worker and Pizhu's result list.
   * Material's messages are {type: number, data}; its type numbers are fixed by its
   * SearchMessageType enum (src/templates/assets/javascripts/integrations/search/worker/
   * message/index.ts, Material 9.x). Pizhu's own types are strings Material ignores.
   *
   *   type            from → to            data
   *   SETUP    0      Material → worker    {config, docs, options}: search/search_index.json
   *                                        (.js from file://); config.pizhu names the shards
   *   READY    1      worker → Material,   none: the first shard is in (the others may still
   *                   list                 be loading). Material then sends the input's
   *                                        value as a QUERY
   *   QUERY    2      Material → worker    the input's value (every keyup; "" after READY)
   *   RESULT   3      worker → Material    never sent: Material's own list draws results
   *                                        in batches of 4 on scroll and stops drawing when
   *                                        a wheel step jumps past a batch (README)
   *   PAGES    "pizhu:pages"   worker → list    {seq, query, words, pages: [[page, hits,
   *                                             boost, date, location, title hits]],
   *                                             loading}: every matching page, for the
   *                                             QUERY numbered seq; loading = [shards in,
   *                                             all shards] while some are still loading
   *                                             (a later PAGES answers the same QUERY
   *                                             again), null when the answer is whole
   *   ITEMS?   "pizhu:items?"  list → worker    {seq, request, pages: [page]}: the pages
   *                                             it draws next
   *   ITEMS    "pizhu:items"   worker → list    {seq, request, groups: [Group]}, in the
   *                                             asked order
   *   FAILED   "pizhu:failed"  worker → list    {message}: the index could not be loaded
   *
   * Group = {page, location, title (HTML), teaser (HTML or ""), children: [{location,
   * title (HTML), text (HTML)}]}; locations are relative to the site root, HTML is
   * escaped text with <mark> around matches.
   */
  var PROTOCOL = {
    SETUP: 0,
    READY: 1,
    QUERY: 2,
    RESULT: 3,
    PAGES: "pizhu:pages",
    ITEMS_WANTED: "pizhu:items?",
    ITEMS: "pizhu:items",
    FAILED: "pizhu:failed"
  };

  /** Index layout this worker reads (search_index.py INDEX_FORMAT). */
  var INDEX_FORMAT = 2;
  /** How long a partial answer's list may take to ask for its items (milliseconds). */
  var GATE_MS = 100;

  /** Where the shards are, from this file (assets/javascripts/ → search/). */
  var INDEX_DIR_FROM_WORKER = "../../search/";
  /** The function every shard calls (search_index.py SHARD_CALLBACK). */
  var SHARD_CALLBACK = "pizhuSearchShard";
  /** Printable ASCII but " and \ (search_code.py CODE_CHARS). */
  var CODE_CHARS = (function () {
    var chars = "";
    for (var c = 0x20; c < 0x7f; c++) if (c !== 0x22 && c !== 0x5c) chars += String.fromCharCode(c);
    return chars;
  })();
  var BASE = CODE_CHARS.length;  /* 93 */

  var TITLE_BOOST = 10;      /* score of one occurrence in a heading */
  var CONTEXT = 40;          /* characters of context either side of a match */
  var TEASER = 80;           /* characters of a teaser without a match */
  var DOC_END = "\u0000";    /* ends every document in a shard's text */

  /* Characters that never take part in a match: whitespace, zero-width, soft hyphen */
  var IGNORED = /[\s\u00ad\u180e\u200b-\u200d\u2060\ufeff]+/g;
  var CONTROL = /[\u0000-\u001f\u007f]/g;

  /* ------------------------------------------------------------------------ folding */

  var foldCache = new Map();

  /** The search form of one character (a code point): "" for whitespace. */
  function foldChar(ch) {
    if (ch === "\n" || ch === DOC_END) return ch;            /* boundaries stay */
    var folded = foldCache.get(ch);
    if (folded === undefined) {
      folded = ch.normalize("NFKC").toLowerCase().replace(CONTROL, "").replace(IGNORED, "");
      if (foldCache.size < 20000) foldCache.set(ch, folded);
    }
    return folded;
  }

  /** The search form of a string, character by character (as the index is folded). */
  function fold(value) {
    var out = "";
    for (var ch of value) out += ch === "\n" ? "" : foldChar(ch);
    return out;
  }

  /**
   * Fold with a map back to the original: out[i] came from value[start[i], end[i]).
   */
  function foldMapped(value) {
    var out = [];
    var start = [];
    var end = [];
    var i = 0;
    for (var ch of value) {
      var piece = foldChar(ch);
      for (var k = 0; k < piece.length; k++) {
        out.push(piece[k]);
        start.push(i);
        end.push(i + ch.length);
      }
      i += ch.length;
    }
    return { text: out.join(""), start: start, end: end };
  }

  function escapeHTML(value) {
    return value.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  /**
   * Ranges [start, end) of the original value where any word occurs, merged, sorted.
   * norm, when given, is the folded value: if it has the same length (the usual case:
   * no whitespace, one unit per unit) its positions are the value's, which is checked per
   * match; otherwise the value is folded again with a position map.
   */
  function matchRanges(value, words, norm) {
    var ranges = norm !== undefined && norm.length === value.length
      ? alignedRanges(value, words, norm) : null;
    if (ranges === null) {
      var mapped = foldMapped(value);
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
        if (fold(value.slice(at, at + word.length)) !== word) return null;
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
      var word = fold(raw);
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

  /* ------------------------------------------------------------------------ the code */

  /**
   * The index's character code (search_code.py CharCode): symbol r is one code character
   * (r < singles), a lead plus one (the next pairs * BASE), or a lead plus two.
   */
  function CharCode(spec) {
    this.symbols = Array.from(String(spec.alphabet));
    this.singles = spec.singles | 0;
    this.pairs = spec.pairs | 0;
    this.value = new Int16Array(128).fill(-1);
    for (var v = 0; v < BASE; v++) this.value[CODE_CHARS.charCodeAt(v)] = v;
    /* Folded symbols: one UTF-16 unit (or -1: see foldedText) */
    this.foldUnit = new Int32Array(this.symbols.length);
    this.foldedText = new Array(this.symbols.length);
    for (var s = 0; s < this.symbols.length; s++) {
      var folded = foldChar(this.symbols[s]);
      this.foldedText[s] = folded;
      this.foldUnit[s] = folded.length === 1 ? folded.charCodeAt(0) : -1;
    }
    /* For unpack: code character → folded unit of a one-character code (-1: other, -2:
       a lead), and lead * 128 + trail character → folded unit of a two-character code */
    this.singleUnit = new Int32Array(128).fill(-1);
    this.leadOf = new Int32Array(128).fill(-1);
    this.pairUnit = new Int32Array(Math.max(1, this.pairs) * 128).fill(-1);
    for (var c = 0; c < BASE; c++) {
      var code = CODE_CHARS.charCodeAt(c);
      if (c < this.singles) {
        this.singleUnit[code] = c < this.symbols.length ? this.foldUnit[c] : -1;
      } else if (c < this.singles + this.pairs) {
        this.singleUnit[code] = -2;
        this.leadOf[code] = c - this.singles;
        for (var t = 0; t < BASE; t++) {
          var rank = this.singles + (c - this.singles) * BASE + t;
          if (rank < this.symbols.length)
            this.pairUnit[(c - this.singles) * 128 + CODE_CHARS.charCodeAt(t)] =
              this.foldUnit[rank];
        }
      } else {
        this.singleUnit[code] = -2;
      }
    }
  }

  /** The text of a coded string (titles, anchors, one document). */
  CharCode.prototype.decode = function (coded, from, to) {
    var out = "";
    var i = from || 0;
    var end = to === undefined ? coded.length : to;
    while (i < end) {
      var r = this.rank(coded, i);
      out += this.symbols[r];
      i += this.width;
    }
    return out;
  };

  /** Rank of the symbol coded at i; sets this.width to its length in code characters. */
  CharCode.prototype.rank = function (coded, i) {
    var value = this.value;
    var v = value[coded.charCodeAt(i)];
    if (v < this.singles) { this.width = 1; return v; }
    if (v < this.singles + this.pairs) {
      this.width = 2;
      return this.singles + (v - this.singles) * BASE + value[coded.charCodeAt(i + 1)];
    }
    this.width = 3;
    return this.singles + this.pairs * BASE + (v - this.singles - this.pairs) * BASE * BASE +
      value[coded.charCodeAt(i + 1)] * BASE + value[coded.charCodeAt(i + 2)];
  };

  /**
   * A shard's text, folded for searching, with where each document starts in the folded
   * text (folded) and in the coded text (coded). One pass, table lookups only.
   */
  CharCode.prototype.unpack = function (coded) {
    var n = coded.length;
    var singleUnit = this.singleUnit;
    var leadOf = this.leadOf;
    var pairUnit = this.pairUnit;
    var out = new Uint16Array(n + 64);
    var j = 0;
    var folded = [0];
    var codedStarts = [0];
    var i = 0;
    while (i < n) {
      var c = coded.charCodeAt(i);
      var unit = singleUnit[c];
      var width = 1;
      if (unit === -2) {                          /* a lead: two or three characters */
        var lead = leadOf[c];
        if (lead >= 0) {
          unit = pairUnit[lead * 128 + coded.charCodeAt(i + 1)];
          width = 2;
        } else {
          width = 3;
          unit = -1;
        }
      }
      if (unit >= 0) {                            /* the common case: one unit out */
        out[j++] = unit;
        if (unit === 0) {                         /* DOC_END: the next document starts */
          folded.push(j);
          codedStarts.push(i + width);
        }
      } else {                                    /* folds to several units, or none */
        var text = this.foldedText[this.rank(coded, i)];
        if (j + text.length + 64 > out.length) {
          var larger = new Uint16Array(out.length * 2 + text.length);
          larger.set(out);
          out = larger;
        }
        for (var k = 0; k < text.length; k++) out[j++] = text.charCodeAt(k);
      }
      i += width;
    }
    return {
      text: unitsToString(out, j),
      folded: Int32Array.from(folded),
      coded: Int32Array.from(codedStarts)
    };
  };

  function unitsToString(units, length) {
    if (typeof TextDecoder === "function") {
      return new TextDecoder("utf-16le", { ignoreBOM: true })
        .decode(new Uint8Array(units.buffer, 0, length * 2));
    }
    var parts = [];
    for (var i = 0; i < length; i += 8192)
      parts.push(String.fromCharCode.apply(null, units.subarray(i, Math.min(length, i + 8192))));
    return parts.join("");
  }

  /* ------------------------------------------------------------------------ index */

  /**
   * Haystack: folded texts of documents one after the other, each ended by DOC_END;
   * starts[i] is where document first + i begins (one more entry: the end).
   */
  function Haystack(text, starts, first) {
    this.text = text;
    this.starts = starts;
    this.first = first;
  }

  /** Adds the number of (non-overlapping) occurrences of word per document to counts. */
  Haystack.prototype.count = function (word, counts) {
    var starts = this.starts;
    var last = starts.length - 2;
    var entry = 0;
    var at = this.text.indexOf(word);
    while (at !== -1) {
      /* Hits come in order: advance the entry pointer (or binary-search a long jump) */
      if (starts[entry + 1] <= at) {
        if (entry + 8 <= last && starts[entry + 8] <= at) {
          var lo = entry + 8;
          var hi = last;
          while (lo < hi) {
            var mid = (lo + hi + 1) >> 1;
            if (starts[mid] <= at) lo = mid; else hi = mid - 1;
          }
          entry = lo;
        } else {
          while (starts[entry + 1] <= at) entry++;
        }
      }
      var doc = this.first + entry;
      counts.set(doc, (counts.get(doc) || 0) + 1);
      at = this.text.indexOf(word, at + word.length);
    }
  };

  /** The folded text of document doc (global number) if it is in this haystack. */
  Haystack.prototype.entry = function (doc) {
    var i = doc - this.first;
    return this.text.slice(this.starts[i], this.starts[i + 1] - 1);
  };

  /**
   * The loaded index. manifest is config.pizhu: the code and, per shard, how many pages
   * and documents it holds, so that shards can be added in the order they arrive.
   */
  function SearchIndex(manifest) {
    this.code = new CharCode(manifest.code);
    this.layout = manifest.shards.map(function (shard) {
      return { pages: shard.pages | 0, documents: shard.documents | 0 };
    });
    var pages = 0;
    var documents = 0;
    for (var s = 0; s < this.layout.length; s++) {
      this.layout[s].firstPage = pages;
      this.layout[s].firstDocument = documents;
      pages += this.layout[s].pages;
      documents += this.layout[s].documents;
    }
    /* {location, boost, date, title, first, count, members, shard} */
    this.pages = new Array(pages);
    this.docPage = new Int32Array(documents);   /* document → page */
    this.shards = new Array(this.layout.length);  /* {coded, starts, haystack} */
    this.sectionTitles = new Map();  /* document → its heading (sections only) */
    this.titleTexts = [];            /* folded page and section titles … */
    this.titleDocs = [];             /* … and their documents */
    this.missing = this.layout.length;
  }

  /** Adds shard number (its data {format, pages, text}), in any order. */
  SearchIndex.prototype.add = function (number, shard) {
    var layout = this.layout[number];
    if (!shard || shard.format !== INDEX_FORMAT)
      throw new Error("pizhu: search index format " + (shard && shard.format) +
        ", expected " + INDEX_FORMAT + " (rebuild the site)");
    if (!layout || this.shards[number] || shard.pages.length !== layout.pages)
      throw new Error("pizhu: search shard " + number + " does not match search_index.json");
    var code = this.code;
    var unpacked = code.unpack(String(shard.text));
    if (unpacked.folded.length - 1 !== layout.documents)
      throw new Error("pizhu: search shard " + number + " is damaged (rebuild the site)");
    var doc = layout.firstDocument;
    for (var p = 0; p < shard.pages.length; p++) {
      var entry = shard.pages[p];
      var members = entry[4] || [];
      var pageNumber = layout.firstPage + p;
      var page = {
        location: String(entry[0]),
        boost: typeof entry[1] === "number" && entry[1] > 0 ? entry[1] : 1,
        date: typeof entry[2] === "string" ? entry[2] : "",
        title: code.decode(String(entry[3])),
        first: doc,
        count: members.length + 1,
        members: members,
        shard: number
      };
      this.pages[pageNumber] = page;
      this.docPage.fill(pageNumber, doc, doc + page.count);
      this.titleTexts.push(fold(page.title || page.location));
      this.titleDocs.push(doc);
      for (var m = 0; m < members.length; m++) {
        if (!Array.isArray(members[m])) continue;
        var title = code.decode(String(members[m][1]));
        this.sectionTitles.set(doc + 1 + m, title);
        this.titleTexts.push(fold(title));
        this.titleDocs.push(doc + 1 + m);
      }
      doc += page.count;
    }
    this.shards[number] = {
      coded: String(shard.text),
      starts: unpacked.coded,
      haystack: new Haystack(unpacked.text, unpacked.folded, layout.firstDocument)
    };
    this.missing -= 1;
  };

  /** Call once every shard is in: the haystack of titles. */
  SearchIndex.prototype.finish = function () {
    var starts = new Int32Array(this.titleTexts.length + 1);
    var offset = 0;
    for (var t = 0; t < this.titleTexts.length; t++) {
      starts[t] = offset;
      offset += this.titleTexts[t].length + 1;
    }
    starts[this.titleTexts.length] = offset;
    this.titles = new Haystack(this.titleTexts.join(DOC_END) + DOC_END, starts, 0);
    this.titleOwners = Int32Array.from(this.titleDocs);
    this.titleTexts = this.titleDocs = null;
  };

  SearchIndex.prototype.shardOf = function (doc) {
    return this.shards[this.pages[this.docPage[doc]].shard];
  };

  /** Original text of a document (decoded from its shard on demand). */
  SearchIndex.prototype.text = function (doc) {
    var shard = this.shardOf(doc);
    var i = doc - shard.haystack.first;
    /* Minus the DOC_END symbol */
    return this.code.decode(shard.coded, shard.starts[i], shard.starts[i + 1]).slice(0, -1);
  };

  SearchIndex.prototype.foldedText = function (doc) {
    return this.shardOf(doc).haystack.entry(doc);
  };

  /** The id a result of this document links to ("" for the page itself). */
  SearchIndex.prototype.anchor = function (doc) {
    var page = this.pages[this.docPage[doc]];
    if (doc === page.first) return "";
    var member = page.members[doc - page.first - 1];
    if (typeof member === "number") return "p-" + member;
    return this.code.decode(String(Array.isArray(member) ? member[0] : member));
  };

  /** Title a result of this document shows: its own, its section's, or the page's. */
  SearchIndex.prototype.shownTitle = function (doc) {
    var page = this.pages[this.docPage[doc]];
    for (var d = doc; d > page.first; d--)
      if (this.sectionTitles.has(d)) return this.sectionTitles.get(d);
    return page.title;
  };

  /**
   * Every page where every word occurs: {words, labels, pages: [[page, hits, boost,
   * date, location, title hits]] in the default order, children: Map(page → [[doc,
   * score]] best first)}. The default order is the list's 按出现次数.
   */
  SearchIndex.prototype.search = function (query) {
    var parsed = parseQuery(query);
    var words = parsed.words;
    var answer = { words: words, labels: parsed.labels, pages: [], children: new Map() };
    if (!words.length) return answer;
    var titlesOnly = words.every(function (word) { return codePoints(word) === 1; });
    var self = this;

    /* Per word: occurrences per document, in text and in titles */
    var perWord = words.map(function (word) {
      var text = new Map();
      var title = new Map();
      if (!titlesOnly)
        for (var s = 0; s < self.shards.length; s++)
          if (self.shards[s]) self.shards[s].haystack.count(word, text);  /* (loaded ones) */
      var byEntry = new Map();
      if (self.titles) self.titles.count(word, byEntry);   /* (once every shard is in) */
      byEntry.forEach(function (n, entry) {
        var doc = self.titleOwners[entry];
        if (!titlesOnly || self.pages[self.docPage[doc]].first === doc) title.set(doc, n);
      });
      return { text: text, title: title };
    });

    /* Pages where every word occurs */
    var candidates = null;
    for (var w = 0; w < perWord.length; w++) {
      var pages = new Set();
      var collect = function (count, doc) { pages.add(self.docPage[doc]); };
      perWord[w].text.forEach(collect);
      perWord[w].title.forEach(collect);
      if (candidates === null) {
        candidates = pages;
      } else {
        var both = new Set();
        pages.forEach(function (p) { if (candidates.has(p)) both.add(p); });
        candidates = both;
      }
      if (!candidates.size) return answer;
    }

    var hits = new Map();
    var titled = new Map();   /* page → occurrences in its own title */
    var scores = new Map();
    perWord.forEach(function (counts) {
      counts.text.forEach(function (n, doc) {
        var page = self.docPage[doc];
        if (!candidates.has(page)) return;
        hits.set(page, (hits.get(page) || 0) + n);
        scores.set(doc, (scores.get(doc) || 0) + n);
      });
      counts.title.forEach(function (n, doc) {
        var page = self.docPage[doc];
        if (!candidates.has(page)) return;
        hits.set(page, (hits.get(page) || 0) + n);
        if (self.pages[page].first === doc) titled.set(page, (titled.get(page) || 0) + n);
        scores.set(doc, (scores.get(doc) || 0) + TITLE_BOOST * n);
      });
    });

    candidates.forEach(function (page) {
      var info = self.pages[page];
      var children = [];
      if (!titlesOnly) {
        for (var d = info.first + 1; d < info.first + info.count; d++) {
          var score = scores.get(d);
          if (score) children.push([d, score]);
        }
        children.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
      }
      answer.children.set(page, children);
      answer.pages.push([page, hits.get(page) || 0, info.boost, info.date, info.location,
        titled.get(page) || 0]);
    });
    answer.pages.sort(function (a, b) {
      return b[2] - a[2] || (a[2] > 1 ? 0 : b[5] - a[5]) || b[1] - a[1] ||
        (a[3] < b[3]) - (a[3] > b[3]) || a[0] - b[0];
    });
    return answer;
  };

  /** The drawable group of one page of an answer. */
  SearchIndex.prototype.group = function (answer, page) {
    var self = this;
    var words = answer.words;
    var titlesOnly = words.every(function (word) { return codePoints(word) === 1; });
    var info = this.pages[page];
    var children = answer.children.get(page) || [];
    var own = info.first;
    var ownText = this.text(own);
    var teaser = "";
    var ownFolded = this.foldedText(own);
    var ownMatch = !titlesOnly &&
      words.some(function (word) { return ownFolded.indexOf(word) !== -1; });
    if (ownMatch) {
      teaser = snippet(ownText, words, ownFolded);
    } else if (!children.length) {
      /* A title match: the page's opening words (without marks) */
      var first = ownText ? own : (info.count > 1 ? own + 1 : own);
      teaser = snippet(this.text(first), []);
    }
    return {
      page: page,
      location: info.location,
      title: highlightTitle(info.title || info.location, words),
      teaser: teaser,
      children: children.map(function (child) {
        var doc = child[0];
        return {
          location: info.location + "#" + self.anchor(doc),
          title: highlightTitle(self.shownTitle(doc) || info.title, words),
          text: snippet(self.text(doc), words, self.foldedText(doc))
        };
      })
    };
  };

  /* ------------------------------------------------------------------------ loading */

  /** Shard URLs of a manifest (config.pizhu), resolved from this file's URL. */
  function shardUrls(manifest, scriptUrl) {
    var base = new URL(INDEX_DIR_FROM_WORKER, scriptUrl);
    return manifest.shards.map(function (shard) { return new URL(shard.file, base).href; });
  }

  /* Shards in flight: URL → function(data). A shard calls the global callback. */
  var awaiting = new Map();
  var importing = null;   /* the URL importScripts is running (worker) */

  root[SHARD_CALLBACK] = function (data) {
    var url = importing ||
      (typeof document !== "undefined" && document.currentScript && document.currentScript.src);
    var deliver = url && awaiting.get(url);
    if (deliver) {
      awaiting.delete(url);
      deliver(data);
    }
  };

  /** Loads shards with <script> tags (page) or importScripts (worker), one after the other. */
  function loadShards(urls, onShard, onError) {
    if (typeof document !== "undefined") {
      /* One <script> after the other: from disk a file loads at once, and what takes
         time is the browser reading each script on the page's one thread; in turn, the
         first shard is searchable before the others are read. */
      var loaded = 0;
      var add = function () {
        if (loaded >= urls.length) return;
        var number = loaded++;
        var url = urls[number];
        var script = document.createElement("script");
        awaiting.set(url, function (data) { onShard(number, data); });
        script.async = true;
        script.src = url;
        script.onload = function () {
          script.remove();
          if (awaiting.has(url)) {
            awaiting.delete(url);
            return onError(new Error("pizhu: " + url + " is not a search shard"));
          }
          setTimeout(add, 0);
        };
        script.onerror = function () {
          awaiting.delete(url);
          onError(new Error("pizhu: cannot load " + url));
        };
        (document.head || document.documentElement).appendChild(script);
      };
      add();
      return;
    }
    /* A real worker: one after the other, each in a task of its own, so that a QUERY
       is answered between two shards (importScripts blocks the worker while it loads) */
    var number = 0;
    function next() {
      if (number >= urls.length) return;
      var received = null;
      awaiting.set(urls[number], function (data) { received = data; });
      importing = urls[number];
      try {
        root.importScripts(urls[number]);
      } catch (err) {
        importing = null;
        awaiting.delete(urls[number]);
        return onError(new Error("pizhu: cannot load " + urls[number] + ": " + err.message));
      }
      importing = null;
      if (received === null)
        return onError(new Error("pizhu: " + urls[number] + " is not a search shard"));
      onShard(number, received);
      number += 1;
      setTimeout(next, 0);
    }
    setTimeout(next, 0);
  }

  /* ------------------------------------------------------------------------ worker */

  /** A message handler with its own index; reply(message) sends to the page. */
  function createSearchWorker(reply, scriptUrl) {
    var index = null;
    var failed = false;
    var waiting = null;      /* a QUERY that came before the index */
    var answer = null;       /* the last QUERY's answer */
    var asked = null;        /* the last QUERY */
    var loading = null;      /* [shards in, shards in all] while some are still loading */
    var gate = 0;            /* the partial answer whose items the list has yet to ask */
    var resume = null;       /* unpacks the next shard that came in */
    var seq = 0;

    function answerQuery(query) {
      asked = query;
      seq += 1;
      try {
        answer = index.search(query);
      } catch (err) {
        if (typeof console !== "undefined") console.warn("pizhu search:", err);
        answer = { words: [], labels: [], pages: [], children: new Map() };
      }
      answer.seq = seq;
      reply({
        type: PROTOCOL.PAGES,
        data: {
          seq: seq, query: String(query), words: answer.labels, pages: answer.pages,
          loading: loading
        }
      });
      /* While shards are loading, the next waits until the list has asked for this
         answer's items (or GATE_MS): from file:// unpacking a shard holds the page's one
         thread, and the reader's first results come first. */
      if (loading && answer.pages.length) {
        var shown = seq;
        gate = shown;
        setTimeout(function () { openGate(shown); }, GATE_MS);
      }
    }

    function fail(err) {
      if (failed) return;
      failed = true;
      if (typeof console !== "undefined") console.error(err);
      reply({ type: PROTOCOL.FAILED, data: { message: String(err && err.message || err) } });
    }

    function setup(data) {
      var manifest = data && data.config && data.config.pizhu;
      if (!manifest || manifest.format !== INDEX_FORMAT)
        return fail(new Error("pizhu: search/search_index.json is not a Pizhu index of format " +
          INDEX_FORMAT + " (rebuild the site)"));
      var building;
      try {
        building = new SearchIndex(manifest);
      } catch (err) {
        return fail(err);
      }
      var total = building.layout.length;
      /* The first shard in makes the box usable: READY, and the answer over the shards
         loaded so far (PAGES with loading = [in, all]); at 2, 4, 8 … shards the last
         QUERY is answered again, and the last shard (titles searched too) gives the
         whole answer. */
      function arrived() {
        var announce = index === null;
        index = building;
        if (announce) {
          /* The box has just opened: a reader types now; the next shard waits a moment
             (GATE_MS) so that a query coming is answered first */
          if (loading) {
            gate = -1;
            setTimeout(function () { openGate(-1); }, GATE_MS);
          }
          reply({ type: PROTOCOL.READY });
          if (waiting !== null) {
            answerQuery(waiting);
            waiting = null;
          }
        } else if (asked !== null) {
          answerQuery(asked);
        }
      }
      function done() {
        building.finish();
        loading = null;
        arrived();
      }
      if (!building.missing) return done();
      /* Shards are unpacked one per task, in the order they arrive: a QUERY, and the
         list's request for the items it draws, are answered in between (from file:// all
         shards arrive at once, and unpacking them in one go kept the box waiting for the
         whole index). After a partial answer the next shard waits until the list has
         asked for its items, or GATE_MS (answerQuery): the list draws first. */
      var received = [];
      var unpacking = false;
      function unpackNext() {
        if (unpacking || gate || failed || !received.length) return;
        unpacking = true;
        setTimeout(function () {
          unpacking = false;
          if (failed) return;
          var next = received.shift();
          try {
            building.add(next[0], next[1]);
          } catch (err) {
            return fail(err);
          }
          if (!building.missing) return done();
          var count = total - building.missing;
          loading = [count, total];
          /* Answer again at 1, 2, 4, 8 … shards: each answer is drawn anew */
          if (count & (count - 1)) return unpackNext();
          arrived();
          unpackNext();
        }, 0);
      }
      resume = unpackNext;
      loadShards(shardUrls(manifest, scriptUrl), function (number, shard) {
        if (failed) return;
        received.push([number, shard]);
        unpackNext();
      }, fail);
    }

    /** The list has what it needs of answer ``seq`` (or waited long enough): go on. */
    function openGate(seq) {
      if (gate !== seq) return;  /* (seq is never 0: an open gate) */
      gate = 0;
      if (resume) resume();
    }

    return function (message) {
      switch (message && message.type) {
        case PROTOCOL.SETUP:
          setup(message.data);
          break;
        case PROTOCOL.QUERY:
          if (index) answerQuery(message.data);
          else waiting = message.data;
          break;
        case PROTOCOL.ITEMS_WANTED:
          var wanted = message.data || {};
          setTimeout(function () { openGate(wanted.seq); }, 0);  /* after the reply */
          if (!index || !answer || wanted.seq !== answer.seq) break;
          var groups = [];
          try {
            (wanted.pages || []).forEach(function (page) {
              if (answer.children.has(page)) groups.push(index.group(answer, page));
            });
          } catch (err) {
            if (typeof console !== "undefined") console.warn("pizhu search:", err);
          }
          reply({
            type: PROTOCOL.ITEMS,
            data: { seq: answer.seq, request: wanted.request, groups: groups }
          });
          break;
      }
    };
  }

  var api = {
    PROTOCOL: PROTOCOL,
    createSearchWorker: createSearchWorker,
    CharCode: CharCode,
    SearchIndex: SearchIndex,
    parseQuery: parseQuery,
    fold: fold,
    snippet: snippet
  };

  if (typeof module === "object" && module.exports) {
    module.exports = api;                                   /* Node, for unit tests */
  } else if (typeof window === "undefined" && typeof root.postMessage === "function") {
    var handle = createSearchWorker(function (message) { root.postMessage(message); },
      root.location.href);
    root.addEventListener("message", function (ev) { handle(ev.data); });
  } else if (typeof document !== "undefined" && document.currentScript) {
    var src = document.currentScript.src;
    var factories = root.pizhuWorkerFactories = root.pizhuWorkerFactories || {};
    factories[src] = function (reply) { return createSearchWorker(reply, src); };
    root.pizhuSearchWorker = api;
  }
})(typeof self !== "undefined" ? self : this);
