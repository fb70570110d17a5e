"""The one Markdown renderer: Markdown with our extensions, then the one sanitiser.

Pages, the editor's live preview and quiz feedback all call `render_markdown`.
"""

import re

import bleach
import markdown
from bleach.css_sanitizer import CSSSanitizer
from bleach.html5lib_shim import Filter
from django.utils.safestring import SafeString, mark_safe

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
    }
)  # fmt: skip
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})
# Classes our stylesheet and later scripts know; anything else is dropped so
# content cannot borrow the site's own UI classes.
ALLOWED_CLASSES = frozenset(
    {
        "admonition", "admonition-title", "note", "tip", "warning", "example",
        "details", "footnote", "footnote-ref", "footnote-backref",
    }
)  # fmt: skip
_CODE_LANGUAGE_CLASS = re.compile(r"^language-[A-Za-z0-9_+-]{1,30}$")
# Footnote anchors are the only ids, so content cannot shadow the page's own ids.
_FOOTNOTE_ID = re.compile(r"^(fn|fnref)(:|-)[A-Za-z0-9_:-]{1,40}$")
_ATTRIBUTES = {
    "a": {"href", "rel"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start"},
    "details": {"open"},
}


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    if name == "class":
        return bool(_clean_classes(value))
    if name == "id":
        return bool(_FOOTNOTE_ID.match(value))
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

_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allow_attribute,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    css_sanitizer=CSSSanitizer(allowed_css_properties=[]),
    filters=[_AllowedClassesFilter],
)

# Elements whose content is code or styling, never text: removed with what is inside.
_DROP_WITH_CONTENT = re.compile(
    r"<(script|style|template|iframe|object|embed|noscript|svg|math|textarea|xmp"
    r"|noembed|noframes|plaintext|title)\b.*?</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)


def sanitise_html(html: str) -> SafeString:
    """Return HTML with only the allowed tags, attributes, classes and URLs."""
    without_code = _DROP_WITH_CONTENT.sub("", html)
    return mark_safe(_cleaner.clean(without_code))  # noqa: S308


def render_markdown(text: str) -> SafeString:
    """Return the sanitised HTML for a Markdown text."""
    html = markdown.markdown(
        text or "",
        extensions=MARKDOWN_EXTENSIONS,
        extension_configs=MARKDOWN_EXTENSION_CONFIGS,
        output_format="html",
    )
    return sanitise_html(html)
