"""Every text a person can type into our models has a length limit.

A limit on the model field becomes the admin form's limit (a field error), so an
over-long text is refused before anything is saved, on SQLite and PostgreSQL
alike. The forms and imports are tested at their limits where they are tested
(tests/people/test_field_limits.py, tests/lessons/test_markdown_limits.py,
tests/certificates/test_admin.py).
"""

from django.apps import apps
from django.core.validators import MaxLengthValidator
from django.db import models

OUR_APPS = {"people", "lessons", "quizzes", "certificates", "team", "themes"}


def _typed_text_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                isinstance(field, (models.CharField, models.TextField))
                and field.editable
                and not field.choices
                and field.model._meta.app_label in OUR_APPS
            ):
                yield f"{model._meta.label}.{field.name}", field


def _has_limit(field):
    return field.max_length is not None or any(
        isinstance(validator, MaxLengthValidator) for validator in field.validators
    )


def test_every_text_field_of_ours_has_a_length_limit():
    fields = dict(_typed_text_fields())
    assert "lessons.LessonPage.body" in fields
    assert [name for name, field in fields.items() if not _has_limit(field)] == []
