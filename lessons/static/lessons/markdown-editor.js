/* Copy buttons of the interactive-block examples next to the Markdown editor. */
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy-example]");
  if (!button) return;
  var example = document.getElementById(button.dataset.copyExample).textContent;
  navigator.clipboard.writeText(example).then(function () {
    button.setAttribute("aria-pressed", "true");
  });
});
