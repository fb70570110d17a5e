/* "Copy the link" next to each certificate's share field (the field works without it). */
(function () {
    "use strict";
    function enableCopyButtons(root) {
        root.querySelectorAll("[data-copy-button]:not([data-copy-ready])").forEach(function (button) {
            var field = button.parentElement.querySelector("[data-copy-source]");
            if (!field || !navigator.clipboard) { return; }
            var label = button.textContent;
            button.hidden = false;
            button.dataset.copyReady = "";
            button.addEventListener("click", function () {
                navigator.clipboard.writeText(field.value).then(function () {
                    button.textContent = button.dataset.copiedText;
                    window.setTimeout(function () { button.textContent = label; }, 2000);
                });
            });
        });
    }
    document.addEventListener("DOMContentLoaded", function () { enableCopyButtons(document); });
    // A certificate shown later (preparing.js) gets its button too.
    document.addEventListener("certificates:ready", function (event) {
        enableCopyButtons(event.target);
    });
})();
