/* Enhances the interactive lesson blocks. Without this script every block still
   works: answers and card backs open from <details>, tabs read as sections.
   Labels come from #interactive-labels (translated on the server); results are
   announced through one polite live region; nothing is sent to the server. */
(function () {
  "use strict";

  function start() {
  var labelsElement = document.querySelector("[data-interactive-labels]");
  if (!labelsElement) return;
  var labels = labelsElement.dataset;
  var storageKey = "interactive:" + window.location.pathname;
  var saved = load();

  var liveRegion = document.createElement("div");
  liveRegion.className = "visually-hidden";
  liveRegion.setAttribute("aria-live", "polite");
  document.body.appendChild(liveRegion);

  function announce(message) {
    liveRegion.textContent = "";
    window.setTimeout(function () { liveRegion.textContent = message; }, 50);
  }

  function load() {
    try { return JSON.parse(window.localStorage.getItem(storageKey)) || {}; }
    catch (error) { return {}; }
  }

  function store() {
    try { window.localStorage.setItem(storageKey, JSON.stringify(saved)); }
    catch (error) { /* private mode or full storage: answers just are not kept */ }
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, name) { return values[name]; });
  }

  function button(text, className) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "button button--small " + className;
    element.textContent = text;
    return element;
  }

  /* Put the block's buttons in a row before its "show the answer" part. */
  function addActions(block, buttons) {
    var actions = document.createElement("div");
    actions.className = "interactive__actions";
    buttons.forEach(function (item) { actions.appendChild(item); });
    block.insertBefore(actions, block.querySelector(".solution"));
  }

  /* A "Try again" button that clears the block's answers and results. */
  function retryButton(key, clear) {
    var retry = button(labels.retry, "interactive__retry");
    retry.addEventListener("click", function () {
      clear();
      delete saved[key];
      store();
      announce(labels.cleared);
    });
    return retry;
  }

  function positionsWhere(items, test) {
    return items.reduce(function (chosen, item, position) {
      if (test(item)) chosen.push(position);
      return chosen;
    }, []);
  }

  function normalise(text) {
    return text.trim().replace(/\s+/g, " ").toLowerCase();
  }

  function enhanceBlanks(block, index) {
    var inputs = Array.prototype.slice.call(block.querySelectorAll(".blank__input"));
    var key = "blanks-" + index;
    inputs.forEach(function (input, number) {
      if (saved[key] && saved[key][number]) input.value = saved[key][number];
      input.addEventListener("input", function () {
        input.removeAttribute("aria-invalid");
        input.classList.remove("blank__input--right", "blank__input--wrong");
        delete input.parentElement.dataset.result;
        saved[key] = inputs.map(function (field) { return field.value; });
        store();
      });
    });
    var check = button(labels.check, "interactive__check");
    var solve = button(labels.showSolution, "interactive__solve");
    var retry = retryButton(key, function () {
      inputs.forEach(function (input) {
        input.value = "";
        input.removeAttribute("aria-invalid");
        input.classList.remove("blank__input--right", "blank__input--wrong");
        delete input.parentElement.dataset.result;
      });
    });
    addActions(block, [check, solve, retry]);

    check.addEventListener("click", function () {
      var right = 0;
      inputs.forEach(function (input) {
        var accepted = input.dataset.answers.split("\n").map(normalise);
        var isRight = accepted.indexOf(normalise(input.value)) !== -1;
        right += isRight ? 1 : 0;
        input.classList.toggle("blank__input--right", isRight);
        input.classList.toggle("blank__input--wrong", !isRight);
        input.parentElement.dataset.result = isRight ? "right" : "wrong";
        input.setAttribute("aria-invalid", isRight ? "false" : "true");
      });
      announce(format(labels.result, { right: right, total: inputs.length }));
    });
    solve.addEventListener("click", function () {
      inputs.forEach(function (input) {
        input.value = input.dataset.answers.split("\n")[0];
        input.classList.remove("blank__input--wrong");
        input.classList.add("blank__input--right");
        input.parentElement.dataset.result = "right";
        input.removeAttribute("aria-invalid");
      });
      announce(labels.solutionShown);
    });
  }

  function enhanceCheck(block, index) {
    var inputs = Array.prototype.slice.call(block.querySelectorAll("input"));
    var key = "check-" + index;
    inputs.forEach(function (input, number) {
      if (saved[key] && saved[key].indexOf(number) !== -1) input.checked = true;
      input.addEventListener("change", function () {
        saved[key] = positionsWhere(inputs, function (field) { return field.checked; });
        store();
      });
    });
    var check = button(labels.check, "interactive__check");
    addActions(block, [check, retryButton(key, function () {
      inputs.forEach(function (input) {
        var choice = input.closest(".check__choice");
        var feedback = choice.querySelector(".check__feedback");
        input.checked = false;
        choice.classList.remove("check__choice--right", "check__choice--wrong");
        if (feedback) feedback.hidden = true;
      });
    })]);

    check.addEventListener("click", function () {
      var allRight = true;
      inputs.forEach(function (input) {
        var correct = input.dataset.correct === "true";
        var choice = input.closest(".check__choice");
        var feedback = choice.querySelector(".check__feedback");
        choice.classList.remove("check__choice--right", "check__choice--wrong");
        if (input.checked !== correct) allRight = false;
        if (input.checked) {
          choice.classList.add(correct ? "check__choice--right" : "check__choice--wrong");
          if (feedback) feedback.hidden = false;
        } else if (feedback) {
          feedback.hidden = true;
        }
      });
      announce(allRight ? labels.right : labels.wrong);
    });
  }

  function enhanceTabs(block, index) {
    var panels = Array.prototype.slice.call(block.querySelectorAll(".tabs__panel"));
    var list = document.createElement("div");
    list.setAttribute("role", "tablist");
    list.className = "tabs__list";
    var tabs = panels.map(function (panel, number) {
      var title = panel.querySelector(".tabs__title");
      var tab = document.createElement("button");
      tab.type = "button";
      tab.className = "tabs__tab";
      tab.id = panel.id + "-tab";
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panel.id);
      tab.textContent = title.textContent;
      title.classList.add("visually-hidden");
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      panel.tabIndex = 0;
      list.appendChild(tab);
      tab.addEventListener("click", function () { select(number, false); });
      return tab;
    });
    block.insertBefore(list, panels[0]);

    function select(number, moveFocus) {
      tabs.forEach(function (tab, position) {
        var active = position === number;
        tab.setAttribute("aria-selected", active ? "true" : "false");
        tab.tabIndex = active ? 0 : -1;
        panels[position].hidden = !active;
      });
      if (moveFocus) tabs[number].focus();
    }

    list.addEventListener("keydown", function (event) {
      var current = tabs.indexOf(document.activeElement);
      var next = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (next === undefined || current === -1) return;
      event.preventDefault();
      select((next + tabs.length) % tabs.length, true);
    });
    select(0, false);
  }

  function wordButton(text, correct) {
    var word = document.createElement("button");
    word.type = "button";
    word.className = "mark__word";
    word.textContent = text;
    word.setAttribute("aria-pressed", "false");
    if (correct) word.dataset.correct = "true";
    return word;
  }

  function splitIntoWords(paragraph) {
    Array.prototype.slice.call(paragraph.childNodes).forEach(function (node) {
      if (node.nodeType === Node.ELEMENT_NODE && node.dataset.correct) {
        paragraph.replaceChild(wordButton(node.textContent, true), node);
      } else if (node.nodeType === Node.TEXT_NODE) {
        var pieces = document.createDocumentFragment();
        node.textContent.split(/([\p{L}\p{N}][\p{L}\p{N}'’-]*)/u).forEach(function (piece, index) {
          if (!piece) return;
          pieces.appendChild(index % 2 ? wordButton(piece, false) : document.createTextNode(piece));
        });
        paragraph.replaceChild(pieces, node);
      }
    });
  }

  function enhanceMark(block, index) {
    block.querySelectorAll(".mark__text").forEach(splitIntoWords);
    block.classList.add("mark--enhanced");
    var words = Array.prototype.slice.call(block.querySelectorAll(".mark__word"));
    var key = "mark-" + index;
    words.forEach(function (word, number) {
      if (saved[key] && saved[key].indexOf(number) !== -1) word.setAttribute("aria-pressed", "true");
      word.addEventListener("click", function () {
        var pressed = word.getAttribute("aria-pressed") === "true";
        word.setAttribute("aria-pressed", pressed ? "false" : "true");
        delete word.dataset.result;
        saved[key] = positionsWhere(words, function (item) {
          return item.getAttribute("aria-pressed") === "true";
        });
        store();
      });
    });
    var check = button(labels.check, "interactive__check");
    addActions(block, [check, retryButton(key, function () {
      words.forEach(function (word) {
        word.setAttribute("aria-pressed", "false");
        delete word.dataset.result;
      });
    })]);
    check.addEventListener("click", function () {
      var counts = { right: 0, missed: 0, wrong: 0 };
      words.forEach(function (word) {
        var pressed = word.getAttribute("aria-pressed") === "true";
        var correct = word.dataset.correct === "true";
        if (pressed && correct) { counts.right += 1; word.dataset.result = "right"; }
        else if (pressed) { counts.wrong += 1; word.dataset.result = "wrong"; }
        else if (correct) { counts.missed += 1; delete word.dataset.result; }
      });
      announce(format(labels.markResult, counts));
    });
  }

  function enhanceDrag(block, index) {
    block.classList.add("drag--enhanced");
    var key = "drag-" + index;
    var selected = null;
    var items = Array.prototype.slice.call(block.querySelectorAll(".drag__word"));
    var words = items.map(function (item, number) {
      var word = document.createElement("button");
      word.type = "button";
      word.className = "drag__word-button";
      word.textContent = item.textContent;
      word.draggable = true;
      word.dataset.number = number;
      word.setAttribute("aria-pressed", "false");
      item.textContent = "";
      item.appendChild(word);
      word.addEventListener("click", function () { choose(word === selected ? null : word); });
      word.addEventListener("dragstart", function (event) {
        event.dataTransfer.setData("text/plain", String(number));
        choose(word);
      });
      return word;
    });
    var gaps = Array.prototype.slice.call(block.querySelectorAll(".blank")).map(function (wrapper) {
      var input = wrapper.querySelector("input");
      var gap = document.createElement("button");
      gap.type = "button";
      gap.className = "drag__gap";
      gap.dataset.answers = input.dataset.answers;
      gap.dataset.label = wrapper.querySelector("label").textContent;
      wrapper.textContent = "";
      wrapper.appendChild(gap);
      gap.addEventListener("click", function () {
        if (selected) place(selected, gap);
        else if (gap.placed) { release(gap); announce(labels.wordReturned); }
      });
      gap.addEventListener("dragover", function (event) { event.preventDefault(); });
      gap.addEventListener("drop", function (event) {
        event.preventDefault();
        place(words[Number(event.dataTransfer.getData("text/plain"))], gap);
      });
      show(gap);
      return gap;
    });

    function choose(word) {
      selected = word;
      words.forEach(function (item) {
        item.setAttribute("aria-pressed", item === selected ? "true" : "false");
      });
      if (word) announce(format(labels.wordChosen, { word: word.textContent }));
    }

    function show(gap) {
      var text = gap.placed ? gap.placed.textContent : labels.empty;
      gap.textContent = gap.placed ? gap.placed.textContent : "\u2002";
      gap.setAttribute("aria-label", gap.dataset.label + ": " + text);
      delete gap.parentElement.dataset.result;
    }

    function release(gap) {
      if (!gap.placed) return;
      gap.placed.hidden = false;
      gap.placed = null;
      show(gap);
      remember();
    }

    function place(word, gap) {
      gaps.forEach(function (other) { if (other.placed === word) release(other); });
      release(gap);
      gap.placed = word;
      word.hidden = true;
      choose(null);
      show(gap);
      remember();
      announce(format(labels.wordPlaced, { word: word.textContent, gap: gap.dataset.label }));
    }

    function remember() {
      saved[key] = gaps.map(function (gap) { return gap.placed ? Number(gap.placed.dataset.number) : -1; });
      store();
    }

    (saved[key] || []).forEach(function (number, position) {
      if (number >= 0 && words[number] && gaps[position]) place(words[number], gaps[position]);
    });

    var check = button(labels.check, "interactive__check");
    addActions(block, [check, retryButton(key, function () {
      choose(null);
      gaps.forEach(release);
    })]);
    check.addEventListener("click", function () {
      var right = 0;
      gaps.forEach(function (gap) {
        var accepted = gap.dataset.answers.split("\n").map(normalise);
        var isRight = Boolean(gap.placed) && accepted.indexOf(normalise(gap.placed.textContent)) !== -1;
        right += isRight ? 1 : 0;
        gap.parentElement.dataset.result = isRight ? "right" : "wrong";
      });
      announce(format(labels.result, { right: right, total: gaps.length }));
    });
  }

  function enhanceHotspots(block) {
    var figure = block.querySelector(".hotspots__figure");
    var points = Array.prototype.slice.call(block.querySelectorAll(".hotspots__point"));
    block.classList.add("hotspots--enhanced");
    var markers = points.map(function (point, number) {
      var marker = document.createElement("button");
      marker.type = "button";
      marker.className = "hotspots__marker";
      marker.textContent = String(number + 1);
      marker.setAttribute("aria-label", format(labels.point, { number: number + 1 }));
      marker.setAttribute("aria-expanded", "false");
      marker.setAttribute("aria-controls", point.id);
      // Set through the CSSOM: the content itself never carries style attributes.
      marker.style.left = point.dataset.x + "%";
      marker.style.top = point.dataset.y + "%";
      point.hidden = true;
      marker.addEventListener("click", function () { toggle(number); });
      figure.appendChild(marker);
      return marker;
    });

    function toggle(number) {
      var opening = markers[number].getAttribute("aria-expanded") !== "true";
      markers.forEach(function (marker, position) {
        var shown = opening && position === number;
        marker.setAttribute("aria-expanded", shown ? "true" : "false");
        points[position].hidden = !shown;
      });
      if (opening) announce(points[number].textContent);
    }
  }

  var enhancers = {
    blanks: enhanceBlanks, check: enhanceCheck, tabs: enhanceTabs, mark: enhanceMark,
    drag: enhanceDrag, hotspots: enhanceHotspots
  };

  function enhanceAll() {
    document.querySelectorAll(".interactive[data-block]").forEach(function (block, index) {
      var enhance = enhancers[block.dataset.block];
      if (enhance && !block.dataset.enhanced) {
        block.dataset.enhanced = "true";
        enhance(block, index);
      }
    });
  }

  enhanceAll();
  // The Markdown editor's live preview replaces its content as the editor types.
  document.querySelectorAll(".markdownx-preview").forEach(function (preview) {
    new MutationObserver(enhanceAll).observe(preview, { childList: true });
  });
  }

  // In the admin this file loads in the <head>, before the blocks and labels exist.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
