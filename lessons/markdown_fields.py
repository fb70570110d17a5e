import hashlib

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import Resolver404, resolve
from django.utils.functional import cached_property
from markdownx.widgets import MarkdownxWidget
from wagtail import blocks
from wagtail.admin.telepath import register
from wagtail.admin.telepath.widgets import WidgetAdapter
from wagtail.fields import StreamField

from lessons.rendering import render_markdown, render_markdown_checked


def page_markdown_limit() -> int:
    """Return the most characters a page's Markdown field may have."""
    return settings.MARKDOWN_MAX_CHARACTERS


# Rendering time grows with the length of the source (bench/markdown_worst_cases.py).
validate_page_markdown = MaxLengthValidator(page_markdown_limit)


class MarkdownRendered(models.Model):
    """Keep the rendered HTML of each Markdown field next to its source.

    `markdown_fields` maps a source field to its HTML field; each source has at
    most MARKDOWN_MAX_CHARACTERS characters (validate_page_markdown on the field).
    Rendering happens on `clean()` (so previews see it) and on `save()`, never
    when a page is served; so does the Markdown of its MarkdownStreamBlock fields.
    """

    markdown_fields: dict[str, str] = {}

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._render_when_changed()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self._too_long_sources():
            return  # clean_fields reports it; a source too long is not rendered
        errors = self._render_when_changed()
        if errors:
            raise ValidationError(errors)

    def _too_long_sources(self) -> list[str]:
        limit = page_markdown_limit()
        return [
            source
            for source in self.markdown_fields
            if len(getattr(self, source)) > limit
        ]

    def _render_when_changed(self) -> dict[str, list[str]]:
        """Render unless these sources were just rendered.

        Wagtail's Page.save() runs full_clean(), so a save would otherwise render
        every field twice. Stream Markdown keeps the HTML that is still current.
        A new page is cleaned before it is in the tree, where its course (and so
        its language) is known only when it is saved: the language is in the key.
        """
        sources = (
            self.markdown_language(),
            *(getattr(self, source) for source in self.markdown_fields),
        )
        if getattr(self, "_rendered_sources", None) != sources:
            self._render_errors = self.render_markdown_fields()
            self._rendered_sources = sources
        self.render_markdown_streams(reuse=True)
        return self._render_errors

    def render_markdown_fields(self) -> dict[str, list[str]]:
        """Render every Markdown field; return the block errors found, by field."""
        errors = {}
        language = self.markdown_language()
        for source, target in self.markdown_fields.items():
            rendered = render_markdown_checked(getattr(self, source), language=language)
            setattr(self, target, rendered.html)
            if rendered.errors:
                errors[source] = rendered.errors
        return errors

    def render_markdown_streams(self, *, reuse: bool):
        """Render the Markdown of every MarkdownStreamBlock field of the page."""
        names = self.markdown_stream_fields()
        language = self.markdown_language() if names else None
        for name in names:
            stream_block = self._meta.get_field(name).stream_block
            stream_block.render_markdown(
                getattr(self, name), language=language, reuse=reuse
            )

    @classmethod
    def markdown_stream_fields(cls) -> list[str]:
        return [
            field.name
            for field in cls._meta.concrete_fields
            if isinstance(field, StreamField)
            and isinstance(field.stream_block, MarkdownStreamBlock)
        ]

    def markdown_language(self) -> str | None:
        """Return the language the content is written in (for block labels)."""
        return None


class MarkdownEditor(MarkdownxWidget):
    """markdownx's editor with live preview, laid out side by side in the admin.

    lessons/markdown-editor.js asks lessons:markdown_preview for the preview, in
    place of markdownx's script: that one starts only the editors present when the
    page loads (StreamField blocks are added later), and it keeps the Tab key in
    the text. `limit` gives the most characters the text may have; a `compact` editor
    (in a StreamField block) is shorter and leaves out the block examples.
    """

    template_name = "lessons/markdown_editor.html"

    def __init__(self, attrs=None, *, limit=page_markdown_limit, compact=False):
        super().__init__(attrs)
        self.limit = limit
        self.compact = compact

    class Media:
        extend = False
        css = {"all": ["lessons/markdown-editor.css"]}
        js = ["js/interactive.js", "lessons/markdown-editor.js"]

    def get_context(self, name, value, attrs):
        from lessons.interactive import block_examples

        attrs = {**(attrs or {}), "data-markdown-limit": str(self.limit())}
        context = super().get_context(name, value, attrs)
        context["compact"] = self.compact
        context["block_examples"] = [] if self.compact else block_examples()
        return context


class MarkdownEditorAdapter(WidgetAdapter):
    """Start the live preview of an editor that a StreamField block adds later."""

    js_constructor = "lessons.MarkdownEditor"

    @cached_property
    def media(self):
        return super().media + forms.Media(
            js=["lessons/markdown-editor.js", "lessons/markdown-widget.js"]
        )


register(MarkdownEditorAdapter(), MarkdownEditor)


def markdown_widget():
    return MarkdownEditor(attrs={"rows": 18, "class": "markdown-source"})


def editing_language(path: str) -> str | None:
    """Return the language of the page edited (or added) at an admin path.

    The live preview renders in it, as the page will be stored; None when the
    path edits no page of a course (a new course, say).
    """
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name == "wagtailadmin_pages:edit":
        page = _specific_page(match.kwargs["page_id"])
        return page.markdown_language() if isinstance(page, MarkdownRendered) else None
    if match.view_name == "wagtailadmin_pages:add":
        return _course_language_at(match.kwargs["parent_page_id"])
    return None


def _specific_page(page_id):
    from wagtail.models import Page

    page = Page.objects.filter(pk=page_id).first()
    return page.specific if page else None


def _course_language_at(page_id) -> str | None:
    """Return the language of the course a page is (or is in), if any."""
    from wagtail.models import Page

    from lessons.models import CoursePage

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return None
    course = CoursePage.objects.ancestor_of(page, inclusive=True).first()
    return course.language if course else None


def rerender_all(batch_size: int = 200) -> dict[str, int]:
    """Re-render every stored Markdown field; return how many rows changed per model."""
    from django.apps import apps

    changed = {}
    for model in apps.get_models():
        if issubclass(model, MarkdownRendered) and model.markdown_fields:
            changed[model._meta.label] = _rerender_model(model, batch_size)
    return changed


def _rerender_model(model, batch_size):
    targets = [*model.markdown_fields.values(), *model.markdown_stream_fields()]
    fields = [*model.markdown_fields.keys(), *targets]
    pending, count = [], 0
    for row in model._default_manager.only("pk", *fields).iterator(
        chunk_size=batch_size
    ):
        before = _stored(row, targets)
        row.render_markdown_fields()
        row.render_markdown_streams(reuse=False)
        if before != _stored(row, targets):
            pending.append(row)
        if len(pending) >= batch_size:
            count += _flush(model, pending, targets)
    return count + _flush(model, pending, targets)


def _stored(row, names):
    return [
        row._meta.get_field(name).get_prep_value(getattr(row, name)) for name in names
    ]


def _flush(model, rows, targets):
    # bulk_update writes only the HTML columns (and the streams that keep HTML):
    # no new revisions, no signals.
    model._default_manager.bulk_update(rows, targets)
    count = len(rows)
    rows.clear()
    return count


class MarkdownBlock(blocks.TextBlock):
    """A Markdown text in a MarkdownStreamBlock, at most limit() characters long.

    Its editor has the live preview of a page's Markdown fields (MarkdownEditor).
    """

    def __init__(self, *, limit, **kwargs):
        super().__init__(validators=[MaxLengthValidator(limit)], **kwargs)
        self.limit = limit

    @cached_property
    def field(self):
        widget = MarkdownEditor(
            attrs={"rows": self.rows}, limit=self.limit, compact=True
        )
        return forms.CharField(widget=widget, **self.field_options)


def markdown_texts(block, value):
    """Yield the non-empty texts of the MarkdownBlocks in a block's value."""
    if isinstance(block, MarkdownBlock):
        if value:
            yield value
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            yield from markdown_texts(child, value.get(name))
    elif isinstance(block, blocks.ListBlock):
        for item in value or ():
            yield from markdown_texts(block.child_block, item)


def markdown_key(text: str, language: str | None) -> str:
    """Return the key of text's HTML rendered for language; it changes with either."""
    return hashlib.sha256(f"{language or ''}\n{text}".encode()).hexdigest()


def stored_html(text, *, renders: dict, language: str | None) -> str:
    """Return the HTML of a Markdown text: the stored one if current, else rendered."""
    if not text:
        return ""
    html = renders.get(markdown_key(text, language))
    return html if html is not None else str(render_markdown(text, language=language))


def stored_renders(stream_value) -> list[dict]:
    """Return the {key: HTML} kept for each child of a MarkdownStreamBlock value."""
    if not stream_value:
        return []
    return [
        _renders_of(stream_value, index, child)
        for index, child in enumerate(stream_value)
    ]


def _raw_items(stream_value):
    return stream_value.raw_data if stream_value else []


def _renders_of(stream_value, index, child):
    fresh = getattr(child, "rendered", None)
    if fresh is not None:
        return fresh
    return stream_value.raw_data[index].get("rendered", {})


class MarkdownStreamBlock(blocks.StreamBlock):
    """A StreamBlock that keeps the HTML of each child's MarkdownBlock texts.

    The HTML is stored next to each child's value, as {markdown_key: HTML} under
    "rendered", so reading it renders nothing (see stored_html). MarkdownRendered
    pages render it on clean() and save().
    """

    def get_prep_value(self, value):
        items = super().get_prep_value(value)
        renders = stored_renders(value)
        for item, raw, rendered in zip(items, _raw_items(value), renders, strict=True):
            # Rendering reads the children, and Wagtail then gives a new child its
            # id only there; the raw data keeps it too, as for an unread child.
            raw.setdefault("id", item["id"])
            if rendered:
                item["rendered"] = rendered
        return items

    def render_markdown(self, value, *, language: str | None, reuse: bool):
        """Render each child's Markdown; with reuse, keep the HTML still current."""
        for child, stored in zip(value or (), stored_renders(value), strict=True):
            child.rendered = _render_child(child, stored if reuse else {}, language)


def _render_child(child, kept, language):
    renders = {}
    for text in markdown_texts(child.block, child.value):
        key = markdown_key(text, language)
        if key in kept:
            renders[key] = kept[key]
        elif key not in renders:
            renders[key] = str(render_markdown(text, language=language))
    return renders
