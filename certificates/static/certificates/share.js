/* "Copy the link" next to each certificate's share field (the field works without it). */
(function () {
    "use strict";
    document.addEventListener("DOMContentLoaded", function () {
        document.querySelectorAll("[data-copy-button]").forEach(function (button) {
            var field = button.parentElement.querySelector("[data-copy-source]");
            if (!field || !navigator.clipboard) { return; }
            var label = button.textContent;
            button.hidden = false;
            button.addEventListener("click", function () {
                navigator.clipboard.writeText(field.value).then(function () {
                    button.textContent = button.dataset.copiedText;
                    window.setTimeout(function () { button.textContent = label; }, 2000);
                });
            });
        });
    });
})();
