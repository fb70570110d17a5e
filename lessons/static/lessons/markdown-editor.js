/* The Markdown editor in the Wagtail admin: source and live preview side by side.

   After a pause in typing the source is sent to the preview endpoint, which renders
   it as learners will see it (the one sanitiser, the interactive blocks, the page's
   language) or answers why it cannot (a text too long). Only the latest answer is
   shown. Images dropped or pasted into the source are uploaded and their Markdown
   inserted. Tab moves on to the next field, as everywhere else in the admin.
   Editors on the page when it loads start here; editors that StreamField blocks
   add later are started by markdown-widget.js through MarkdownEditor.refresh. */
(function () {
  "use strict";

  var PAUSE = 500;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = document.querySelector("input[name='csrfmiddlewaretoken']");
    return input ? input.value : "";
  }

  function post(url, data) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest" }
    });
  }

  function fieldLabel(source) {
    var label = source.labels && source.labels[0];
    return label ? label.textContent.replace(/\*/g, "").trim() : "";
  }

  function namePreview(container, source, preview) {
    var label = fieldLabel(source);
    var template = container.dataset.labelPreviewOf;
    if (label && template) {
      preview.setAttribute("aria-label", template.replace("%(field)s", label));
    }
  }

  function Editor(container) {
    this.container = container;
    this.source = container.querySelector(".markdownx-editor");
    this.preview = container.querySelector(".markdownx-preview");
    this.status = container.querySelector("[data-markdown-status]");
    this.timer = null;
    this.sent = 0;
    this.source.addEventListener("input", this.schedule.bind(this));
    this.source.addEventListener("dragover", function (event) {
      if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") !== -1) {
        event.preventDefault();
      }
    });
    this.source.addEventListener("drop", this.onDrop.bind(this));
    this.source.addEventListener("paste", this.onPaste.bind(this));
  }

  Editor.prototype.schedule = function () {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(this.update.bind(this), PAUSE);
  };

  Editor.prototype.update = function () {
    var self = this;
    var number = ++this.sent;
    var data = new FormData();
    data.append("content", this.source.value);
    data.append("editing", window.location.pathname);
    if (this.source.dataset.markdownLimit) {
      data.append("limit", this.source.dataset.markdownLimit);
    }
    this.preview.setAttribute("aria-busy", "true");
    post(this.source.dataset.markdownxUrlsPath, data)
      .then(function (response) {
        // A redirect is the login page: the session has ended.
        var answered = !response.redirected && (response.ok || response.status === 400);
        return response.text().then(function (text) { return answered ? text : null; });
      })
      .catch(function () { return null; })
      .then(function (html) {
        if (number !== self.sent) return;
        // Named now: a block's field puts its label in place after its editor.
        namePreview(self.container, self.source, self.preview);
        self.preview.removeAttribute("aria-busy");
        if (html === null) {
          self.say(self.container.dataset.labelFailed);
          return;
        }
        self.say("");
        self.preview.innerHTML = html;
        self.container.dispatchEvent(new CustomEvent("markdownx.update", { bubbles: true }));
      });
  };

  Editor.prototype.say = function (message) {
    if (this.status) this.status.textContent = message || "";
  };

  Editor.prototype.onDrop = function (event) {
    var files = event.dataTransfer && event.dataTransfer.files;
    if (!files || !files.length) return;
    event.preventDefault();
    Array.prototype.forEach.call(files, this.upload.bind(this));
  };

  Editor.prototype.onPaste = function (event) {
    var files = event.clipboardData && event.clipboardData.files;
    if (!files || !files.length) return;
    event.preventDefault();
    Array.prototype.forEach.call(files, this.upload.bind(this));
  };

  Editor.prototype.upload = function (file) {
    var self = this;
    var data = new FormData();
    data.append("image", file);
    this.say(this.container.dataset.labelUploading);
    post(this.source.dataset.markdownxUploadUrlsPath, data)
      .then(function (response) {
        return response.json().catch(function () { return {}; });
      })
      .catch(function () { return {}; })
      .then(function (answer) {
        if (answer.image_code) {
          self.say("");
          self.insert(answer.image_code);
          return;
        }
        var problem = answer.image && answer.image[0];
        var failed = self.container.dataset.labelUploadFailed;
        self.say(problem ? failed + " " + (problem.message || problem) : failed);
      });
  };

  Editor.prototype.insert = function (text) {
    var source = this.source;
    var start = source.selectionStart;
    source.value = source.value.slice(0, start) + text + source.value.slice(source.selectionEnd);
    source.selectionStart = source.selectionEnd = start + text.length;
    source.dispatchEvent(new Event("input", { bubbles: true }));
  };

  /* Start the editor a source belongs to, or update its preview if it runs. */
  function refresh(source) {
    var container = source.closest(".markdownx");
    if (!container) return;
    if (!container.markdownEditor) container.markdownEditor = new Editor(container);
    container.markdownEditor.update();
  }

  function startAll() {
    document.querySelectorAll(".markdownx .markdownx-editor").forEach(function (source) {
      if (!source.closest(".markdownx").markdownEditor) refresh(source);
    });
  }

  window.MarkdownEditor = { refresh: refresh };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startAll);
  } else {
    startAll();
  }

  /* Copy buttons of the interactive-block examples next to the Markdown editor. */
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-example]");
    if (!button) return;
    var example = document.getElementById(button.dataset.copyExample).textContent;
    navigator.clipboard.writeText(example).then(function () {
      button.setAttribute("aria-pressed", "true");
    });
  });
})();
