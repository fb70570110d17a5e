/* While a certificate's PDF is rendered, check the page again in the background and
   show the certificate when it is ready; the status line is a live region, so the
   change is announced. Without JavaScript the page refreshes itself instead. */
(function () {
    "use strict";
    var INTERVAL_MS = 3000;
    var MAX_CHECKS = 100;

    function replaceWith(section, fresh) {
        var body = section.querySelector("[data-certificate-body]");
        body.innerHTML = fresh.querySelector("[data-certificate-body]").innerHTML;
        section.removeAttribute("data-preparing");
        section.querySelector("[data-certificate-status]").textContent =
            fresh.querySelector("[data-certificate-status]").textContent;
        section.dispatchEvent(new CustomEvent("certificates:ready", { bubbles: true }));
    }

    function watch(section) {
        var checks = 0;
        function later() {
            checks += 1;
            if (checks <= MAX_CHECKS) { window.setTimeout(check, INTERVAL_MS); }
        }
        function check() {
            fetch(window.location.href, { credentials: "same-origin" })
                .then(function (response) {
                    return response.ok ? response.text() : Promise.reject(response.status);
                })
                .then(function (html) {
                    var page = new DOMParser().parseFromString(html, "text/html");
                    var fresh = page.querySelector("[data-certificate-section]");
                    if (fresh && !fresh.hasAttribute("data-preparing")) {
                        replaceWith(section, fresh);
                    } else {
                        later();
                    }
                })
                .catch(later);
        }
        later();
    }

    document.addEventListener("DOMContentLoaded", function () {
        var section = document.querySelector("[data-certificate-section][data-preparing]");
        if (section) { watch(section); }
    });
})();
