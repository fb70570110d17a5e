/* Quiz page: save answers as they change, and a countdown read out on request.
   Everything works without this script: the form posts and the server keeps time. */
(function () {
    "use strict";

    var TYPING_PAUSE = 1000;   // ms after the last keystroke before a save
    var CHOICE_PAUSE = 150;    // ms after a click on a choice
    var FIRST_RETRY = 2000;    // ms, doubled after each failure
    var LAST_RETRY = 30000;

    function autosave(form) {
        var status = form.querySelector("[data-save-status]");
        var counter = document.querySelector("[data-answered-count]");
        var pending = null;
        var retry = FIRST_RETRY;
        var unsaved = false;

        function say(text) {
            if (status) { status.textContent = text; }
        }

        function count(unanswered) {
            if (!counter) { return; }
            var total = Number(counter.dataset.total);
            counter.textContent = counter.dataset.label
                .replace("%(done)s", String(total - unanswered))
                .replace("%(total)s", String(total));
        }

        function mark(answered, flagged) {
            document.querySelectorAll(".quiz-nav__item").forEach(function (item) {
                var number = Number(item.dataset.number);
                var isAnswered = answered.indexOf(number) !== -1;
                var isFlagged = flagged.indexOf(number) !== -1;
                item.classList.toggle("is-answered", isAnswered);
                item.classList.toggle("is-flagged", isFlagged);
                item.querySelector("[data-state]").textContent =
                    (isAnswered ? form.dataset.labelAnswered : form.dataset.labelNotAnswered) +
                    (isFlagged ? ", " + form.dataset.labelFlagged : "");
            });
        }

        function later(delay) {
            if (pending) { window.clearTimeout(pending); }
            pending = window.setTimeout(save, delay);
        }

        function failed(text) {
            say(text);
            later(retry);
            retry = Math.min(retry * 2, LAST_RETRY);
        }

        function save() {
            pending = null;
            unsaved = false;
            return fetch(form.action, {
                method: "POST",
                body: new FormData(form),
                credentials: "same-origin",
                headers: { "X-Requested-With": "fetch" }
            }).then(function (response) {
                if (response.status === 409) {
                    window.location.reload();
                    return null;
                }
                return response.json().then(function (data) {
                    if (response.ok) {
                        retry = FIRST_RETRY;
                        say(form.dataset.labelSaved);
                        count(data.unanswered);
                        mark(data.answered, data.flagged);
                    } else if (response.status >= 500) {
                        unsaved = true;
                        failed(form.dataset.labelRetrying);
                    } else {
                        say(form.dataset.labelFailed + " " + (data.error || ""));
                    }
                });
            }).catch(function () {
                unsaved = true;
                failed(form.dataset.labelRetrying);
            });
        }

        function changed(delay) {
            unsaved = true;
            say(form.dataset.labelSaving);
            later(delay);
        }

        form.addEventListener("input", function (event) {
            var typed = event.target.matches("input[type=text], input[type=number], textarea");
            changed(typed ? TYPING_PAUSE : CHOICE_PAUSE);
        });
        form.addEventListener("change", function () { changed(CHOICE_PAUSE); });
        form.addEventListener("submit", function () {
            if (pending) { window.clearTimeout(pending); }
            unsaved = false;
        });
        // Leaving with an answer not yet sent: the browser sends it on its way out.
        window.addEventListener("pagehide", function () {
            if (unsaved && navigator.sendBeacon) {
                navigator.sendBeacon(form.action, new FormData(form));
                unsaved = false;
            }
        });
    }

    function formatLeft(seconds) {
        var minutes = Math.floor(seconds / 60);
        var rest = seconds % 60;
        return minutes + ":" + (rest < 10 ? "0" : "") + rest;
    }

    function countdown(timer) {
        var deadline = Date.parse(timer.dataset.deadline);
        var display = timer.querySelector("[data-timer-display]");
        var status = timer.querySelector("[data-timer-status]");
        var button = timer.querySelector("[data-timer-announce]");
        var warned = {};

        function left() {
            return Math.max(0, Math.round((deadline - Date.now()) / 1000));
        }

        function describe(seconds) {
            return timer.dataset.labelLeft.replace("%(time)s", formatLeft(seconds));
        }

        function tick() {
            var seconds = left();
            display.textContent = describe(seconds);
            [300, 60].forEach(function (mark) {
                if (seconds <= mark && seconds > 0 && !warned[mark]) {
                    warned[mark] = true;
                    status.textContent = describe(seconds);
                }
            });
            if (seconds === 0) {
                status.textContent = timer.dataset.labelUp;
                window.clearInterval(interval);
                window.setTimeout(function () { window.location.reload(); }, 1500);
            }
        }

        button.addEventListener("click", function () {
            status.textContent = "";
            window.setTimeout(function () { status.textContent = describe(left()); }, 50);
        });
        var interval = window.setInterval(tick, 1000);
        tick();
    }

    document.addEventListener("DOMContentLoaded", function () {
        document.querySelectorAll("form[data-autosave]").forEach(autosave);
        document.querySelectorAll(".quiz-timer[data-deadline]").forEach(countdown);
    });
})();
