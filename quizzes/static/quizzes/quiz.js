/* Quiz page: save answers as they change, and a countdown read out on request.
   Everything works without this script: the form posts and the server keeps time. */
(function () {
    "use strict";

    function autosave(form) {
        var status = form.querySelector("[data-save-status]");
        var pending = null;

        function say(text) {
            if (status) { status.textContent = text; }
        }

        function save() {
            var body = new FormData(form);
            return fetch(form.action, {
                method: "POST",
                body: body,
                credentials: "same-origin",
                headers: { "X-Requested-With": "fetch" }
            }).then(function (response) {
                return response.json().then(function (data) {
                    if (response.ok) {
                        say(form.dataset.labelSaved);
                    } else if (response.status === 409) {
                        window.location.reload();
                    } else {
                        say(form.dataset.labelFailed + " " + (data.error || ""));
                    }
                });
            }).catch(function () {
                say(form.dataset.labelOffline);
            });
        }

        form.addEventListener("change", function () {
            if (pending) { window.clearTimeout(pending); }
            pending = window.setTimeout(save, 150);
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
