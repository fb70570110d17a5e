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
from bleach.html5lib_shim import Filter
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lessons.interactive import BLOCK_NAMES, InteractiveBlocksExtension
from lessons.interactive.base import InteractiveState, scan_block_lines

MARKDOWN_EXTENSIONS = [
    "tables",
    "fenced_code",
    "footnotes",
    "sane_lists",
    "pymdownx.tilde",
    "pymdownx.blocks.admonition",
    "pymdownx.blocks.details",
]
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
            extensions=[*MARKDOWN_EXTENSIONS, InteractiveBlocksExtension()],
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
