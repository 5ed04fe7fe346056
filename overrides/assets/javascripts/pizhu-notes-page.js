/*
 * Pizhu 我的批注 (3/3): the notes page (docs/notes.md, notes.html at the site root).
 *
 * Every note of this site, grouped by speech in the site's order and by paragraph within a
 * speech; filters by words and colour, with counts; 学习笔记 exported as Markdown or as
 * Windows text (UTF-8 with BOM, CRLF), a printable A4 view, and a JSON backup (an array of
 * W3C Web Annotations) that can be imported here on another computer, merged without
 * duplicates. A file that cannot be read changes nothing.
 *
 * Depends on pizhu-notes-core.js (window.PizhuNotes). Runs only where #pz-notes-app is.
 */
(function () {
  "use strict";

  var N = window.PizhuNotes;
  var app = document.getElementById("pz-notes-app");
  if (!N || !app) {
    return;
  }
  var store = N.store;
  var filter = { words: "", color: "" };
  var summary;
  var list;
  var wordsInput;
  var colorInputs = {};
  var colorCounts = {};
  var importMessage;
  var othersBox;
  var undoBox;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null && text !== "") {
      node.textContent = text;
    }
    return node;
  }

  function button(className, text) {
    var node = element("button", className, text);
    node.type = "button";
    return node;
  }

  // --- controls ---------------------------------------------------------------------------------

  function build() {
    app.textContent = "";
    var tools = element("div", "pz-notes-tools");
    summary = element("p", "pz-notes-summary");
    summary.setAttribute("role", "status");
    tools.appendChild(summary);

    var problem = element("p", "pz-notes-problem");
    problem.setAttribute("role", "alert");
    problem.hidden = true;
    tools.appendChild(problem);

    var form = element("form", "pz-notes-filter");
    form.setAttribute("role", "search");
    form.setAttribute("aria-label", "筛选批注");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    var wordsLabel = element("label", "pz-notes-filter__words");
    wordsLabel.appendChild(element("span", "", "查找"));
    wordsInput = element("input");
    wordsInput.type = "search";
    wordsInput.placeholder = "原文、批注或讲话标题中的词语";
    wordsInput.addEventListener("input", function () {
      filter.words = wordsInput.value;
      renderList();
    });
    wordsLabel.appendChild(wordsInput);
    form.appendChild(wordsLabel);
    var colors = element("fieldset", "pz-notes-filter__colors");
    colors.appendChild(element("legend", "", "颜色"));
    [""].concat(N.COLORS).forEach(function (color) {
      var label = element("label", "pz-notes-filter__color" + (color ? " pz-notes-filter__color--" + color : ""));
      var input = element("input");
      input.type = "radio";
      input.name = "pz-notes-color";
      input.value = color;
      input.checked = color === "";
      input.addEventListener("change", function () {
        filter.color = input.value;
        renderList();
      });
      colorInputs[color] = input;
      label.appendChild(input);
      if (color) {
        label.appendChild(element("span", "pz-swatch pz-swatch--" + color));
      }
      label.appendChild(element("span", "", color ? N.COLOR_NAMES[color] : "全部"));
      colorCounts[color] = element("span", "pz-notes-filter__count");
      label.appendChild(colorCounts[color]);
      colors.appendChild(label);
    });
    form.appendChild(colors);
    tools.appendChild(form);

    var exports = element("div", "pz-notes-export");
    exports.setAttribute("role", "group");
    exports.setAttribute("aria-label", "导出");
    var md = button("md-button", "导出学习笔记（.md）");
    md.addEventListener("click", function () {
      download(fileName("md"), markdown(shown()), "text/markdown;charset=utf-8");
    });
    var txt = button("md-button", "导出文本（.txt）");
    txt.addEventListener("click", function () {
      download(fileName("txt"), windowsText(plainText(shown())), "text/plain;charset=utf-8");
    });
    var print = button("md-button", "打印笔记（A4）");
    print.addEventListener("click", function () {
      window.print();
    });
    var json = button("md-button", "导出 JSON（备份、换电脑）");
    json.addEventListener("click", function () {
      var data = sorted(store.notes).map(N.toAnnotation);
      download(fileName("json"), JSON.stringify(data, null, 2) + "\n", "application/json");
    });
    [md, txt, print, json].forEach(function (node) {
      exports.appendChild(node);
    });
    exports.appendChild(element("p", "pz-notes-hint", "学习笔记和打印只包含当前筛选出的批注；JSON 备份总是包含全部批注。"));
    tools.appendChild(exports);

    var importer = element("div", "pz-notes-import");
    // The browser's own file button speaks the browser's language, not the page's: the
    // label is the button, the input inside it stays focusable.
    var importLabel = element("label", "pz-notes-import__label md-button");
    importLabel.appendChild(element("span", "", "导入 JSON 备份…"));
    var file = element("input");
    file.type = "file";
    file.accept = ".json,application/json";
    file.addEventListener("change", function () {
      if (file.files && file.files[0]) {
        importFile(file.files[0]).then(function () {
          file.value = "";
        });
      }
    });
    importLabel.appendChild(file);
    importer.appendChild(importLabel);
    importMessage = element("p", "pz-notes-import__message");
    importMessage.setAttribute("role", "status");
    importMessage.hidden = true;
    importer.appendChild(importMessage);
    tools.appendChild(importer);

    othersBox = element("div", "pz-notes-others");
    othersBox.hidden = true;
    tools.appendChild(othersBox);

    undoBox = element("p", "pz-notes-undo");
    undoBox.setAttribute("role", "status");
    undoBox.hidden = true;
    tools.appendChild(undoBox);

    app.appendChild(tools);
    list = element("div", "pz-notes-list");
    app.appendChild(list);
    app.problem = problem;
  }

  // --- which notes, in which order ----------------------------------------------------------------

  function sorted(notes) {
    return notes.slice().sort(function (a, b) {
      return N.compareSpeeches(a, b) || N.compareInSpeech(a, b);
    });
  }

  function matches(note) {
    if (filter.color && note.color !== filter.color) {
      return false;
    }
    var words = N.fold(filter.words).text;
    if (!words) {
      return true;
    }
    return N.fold([note.exact, note.text, note.title, note.speaker].join("\n")).text.indexOf(words) >= 0;
  }

  function shown() {
    return sorted(store.notes).filter(matches);
  }

  /** [{source, title, speaker, date, notes, lost}] in the site's order. */
  function groups(notes) {
    var bySource = {};
    var out = [];
    notes.forEach(function (note) {
      var group = bySource[note.source];
      if (!group) {
        group = bySource[note.source] = {
          source: note.source,
          title: note.title || note.source,
          speaker: note.speaker,
          date: note.date,
          notes: [],
          lost: []
        };
        out.push(group);
      }
      (note.lost ? group.lost : group.notes).push(note);
    });
    return out;
  }

  // --- the list ------------------------------------------------------------------------------------

  function render() {
    var problem = store.message();
    app.problem.textContent = problem;
    app.problem.hidden = !problem;
    renderOthers();
    renderList();
  }

  function renderList() {
    var all = store.notes;
    var notes = shown();
    var speeches = groups(sorted(all)).length;
    var withText = all.filter(function (note) {
      return note.text;
    }).length;
    var lost = all.filter(function (note) {
      return note.lost;
    }).length;
    var text = "共 " + all.length + " 条（批注 " + withText + " 条，只划线 " + (all.length - withText) + " 条），来自 " + speeches + " 篇讲话";
    if (lost) {
      text += "；" + lost + " 条未能定位";
    }
    if (notes.length !== all.length) {
      text += "。当前显示 " + notes.length + " 条";
    }
    summary.textContent = text + "。";
    ["" ].concat(N.COLORS).forEach(function (color) {
      var count = all.filter(function (note) {
        return !color || note.color === color;
      }).length;
      colorCounts[color].textContent = "（" + count + "）";
    });

    list.textContent = "";
    if (!all.length) {
      var empty = element("p", "pz-notes-empty");
      empty.appendChild(document.createTextNode("还没有批注。打开任意一篇讲话（见"));
      var index = element("a", "", "讲话目录");
      index.href = N.siteUrl("speeches/index.html");
      empty.appendChild(index);
      empty.appendChild(document.createTextNode("），选中文字即可划线、写批注或复制引用。"));
      list.appendChild(empty);
      return;
    }
    if (!notes.length) {
      list.appendChild(element("p", "pz-notes-empty", "没有符合筛选条件的批注。"));
      return;
    }
    groups(notes).forEach(function (group) {
      list.appendChild(renderGroup(group));
    });
  }

  function renderGroup(group) {
    var section = element("section", "pz-notes-group");
    var heading = element("h2", "pz-notes-group__title");
    var link = element("a", "", group.title);
    link.href = N.siteUrl(group.source);
    heading.appendChild(link);
    section.appendChild(heading);
    var meta = [];
    if (group.speaker) {
      meta.push(group.speaker);
    }
    if (group.date) {
      meta.push(N.formatDate(group.date));
    }
    meta.push(group.notes.length + group.lost.length + " 条");
    section.appendChild(element("p", "pz-notes-group__meta", meta.join(" · ")));
    if (group.notes.length) {
      var items = element("ol", "pz-notes-items");
      group.notes.forEach(function (note) {
        items.appendChild(renderNote(note, group));
      });
      section.appendChild(items);
    }
    if (group.lost.length) {
      section.appendChild(element("h3", "pz-notes-lost__title", "未能定位（" + group.lost.length + " 条）"));
      section.appendChild(
        element("p", "pz-notes-lost__hint", "讲话原文改动后，这些划线的文字在页面上找不到了。批注仍保留在这里，可以导出，也可以删除。")
      );
      var lostItems = element("ol", "pz-notes-items pz-notes-items--lost");
      group.lost.forEach(function (note) {
        lostItems.appendChild(renderNote(note, group));
      });
      section.appendChild(lostItems);
    }
    return section;
  }

  function renderNote(note) {
    var item = element("li", "pz-note pz-note--" + note.color + (note.lost ? " pz-note--lost" : ""));
    item.setAttribute("data-pz-note-id", note.id);
    var quote = element("blockquote", "pz-note__quote", note.exact);
    item.appendChild(quote);
    if (note.text) {
      item.appendChild(element("p", "pz-note__text", note.text));
    }
    var meta = element("p", "pz-note__meta");
    var number = N.paraNumber(note);
    if (note.lost) {
      meta.appendChild(element("span", "pz-note__lost", "未能定位"));
      meta.appendChild(document.createTextNode(number ? " · 原在" + N.paragraphLabel(number, note.paraEnd) + " · " : " · "));
    } else if (number) {
      var link = element("a", "pz-note__para", N.paragraphLabel(number, note.paraEnd));
      link.href = N.siteUrl(note.source) + "#" + note.para;
      meta.appendChild(link);
      meta.appendChild(document.createTextNode(" · "));
    }
    meta.appendChild(element("span", "pz-note__color", N.COLOR_NAMES[note.color] || ""));
    meta.appendChild(document.createTextNode(" · "));
    var time = element("time", "pz-note__date", formatTime(note.modified || note.created));
    time.dateTime = note.modified || note.created || "";
    meta.appendChild(time);
    var remove = button("pz-note__delete", "删除");
    remove.setAttribute("aria-label", "删除这条批注：" + note.exact.slice(0, 20));
    remove.addEventListener("click", function () {
      store.remove(note.id);
      offerUndo(note);
    });
    meta.appendChild(remove);
    item.appendChild(meta);
    return item;
  }

  function offerUndo(note) {
    undoBox.textContent = "已删除一条批注。";
    var undo = button("pz-notes-undo__button", "撤销");
    undo.addEventListener("click", function () {
      store.add(note);
      undoBox.hidden = true;
    });
    undoBox.appendChild(undo);
    undoBox.hidden = false;
    undo.focus();
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function formatTime(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) {
      return "";
    }
    return date.getFullYear() + "年" + (date.getMonth() + 1) + "月" + date.getDate() + "日 " + pad(date.getHours()) + ":" + pad(date.getMinutes());
  }

  // --- copies of this site elsewhere in this browser ------------------------------------------------

  function renderOthers() {
    othersBox.textContent = "";
    var others = /^file:/.test(N.ROOT)
      ? store.others().filter(function (other) {
          return /^file:/.test(other.root);
        })
      : [];
    othersBox.hidden = !others.length;
    others.forEach(function (other) {
      var line = element("p", "pz-notes-others__line");
      line.appendChild(
        document.createTextNode("这个浏览器里还有另一份网站副本（" + decodeURI(other.root) + "）保存的 " + other.notes.length + " 条批注，可能是网站文件夹移动或重新解压之前留下的。")
      );
      var merge = button("pz-notes-others__merge", "合并到这里");
      merge.addEventListener("click", function () {
        var counts = store.merge(other.notes);
        showImport(counts, false);
      });
      line.appendChild(merge);
      othersBox.appendChild(line);
    });
  }

  // --- import ----------------------------------------------------------------------------------------

  function readFile(file) {
    if (file.text) {
      return file.text();
    }
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () {
        resolve(reader.result);
      };
      reader.onerror = function () {
        reject(reader.error);
      };
      reader.readAsText(file, "utf-8");
    });
  }

  function importFile(file) {
    return readFile(file).then(
      function (text) {
        var notes;
        try {
          notes = N.parseExport(text);
        } catch (error) {
          if (error instanceof N.ImportError) {
            showError("没有导入任何批注：" + error.message + "请选择从「导出 JSON」得到的文件。");
            return;
          }
          throw error;
        }
        showImport(store.merge(notes), true);
      },
      function () {
        showError("没有导入任何批注：无法读取这个文件。");
      }
    );
  }

  function showImport(counts, fromFile) {
    importMessage.className = "pz-notes-import__message";
    importMessage.setAttribute("role", "status");
    if (!counts.saved) {
      showError("没有导入：" + store.message());
      return;
    }
    var text = (fromFile ? "导入完成：" : "合并完成：") + "新增 " + counts.added + " 条";
    if (counts.updated) {
      text += "，更新 " + counts.updated + " 条";
    }
    if (counts.same) {
      text += "，" + counts.same + " 条已经有了（没有重复添加）";
    }
    importMessage.textContent = text + "。";
    importMessage.hidden = false;
  }

  function showError(message) {
    importMessage.className = "pz-notes-import__message pz-notes-import__message--error";
    importMessage.setAttribute("role", "alert");
    importMessage.textContent = message;
    importMessage.hidden = false;
  }

  // --- export -------------------------------------------------------------------------------------

  function siteName() {
    var name = document.querySelector(".md-header__topic .md-ellipsis");
    return name ? name.textContent.trim() : "";
  }

  function today() {
    var date = new Date();
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate());
  }

  function fileName(extension) {
    return "我的批注-" + today() + "." + extension;
  }

  function download(name, data, type) {
    var blob = new Blob([data], { type: type });
    var url = URL.createObjectURL(blob);
    var link = element("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () {
      URL.revokeObjectURL(url);
    }, 10000);
  }

  /** Markdown that shows the reader's words literally (they may hold * # [ ] < …). */
  function escapeMarkdown(text) {
    return text.replace(/([\\`*_\[\]#|<>~])/g, "\\$1").replace(/^([-+=])/, "\\$1").replace(/^(\d+)\./, "$1\\.");
  }

  function heading(notes) {
    var name = siteName();
    return (name ? name + " · " : "") + "导出于 " + N.formatDate(today()) + " · 共 " + notes.length + " 条";
  }

  function groupMeta(group) {
    var parts = [];
    if (group.speaker) {
      parts.push("讲话人：" + group.speaker);
    }
    if (group.date) {
      parts.push("日期：" + N.formatDate(group.date));
    }
    return parts.join("　");
  }

  function markdown(notes) {
    var out = ["# 我的批注（学习笔记）", "", escapeMarkdown(heading(notes)), ""];
    groups(notes).forEach(function (group) {
      out.push("## " + escapeMarkdown(group.title), "");
      var meta = groupMeta(group);
      if (meta) {
        out.push(escapeMarkdown(meta), "");
      }
      group.notes.concat(group.lost).forEach(function (note, index) {
        var quote = N.noteCitation(note) + (note.lost ? "（未能定位）" : "");
        out.push(index + 1 + ". " + escapeMarkdown(quote), "");
        if (note.text) {
          note.text.split(/\n/).forEach(function (line, n) {
            out.push("   " + (n === 0 ? "**批注：**" : "") + escapeMarkdown(line));
          });
          out.push("");
        }
      });
    });
    return out.join("\n");
  }

  function plainText(notes) {
    var out = ["我的批注（学习笔记）", heading(notes), ""];
    groups(notes).forEach(function (group) {
      out.push("【" + group.title + "】");
      var meta = groupMeta(group);
      if (meta) {
        out.push(meta);
      }
      out.push("");
      group.notes.concat(group.lost).forEach(function (note, index) {
        out.push(index + 1 + ". " + N.noteCitation(note) + (note.lost ? "（未能定位）" : ""));
        if (note.text) {
          note.text.split(/\n/).forEach(function (line, n) {
            out.push("   " + (n === 0 ? "批注：" : "") + line);
          });
        }
        out.push("");
      });
    });
    return out.join("\n");
  }

  /** Windows Notepad text: a UTF-8 byte order mark and CRLF line ends. */
  function windowsText(text) {
    return "\ufeff" + text.replace(/\r\n/g, "\n").replace(/\n/g, "\r\n");
  }

  store.on(render);
  build();
  render();
})();
