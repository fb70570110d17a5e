"""The one Markdown renderer: Markdown with our extensions, then the one sanitiser.

Pages, the editor's live preview and quiz feedback all call `render_markdown`.
"""

import re
import threading
from contextlib import nullcontext
from dataclasses import dataclass, field

import bleach
import markdown
from bleach.css_sanitizer import CSSSanitizer
from bleach.html5lib_shim import Filter, getTreeWalker
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from markdown import inlinepatterns
from markdown.extensions import Extension
from markdown.extensions.footnotes import (
    RE_REF_ID,
    FootnoteBlockProcessor,
    FootnoteExtension,
    FootnoteInlineProcessor,
)
from markdown.htmlparser import HTMLExtractor
from markdown.preprocessors import HtmlBlockPreprocessor

from lessons.interactive import BLOCK_NAMES, InteractiveBlocksExtension
from lessons.interactive.base import InteractiveState, scan_block_lines

MARKDOWN_EXTENSIONS = [
    "tables",
    "fenced_code",
    "sane_lists",
    "pymdownx.tilde",
    "pymdownx.blocks.admonition",
    "pymdownx.blocks.details",
]

# Python-Markdown finds the "]" that closes a link's text, and the ")" that closes
# its target, by scanning on to the end of the paragraph, once for every "[" that
# opens nothing: quadratic time (Python-Markdown issue #798). These scans stop
# after this many unclosed brackets, so a link nested deeper than that is text.
LINK_NESTING_LIMIT = 10
_SQUARE_BRACKETS = re.compile(r"[\[\]]")
_TARGET_MARKS = re.compile(r"""[()'"]""")


def _link_text_end(data: str, index: int) -> int | None:
    """Return the index of the "]" that closes the "[" just before index."""
    depth = 1
    for bracket in _SQUARE_BRACKETS.finditer(data, index):
        depth += 1 if bracket[0] == "[" else -1
        if depth == 0:
            return bracket.start()
        if depth > LINK_NESTING_LIMIT:
            return None
    return None


def _target_may_close(data: str, index: int) -> bool:
    """Return False when the "(" just before index is never closed.

    A quote (a title) leaves the decision to Python-Markdown, which reads titles.
    """
    depth = 1
    for mark in _TARGET_MARKS.finditer(data, index):
        if mark[0] in "'\"":
            return True
        depth += 1 if mark[0] == "(" else -1
        if depth == 0:
            return True
        if depth > LINK_NESTING_LIMIT:
            return False
    return False


class _BoundedLink:
    """Python-Markdown's link text and target scans, bounded by LINK_NESTING_LIMIT."""

    def getText(self, data, index):
        end = _link_text_end(data, index)
        if end is None:
            return "", index, False
        return data[index:end], end + 1, True

    def getLink(self, data, index):
        target = self.RE_LINK.match(data, pos=index)
        if target and not target.group(1) and not _target_may_close(data, target.end()):
            return "", None, index, False
        return super().getLink(data, index)


class _Link(_BoundedLink, inlinepatterns.LinkInlineProcessor):
    pass


class _Image(_BoundedLink, inlinepatterns.ImageInlineProcessor):
    pass


class _Reference(_BoundedLink, inlinepatterns.ReferenceInlineProcessor):
    pass


class _ImageReference(_BoundedLink, inlinepatterns.ImageReferenceInlineProcessor):
    pass


class _ShortReference(_BoundedLink, inlinepatterns.ShortReferenceInlineProcessor):
    pass


class _ShortImageReference(
    _BoundedLink, inlinepatterns.ShortImageReferenceInlineProcessor
):
    pass


# Python-Markdown's names, patterns and priorities (inlinepatterns.py).
_LINK_PROCESSORS = [
    ("reference", _Reference, inlinepatterns.REFERENCE_RE, 170),
    ("link", _Link, inlinepatterns.LINK_RE, 160),
    ("image_link", _Image, inlinepatterns.IMAGE_LINK_RE, 150),
    ("image_reference", _ImageReference, inlinepatterns.IMAGE_REFERENCE_RE, 140),
    ("short_reference", _ShortReference, inlinepatterns.REFERENCE_RE, 130),
    ("short_image_ref", _ShortImageReference, inlinepatterns.IMAGE_REFERENCE_RE, 125),
]


# The footnotes extension reads a label with [^\]]*, which runs on to the end of
# the text for every "[^" never closed; here a label has at most this many
# characters.
FOOTNOTE_LABEL_LIMIT = 100
_FOOTNOTE_LABEL = rf"\[\^([^\]]{{0,{FOOTNOTE_LABEL_LIMIT}}})\]"


class _FootnoteDefinitions(FootnoteBlockProcessor):
    RE = re.compile(rf"^[ ]{{0,3}}{_FOOTNOTE_LABEL}:[ ]*(.*)$", re.MULTILINE)


# Python-Markdown's HTML reader (a copy of html.parser) matches the attributes of a
# start tag on to the end of the text for every "<" and letter that starts no tag
# ("if a<b"): quadratic time. Here a start tag has fewer characters than this; a
# longer one is text.
HTML_TAG_LIMIT = 1000


class _HtmlReader(HTMLExtractor):
    def check_for_whole_start_tag(self, i):
        rawdata = self.rawdata
        # The reader looks at self.rawdata only: shown a window, it stops where
        # the window ends, as it does at the end of the text (-1: not a tag).
        self.rawdata = rawdata[i : i + HTML_TAG_LIMIT]
        try:
            end = super().check_for_whole_start_tag(0)
        finally:
            self.rawdata = rawdata
        reached_window_end = len(rawdata) - i > HTML_TAG_LIMIT and end >= HTML_TAG_LIMIT
        return -1 if end < 0 or reached_window_end else i + end


class _HtmlBlocks(HtmlBlockPreprocessor):
    """Python-Markdown's raw HTML block reader, with HTML_TAG_LIMIT."""

    def run(self, lines):
        reader = _HtmlReader(self.md)
        reader.feed("\n".join(lines))
        reader.close()
        return "".join(reader.cleandoc).split("\n")


class BoundedScansExtension(Extension):
    """Replace the parts of Python-Markdown that take quadratic time on some input.

    Registered under the names and priorities of the parts it replaces.
    """

    def extendMarkdown(self, md):
        for name, processor, pattern, priority in _LINK_PROCESSORS:
            md.inlinePatterns.register(processor(pattern, md), name, priority)
        md.preprocessors.register(_HtmlBlocks(md), "html_block", 20)


class FootnotesExtension(FootnoteExtension):
    """Python-Markdown's footnotes, without the scans that take quadratic time."""

    def extendMarkdown(self, md):
        super().extendMarkdown(md)
        md.inlinePatterns.register(
            FootnoteInlineProcessor(_FOOTNOTE_LABEL, self), "footnote", 175
        )
        md.parser.blockprocessors.register(_FootnoteDefinitions(self), "footnote", 17)

    def reset(self):
        super().reset()
        self._last_refs = {}

    def unique_ref(self, reference, found=False):
        """Return the id Python-Markdown would, counting on from the last one given.

        Python-Markdown counts up from fnref:x to the first unused id every time:
        quadratic in the references to one footnote.
        """
        if not found:
            return reference
        candidate = self._last_refs.get(reference, reference)
        while candidate in self.used_refs:
            candidate = self._next_ref(candidate)
        self.used_refs.add(candidate)
        self.found_refs[reference] = self.found_refs.get(reference, 0) + 1
        self._last_refs[reference] = candidate
        return candidate

    def _next_ref(self, reference):
        separator = self.get_separator()
        ref, rest = reference.split(separator, 1)
        if numbered := RE_REF_ID.match(ref):
            return f"{numbered[1]}{int(numbered[2]) + 1}{separator}{rest}"
        return f"{ref}2{separator}{rest}"


MARKDOWN_EXTENSION_CONFIGS = {
    # An align attribute instead of a style attribute, which the sanitiser removes.
    "tables": {"use_align_attribute": True},
    "pymdownx.blocks.admonition": {"types": ["note", "tip", "warning", "example"]},
}

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del",
        "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2",
        "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
        "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary",
        "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
        # interactive blocks
        "fieldset", "input", "label", "legend", "section",
    }
)  # fmt: skip
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})
# Classes our stylesheet and later scripts know; anything else is dropped so
# content cannot borrow the site's own UI classes.
ALLOWED_CLASSES = frozenset(
    {
        "admonition", "admonition-title", "note", "tip", "warning", "example",
        "details", "footnote", "footnote-ref", "footnote-backref",
        # interactive blocks
        "interactive", "block-error", "visually-hidden", "solution",
        "solution__answers", "accordion", "accordion__item", "accordion__title",
        "accordion__body", "tabs", "tabs__panel", "tabs__title", "cards",
        "cards__list", "card", "card__count", "card__front", "card__back",
        "card__back-text", "process", "process--timeline", "process__steps",
        "process__step", "process__title", "blanks", "blank", "blank__input",
        "check", "check__question", "check__choice", "check__feedback",
        "mark", "mark__instruction", "mark__text", "drag", "drag__bank",
        "drag__bank-title", "drag__words", "drag__word", "hotspots",
        "hotspots__figure", "hotspots__points", "hotspots__point",
        "interactive__title",
    }
)  # fmt: skip
_CODE_LANGUAGE_CLASS = re.compile(r"^language-[A-Za-z0-9_+-]{1,30}$")
# Footnote anchors and interactive-block ids (ib-…) are the only ids, so content
# cannot shadow the page's own ids.
_CONTENT_ID = re.compile(
    r"^((fn|fnref)(:|-)[A-Za-z0-9_:-]{1,40}|ib-[0-9]{1,4}-[A-Za-z0-9_-]{1,40})$"
)
_INPUT_TYPES = frozenset({"text", "radio", "checkbox"})
_ROLES = frozenset({"note"})
_ATTRIBUTES = {
    "a": {"href", "rel"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start"},
    "details": {"open"},
    "div": {"data-block", "data-kind", "data-labels"},
    "p": {"hidden"},
    "span": {"data-correct"},
    "li": {"data-x", "data-y"},
    "input": {
        "type", "name", "value", "autocomplete", "spellcheck", "data-answers",
        "data-correct",
    },
    "label": {"for"},
}  # fmt: skip


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    if name == "class":
        return bool(_clean_classes(value))
    if name == "id":
        return bool(_CONTENT_ID.match(value))
    if name == "role":
        return value in _ROLES
    if tag == "input" and name == "type":
        return value in _INPUT_TYPES
    if name in ("for", "name"):
        return name in _ATTRIBUTES.get(tag, ()) and bool(_CONTENT_ID.match(value))
    return name in _ATTRIBUTES.get(tag, ())


def _clean_classes(value: str) -> str:
    kept = [
        token
        for token in value.split()
        if token in ALLOWED_CLASSES or _CODE_LANGUAGE_CLASS.match(token)
    ]
    return " ".join(kept)


class _AllowedClassesFilter(Filter):
    """Keep only the allowed tokens of each class attribute."""

    def __iter__(self):
        for token in super().__iter__():
            attributes = token.get("data") if token["type"] in _TAG_TOKENS else None
            if attributes and (None, "class") in attributes:
                cleaned = _clean_classes(attributes[(None, "class")])
                if cleaned:
                    attributes[(None, "class")] = cleaned
                else:
                    del attributes[(None, "class")]
            yield token


_TAG_TOKENS = ("StartTag", "EmptyTag")

_EtreeWalker = getTreeWalker("etree")


class _TreeWalker(_EtreeWalker):
    """html5lib's tree walker, remembering each open element's place among siblings.

    html5lib searches the siblings for it instead: quadratic for a table of many rows.
    """

    def __init__(self, tree):
        super().__init__(tree)
        self._places = []

    def getFirstChild(self, node):
        child = super().getFirstChild(node)
        if child is not None and child[3] is None:
            self._places.append(node[1] if isinstance(node, tuple) else None)
        return child

    def getNextSibling(self, node):
        following = super().getNextSibling(node)
        if following is not None and node[3] == "text":
            self._places.append(node[1])
        return following

    def getParentNode(self, node):
        if not isinstance(node, tuple) or node[3] == "text":
            return super().getParentNode(node)
        parents = node[2]
        parent, place = parents.pop(), self._places.pop()
        return (parent, place, parents, None) if parents else parent


_cleaners = threading.local()


def _cleaner() -> bleach.Cleaner:
    """Return this thread's cleaner: a bleach Cleaner must not be shared by threads."""
    cleaner = getattr(_cleaners, "cleaner", None)
    if cleaner is None:
        cleaner = _cleaners.cleaner = bleach.Cleaner(
            tags=ALLOWED_TAGS,
            attributes=_allow_attribute,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
            css_sanitizer=CSSSanitizer(allowed_css_properties=[]),
            filters=[_AllowedClassesFilter],
        )
        cleaner.walker = _TreeWalker
    return cleaner


# Elements whose content is code or styling, never text: removed with what is inside.
_DROP_WITH_CONTENT = re.compile(
    r"<(script|style|template|iframe|object|embed|noscript|svg|math|textarea|xmp"
    r"|noembed|noframes|plaintext|title)\b.*?</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)


def sanitise_html(html: str) -> SafeString:
    """Return HTML with only the allowed tags, attributes, classes and URLs."""
    without_code = _DROP_WITH_CONTENT.sub("", html)
    return mark_safe(_cleaner().clean(without_code))  # noqa: S308


@dataclass(frozen=True)
class Rendered:
    html: SafeString
    errors: list = field(default_factory=list)


def render_markdown(text: str, *, language: str | None = None) -> SafeString:
    """Return the sanitised HTML for a Markdown text."""
    return render_markdown_checked(text, language=language).html


def render_markdown_checked(text: str, *, language: str | None = None) -> Rendered:
    """Render a Markdown text; also return the mistakes found in its blocks.

    Interactive blocks' labels are written in `language` (the course's language).
    """
    text = text or ""
    with (
        translation.override(language, deactivate=False) if language else nullcontext()
    ):
        lines, errors = scan_block_lines(text, BLOCK_NAMES)
        converter = markdown.Markdown(
            extensions=[
                *MARKDOWN_EXTENSIONS,
                FootnotesExtension(),
                InteractiveBlocksExtension(),
                BoundedScansExtension(),
            ],
            extension_configs=MARKDOWN_EXTENSION_CONFIGS,
            output_format="html",
        )
        converter.interactive_state = InteractiveState(lines)
        html = _resolve_library_images(converter.convert(text))
        prefix = _structure_error_box(errors)
        errors = errors + converter.interactive_state.errors
    return Rendered(html=sanitise_html(prefix + html), errors=errors)


# ![description](image:12) points at image 12 of the Wagtail image library.
_LIBRARY_IMAGE = re.compile(r'src="image:(\d{1,10})"')
LIBRARY_IMAGE_RENDITION = "max-1600x1600"


def _resolve_library_images(html: str) -> str:
    """Replace image:ID sources with the library image's URL (one query in all)."""
    ids = {int(found) for found in _LIBRARY_IMAGE.findall(html)}
    if not ids:
        return html
    from wagtail.images import get_image_model

    images = get_image_model().objects.in_bulk(ids)

    def url(match):
        image = images.get(int(match.group(1)))
        if image is None:
            return 'src=""'
        return f'src="{image.get_rendition(LIBRARY_IMAGE_RENDITION).url}"'

    return _LIBRARY_IMAGE.sub(url, html)


def _structure_error_box(errors) -> str:
    if not errors:
        return ""
    items = format_html_join("", "<p>{}</p>", ((error,) for error in errors))
    return format_html(
        '<div class="block-error" role="note"><p><strong>{}</strong></p>{}</div>',
        _("This lesson has a block that is not closed."),
        items,
    )
