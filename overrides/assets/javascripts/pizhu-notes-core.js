/*
 * Pizhu 我的批注 (1/3): where the site is, where the notes are kept, how a note finds its
 * words again, and the formats a note leaves the browser in. No library, nothing fetched,
 * nothing sent: the notes live in this browser's localStorage only.
 *
 * Used by pizhu-notes.js (speech pages) and pizhu-notes-page.js (notes.html) through
 * window.PizhuNotes. A classic script, not a module: browsers refuse module scripts from
 * file://, and the reader's zip is opened from disk.
 *
 * Why no library (@apache-annotator/dom, dom-anchor-text-quote, @recogito/text-annotator
 * were looked at; see README "我的批注"): none loads as a classic script without a bundling
 * step, the two that anchor TextQuoteSelectors either demand an exact prefix/suffix
 * (a word edited next to the quote loses the note) or match fuzzily (a note lands on words
 * that were changed, where we must say 未能定位), and the third is a whole annotation UI (its
 * own selection handling, state and highlight rendering) that would replace ours. What is
 * needed here is about 150 lines: find the quote in the page's text, pick the occurrence
 * whose context fits best.
 *
 * Notes are kept per site, not per origin: every file:// page shares one origin in Chromium,
 * so two unzipped copies of the site would otherwise see each other's notes. The key names
 * the site root's URL, which is computed from this script's own address (it is always
 * assets/javascripts/ under the root). The same folder rebuilt keeps its notes; another
 * folder, or another site on the same host, has its own.
 */
(function () {
  "use strict";

  var FORMAT = 1;
  var KEY_PREFIX = "pizhu-notes:v1:";
  var SETTINGS_PREFIX = "pizhu-notes-settings:v1:";
  var COLORS = ["yellow", "green", "blue"];
  var COLOR_NAMES = { yellow: "黄色", green: "绿色", blue: "蓝色" };
  var CONTEXT = 32; // characters of prefix and suffix kept with each quote
  var SHORT_QUOTE = 6; // a quote this short needs some of its context to be trusted
  // Inside a paragraph, text that is not the speech's: the paragraph number, footnote and
  // note references (ours and, later, the editor's), anything marked data-pz-skip.
  var SKIP = ".pz-pn, sup, .pz-skip, [data-pz-skip], script, style";

  // --- the site ----------------------------------------------------------------------------

  var script = document.currentScript;

  function siteRoot() {
    if (script && script.src) {
      return new URL("../../", script.src).href; // this file is assets/javascripts/*.js
    }
    var config = document.getElementById("__config");
    var base = ".";
    try {
      base = JSON.parse(config.textContent).base || ".";
    } catch (error) {
      /* keep "." */
    }
    return new URL(base.replace(/\/?$/, "/"), location.href).href;
  }

  var ROOT = siteRoot();

  /** The page's address relative to the site root: "speeches/x.html", "notes.html". */
  function pagePath(href) {
    var here = (href || location.href).split("#")[0].split("?")[0];
    if (here.indexOf(ROOT) !== 0) {
      return here;
    }
    var path = here.slice(ROOT.length);
    return path === "" || /\/$/.test(path) ? path + "index.html" : path;
  }

  function siteUrl(path) {
    return ROOT + path;
  }

  // --- storage -------------------------------------------------------------------------------

  var PROBLEMS = {
    unavailable:
      "这个浏览器不允许本站保存数据（可能开启了隐私/无痕模式，或禁用了网站数据）。" +
      "页面可以照常阅读和划线，但关闭页面后划线和批注不会保留；需要时请先在「我的批注」页导出。",
    full:
      "浏览器的存储空间已满，刚才的改动没有保存。请在「我的批注」页导出备份，" +
      "删除一些不再需要的批注后再试。页面可以照常阅读。",
    damaged:
      "本浏览器里保存的批注数据已损坏，无法读取；原数据已另存一份，没有删除。" +
      "新的批注可以照常保存。"
  };

  function openStorage() {
    try {
      var storage = window.localStorage;
      var probe = KEY_PREFIX + "probe";
      storage.setItem(probe, "1");
      storage.removeItem(probe);
      return storage;
    } catch (error) {
      return null;
    }
  }

  function isQuotaError(error) {
    return (
      error &&
      (error.name === "QuotaExceededError" ||
        error.name === "NS_ERROR_DOM_QUOTA_REACHED" ||
        error.code === 22 ||
        error.code === 1014)
    );
  }

  /**
   * The notes of this site. Every change re-reads what is stored first (another tab may
   * have changed it), applies itself, and writes back; listeners hear of every change,
   * also of those made in other tabs (the storage event).
   */
  function Store(root) {
    this.key = KEY_PREFIX + root;
    this.settingsKey = SETTINGS_PREFIX + root;
    this.storage = openStorage();
    this.problem = this.storage ? "" : "unavailable";
    this.listeners = [];
    this.notes = this.read();
    this.settings = this.readSettings();
    var self = this;
    window.addEventListener("storage", function (event) {
      if (event.key === self.key || event.key === null) {
        self.notes = self.read();
        self.emit("external");
      } else if (event.key === self.settingsKey) {
        self.settings = self.readSettings();
        self.emit("settings");
      }
    });
  }

  Store.prototype.read = function () {
    if (!this.storage) {
      return this.notes || [];
    }
    var raw = this.storage.getItem(this.key);
    if (!raw) {
      return [];
    }
    try {
      var data = JSON.parse(raw);
      var list = data && Array.isArray(data.notes) ? data.notes : null;
      if (!list) {
        throw new Error("no notes");
      }
      return list.filter(isNote);
    } catch (error) {
      // Never overwrite what cannot be read: keep a copy beside it, then start afresh.
      try {
        this.storage.setItem(this.key + ":damaged:" + Date.now(), raw);
      } catch (ignored) {
        /* nothing more to do */
      }
      this.problem = "damaged";
      return [];
    }
  };

  Store.prototype.readSettings = function () {
    var fallback = { printNotes: true };
    if (!this.storage) {
      return this.settings || fallback;
    }
    try {
      var data = JSON.parse(this.storage.getItem(this.settingsKey) || "null");
      return data && typeof data === "object" ? { printNotes: data.printNotes !== false } : fallback;
    } catch (error) {
      return fallback;
    }
  };

  Store.prototype.write = function (key, value) {
    if (!this.storage) {
      this.problem = "unavailable";
      return false;
    }
    try {
      this.storage.setItem(key, value);
      if (this.problem === "full") {
        this.problem = "";
      }
      return true;
    } catch (error) {
      this.problem = isQuotaError(error) ? "full" : "unavailable";
      return false;
    }
  };

  /** Apply ``change(notes)`` (it edits the array in place) and save; true when saved. */
  Store.prototype.update = function (change, why) {
    var fresh = this.storage ? this.read() : this.notes.slice();
    change(fresh);
    this.notes = fresh;
    var saved = this.write(this.key, JSON.stringify({ format: FORMAT, notes: fresh }));
    this.emit(why || "change");
    return saved;
  };

  Store.prototype.add = function (note) {
    return this.update(function (notes) {
      notes.push(note);
    }, "add");
  };

  Store.prototype.change = function (id, fields) {
    return this.update(function (notes) {
      for (var i = 0; i < notes.length; i++) {
        if (notes[i].id === id) {
          for (var name in fields) {
            if (Object.prototype.hasOwnProperty.call(fields, name)) {
              notes[i][name] = fields[name];
            }
          }
        }
      }
    }, "change");
  };

  Store.prototype.remove = function (id) {
    return this.update(function (notes) {
      for (var i = notes.length - 1; i >= 0; i--) {
        if (notes[i].id === id) {
          notes.splice(i, 1);
        }
      }
    }, "remove");
  };

  Store.prototype.get = function (id) {
    for (var i = 0; i < this.notes.length; i++) {
      if (this.notes[i].id === id) {
        return this.notes[i];
      }
    }
    return null;
  };

  Store.prototype.forPage = function (path) {
    return this.notes.filter(function (note) {
      return note.source === path;
    });
  };

  Store.prototype.setSetting = function (name, value) {
    this.settings[name] = value;
    var saved = this.write(this.settingsKey, JSON.stringify(this.settings));
    this.emit("settings");
    return saved;
  };

  Store.prototype.on = function (listener) {
    this.listeners.push(listener);
  };

  Store.prototype.emit = function (why) {
    for (var i = 0; i < this.listeners.length; i++) {
      this.listeners[i](why);
    }
  };

  Store.prototype.message = function () {
    return PROBLEMS[this.problem] || "";
  };

  /**
   * Merge notes (already validated) into the store: a note whose id is here already
   * replaces it only when it was modified later; a note with another id but the same
   * page, words, context, text and colour is the same note and is skipped.
   */
  Store.prototype.merge = function (incoming) {
    var counts = { added: 0, updated: 0, same: 0 };
    var saved = this.update(function (notes) {
      var byId = {};
      var byContent = {};
      notes.forEach(function (note, index) {
        byId[note.id] = index;
        byContent[contentKey(note)] = true;
      });
      incoming.forEach(function (note) {
        if (Object.prototype.hasOwnProperty.call(byId, note.id)) {
          var old = notes[byId[note.id]];
          if ((note.modified || "") > (old.modified || "")) {
            notes[byId[note.id]] = note;
            counts.updated += 1;
          } else {
            counts.same += 1;
          }
        } else if (byContent[contentKey(note)]) {
          counts.same += 1;
        } else {
          byId[note.id] = notes.length;
          byContent[contentKey(note)] = true;
          notes.push(note);
          counts.added += 1;
        }
      });
    }, "import");
    counts.saved = saved;
    return counts;
  };

  function contentKey(note) {
    return [note.source, note.exact, note.prefix, note.suffix, note.text, note.color].join("\u0000");
  }

  /**
   * The stores of other copies of this site kept in this browser (file:// pages share one
   * origin, so a folder that was moved or unzipped again leaves its notes under its old
   * address): [{root, count}] for other roots whose notes are about the same pages.
   */
  Store.prototype.others = function () {
    var found = [];
    if (!this.storage) {
      return found;
    }
    for (var i = 0; i < this.storage.length; i++) {
      var key = this.storage.key(i);
      if (key && key.indexOf(KEY_PREFIX) === 0 && key !== this.key && key.indexOf(":damaged:") < 0) {
        try {
          var data = JSON.parse(this.storage.getItem(key));
          var notes = (data && Array.isArray(data.notes) ? data.notes : []).filter(isNote);
          if (notes.length) {
            found.push({ root: key.slice(KEY_PREFIX.length), notes: notes });
          }
        } catch (error) {
          /* not ours to judge */
        }
      }
    }
    return found;
  };

  function isNote(note) {
    return (
      note &&
      typeof note === "object" &&
      typeof note.id === "string" &&
      typeof note.source === "string" &&
      typeof note.exact === "string" &&
      note.exact !== ""
    );
  }

  function newId() {
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // a version 4 UUID
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map
      .call(bytes, function (b) {
        return (b + 0x100).toString(16).slice(1);
      })
      .join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function now() {
    return new Date().toISOString();
  }

  // --- the text of a speech page and finding a quote in it --------------------------------------

  // Folding for comparison only: full-width and half-width forms (NFKC), case, and the
  // curly or straight quotes the cleaner may change between builds; white space dropped.
  var QUOTES = { "“": '"', "”": '"', "„": '"', "‟": '"', "「": '"', "」": '"', "‘": "'", "’": "'", "『": "'", "』": "'", "—": "-", "–": "-", "―": "-" };
  var foldCache = {};

  function foldChar(c) {
    var cached = foldCache[c];
    if (cached === undefined) {
      cached = QUOTES[c] || (c.normalize ? c.normalize("NFKC") : c).toLowerCase();
      if (/^\s+$/.test(cached)) {
        cached = "";
      }
      foldCache[c] = cached;
    }
    return cached;
  }

  /** {text, map, ends}: the folded text, and for each of its characters the index in ``s``
   * of the character it came from and the end of that character. */
  function fold(s) {
    var out = [];
    var map = [];
    var ends = [];
    for (var i = 0; i < s.length; i++) {
      var width = 1;
      var code = s.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < s.length) {
        width = 2;
      }
      var f = foldChar(s.substr(i, width));
      for (var k = 0; k < f.length; k++) {
        out.push(f.charAt(k));
        map.push(i);
        ends.push(i + width);
      }
      i += width - 1;
    }
    return { text: out.join(""), map: map, ends: ends };
  }

  function textNodes(element) {
    // Elements are walked through (not returned); skipped ones with all they hold.
    var walker = document.createTreeWalker(element, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        if (node.nodeType !== 1) {
          return NodeFilter.FILTER_ACCEPT;
        }
        return node.matches(SKIP) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP;
      }
    });
    var nodes = [];
    while (walker.nextNode()) {
      nodes.push(walker.currentNode);
    }
    return nodes;
  }

  function elementText(element) {
    return textNodes(element)
      .map(function (node) {
        return node.data;
      })
      .join("");
  }

  /**
   * The speech's paragraphs as one text: each paragraph's own text (without its number),
   * joined by "\n". Positions in that text are what quotes are cut from and found at.
   */
  function TextModel(paragraphs) {
    var parts = [];
    var offset = 0;
    this.paras = Array.prototype.map.call(paragraphs, function (element, index) {
      var text = elementText(element);
      var para = { element: element, id: element.id, number: index + 1, start: offset, text: text };
      var match = /^p-(\d+)$/.exec(element.id || "");
      if (match) {
        para.number = parseInt(match[1], 10);
      }
      parts.push(text);
      offset += text.length + 1;
      return para;
    });
    this.text = parts.join("\n");
    this.folded = null;
  }

  TextModel.prototype.fold = function () {
    if (!this.folded) {
      this.folded = fold(this.text);
    }
    return this.folded;
  };

  /** Index of the paragraph holding global position ``at`` (binary search). */
  TextModel.prototype.paraAt = function (at) {
    var low = 0;
    var high = this.paras.length - 1;
    while (low < high) {
      var middle = (low + high + 1) >> 1;
      if (this.paras[middle].start <= at) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return low;
  };

  /** The global position of a DOM boundary point inside paragraph ``index``. */
  TextModel.prototype.offsetOf = function (index, container, offset) {
    var para = this.paras[index];
    var point = document.createRange();
    point.setStart(container, offset);
    var nodes = textNodes(para.element);
    var total = 0;
    for (var i = 0; i < nodes.length; i++) {
      var node = nodes[i];
      if (node === container) {
        return para.start + total + offset;
      }
      if (point.comparePoint(node, node.data.length) <= 0) {
        total += node.data.length;
      } else {
        break;
      }
    }
    return para.start + total;
  };

  /** The global [start, end) of a DOM Range clamped to the paragraphs, white space trimmed;
   * null when the range holds no speech text. */
  TextModel.prototype.span = function (range) {
    var first = -1;
    var last = -1;
    for (var i = 0; i < this.paras.length; i++) {
      if (range.intersectsNode(this.paras[i].element)) {
        if (first < 0) {
          first = i;
        }
        last = i;
      }
    }
    if (first < 0) {
      return null;
    }
    var firstPara = this.paras[first];
    var lastPara = this.paras[last];
    var start = firstPara.element.contains(range.startContainer)
      ? this.offsetOf(first, range.startContainer, range.startOffset)
      : firstPara.start;
    var end = lastPara.element.contains(range.endContainer)
      ? this.offsetOf(last, range.endContainer, range.endOffset)
      : lastPara.start + lastPara.text.length;
    while (start < end && /\s/.test(this.text.charAt(start))) {
      start += 1;
    }
    while (end > start && /\s/.test(this.text.charAt(end - 1))) {
      end -= 1;
    }
    return end > start ? { start: start, end: end } : null;
  };

  /** The whole text of paragraph ``index`` as a span (white space trimmed). */
  TextModel.prototype.paraSpan = function (index) {
    var para = this.paras[index];
    var text = para.text;
    var lead = text.length - text.replace(/^\s+/, "").length;
    var trail = text.length - text.replace(/\s+$/, "").length;
    return { start: para.start + lead, end: para.start + text.length - trail };
  };

  /** A W3C TextQuoteSelector (and the paragraph hint) for the span [start, end). */
  TextModel.prototype.describe = function (start, end) {
    var para = this.paras[this.paraAt(start)];
    var lastPara = this.paras[this.paraAt(end - 1)];
    return {
      exact: this.text.slice(start, end),
      prefix: this.text.slice(Math.max(0, start - CONTEXT), start),
      suffix: this.text.slice(end, end + CONTEXT),
      para: para.id,
      paraNumber: para.number,
      paraEnd: lastPara.number,
      offset: start - para.start
    };
  };

  function commonSuffix(a, text, before) {
    var n = 0;
    while (n < a.length && before - 1 - n >= 0 && a.charAt(a.length - 1 - n) === text.charAt(before - 1 - n)) {
      n += 1;
    }
    return n;
  }

  function commonPrefix(a, text, from) {
    var n = 0;
    while (n < a.length && from + n < text.length && a.charAt(n) === text.charAt(from + n)) {
      n += 1;
    }
    return n;
  }

  /**
   * Where a note's words are now: {start, end} in the model's text, or null (未能定位).
   *
   * The quote must be there (after folding); among several occurrences the one whose
   * prefix and suffix agree with the stored ones over the most characters wins, and among
   * equals the one nearest the paragraph the note was made in. A short quote with none
   * of its context left is not trusted: it would land on the same words said elsewhere.
   */
  TextModel.prototype.locate = function (note) {
    var exact = fold(note.exact || "").text;
    if (!exact) {
      return null;
    }
    var folded = this.fold();
    var text = folded.text;
    var prefix = fold(note.prefix || "").text;
    var suffix = fold(note.suffix || "").text;
    var hint = -1;
    var hintMatch = /^p-(\d+)$/.exec(note.para || "");
    if (hintMatch) {
      hint = parseInt(hintMatch[1], 10);
    }
    var best = -1;
    var bestScore = -Infinity;
    var bestContext = 0;
    var tries = 0;
    for (var at = text.indexOf(exact); at !== -1 && tries < 5000; at = text.indexOf(exact, at + 1)) {
      tries += 1;
      var context = commonSuffix(prefix, text, at) + commonPrefix(suffix, text, at + exact.length);
      var score = context;
      if (hint > 0) {
        var number = this.paras[this.paraAt(folded.map[at])].number;
        score -= Math.min(Math.abs(number - hint), 999) / 1000;
      }
      if (score > bestScore) {
        best = at;
        bestScore = score;
        bestContext = context;
      }
    }
    if (best < 0) {
      return null;
    }
    if (exact.length < SHORT_QUOTE && (prefix || suffix) && bestContext === 0) {
      return null;
    }
    return { start: folded.map[best], end: folded.ends[best + exact.length - 1] };
  };

  // --- highlights ------------------------------------------------------------------------------

  /**
   * Wrap the text of [start, end) in <mark data-pz-note=id> elements: one per text node
   * piece, so links, redaction marks and anything else around the words stay as they are
   * (a mark goes inside them, never around them). Returns the marks in text order.
   */
  TextModel.prototype.wrap = function (start, end, id, className) {
    var marks = [];
    var first = this.paraAt(start);
    var last = this.paraAt(Math.max(start, end - 1));
    for (var p = first; p <= last; p++) {
      var para = this.paras[p];
      var from = Math.max(start, para.start) - para.start;
      var to = Math.min(end, para.start + para.text.length) - para.start;
      var nodes = textNodes(para.element);
      var offset = 0;
      for (var i = 0; i < nodes.length && offset < to; i++) {
        var node = nodes[i];
        var length = node.data.length;
        var a = Math.max(from, offset) - offset;
        var b = Math.min(to, offset + length) - offset;
        offset += length;
        if (b <= a) {
          continue;
        }
        if (b < length) {
          node.splitText(b);
        }
        if (a > 0) {
          node = node.splitText(a);
        }
        var mark = document.createElement("mark");
        mark.className = className;
        mark.setAttribute("data-pz-note", id);
        node.parentNode.insertBefore(mark, node);
        mark.appendChild(node);
        marks.push(mark);
      }
    }
    return marks;
  };

  /** Remove the marks (all, or those of one note) and join the text nodes they split. */
  function unwrap(root, id) {
    var selector = id ? 'mark[data-pz-note="' + cssEscape(id) + '"]' : "mark[data-pz-note]";
    var parents = [];
    Array.prototype.forEach.call(root.querySelectorAll(selector), function (mark) {
      var parent = mark.parentNode;
      while (mark.firstChild) {
        parent.insertBefore(mark.firstChild, mark);
      }
      parent.removeChild(mark);
      parents.push(parent);
    });
    parents.forEach(function (parent) {
      parent.normalize();
    });
  }

  function cssEscape(value) {
    return window.CSS && CSS.escape ? CSS.escape(value) : String(value).replace(/["\\]/g, "\\$&");
  }

  // --- citations -------------------------------------------------------------------------------

  function formatDate(iso) {
    if (!iso) {
      return "";
    }
    var parts = String(iso).split("-");
    var units = ["年", "月", "日"];
    var out = "";
    for (var i = 0; i < parts.length && i < 3; i++) {
      var n = parseInt(parts[i], 10);
      if (isNaN(n)) {
        return String(iso);
      }
      out += n + units[i];
    }
    return out;
  }

  /** "2021年6月28日" / "2021年6月" / "2021年" (as render.format_date writes it) -> ISO. */
  function parseDate(text) {
    var match = /(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?/.exec(text || "");
    if (!match) {
      return "";
    }
    var out = match[1];
    if (match[2]) {
      out += "-" + ("0" + match[2]).slice(-2);
      if (match[3]) {
        out += "-" + ("0" + match[3]).slice(-2);
      }
    }
    return out;
  }

  function paragraphLabel(first, last) {
    if (!first) {
      return "";
    }
    return last && last !== first ? "第" + first + "至" + last + "段" : "第" + first + "段";
  }

  /** “…”（《title》，speaker，date，第N段）; missing parts are left out. */
  function citation(quote, source) {
    var parts = [];
    if (source.title) {
      parts.push("《" + source.title + "》");
    }
    if (source.speaker) {
      parts.push(source.speaker);
    }
    if (source.date) {
      parts.push(formatDate(source.date));
    }
    var paragraphs = paragraphLabel(source.paraNumber, source.paraEnd);
    if (paragraphs) {
      parts.push(paragraphs);
    }
    var text = "“" + quote.replace(/\s*\n\s*/g, " ") + "”";
    return parts.length ? text + "（" + parts.join("，") + "）" : text;
  }

  function noteCitation(note) {
    return citation(note.exact, {
      title: note.title,
      speaker: note.speaker,
      date: note.date,
      paraNumber: paraNumber(note),
      paraEnd: note.paraEnd
    });
  }

  function paraNumber(note) {
    var match = /^p-(\d+)$/.exec(note.para || "");
    return match ? parseInt(match[1], 10) : 0;
  }

  // --- W3C Web Annotation JSON ------------------------------------------------------------------

  var ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld";

  function toAnnotation(note) {
    var selectors = [
      { type: "TextQuoteSelector", exact: note.exact, prefix: note.prefix || "", suffix: note.suffix || "" }
    ];
    if (note.para) {
      selectors.push({ type: "FragmentSelector", value: note.para });
    }
    var annotation = {
      "@context": ANNOTATION_CONTEXT,
      id: "urn:uuid:" + note.id,
      type: "Annotation",
      motivation: note.text ? "commenting" : "highlighting",
      created: note.created,
      modified: note.modified,
      color: note.color
    };
    if (note.text) {
      annotation.body = {
        type: "TextualBody",
        value: note.text,
        format: "text/plain",
        language: "zh",
        purpose: "commenting"
      };
    }
    annotation.target = { source: note.source, selector: selectors };
    var speech = {};
    ["title", "speaker", "date"].forEach(function (name) {
      if (note[name]) {
        speech[name] = note[name];
      }
    });
    annotation.speech = speech;
    return annotation;
  }

  function ImportError(message) {
    this.name = "ImportError";
    this.message = message;
  }
  ImportError.prototype = Object.create(Error.prototype);

  function isIsoTime(value) {
    return typeof value === "string" && !isNaN(Date.parse(value));
  }

  /** A note from one annotation of an export; throws ImportError saying what is wrong. */
  function fromAnnotation(item, number) {
    var where = "第 " + number + " 条";
    if (!item || typeof item !== "object" || Array.isArray(item)) {
      throw new ImportError(where + "不是一条批注（应为 JSON 对象）。");
    }
    if (item.type !== "Annotation") {
      throw new ImportError(where + "的 type 不是 \"Annotation\"。");
    }
    var target = item.target;
    if (!target || typeof target !== "object" || typeof target.source !== "string") {
      throw new ImportError(where + "缺少 target.source（批注所在的页面）。");
    }
    if (!/^[A-Za-z0-9._\/-]+\.html$/.test(target.source) || /(^|\/)\.\.(\/|$)/.test(target.source)) {
      throw new ImportError(where + "的页面地址「" + String(target.source).slice(0, 60) + "」不是本站的页面。");
    }
    var selectors = Array.isArray(target.selector) ? target.selector : target.selector ? [target.selector] : [];
    var quote = null;
    var fragment = "";
    selectors.forEach(function (selector) {
      if (selector && selector.type === "TextQuoteSelector") {
        quote = selector;
      } else if (selector && selector.type === "FragmentSelector" && typeof selector.value === "string") {
        fragment = selector.value;
      }
    });
    if (!quote || typeof quote.exact !== "string" || !quote.exact.trim()) {
      throw new ImportError(where + "缺少 TextQuoteSelector 的 exact（划线的原文）。");
    }
    ["prefix", "suffix"].forEach(function (name) {
      if (quote[name] !== undefined && typeof quote[name] !== "string") {
        throw new ImportError(where + "的 " + name + " 不是文字。");
      }
    });
    var text = "";
    if (item.body !== undefined && item.body !== null) {
      var bodies = Array.isArray(item.body) ? item.body : [item.body];
      bodies.forEach(function (body) {
        if (!body || typeof body !== "object" || typeof body.value !== "string") {
          throw new ImportError(where + "的 body 应为带 value 的 TextualBody。");
        }
        if (!body.purpose || body.purpose === "commenting") {
          text = text ? text + "\n" + body.value : body.value;
        }
      });
    }
    var id = typeof item.id === "string" ? item.id.replace(/^urn:uuid:/, "") : "";
    if (!/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
      throw new ImportError(where + "缺少有效的 id。");
    }
    var created = isIsoTime(item.created) ? item.created : now();
    var speech = item.speech && typeof item.speech === "object" ? item.speech : {};
    return {
      id: id,
      source: target.source,
      exact: quote.exact,
      prefix: typeof quote.prefix === "string" ? quote.prefix : "",
      suffix: typeof quote.suffix === "string" ? quote.suffix : "",
      para: /^p-\d+$/.test(fragment) ? fragment : "",
      color: COLORS.indexOf(item.color) >= 0 ? item.color : COLORS[0],
      text: text,
      created: created,
      modified: isIsoTime(item.modified) ? item.modified : created,
      title: typeof speech.title === "string" ? speech.title : "",
      speaker: typeof speech.speaker === "string" ? speech.speaker : "",
      date: typeof speech.date === "string" ? speech.date : ""
    };
  }

  /** Parse an exported file's text into notes, or throw ImportError (nothing half-read). */
  function parseExport(text) {
    var data;
    try {
      data = JSON.parse(String(text).replace(/^\ufeff/, ""));
    } catch (error) {
      throw new ImportError("文件不是有效的 JSON，无法读取。");
    }
    if (!Array.isArray(data)) {
      throw new ImportError("文件内容应是批注的列表（从「导出 JSON」得到的文件）。");
    }
    return data.map(function (item, index) {
      return fromAnnotation(item, index + 1);
    });
  }

  // --- order of the site ---------------------------------------------------------------------

  function negateDate(date) {
    var parts = String(date || "")
      .split("-")
      .filter(function (part) {
        return /^\d+$/.test(part);
      })
      .map(function (part) {
        return -parseInt(part, 10);
      });
    parts.push(0);
    return parts;
  }

  function compareArrays(a, b) {
    for (var i = 0; i < Math.max(a.length, b.length); i++) {
      var x = a[i] === undefined ? -Infinity : a[i];
      var y = b[i] === undefined ? -Infinity : b[i];
      if (x !== y) {
        return x < y ? -1 : 1;
      }
    }
    return 0;
  }

  function compareText(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** Speeches in the site's order (scripts/pizhu/site.py sort_speeches): newest first,
   * undated last, ties by title, then address. ``a`` and ``b`` have date, title, source. */
  function compareSpeeches(a, b) {
    if (!!a.date !== !!b.date) {
      return a.date ? -1 : 1;
    }
    if (a.date) {
      var byDate = compareArrays(negateDate(a.date), negateDate(b.date));
      if (byDate) {
        return byDate;
      }
    }
    return compareText(a.title || "", b.title || "") || compareText(a.source, b.source);
  }

  /** Notes of one speech in reading order: paragraph, then place in it. */
  function compareInSpeech(a, b) {
    return paraNumber(a) - paraNumber(b) || (a.offset || 0) - (b.offset || 0) || compareText(a.created || "", b.created || "");
  }

  window.PizhuNotes = {
    ROOT: ROOT,
    COLORS: COLORS,
    COLOR_NAMES: COLOR_NAMES,
    pagePath: pagePath,
    siteUrl: siteUrl,
    store: new Store(ROOT),
    TextModel: TextModel,
    unwrap: unwrap,
    cssEscape: cssEscape,
    newId: newId,
    now: now,
    citation: citation,
    noteCitation: noteCitation,
    paraNumber: paraNumber,
    paragraphLabel: paragraphLabel,
    formatDate: formatDate,
    parseDate: parseDate,
    toAnnotation: toAnnotation,
    parseExport: parseExport,
    ImportError: ImportError,
    compareSpeeches: compareSpeeches,
    compareInSpeech: compareInSpeech,
    fold: fold
  };
})();
