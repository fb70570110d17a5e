/* Enhances the interactive lesson blocks. Without this script every block still
   works: answers and card backs open from <details>, tabs read as sections.
   Each block carries its own labels (data-labels, rendered on the server in the
   content's language), so a block never mixes two languages; #interactive-labels
   only fills in for blocks rendered before blocks had labels. Results are shown
   in the block and announced through one polite live region; nothing is sent to
   the server. */
(function () {
  "use strict";

  function start() {
  var pageLabelsElement = document.querySelector("[data-interactive-labels]");
  var pageLabels = pageLabelsElement ? pageLabelsElement.dataset : {};
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

  function labelsOf(block) {
    var own = {};
    try { own = JSON.parse(block.dataset.labels || "{}"); }
    catch (error) { own = {}; }
    return Object.assign({}, pageLabels, own);
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

  /* The block's buttons in a row, then the visible result line. With the
     "Show the solution" button the no-script answer list is not needed. */
  function addActions(block, buttons) {
    var actions = document.createElement("div");
    actions.className = "interactive__actions";
    buttons.forEach(function (item) { actions.appendChild(item); });
    var result = document.createElement("p");
    result.className = "interactive__result";
    result.hidden = true;
    var solution = block.querySelector(".solution");
    if (solution) solution.hidden = true;
    block.insertBefore(actions, solution);
    block.insertBefore(result, solution);
    return {
      show: function (message) {
        result.textContent = message;
        result.hidden = false;
        announce(message);
      },
      clear: function () {
        result.textContent = "";
        result.hidden = true;
      }
    };
  }

  /* A "Try again" button that clears the block's answers and results. */
  function retryButton(labels, key, clear) {
    var retry = button(labels.retry, "interactive__retry");
    retry.addEventListener("click", function () {
      clear();
      delete saved[key];
      store();
      announce(labels.cleared);
    });
    return retry;
  }

  /* A visible note for a right answer the learner did not choose. */
  function missedNote(labels) {
    var note = document.createElement("span");
    note.className = "interactive__missed";
    note.textContent = labels.missed;
    return note;
  }

  function removeMissedNotes(block) {
    block.querySelectorAll(".interactive__missed").forEach(function (note) { note.remove(); });
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

  function enhanceBlanks(block, index, labels) {
    var inputs = Array.prototype.slice.call(block.querySelectorAll(".blank__input"));
    var key = "blanks-" + index;
    var check = button(labels.check, "interactive__check");
    var solve = button(labels.showSolution, "interactive__solve");
    var retry = retryButton(labels, key, function () {
      inputs.forEach(function (input) { input.value = ""; unmark(input); });
      result.clear();
    });
    var result = addActions(block, [check, solve, retry]);

    function unmark(input) {
      input.removeAttribute("aria-invalid");
      input.classList.remove("blank__input--right", "blank__input--wrong");
      delete input.parentElement.dataset.result;
    }

    inputs.forEach(function (input, number) {
      if (saved[key] && saved[key][number]) input.value = saved[key][number];
      input.addEventListener("input", function () {
        unmark(input);
        result.clear();
        saved[key] = inputs.map(function (field) { return field.value; });
        store();
      });
    });

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
      result.show(format(labels.result, { right: right, total: inputs.length }));
    });
    solve.addEventListener("click", function () {
      inputs.forEach(function (input) {
        input.value = input.dataset.answers.split("\n")[0];
        unmark(input);
        input.classList.add("blank__input--right");
        input.parentElement.dataset.result = "right";
      });
      result.show(labels.solutionShown);
    });
  }

  function enhanceCheck(block, index, labels) {
    var inputs = Array.prototype.slice.call(block.querySelectorAll("input"));
    var key = "check-" + index;
    var check = button(labels.check, "interactive__check");
    var solve = button(labels.showSolution, "interactive__solve");
    var result = addActions(block, [check, solve, retryButton(labels, key, function () {
      inputs.forEach(function (input) { input.checked = false; });
      unmarkAll();
    })]);

    function choiceOf(input) { return input.closest(".check__choice"); }

    function unmarkAll() {
      removeMissedNotes(block);
      result.clear();
      inputs.forEach(function (input) {
        var feedback = choiceOf(input).querySelector(".check__feedback");
        choiceOf(input).classList.remove("check__choice--right", "check__choice--wrong", "check__choice--missed");
        if (feedback) feedback.hidden = true;
      });
    }

    /* Mark the chosen answers; return whether the choices are exactly right. */
    function markChosen() {
      var allRight = true;
      unmarkAll();
      inputs.forEach(function (input) {
        var correct = input.dataset.correct === "true";
        var feedback = choiceOf(input).querySelector(".check__feedback");
        if (input.checked !== correct) allRight = false;
        if (input.checked) {
          choiceOf(input).classList.add(correct ? "check__choice--right" : "check__choice--wrong");
          if (feedback) feedback.hidden = false;
        }
      });
      return allRight;
    }

    inputs.forEach(function (input, number) {
      if (saved[key] && saved[key].indexOf(number) !== -1) input.checked = true;
      input.addEventListener("change", function () {
        unmarkAll();
        saved[key] = positionsWhere(inputs, function (field) { return field.checked; });
        store();
      });
    });

    check.addEventListener("click", function () {
      result.show(markChosen() ? labels.right : labels.wrong);
    });
    solve.addEventListener("click", function () {
      markChosen();
      inputs.forEach(function (input) {
        if (input.dataset.correct === "true" && !input.checked) {
          choiceOf(input).classList.add("check__choice--missed");
          choiceOf(input).querySelector("label").appendChild(missedNote(labels));
        }
      });
      result.show(labels.solutionMarked);
    });
  }

  function enhanceTabs(block) {
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

  function enhanceMark(block, index, labels) {
    block.querySelectorAll(".mark__text").forEach(splitIntoWords);
    block.classList.add("mark--enhanced");
    var words = Array.prototype.slice.call(block.querySelectorAll(".mark__word"));
    var key = "mark-" + index;
    var check = button(labels.check, "interactive__check");
    var solve = button(labels.showSolution, "interactive__solve");
    var result = addActions(block, [check, solve, retryButton(labels, key, function () {
      words.forEach(function (word) { word.setAttribute("aria-pressed", "false"); });
      unmarkAll();
    })]);

    function unmarkAll() {
      removeMissedNotes(block);
      result.clear();
      words.forEach(function (word) { delete word.dataset.result; });
    }

    function isPressed(word) { return word.getAttribute("aria-pressed") === "true"; }

    /* Mark the chosen words; return the counts of right, missed and wrong. */
    function markChosen() {
      var counts = { right: 0, missed: 0, wrong: 0 };
      unmarkAll();
      words.forEach(function (word) {
        var correct = word.dataset.correct === "true";
        if (isPressed(word) && correct) { counts.right += 1; word.dataset.result = "right"; }
        else if (isPressed(word)) { counts.wrong += 1; word.dataset.result = "wrong"; }
        else if (correct) { counts.missed += 1; }
      });
      return counts;
    }

    words.forEach(function (word, number) {
      if (saved[key] && saved[key].indexOf(number) !== -1) word.setAttribute("aria-pressed", "true");
      word.addEventListener("click", function () {
        word.setAttribute("aria-pressed", isPressed(word) ? "false" : "true");
        unmarkAll();
        saved[key] = positionsWhere(words, isPressed);
        store();
      });
    });
    check.addEventListener("click", function () {
      result.show(format(labels.markResult, markChosen()));
    });
    solve.addEventListener("click", function () {
      markChosen();
      words.forEach(function (word) {
        if (word.dataset.correct === "true" && !isPressed(word)) {
          word.dataset.result = "missed";
          word.after(missedNote(labels));  // outside: the word keeps its size
        }
      });
      result.show(labels.solutionMarked);
    });
  }

  function enhanceDrag(block, index, labels) {
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
      if (result) result.clear();
    }

    function release(gap) {
      if (!gap.placed) return;
      gap.placed.hidden = false;
      gap.placed = null;
      show(gap);
      remember();
    }

    /* Put a word in a gap; `quietly` when restoring or solving, not the learner's move. */
    function place(word, gap, quietly) {
      gaps.forEach(function (other) { if (other.placed === word) release(other); });
      release(gap);
      gap.placed = word;
      word.hidden = true;
      choose(null);
      show(gap);
      remember();
      if (!quietly) announce(format(labels.wordPlaced, { word: word.textContent, gap: gap.dataset.label }));
    }

    function remember() {
      saved[key] = gaps.map(function (gap) { return gap.placed ? Number(gap.placed.dataset.number) : -1; });
      store();
    }

    function wordFor(gap) {
      var answer = gap.dataset.answers.split("\n")[0];
      return words.filter(function (word) {
        return word.textContent === answer && gaps.every(function (other) { return other.placed !== word; });
      })[0];
    }

    var check = button(labels.check, "interactive__check");
    var solve = button(labels.showSolution, "interactive__solve");
    var result = addActions(block, [check, solve, retryButton(labels, key, function () {
      choose(null);
      gaps.forEach(function (gap) { release(gap); show(gap); });
    })]);

    block.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !selected) return;
      var word = selected;
      event.preventDefault();
      choose(null);
      word.focus();
    });

    (saved[key] || []).forEach(function (number, position) {
      if (number >= 0 && words[number] && gaps[position]) place(words[number], gaps[position], true);
    });

    check.addEventListener("click", function () {
      var right = 0;
      gaps.forEach(function (gap) {
        var accepted = gap.dataset.answers.split("\n").map(normalise);
        var isRight = Boolean(gap.placed) && accepted.indexOf(normalise(gap.placed.textContent)) !== -1;
        right += isRight ? 1 : 0;
        gap.parentElement.dataset.result = isRight ? "right" : "wrong";
      });
      result.show(format(labels.result, { right: right, total: gaps.length }));
    });
    solve.addEventListener("click", function () {
      choose(null);
      gaps.forEach(release);
      gaps.forEach(function (gap) {
        var word = wordFor(gap);
        if (word) place(word, gap, true);
        gap.parentElement.dataset.result = "right";
      });
      result.show(labels.solutionShown);
    });
  }

  var MARKER_SIZE = 44;

  /* Return [x, y] pixel centres for markers at per-cent places, kept inside the
     image and moved apart vertically (a marker at a time) where they would cover
     each other. */
  function markerCentres(places, width, height) {
    var radius = MARKER_SIZE / 2;
    var placed = [];
    function clamp(value, limit) { return Math.min(Math.max(value, radius), Math.max(limit - radius, radius)); }
    function free(x, y) {
      return placed.every(function (other) {
        return Math.abs(other[0] - x) >= MARKER_SIZE || Math.abs(other[1] - y) >= MARKER_SIZE;
      });
    }
    places.forEach(function (place) {
      var x = clamp(place[0] / 100 * width, width);
      var y = clamp(place[1] / 100 * height, height);
      var best = [x, y];
      for (var step = 0; step <= 2 * places.length; step += 1) {
        var shift = Math.ceil(step / 2) * (step % 2 ? 1 : -1) * (MARKER_SIZE + 2);
        var candidate = clamp(y + shift, height);
        if (free(x, candidate)) { best = [x, candidate]; break; }
      }
      placed.push(best);
    });
    return placed;
  }

  function enhanceHotspots(block, index, labels) {
    var figure = block.querySelector(".hotspots__figure");
    var image = figure.querySelector("img");
    var points = Array.prototype.slice.call(block.querySelectorAll(".hotspots__point"));
    var help = document.createElement("p");
    help.className = "hotspots__help";
    help.textContent = labels.hotspotsHelp;
    block.insertBefore(help, figure);
    block.classList.add("hotspots--enhanced");
    var markers = points.map(function (point, number) {
      var marker = document.createElement("button");
      marker.type = "button";
      marker.className = "hotspots__marker";
      marker.textContent = String(number + 1);
      marker.setAttribute("aria-label", format(labels.point, { number: number + 1 }));
      marker.setAttribute("aria-expanded", "false");
      marker.setAttribute("aria-controls", point.id);
      point.hidden = true;
      marker.addEventListener("click", function () { toggle(number); });
      figure.appendChild(marker);
      return marker;
    });

    function layout() {
      var places = points.map(function (point) { return [Number(point.dataset.x), Number(point.dataset.y)]; });
      markerCentres(places, figure.clientWidth, figure.clientHeight).forEach(function (centre, number) {
        // Set through the CSSOM: the content itself never carries style attributes.
        markers[number].style.left = centre[0] + "px";
        markers[number].style.top = centre[1] + "px";
      });
    }

    function openPoint() {
      return markers.findIndex(function (marker) { return marker.getAttribute("aria-expanded") === "true"; });
    }

    function toggle(number) {
      var opening = markers[number].getAttribute("aria-expanded") !== "true";
      markers.forEach(function (marker, position) {
        var shown = opening && position === number;
        marker.setAttribute("aria-expanded", shown ? "true" : "false");
        points[position].hidden = !shown;
      });
      if (opening) announce(points[number].textContent);
    }

    block.addEventListener("keydown", function (event) {
      var open = openPoint();
      if (event.key !== "Escape" || open === -1) return;
      event.preventDefault();
      toggle(open);
      markers[open].focus();
    });
    layout();
    image.addEventListener("load", layout);
    if (window.ResizeObserver) new ResizeObserver(layout).observe(figure);
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
        enhance(block, index, labelsOf(block));
      }
    });
  }

  enhanceAll();
  // The Markdown editor's live preview replaces its content as the editor types,
  // also in editors a StreamField block adds later (lessons/markdown-editor.js).
  document.addEventListener("markdownx.update", enhanceAll);
  }

  // In the admin this file loads in the <head>, before the blocks and labels exist.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
