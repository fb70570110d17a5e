/* Accessible names Wagtail's own admin widgets leave out (WCAG 1.3.1, 2.1.1, 4.1.2). */
(() => {
  "use strict";

  function labelTagInputs(root) {
    root.querySelectorAll("input[data-controller~='w-tag']").forEach((source) => {
      const typed = source.parentElement.querySelector(".tagit-new input");
      const label = document.querySelector(`label[for="${source.id}"]`);
      if (typed && label && !typed.hasAttribute("aria-labelledby")) {
        label.id = label.id || `${source.id}-label`;
        typed.setAttribute("aria-labelledby", label.id);
        const help = source.getAttribute("aria-describedby");
        if (help) typed.setAttribute("aria-describedby", help);
      }
    });
  }

  function labelListItems(root) {
    root.querySelectorAll("[data-streamfield-list-container]").forEach((list) => {
      const label = list.closest("[data-contentpath]")?.querySelector(":scope > label");
      const count = list.parentElement.querySelector(":scope > [data-streamfield-list-count]");
      if (!label || !count) return;
      label.id = label.id || `${count.name}-label`;
      list.querySelectorAll(":scope > [data-streamfield-child]").forEach((item) => {
        const input = item.querySelector("[data-panel] input:not([type=hidden]), [data-panel] textarea");
        const heading = item.querySelector("[data-panel-heading]");
        if (!input || input.labels?.length || input.hasAttribute("aria-labelledby")) return;
        input.setAttribute("aria-labelledby", [label.id, heading?.id].filter(Boolean).join(" "));
      });
    });
  }

  function enhance() {
    labelTagInputs(document);
    labelListItems(document);
  }

  document.addEventListener("DOMContentLoaded", () => {
    enhance();
    let pending = false;
    new MutationObserver(() => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        labelTagInputs(document);
        labelListItems(document);
      });
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
