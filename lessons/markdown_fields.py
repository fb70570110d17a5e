from django.core.exceptions import ValidationError
from django.db import models
from markdownx.widgets import MarkdownxWidget

from lessons.rendering import render_markdown_checked


class MarkdownRendered(models.Model):
    """Keep the rendered HTML of each Markdown field next to its source.

    `markdown_fields` maps a source field to its HTML field. Rendering happens on
    `clean()` (so previews see it) and on `save()`, never when a page is served.
    """

    markdown_fields: dict[str, str] = {}

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._render_when_changed()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = self._render_when_changed()
        if errors:
            raise ValidationError(errors)

    def _render_when_changed(self) -> dict[str, list[str]]:
        """Render unless these sources were just rendered.

        Wagtail's Page.save() runs full_clean(), so a save would otherwise render
        every field twice.
        """
        sources = tuple(getattr(self, source) for source in self.markdown_fields)
        if getattr(self, "_rendered_sources", None) != sources:
            self._render_errors = self.render_markdown_fields()
            self._rendered_sources = sources
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

    def markdown_language(self) -> str | None:
        """Return the language the content is written in (for block labels)."""
        return None


class MarkdownEditor(MarkdownxWidget):
    """markdownx's editor with live preview, laid out side by side in the admin."""

    template_name = "lessons/markdown_editor.html"

    class Media:
        css = {"all": ["lessons/markdown-editor.css"]}
        js = ["js/interactive.js", "lessons/markdown-editor.js"]

    def get_context(self, name, value, attrs):
        from lessons.interactive import block_examples

        context = super().get_context(name, value, attrs)
        context["block_examples"] = block_examples()
        return context


def markdown_widget():
    return MarkdownEditor(attrs={"rows": 18, "class": "markdown-source"})


def rerender_all(batch_size: int = 200) -> dict[str, int]:
    """Re-render every stored Markdown field; return how many rows changed per model."""
    from django.apps import apps

    changed = {}
    for model in apps.get_models():
        if issubclass(model, MarkdownRendered) and model.markdown_fields:
            changed[model._meta.label] = _rerender_model(model, batch_size)
    return changed


def _rerender_model(model, batch_size):
    fields = [*model.markdown_fields.keys(), *model.markdown_fields.values()]
    pending, count = [], 0
    for row in model._default_manager.only("pk", *fields).iterator(
        chunk_size=batch_size
    ):
        before = [getattr(row, target) for target in model.markdown_fields.values()]
        row.render_markdown_fields()
        if before != [
            getattr(row, target) for target in model.markdown_fields.values()
        ]:
            pending.append(row)
        if len(pending) >= batch_size:
            count += _flush(model, pending)
    return count + _flush(model, pending)


def _flush(model, rows):
    # bulk_update writes only the HTML columns: no new revisions, no signals.
    model._default_manager.bulk_update(rows, list(model.markdown_fields.values()))
    count = len(rows)
    rows.clear()
    return count
