/*
 * Pizhu 我的批注 (2/3): highlights and notes on a speech page.
 *
 * - Selecting words in the speech's paragraphs (mouse, keyboard with caret browsing, or a
 *   long press on a phone) shows a small toolbar: 划线 in three colours, 写批注, 复制引用.
 *   Tab moves into it, arrow keys move along it, Escape closes it.
 * - A paragraph number (a.pz-pn) still links to its paragraph; it also opens the same
 *   toolbar for the whole paragraph (the keyboard's way to mark a paragraph or cite it).
 * - A highlight is a set of <mark data-pz-note="id"> elements around the words (inside
 *   links and redaction marks, never around them). Clicking, tapping it, or Enter on it
 *   opens the note editor: the note (saved as you type), the colour, 复制引用, 删除.
 * - A bar under the title counts this page's notes, says which could not be placed, has
 *   the switch 打印时包含我的批注 and tells when the browser cannot keep notes.
 * - In print: highlights, a footnote number after each note, and the notes at the end.
 *
 * Depends on pizhu-notes-core.js (window.PizhuNotes). Without JavaScript nothing changes.
 */
(function () {
  "use strict";

  var N = window.PizhuNotes;
  if (!N) {
    return;
  }
  var article = document.querySelector("article");
  var paragraphs = article ? article.querySelectorAll("p.pz-p[id]") : [];
  if (!paragraphs.length) {
    return;
  }

  var store = N.store;
  var source = N.pagePath();
  var speech = readSpeech();
  var model = new N.TextModel(paragraphs);
  var placed = {}; // note id -> {start, end} where it is on this page now
  var orphans = []; // notes of this page whose words are not here any more

  var toolbar = null;
  var toolbarSpan = null; // {start, end} the toolbar acts on
  var editor = null;
  var editorNote = null; // id
  var returnFocus = null;
  var toast = null;
  var bar = null;
  var printSection = null;
  var pointerDown = false;
  var selectionTimer = 0;
  var saveTimer = 0;

  // --- the speech ----------------------------------------------------------------------------

  function metaValue(label) {
    var items = article.querySelectorAll(".pz-meta .pz-meta-item");
    for (var i = 0; i < items.length; i++) {
      var name = items[i].querySelector(".pz-meta-label");
      if (name && name.textContent.trim() === label) {
        return items[i].textContent.slice(items[i].textContent.indexOf(label) + label.length).trim();
      }
    }
    return "";
  }

  function readSpeech() {
    var heading = article.querySelector("h1");
    var title = "";
    if (heading) {
      var copy = heading.cloneNode(true);
      Array.prototype.forEach.call(copy.querySelectorAll(".headerlink"), function (link) {
        link.remove();
      });
      title = copy.textContent.replace(/\s+/g, " ").trim();
    }
    return { title: title, speaker: metaValue("讲话人"), date: N.parseDate(metaValue("日期")) };
  }

  // --- showing the notes ------------------------------------------------------------------------

  function markClass(note) {
    return "pz-hl pz-hl--" + (N.COLORS.indexOf(note.color) >= 0 ? note.color : N.COLORS[0]);
  }

  /** Place every note of the page, wrap its words, number the notes with text. */
  function render() {
    var started = window.performance ? performance.now() : 0;
    N.unwrap(article);
    model = new N.TextModel(paragraphs);
    placed = {};
    orphans = [];
    var notes = store.forPage(source);
    var located = [];
    notes.forEach(function (note) {
      var span = model.locate(note);
      if (span) {
        placed[note.id] = span;
        located.push({ note: note, span: span });
      } else {
        orphans.push(note);
      }
    });
    // Longer highlights first, so that a shorter one inside another is the inner mark
    // (the one a click reaches).
    located.sort(function (a, b) {
      return b.span.end - b.span.start - (a.span.end - a.span.start) || a.span.start - b.span.start;
    });
    located.forEach(function (item) {
      var marks = model.wrap(item.span.start, item.span.end, item.note.id, markClass(item.note));
      item.marks = marks;
      if (marks.length) {
        marks[0].setAttribute("tabindex", "0");
        marks[0].setAttribute("title", item.note.text ? "我的批注（点击查看、修改）" : "我的划线（点击修改、删除）");
      }
    });
    numberNotes(located);
    renderBar(notes.length);
    renderPrint(located);
    remember(located);
    if (window.performance && performance.mark) {
      document.documentElement.setAttribute("data-pz-notes-restore-ms", String(Math.round((performance.now() - started) * 10) / 10));
    }
  }

  function numberNotes(located) {
    var withText = located
      .filter(function (item) {
        return item.note.text;
      })
      .sort(function (a, b) {
        return a.span.start - b.span.start;
      });
    withText.forEach(function (item, index) {
      item.number = index + 1;
      var marks = item.marks;
      if (marks.length) {
        marks[marks.length - 1].setAttribute("data-pz-n", String(index + 1));
      }
    });
  }

  /** Keep each placed note's paragraph hint and place up to date, so that the notes page
   * lists notes in the right paragraph after a rebuild, and knows which are 未能定位. */
  function remember(located) {
    var changes = {};
    located.forEach(function (item) {
      var where = model.describe(item.span.start, item.span.end);
      var note = item.note;
      if (note.para !== where.para || note.offset !== where.offset || note.paraEnd !== where.paraEnd || note.lost) {
        changes[note.id] = { para: where.para, offset: where.offset, paraEnd: where.paraEnd, lost: false };
      }
    });
    orphans.forEach(function (note) {
      if (!note.lost) {
        changes[note.id] = { lost: true };
      }
    });
    var speechChanged = function (note) {
      return note.title !== speech.title || note.speaker !== speech.speaker || note.date !== speech.date;
    };
    store.forPage(source).forEach(function (note) {
      if (speechChanged(note)) {
        changes[note.id] = changes[note.id] || {};
        changes[note.id].title = speech.title;
        changes[note.id].speaker = speech.speaker;
        changes[note.id].date = speech.date;
      }
    });
    var ids = Object.keys(changes);
    if (ids.length) {
      store.update(function (notes) {
        notes.forEach(function (note) {
          var change = changes[note.id];
          if (change && note.source === source) {
            for (var name in change) {
              note[name] = change[name];
            }
          }
        });
      }, "remember");
    }
  }

  // --- the bar under the title ---------------------------------------------------------------------

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function renderBar(count) {
    if (!bar) {
      bar = element("div", "pz-notes-bar pz-screen-only");
      bar.setAttribute("role", "region");
      bar.setAttribute("aria-label", "我的批注");
      var anchor = article.querySelector(".pz-meta") || article.querySelector("h1");
      anchor.parentNode.insertBefore(bar, anchor.nextSibling);
    }
    bar.textContent = "";
    var problem = store.message();
    if (problem) {
      var warning = element("p", "pz-notes-bar__problem", problem);
      warning.setAttribute("role", "alert");
      bar.appendChild(warning);
    }
    if (!count) {
      bar.hidden = !problem;
      bar.classList.toggle("pz-notes-bar--empty", true);
      return;
    }
    bar.hidden = false;
    bar.classList.toggle("pz-notes-bar--empty", false);
    var line = element("p", "pz-notes-bar__line");
    var summary = "本文有我的划线和批注 " + count + " 条";
    if (orphans.length) {
      summary += "，其中 " + orphans.length + " 条未能定位（原文已改动）";
    }
    line.appendChild(element("span", "pz-notes-bar__count", summary));
    var link = element("a", "pz-notes-bar__link", "查看全部批注 ›");
    link.href = N.siteUrl("notes.html");
    line.appendChild(link);
    var label = element("label", "pz-notes-bar__print");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = store.settings.printNotes !== false;
    box.addEventListener("change", function () {
      store.setSetting("printNotes", box.checked);
    });
    label.appendChild(box);
    label.appendChild(document.createTextNode(" 打印时包含我的批注"));
    line.appendChild(label);
    bar.appendChild(line);
    applyPrintSetting();
  }

  function applyPrintSetting() {
    document.documentElement.classList.toggle("pz-notes-noprint", store.settings.printNotes === false);
  }

  // --- print: the notes as numbered footnotes at the end of the text ------------------------------

  function renderPrint(located) {
    if (printSection) {
      printSection.remove();
      printSection = null;
    }
    var numbered = located
      .filter(function (item) {
        return item.number;
      })
      .sort(function (a, b) {
        return a.number - b.number;
      });
    var lost = orphans.filter(function (note) {
      return note.text;
    });
    if (!numbered.length && !lost.length) {
      return;
    }
    printSection = element("section", "pz-mynotes-print");
    printSection.setAttribute("aria-hidden", "true");
    printSection.appendChild(element("h2", "pz-mynotes-print__title", "我的批注"));
    var list = element("ol", "pz-mynotes-print__list");
    numbered.forEach(function (item) {
      var where = model.describe(item.span.start, item.span.end);
      var entry = element("li");
      entry.appendChild(element("span", "pz-mynotes-print__quote", "“" + shorten(item.note.exact, 60) + "”（" + N.paragraphLabel(where.paraNumber, where.paraEnd) + "）"));
      entry.appendChild(element("span", "pz-mynotes-print__text", item.note.text));
      list.appendChild(entry);
    });
    printSection.appendChild(list);
    if (lost.length) {
      var more = element("ul", "pz-mynotes-print__lost");
      lost.forEach(function (note) {
        var entry = element("li");
        entry.appendChild(element("span", "pz-mynotes-print__quote", "未能定位：“" + shorten(note.exact, 60) + "”"));
        entry.appendChild(element("span", "pz-mynotes-print__text", note.text));
        more.appendChild(entry);
      });
      printSection.appendChild(more);
    }
    var before = article.querySelector(".pz-concepts, .pz-related");
    var last = paragraphs[paragraphs.length - 1];
    var after = last;
    while (after.nextElementSibling && !after.nextElementSibling.matches("p.pz-p, h2, h3, details, .pz-concepts, .pz-related")) {
      after = after.nextElementSibling;
    }
    if (before && before.parentNode === article) {
      article.insertBefore(printSection, before);
    } else {
      after.parentNode.insertBefore(printSection, after.nextSibling);
    }
  }

  function shorten(text, length) {
    var flat = text.replace(/\s+/g, " ");
    return flat.length > length ? flat.slice(0, length - 1) + "…" : flat;
  }

  // --- the toolbar ---------------------------------------------------------------------------------

  function button(className, text, label) {
    var node = element("button", className, text);
    node.type = "button";
    if (label) {
      node.setAttribute("aria-label", label);
      node.title = label;
    }
    return node;
  }

  function buildToolbar() {
    toolbar = element("div", "pz-nt");
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "划线和批注");
    toolbar.hidden = true;
    toolbar.appendChild(element("span", "pz-nt__label", "划线"));
    N.COLORS.forEach(function (color) {
      var swatch = button("pz-nt__color pz-swatch pz-swatch--" + color, "", "划线（" + N.COLOR_NAMES[color] + "）");
      swatch.setAttribute("data-color", color);
      toolbar.appendChild(swatch);
    });
    var write = button("pz-nt__action", "写批注");
    write.setAttribute("data-act", "note");
    toolbar.appendChild(write);
    var cite = button("pz-nt__action", "复制引用");
    cite.setAttribute("data-act", "cite");
    toolbar.appendChild(cite);
    // Pressing a button must not end the selection it acts on.
    toolbar.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    toolbar.addEventListener("click", function (event) {
      var target = event.target.closest("button");
      if (!target || !toolbarSpan) {
        return;
      }
      var span = toolbarSpan;
      if (target.hasAttribute("data-color")) {
        hideToolbar(false);
        createNote(span, target.getAttribute("data-color"), false);
      } else if (target.getAttribute("data-act") === "note") {
        hideToolbar(false);
        createNote(span, N.COLORS[0], true);
      } else if (target.getAttribute("data-act") === "cite") {
        var where = model.describe(span.start, span.end);
        hideToolbar(true);
        copyCitation(model.text.slice(span.start, span.end), where);
      }
    });
    toolbar.addEventListener("keydown", function (event) {
      rovingKeys(event, toolbar);
      if (event.key === "Escape") {
        event.preventDefault();
        hideToolbar(true);
      }
    });
    document.body.appendChild(toolbar);
  }

  /** Arrow keys, Home and End move along the buttons of a toolbar. */
  function rovingKeys(event, container) {
    var buttons = Array.prototype.slice.call(container.querySelectorAll("button"));
    var index = buttons.indexOf(document.activeElement);
    var next = -1;
    if (event.key === "ArrowRight" || event.key === "ArrowDown") {
      next = (index + 1) % buttons.length;
    } else if (event.key === "ArrowLeft" || event.key === "ArrowUp") {
      next = (index - 1 + buttons.length) % buttons.length;
    } else if (event.key === "Home") {
      next = 0;
    } else if (event.key === "End") {
      next = buttons.length - 1;
    }
    if (next >= 0 && index >= 0) {
      event.preventDefault();
      buttons[next].focus();
    }
  }

  function showToolbar(span, rect, focus) {
    if (!toolbar) {
      buildToolbar();
    }
    closeEditor(false);
    toolbarSpan = span;
    toolbar.hidden = false;
    place(toolbar, rect);
    if (focus) {
      returnFocus = document.activeElement;
      toolbar.querySelector("button").focus();
    }
  }

  function hideToolbar(restoreFocus) {
    if (!toolbar || toolbar.hidden) {
      return;
    }
    var hadFocus = toolbar.contains(document.activeElement);
    toolbar.hidden = true;
    toolbarSpan = null;
    if (restoreFocus && hadFocus && returnFocus && returnFocus.focus) {
      returnFocus.focus();
    }
    returnFocus = null;
  }

  /** Put a floating box under ``rect`` (above it when there is no room below), inside the
   * window. On phones the browser's own selection menu sits above the words: stay below. */
  function place(box, rect) {
    var margin = 8;
    var width = document.documentElement.clientWidth;
    box.style.maxWidth = width - 2 * margin + "px";
    var boxWidth = box.offsetWidth;
    var boxHeight = box.offsetHeight;
    var left = Math.max(margin, Math.min(rect.left, width - boxWidth - margin));
    var top = rect.bottom + 8;
    var coarse = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
    if (!coarse && top + boxHeight > window.innerHeight - margin && rect.top - 8 - boxHeight > margin) {
      top = rect.top - 8 - boxHeight;
    }
    box.style.left = Math.round(left + window.scrollX) + "px";
    box.style.top = Math.round(top + window.scrollY) + "px";
  }

  function selectionSpan() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) {
      return null;
    }
    var range = selection.getRangeAt(0);
    if (!article.contains(range.commonAncestorContainer) && !range.commonAncestorContainer.contains(article)) {
      return null;
    }
    var span = model.span(range);
    return span ? { span: span, rect: rangeRect(range) } : null;
  }

  function rangeRect(range) {
    var rects = range.getClientRects();
    var last = rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
    var first = rects.length ? rects[0] : last;
    return { left: first.left, top: first.top, bottom: last.bottom };
  }

  function onSelection() {
    if (pointerDown) {
      return;
    }
    var found = selectionSpan();
    if (found) {
      showToolbar(found.span, found.rect, false);
    } else if (toolbar && !toolbar.hidden && !toolbar.contains(document.activeElement) && !toolbar.paragraphMode) {
      hideToolbar(false);
    }
  }

  document.addEventListener("selectionchange", function () {
    clearTimeout(selectionTimer);
    selectionTimer = setTimeout(onSelection, 120);
  });
  document.addEventListener(
    "pointerdown",
    function (event) {
      if (event.pointerType === "mouse") {
        pointerDown = true;
      }
      var inside = (toolbar && toolbar.contains(event.target)) || (editor && editor.contains(event.target));
      if (!inside && !event.target.closest("a.pz-pn, mark[data-pz-note]")) {
        if (toolbar) {
          toolbar.paragraphMode = false;
        }
        if (editor && !editor.hidden) {
          closeEditor(false);
        }
      }
    },
    true
  );
  document.addEventListener(
    "pointerup",
    function () {
      if (pointerDown) {
        pointerDown = false;
        clearTimeout(selectionTimer);
        selectionTimer = setTimeout(onSelection, 10);
      }
    },
    true
  );

  // Keyboard: with the toolbar shown for a selection, Tab goes into it.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Tab" && !event.shiftKey && toolbar && !toolbar.hidden && !toolbar.contains(document.activeElement) && !(editor && editor.contains(document.activeElement))) {
      event.preventDefault();
      returnFocus = document.activeElement;
      toolbar.querySelector("button").focus();
    } else if (event.key === "Escape") {
      if (editor && !editor.hidden) {
        closeEditor(true);
      } else if (toolbar && !toolbar.hidden) {
        hideToolbar(true);
      }
    }
  });

  // A paragraph number: its link works as before, and the toolbar acts on the paragraph.
  article.addEventListener("click", function (event) {
    var number = event.target.closest("a.pz-pn");
    if (!number) {
      return;
    }
    var paragraph = number.closest("p.pz-p");
    var index = Array.prototype.indexOf.call(paragraphs, paragraph);
    if (index < 0) {
      return;
    }
    var rect = number.getBoundingClientRect();
    var keyboard = event.detail === 0;
    showToolbar(model.paraSpan(index), { left: rect.left, top: rect.top, bottom: rect.bottom }, false);
    toolbar.paragraphMode = true;
    if (keyboard) {
      // After the link has moved to its paragraph (which takes the focus with it).
      returnFocus = number;
      setTimeout(function () {
        if (!toolbar.hidden) {
          toolbar.querySelector("button").focus();
        }
      }, 0);
    }
  });

  // --- notes ---------------------------------------------------------------------------------------

  function createNote(span, color, withEditor) {
    var where = model.describe(span.start, span.end);
    var time = N.now();
    var note = {
      id: N.newId(),
      source: source,
      exact: where.exact,
      prefix: where.prefix,
      suffix: where.suffix,
      para: where.para,
      paraEnd: where.paraEnd,
      offset: where.offset,
      color: color,
      text: "",
      created: time,
      modified: time,
      title: speech.title,
      speaker: speech.speaker,
      date: speech.date
    };
    var saved = store.add(note);
    var selection = window.getSelection();
    if (selection) {
      selection.removeAllRanges();
    }
    if (withEditor) {
      openEditor(note.id);
    } else {
      say(saved ? "已划线（" + N.COLOR_NAMES[color] + "）。点击划线可以写批注、换颜色或删除。" : store.message());
      focusNote(note.id);
    }
  }

  function marksOf(id) {
    return article.querySelectorAll('mark[data-pz-note="' + N.cssEscape(id) + '"]');
  }

  function focusNote(id) {
    var marks = marksOf(id);
    if (marks.length && (!document.activeElement || document.activeElement === document.body || (toolbar && toolbar.contains(document.activeElement)))) {
      marks[0].focus({ preventScroll: true });
    }
  }

  function buildEditor() {
    editor = element("div", "pz-ne");
    editor.setAttribute("role", "dialog");
    editor.setAttribute("aria-label", "我的批注");
    editor.hidden = true;
    var quote = element("blockquote", "pz-ne__quote");
    editor.appendChild(quote);
    var label = element("label", "pz-ne__label", "批注（自动保存）");
    label.setAttribute("for", "pz-ne-text");
    editor.appendChild(label);
    var area = element("textarea", "pz-ne__text");
    area.id = "pz-ne-text";
    area.rows = 3;
    area.placeholder = "写下体会、要点或发言时想说的话……";
    editor.appendChild(area);
    var colors = element("div", "pz-ne__colors");
    colors.setAttribute("role", "radiogroup");
    colors.setAttribute("aria-label", "划线颜色");
    N.COLORS.forEach(function (color) {
      var swatch = button("pz-swatch pz-swatch--" + color, "", N.COLOR_NAMES[color]);
      swatch.setAttribute("role", "radio");
      swatch.setAttribute("data-color", color);
      colors.appendChild(swatch);
    });
    editor.appendChild(colors);
    var actions = element("div", "pz-ne__actions");
    var cite = button("pz-ne__button", "复制引用");
    cite.setAttribute("data-act", "cite");
    var remove = button("pz-ne__button pz-ne__button--delete", "删除");
    remove.setAttribute("data-act", "delete");
    var done = button("pz-ne__button pz-ne__button--done", "完成");
    done.setAttribute("data-act", "close");
    actions.appendChild(cite);
    actions.appendChild(remove);
    actions.appendChild(done);
    editor.appendChild(actions);

    area.addEventListener("input", function () {
      clearTimeout(saveTimer);
      saveTimer = setTimeout(saveText, 400);
    });
    colors.addEventListener("click", function (event) {
      var swatch = event.target.closest("[data-color]");
      if (swatch && editorNote) {
        setColor(editorNote, swatch.getAttribute("data-color"));
        showColor(swatch.getAttribute("data-color"));
      }
    });
    colors.addEventListener("keydown", function (event) {
      rovingKeys(event, colors);
    });
    actions.addEventListener("click", function (event) {
      var target = event.target.closest("[data-act]");
      if (!target || !editorNote) {
        return;
      }
      var act = target.getAttribute("data-act");
      var note = store.get(editorNote);
      if (act === "close") {
        closeEditor(true);
      } else if (act === "delete") {
        deleteNote(editorNote);
      } else if (act === "cite" && note) {
        var span = placed[note.id];
        var where = span ? model.describe(span.start, span.end) : { paraNumber: N.paraNumber(note) };
        copyCitation(note.exact, where);
      }
    });
    editor.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        closeEditor(true);
      } else if (event.key === "Tab") {
        // Keep the focus in the editor while it is open (a small non-modal dialog).
        var focusable = editor.querySelectorAll("textarea, button");
        var first = focusable[0];
        var last = focusable[focusable.length - 1];
        if (event.shiftKey && document.activeElement === first) {
          event.preventDefault();
          last.focus();
        } else if (!event.shiftKey && document.activeElement === last) {
          event.preventDefault();
          first.focus();
        }
      } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        closeEditor(true);
      }
    });
    document.body.appendChild(editor);
  }

  function showColor(color) {
    Array.prototype.forEach.call(editor.querySelectorAll(".pz-ne__colors [data-color]"), function (swatch) {
      var on = swatch.getAttribute("data-color") === color;
      swatch.setAttribute("aria-checked", on ? "true" : "false");
      swatch.tabIndex = on ? 0 : -1;
    });
  }

  function openEditor(id) {
    var note = store.get(id);
    if (!note) {
      return;
    }
    if (!editor) {
      buildEditor();
    }
    hideToolbar(false);
    if (!returnFocus || returnFocus === document.body) {
      returnFocus = document.activeElement;
    }
    editorNote = id;
    editor.querySelector(".pz-ne__quote").textContent = shorten(note.exact, 80);
    var area = editor.querySelector("textarea");
    area.value = note.text || "";
    showColor(note.color);
    editor.hidden = false;
    var marks = marksOf(id);
    var rect = marks.length ? marks[marks.length - 1].getBoundingClientRect() : { left: 8, top: 8, bottom: 8 };
    place(editor, rect);
    area.focus({ preventScroll: true });
  }

  function saveText() {
    clearTimeout(saveTimer);
    if (!editor || !editorNote) {
      return;
    }
    var note = store.get(editorNote);
    var text = editor.querySelector("textarea").value.replace(/\s+$/, "");
    if (note && (note.text || "") !== text) {
      if (!store.change(editorNote, { text: text, modified: N.now() })) {
        say(store.message());
      }
    }
  }

  function closeEditor(restoreFocus) {
    if (!editor || editor.hidden) {
      return;
    }
    saveText();
    var id = editorNote;
    editor.hidden = true;
    editorNote = null;
    if (restoreFocus) {
      var marks = id ? marksOf(id) : [];
      if (marks.length) {
        marks[0].focus({ preventScroll: true });
      } else if (returnFocus && returnFocus.focus && document.contains(returnFocus)) {
        returnFocus.focus({ preventScroll: true });
      }
    }
    returnFocus = null;
  }

  function setColor(id, color) {
    store.change(id, { color: color, modified: N.now() });
  }

  function deleteNote(id) {
    var note = store.get(id);
    closeEditor(false);
    store.remove(id);
    if (note) {
      say("已删除这条" + (note.text ? "批注" : "划线") + "。", "撤销", function () {
        store.add(note);
        focusNote(note.id);
      });
    }
  }

  // Clicking or tapping a highlight (not the end of a drag that selected words), or Enter
  // or Space on it, opens its editor. The innermost mark is the note opened.
  article.addEventListener("click", function (event) {
    var mark = event.target.closest("mark[data-pz-note]");
    if (!mark) {
      return;
    }
    var selection = window.getSelection();
    if (selection && !selection.isCollapsed && event.detail > 0) {
      return;
    }
    event.preventDefault(); // a highlight inside a concept link: open the note, not the page
    returnFocus = mark;
    openEditor(mark.getAttribute("data-pz-note"));
  });
  article.addEventListener("keydown", function (event) {
    var mark = event.target.closest && event.target.closest("mark[data-pz-note]");
    if (mark && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      returnFocus = mark;
      openEditor(mark.getAttribute("data-pz-note"));
    }
  });

  // --- 复制引用 ----------------------------------------------------------------------------------

  function copyCitation(quote, where) {
    var text = N.citation(quote, {
      title: speech.title,
      speaker: speech.speaker,
      date: speech.date,
      paraNumber: where.paraNumber,
      paraEnd: where.paraEnd
    });
    copyText(text);
  }

  /** The Clipboard API where the browser allows it; else the older copy command on a hidden
   * text box (file:// pages, plain-HTTP intranets); else the text shown, selected, to copy
   * by hand. */
  function copyText(text) {
    var done = function () {
      say("已复制引用：" + shorten(text, 40));
    };
    var fallback = function () {
      if (copyWithCommand(text)) {
        done();
      } else {
        showCopyBox(text);
      }
    };
    if (navigator.clipboard && navigator.clipboard.writeText && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  }

  function copyWithCommand(text) {
    var box = document.createElement("textarea");
    box.value = text;
    box.setAttribute("readonly", "");
    box.className = "pz-copy-source";
    document.body.appendChild(box);
    var focused = document.activeElement;
    box.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (error) {
      ok = false;
    }
    box.remove();
    if (focused && focused.focus) {
      focused.focus({ preventScroll: true });
    }
    return ok;
  }

  function showCopyBox(text) {
    say("浏览器不允许网页直接复制。引用已选中，请按 Ctrl+C 复制（手机上长按选择“复制”）。");
    var box = element("textarea", "pz-copy-box");
    box.value = text;
    box.setAttribute("readonly", "");
    box.setAttribute("aria-label", "引用文字");
    toastBody().appendChild(box);
    box.focus();
    box.select();
  }

  // --- messages ----------------------------------------------------------------------------------

  function toastBody() {
    if (!toast) {
      toast = element("div", "pz-toast");
      toast.setAttribute("role", "status");
      toast.setAttribute("aria-live", "polite");
      document.body.appendChild(toast);
    }
    return toast;
  }

  var toastTimer = 0;

  function say(message, actionLabel, action) {
    if (!message) {
      return;
    }
    var box = toastBody();
    box.textContent = "";
    box.appendChild(element("span", "pz-toast__text", message));
    if (actionLabel) {
      var undo = button("pz-toast__action", actionLabel);
      undo.addEventListener("click", function () {
        box.hidden = true;
        action();
      });
      box.appendChild(undo);
    }
    var close = button("pz-toast__close", "×", "关闭提示");
    close.addEventListener("click", function () {
      box.hidden = true;
    });
    box.appendChild(close);
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () {
      if (!box.contains(document.activeElement)) {
        box.hidden = true;
      }
    }, actionLabel ? 8000 : 5000);
  }

  // --- changes, here or in another tab --------------------------------------------------------------

  store.on(function (why) {
    if (why === "remember") {
      return;
    }
    if (why === "settings") {
      applyPrintSetting();
      return;
    }
    var active = document.activeElement;
    var activeId = active && active.getAttribute && active.getAttribute("data-pz-note");
    render();
    if (activeId) {
      var marks = marksOf(activeId);
      if (marks.length) {
        marks[0].focus({ preventScroll: true });
      }
    }
    if (editorNote && !store.get(editorNote)) {
      closeEditor(false);
    }
  });

  render();
})();
