/*
 * Pizhu: tooltips for glossary concepts in speech pages. No library, nothing fetched.
 *
 * scripts/pizhu/render.py writes each concept as a link (class pz-term) with no title
 * attribute (so Material's own tooltips leave it alone); the first link of a concept on
 * the page carries its summary in data-pz-tip and its name in data-pz-term, the others
 * are completed from it (same href). This script shows one shared tooltip (#pz-tip, role=tooltip,
 * referenced by aria-describedby while shown):
 *
 * - mouse: while the pointer is on the term or on the tooltip (so it can be read and
 *   selected); a click on the term follows the link as usual;
 * - keyboard: while the term has focus; Enter follows the link;
 * - touch: the first tap shows the tooltip and does not follow the link; a second tap on
 *   the term, or a tap on the tooltip, opens the concept's page; a tap elsewhere hides it;
 * - Escape hides it.
 *
 * Without JavaScript the terms are plain links to their pages.
 */
(function () {
  "use strict";

  var SELECTOR = "a[data-pz-tip], a.pz-term";
  var SHOW_DELAY = 100; // ms of hovering before the tooltip shows (no flicker in passing)
  var HIDE_DELAY = 300; // ms to move the pointer from the term onto the tooltip
  var GAP = 6; // px between term and tooltip
  var MARGIN = 8; // px kept free at the edges of the window
  var HINTS = {
    hover: "点击打开解释页 ›",
    focus: "按回车键打开解释页 ›",
    tap: "再点一次打开解释页 ›"
  };

  var tip = null;
  var nameNode = null;
  var summaryNode = null;
  var hintNode = null;
  var current = null; // the term the tooltip is shown for
  var openedBy = "";
  var showTimer = 0;
  var hideTimer = 0;
  var lastPointer = ""; // pointerType of the last pointerdown
  var openBeforeTap = false; // the tooltip was already open for the tapped term

  function termOf(node) {
    return node && node.closest ? node.closest(SELECTOR) : null;
  }

  // The link that carries the concept's name and summary: the term itself, or the first
  // link to the same page.
  function described(term) {
    if (term.hasAttribute("data-pz-tip")) {
      return term;
    }
    var href = term.getAttribute("href");
    var links = document.querySelectorAll("a[data-pz-tip]");
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute("href") === href) {
        return links[i];
      }
    }
    return null;
  }

  function inTip(node) {
    return !!(tip && node && tip.contains(node));
  }

  function build() {
    tip = document.createElement("div");
    tip.id = "pz-tip";
    tip.className = "pz-tip";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    nameNode = document.createElement("strong");
    nameNode.className = "pz-tip__term";
    summaryNode = document.createElement("span");
    summaryNode.className = "pz-tip__summary";
    hintNode = document.createElement("span");
    hintNode.className = "pz-tip__more";
    tip.appendChild(nameNode);
    tip.appendChild(summaryNode);
    tip.appendChild(hintNode);
    document.body.appendChild(tip);
    tip.addEventListener("pointerenter", function () {
      clearTimeout(hideTimer);
    });
    tip.addEventListener("pointerleave", function (event) {
      if (event.pointerType === "mouse" && openedBy === "hover" && !termOf(event.relatedTarget)) {
        scheduleHide();
      }
    });
    // Pressing on the tooltip must not take the focus from its term (focusout would
    // hide the tooltip before the click arrives).
    tip.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    // The tooltip stands for its term: a click or tap on it opens the concept's page.
    tip.addEventListener("click", function () {
      if (current) {
        window.location.href = current.href;
      }
    });
  }

  function show(term, how) {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (!tip) {
      build();
    }
    if (current && current !== term) {
      current.removeAttribute("aria-describedby");
    }
    current = term;
    openedBy = how;
    var source = described(term) || term;
    nameNode.textContent = source.getAttribute("data-pz-term") || term.textContent;
    summaryNode.textContent = source.getAttribute("data-pz-tip") || "";
    hintNode.textContent = HINTS[how] || "";
    term.setAttribute("aria-describedby", tip.id);
    tip.hidden = false;
    place();
  }

  function hide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (current) {
      current.removeAttribute("aria-describedby");
    }
    current = null;
    openedBy = "";
    if (tip) {
      tip.hidden = true;
    }
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, HIDE_DELAY);
  }

  // Below the term, or above it when there is no room below; inside the window.
  function place() {
    if (!current || !tip || tip.hidden) {
      return;
    }
    var rects = current.getClientRects();
    var box = current.getBoundingClientRect();
    var first = rects.length ? rects[0] : box;
    var width = document.documentElement.clientWidth;
    var height = window.innerHeight;
    tip.style.maxWidth = Math.min(320, width - 2 * MARGIN) + "px";
    var tipWidth = tip.offsetWidth;
    var tipHeight = tip.offsetHeight;
    var left = Math.max(MARGIN, Math.min(first.left, width - tipWidth - MARGIN));
    var top = box.bottom + GAP;
    if (top + tipHeight > height - MARGIN && box.top - GAP - tipHeight >= MARGIN) {
      top = box.top - GAP - tipHeight;
    }
    tip.style.left = Math.round(left) + "px";
    tip.style.top = Math.round(top) + "px";
  }

  document.addEventListener(
    "pointerdown",
    function (event) {
      lastPointer = event.pointerType || "";
      var term = termOf(event.target);
      openBeforeTap = !!(term && term === current && tip && !tip.hidden);
      if (!term && !inTip(event.target) && current) {
        hide();
      }
    },
    true
  );

  document.addEventListener("pointerover", function (event) {
    if (event.pointerType !== "mouse") {
      return;
    }
    var term = termOf(event.target);
    if (term) {
      clearTimeout(hideTimer);
      if (term !== current) {
        clearTimeout(showTimer);
        showTimer = setTimeout(function () {
          show(term, "hover");
        }, SHOW_DELAY);
      }
    }
  });

  document.addEventListener("pointerout", function (event) {
    if (event.pointerType !== "mouse") {
      return;
    }
    var term = termOf(event.target);
    if (!term || term.contains(event.relatedTarget) || inTip(event.relatedTarget)) {
      return;
    }
    clearTimeout(showTimer);
    if (term === current && openedBy === "hover") {
      scheduleHide();
    }
  });

  document.addEventListener("focusin", function (event) {
    var term = termOf(event.target);
    if (term) {
      show(term, lastPointer === "touch" || lastPointer === "pen" ? "tap" : "focus");
    }
  });

  document.addEventListener("focusout", function (event) {
    var term = termOf(event.target);
    if (term && term === current && openedBy !== "hover" && !inTip(event.relatedTarget)) {
      hide();
    }
  });

  document.addEventListener("click", function (event) {
    var term = termOf(event.target);
    if (!term) {
      return;
    }
    // detail is 0 for a click made with the keyboard (Enter): follow the link.
    var pointer = event.pointerType || lastPointer;
    var touch = event.detail > 0 && (pointer === "touch" || pointer === "pen");
    if (touch && !openBeforeTap) {
      event.preventDefault();
      show(term, "tap");
    }
    openBeforeTap = false;
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && current) {
      hide();
    }
  });

  function onViewportChange() {
    if (current) {
      window.requestAnimationFrame(place);
    }
  }
  window.addEventListener("scroll", onViewportChange, { passive: true });
  window.addEventListener("resize", onViewportChange);
})();
