/*
 * Pizhu search results: the list under Material's search box, with every match reachable.
 *
 * Why not Material's own list: it draws the first 10 results, then 4 more each time its
 * scroll container reports "at the bottom" after "not at the bottom". A wheel step that
 * lands at the new bottom again (a fast wheel, a short batch, or a tall screen whose
 * first 14 results fit) never reports a change, so the rest can never be reached: with 25
 * pages matching, 14 were shown. This list draws batches whenever its end comes within a
 * screen of the visible part, and checks again after each batch, so no scroll step can
 * skip one. Pizhu's worker never sends Material a RESULT (see PROTOCOL in
 * pizhu-search-worker.js); Material keeps the box, the dialog, and its keyboard handling,
 * which finds these results because they use Material's markup.
 *
 * Order: speeches (pages with a search boost) first, then, as the reader chooses,
 * 按出现次数 (most hits first) or 按日期 (newest first; undated last); other pages after:
 * those with the phrase in their title (its concept page) first, then by the same choice.
 * The choice is a radio group in the panel; it lives as long as the page.
 *
 * Load it before Material's bundle (theme override, {% block libs %}): it wraps
 * window.Worker to hear the search worker Material starts. Plain ES2017.
 */
(function () {
  "use strict";

  var WORKER_FILE = "pizhu-search-worker.js";
  var PROTOCOL = {            /* the part of the worker's PROTOCOL this list uses */
    READY: 1,
    PAGES: "pizhu:pages",
    ITEMS_WANTED: "pizhu:items?",
    ITEMS: "pizhu:items",
    FAILED: "pizhu:failed"
  };
  var BATCH = 20;                 /* pages drawn at a time */
  var AHEAD = "0px 0px 100% 0px"; /* draw more when the end is within a screen */
  var SHOWN_CHILDREN = 3;         /* paragraphs shown before the "more" fold */

  var TEXT = {
    legend: "排序（讲话在前）",
    hits: "按出现次数",
    date: "按日期",
    speeches: "，其中讲话 # 篇",
    count: "出现 # 次",
    /* While shards are still loading: the count so far, and that more may come */
    loading: "（正在载入索引 #，结果还会增加）",
    searching: "正在载入索引 #…",
    failed: "检索暂时不能用：搜索索引没有加载成功。请重新打开网页；" +
      "仍不行时，请告诉网站维护人。"
  };

  if (typeof window.Worker !== "function") return;

  var state = {
    worker: null,
    seq: 0,
    query: "",
    loading: false,     /* the answer drawn is partial: the index is still loading */
    stale: false,       /* the list shows the last answer until this one's items come */
    pages: [],          /* [[page, hits, boost, date]] in the reader's order */
    speeches: 0,
    order: "hits",
    drawn: 0,           /* pages drawn */
    asked: 0,           /* number of the ITEMS? that is out, or 0 */
    requests: 0,
    words: []
  };
  var ui = null;        /* the elements, once the DOM is there */

  /* ------------------------------------------------------------------ the worker */

  var Base = window.Worker;
  window.Worker = class extends Base {
    constructor(url, options) {
      super(url, options);
      if (String(url).indexOf(WORKER_FILE) !== -1) attach(this);
    }
  };

  function attach(worker) {
    state.worker = worker;
    worker.addEventListener("message", function (event) {
      var message = event.data || {};
      if (message.type === PROTOCOL.READY) ready();
      else if (message.type === PROTOCOL.PAGES) pages(message.data);
      else if (message.type === PROTOCOL.ITEMS) items(message.data);
      else if (message.type === PROTOCOL.FAILED) failed();
    });
  }

  /* ------------------------------------------------------------------ the elements */

  function config() {
    try {
      return JSON.parse(document.getElementById("__config").textContent);
    } catch (err) {
      return {};
    }
  }

  function setup() {
    var result = document.querySelector("[data-md-component=search-result]");
    if (!result || ui) return;
    var settings = config();
    ui = {
      result: result,
      meta: result.querySelector(".md-search-result__meta"),
      list: result.querySelector(".md-search-result__list"),
      scroll: result.parentElement,
      query: document.querySelector("[data-md-component=search-query]"),
      translations: settings.translations || {},
      highlight: (settings.features || []).indexOf("search.highlight") !== -1,
      base: new URL(settings.base || ".", location.href)
    };
    ui.sort = sortControl();
    ui.list.before(ui.sort);
    ui.end = document.createElement("li");
    ui.end.className = "pz-search-end";
    ui.end.setAttribute("aria-hidden", "true");
    if (typeof IntersectionObserver === "function") {
      ui.observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) more();
      }, { root: ui.scroll, rootMargin: AHEAD });
    } else {
      ui.scroll.addEventListener("scroll", function () { if (nearEnd()) more(); });
    }
    /* Tab from the search box goes to the sort choice (Material would close the search) */
    if (ui.query) {
      ui.query.addEventListener("keydown", function (event) {
        if (event.key !== "Tab" || event.shiftKey || ui.sort.hidden) return;
        event.preventDefault();
        event.stopPropagation();
        ui.sort.querySelector("input:checked").focus();
      });
    }
  }

  function sortControl() {
    var group = document.createElement("fieldset");
    group.className = "pz-search-sort";
    group.hidden = true;
    var legend = document.createElement("legend");
    legend.textContent = TEXT.legend;
    group.append(legend);
    ["hits", "date"].forEach(function (order) {
      var label = document.createElement("label");
      var input = document.createElement("input");
      input.type = "radio";
      input.name = "pz-search-order";
      input.value = order;
      input.checked = order === state.order;
      input.addEventListener("change", function () {
        if (!input.checked) return;
        state.order = order;
        reorder();
      });
      label.append(input, " " + TEXT[order]);
      group.append(label);
    });
    /* Keys inside the choice are the choice's, not Material's search shortcuts (which
       would move the focus or close the search): arrows change it, Tab and Shift+Tab go
       back to the search box (the two stops of the dialog), Escape closes the search. */
    group.addEventListener("keydown", function (event) {
      if (event.key === "Escape") return;
      event.stopPropagation();
      if (event.key === "Tab" && ui.query) {
        event.preventDefault();
        ui.query.focus();
      } else if (event.key === "Enter") {
        event.preventDefault();
      }
    });
    return group;
  }

  function translate(key, value) {
    var text = ui.translations[key] || "";
    return value === undefined ? text : text.replace("#", String(value));
  }

  /* ------------------------------------------------------------------ messages */

  function ready() {
    setup();
    if (ui) ui.meta.textContent = translate("search.result.placeholder");
  }

  function failed() {
    setup();
    if (ui) ui.meta.textContent = TEXT.failed;
  }

  function pages(data) {
    setup();
    if (!ui) return;
    var again = state.loading && data.query === state.query;
    state.loading = Boolean(data.loading);
    state.seq = data.seq;
    state.query = data.query;
    state.words = data.words || [];
    state.pages = data.pages.slice();
    state.speeches = state.pages.filter(function (page) { return page[2] > 1; }).length;
    var count = state.pages.length;
    var loading = data.loading ? data.loading[0] + "/" + data.loading[1] : "";
    if (!count) {
      ui.meta.textContent = loading && state.query.trim()
        ? TEXT.searching.replace("#", loading)
        : translate(state.query.trim() ? "search.result.none" : "search.result.placeholder");
    } else {
      var mixed = state.speeches && state.speeches < count;
      ui.meta.textContent = (count === 1 ? translate("search.result.one")
        : translate("search.result.other", count)) +
        (mixed ? TEXT.speeches.replace("#", state.speeches) : "") +
        (loading ? TEXT.loading.replace("#", loading) : "");
    }
    /* (tests and the print stylesheet can tell a whole answer from a partial one) */
    if (loading) ui.meta.setAttribute("data-pz-loading", loading);
    else ui.meta.removeAttribute("data-pz-loading");
    ui.sort.hidden = state.speeches < 2;
    reorder(again);
  }

  /** Sorts the pages in the reader's order and draws them again from the top. */
  function reorder(keep) {
    var byDate = state.order === "date";
    state.pages.sort(function (a, b) {
      if (a[2] !== b[2]) return b[2] - a[2];               /* speeches (boosted) first */
      /* Other pages: those named by the phrase (its concept page) first */
      if (a[2] <= 1 && a[5] !== b[5]) return b[5] - a[5];
      var newer = a[3] === b[3] ? 0 : a[3] < b[3] ? 1 : -1;  /* undated ("") last */
      if (byDate && newer) return newer;
      return b[1] - a[1] || newer || a[0] - b[0];
    });
    state.drawn = 0;
    state.asked = 0;
    /* A fuller answer to the same query (the index was loading): the list drawn so far
       stays until its first items come, so that it does not blink empty in between */
    if (keep && state.pages.length) state.stale = true;
    else {
      ui.list.replaceChildren();
      state.stale = false;
    }
    ui.scroll.scrollTop = 0;
    more();
  }

  /** Asks the worker for the next batch, unless one is out or all are drawn. */
  function more() {
    if (!ui || state.asked || state.drawn >= state.pages.length || !state.worker) return;
    state.asked = ++state.requests;
    state.worker.postMessage({
      type: PROTOCOL.ITEMS_WANTED,
      data: {
        seq: state.seq,
        request: state.asked,
        pages: state.pages.slice(state.drawn, state.drawn + BATCH).map(function (page) {
          return page[0];
        })
      }
    });
  }

  function items(data) {
    if (!ui || data.seq !== state.seq || data.request !== state.asked) return;
    state.asked = 0;
    if (state.stale) {
      ui.list.replaceChildren();
      state.stale = false;
    }
    var hits = new Map(state.pages.map(function (page) { return [page[0], page]; }));
    var fragment = document.createDocumentFragment();
    data.groups.forEach(function (group) {
      fragment.append(item(group, hits.get(group.page), state.drawn));
      state.drawn += 1;
    });
    ui.end.remove();
    ui.list.append(fragment);
    if (state.drawn < state.pages.length) {
      ui.list.append(ui.end);
      watchEnd();
    }
  }

  /** Draw on while the end of the list is near the visible part. */
  function watchEnd() {
    if (ui.observer) {
      /* Observing anew reports the current state, even if it did not change */
      ui.observer.unobserve(ui.end);
      ui.observer.observe(ui.end);
    } else if (nearEnd()) {
      setTimeout(more, 0);
    }
  }

  function nearEnd() {
    var scroll = ui.scroll;
    return scroll.scrollTop + 2 * scroll.clientHeight >= scroll.scrollHeight;
  }

  /* ------------------------------------------------------------------ drawing */

  /**
   * One page in Material's markup (renderSearchResultItem in its bundle): Material's CSS
   * styles it, and its keyboard handling (arrow keys, Enter = highest data-md-score)
   * finds its links. Scores fall in the order drawn: Enter opens the first page's best
   * paragraph.
   */
  function item(group, page, position) {
    var score = 1e6 - position;
    var li = element("li", "md-search-result__item");
    var head = link(group.location, score, true);
    head.firstChild.append(element("div", "md-search-result__icon md-icon"));
    head.firstChild.append(html("h1", group.title));
    var facts = element("p", "pz-search-facts");
    facts.textContent = [page && page[2] > 1 ? formatDate(page[3]) : "",
      page ? TEXT.count.replace("#", page[1]) : ""].filter(Boolean).join(" · ");
    if (facts.textContent) head.firstChild.append(facts);
    if (group.teaser) head.firstChild.insertAdjacentHTML("beforeend", group.teaser);
    li.append(head);
    var shown = group.children.slice(0, SHOWN_CHILDREN);
    var folded = group.children.slice(SHOWN_CHILDREN);
    shown.forEach(function (child, n) { li.append(childLink(child, score + (n ? 0.25 : 0.5))); });
    if (folded.length) {
      var details = element("details", "md-search-result__more");
      var summary = element("summary");
      summary.tabIndex = -1;
      var label = element("div");
      label.textContent = folded.length === 1 ? translate("search.result.more.one")
        : translate("search.result.more.other", folded.length);
      summary.append(label);
      details.append(summary);
      folded.forEach(function (child) { details.append(childLink(child, score + 0.25)); });
      li.append(details);
    }
    return li;
  }

  function childLink(child, score) {
    var anchor = link(child.location, score, false);
    anchor.firstChild.append(html("h2", child.title));
    anchor.firstChild.insertAdjacentHTML("beforeend", child.text);
    return anchor;
  }

  function link(location, score, parent) {
    var url = new URL(location, ui.base);
    if (ui.highlight && state.words.length) url.searchParams.set("h", state.words.join(" "));
    var anchor = element("a", "md-search-result__link");
    anchor.href = url.href;
    anchor.tabIndex = -1;
    var article = element("article", "md-search-result__article md-typeset");
    article.setAttribute("data-md-score", score.toFixed(2));
    if (parent) anchor.classList.add("pz-search-page");
    anchor.append(article);
    return anchor;
  }

  function element(tag, className) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    return node;
  }

  /* Title and snippets come from the worker as escaped text with <mark> */
  function html(tag, markup) {
    var node = document.createElement(tag);
    node.innerHTML = markup;
    return node;
  }

  function formatDate(date) {
    var parts = String(date || "").split("-");
    if (!parts[0]) return "";
    return parts[0] + "年" + (parts[1] ? Number(parts[1]) + "月" : "") +
      (parts[2] ? Number(parts[2]) + "日" : "");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
