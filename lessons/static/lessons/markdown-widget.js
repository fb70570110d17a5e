/* The Markdown editor as a Wagtail widget (telepath "lessons.MarkdownEditor").

   StreamField blocks render their fields in the browser, also when a block is
   added after the page loaded; this starts the live preview of each such editor
   (markdown-editor.js) once its text is in place, and gives the block's collapsed
   header the start of the text as plain text, without its Markdown. */
(function () {
  "use strict";

  var Widget = window.telepath.constructors["wagtail.widgets.Widget"];
  var BoundWidget = new Widget("").boundWidgetClass;

  var MARKUP = [
    [/^\/\/\/.*$/gm, " "],                 // the lines that open and close a block
    [/!\[([^\]]*)\]\([^)]*\)/g, "$1"],      // images: their description
    [/\[([^\]]*)\]\([^)]*\)/g, "$1"],       // links: their text
    [/<[^>]*>/g, " "],                      // HTML tags
    [/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, ""], // headings, quotes, list items
    [/(\*\*|__|\*|_|~~|`+)/g, ""],          // emphasis and code
    [/\|/g, " "],                           // table cells
    [/\s+/g, " "]
  ];

  function plainText(markdown) {
    return MARKUP.reduce(function (text, rule) {
      return text.replace(rule[0], rule[1]);
    }, markdown || "").trim();
  }

  class BoundMarkdownEditor extends BoundWidget {
    setState(state) {
      super.setState(state);
      window.MarkdownEditor.refresh(this.input);
    }

    getValueForLabel() {
      return plainText(this.getValue());
    }
  }

  class MarkdownEditorWidget extends Widget {
    boundWidgetClass = BoundMarkdownEditor;

    getByName(name, element) {
      var bound = super.getByName(name, element);
      window.MarkdownEditor.refresh(bound.input);
      return bound;
    }
  }

  window.telepath.register("lessons.MarkdownEditor", MarkdownEditorWidget);
})();
