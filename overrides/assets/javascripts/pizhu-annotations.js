/*
 * Pizhu: the editor's notes (编者批注) on a speech page. No library.
 *
 * The page works without this file: on a wide screen a note stands in the margin beside
 * its paragraph, on a narrow one it opens while its number (注N) is hovered or focused
 * (pizhu.css). This adds what CSS cannot do:
 * - narrow screens: a tap or click on the number opens the note and keeps it open
 *   (aria-expanded says so); another tap, a tap elsewhere or Esc closes it;
 * - Esc also closes a note opened by keyboard focus or hover, and focus stays on the number;
 * - wide screens: a click on the number lights its note in the margin instead of jumping.
 * Listeners sit on the document (one each, whatever the number of notes).
 */
(function () {
  "use strict";

  var REF = "a.pz-anno-ref";
  var OPEN = "pz-anno-note--open";
  var LIT = "pz-anno-note--lit";
  var CLOSED = "pz-anno-ref--closed";

  function noteOf(ref) {
    var id = ref.getAttribute("aria-describedby");
    return id ? document.getElementById(id) : null;
  }

  // In the margin (wide screens) the note is a float; as a popover it is not.
  function inMargin(note) {
    return window.getComputedStyle(note).cssFloat === "right";
  }

  function closeAll(except) {
    var open = document.querySelectorAll("." + OPEN);
    for (var i = 0; i < open.length; i++) {
      if (open[i] !== except) {
        open[i].classList.remove(OPEN);
        var ref = document.getElementById(open[i].id + "-ref");
        if (ref) {
          ref.setAttribute("aria-expanded", "false");
        }
      }
    }
  }

  document.addEventListener("click", function (event) {
    var ref = event.target.closest && event.target.closest(REF);
    if (!ref) {
      if (!(event.target.closest && event.target.closest(".pz-anno-note"))) {
        closeAll(null);
      }
      return;
    }
    var note = noteOf(ref);
    if (!note) {
      return;
    }
    event.preventDefault();
    if (inMargin(note)) {
      note.classList.add(LIT);
      window.setTimeout(function () {
        note.classList.remove(LIT);
      }, 1600);
      return;
    }
    closeAll(note);
    var open = !note.classList.contains(OPEN);
    note.classList.toggle(OPEN, open);
    ref.classList.toggle(CLOSED, !open);
    ref.setAttribute("aria-expanded", open ? "true" : "false");
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var ref = document.activeElement && document.activeElement.closest && document.activeElement.closest(REF);
    var open = document.querySelector("." + OPEN);
    if (ref) {
      ref.classList.add(CLOSED); // a note shown by focus hides until the focus moves
    }
    if (open) {
      closeAll(null);
      var owner = document.getElementById(open.id + "-ref");
      if (owner) {
        owner.classList.add(CLOSED);
        owner.focus();
      }
    }
  });

  // Focus or pointer leaving a number: the next focus or hover may show its note again.
  function reset(event) {
    var ref = event.target.closest && event.target.closest(REF);
    if (ref && !noteOf(ref).classList.contains(OPEN)) {
      ref.classList.remove(CLOSED);
    }
  }
  document.addEventListener("focusout", reset);
  document.addEventListener("mouseout", reset);
})();

/*
 * The 金句 page (key-sentences.html): the concept filter. Without this file the form
 * stays hidden and the page lists every key sentence.
 */
(function () {
  "use strict";

  function apply(select) {
    var wanted = select.value;
    var groups = document.querySelectorAll(".pz-keys-group");
    var shown = 0;
    for (var g = 0; g < groups.length; g++) {
      var items = groups[g].querySelectorAll("li[data-pz-concepts]");
      var inGroup = 0;
      for (var i = 0; i < items.length; i++) {
        var concepts = " " + items[i].getAttribute("data-pz-concepts") + " ";
        var match = !wanted || concepts.indexOf(" " + wanted + " ") >= 0;
        items[i].hidden = !match;
        inGroup += match ? 1 : 0;
      }
      groups[g].hidden = inGroup === 0;
      shown += inGroup;
    }
    var form = select.form;
    var count = form && form.querySelector(".pz-filter__count");
    if (count) {
      count.textContent = wanted ? "找到 " + shown + " 句" : "";
    }
    var empty = document.querySelector(".pz-filter-empty");
    if (empty) {
      empty.hidden = shown > 0;
    }
  }

  function setup() {
    var select = document.querySelector("select[data-pz-keys-filter]");
    if (!select || select.getAttribute("data-pz-ready")) {
      return;
    }
    select.setAttribute("data-pz-ready", "1");
    select.form.hidden = false;
    select.addEventListener("change", function () {
      apply(select);
    });
    apply(select);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
