"""What the floors above tell lessons about themselves, without lessons importing them.

Step kinds register the models that hold learners' records (so that pages and
people with records are never deleted), and outcomes register a section of
"My learning" and of the page a learner sees on completing a course. Apps register
from their `AppConfig.ready()`.
"""

from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class RecordModel:
    """A model with a learner's records: its page and person fields."""

    model: type
    page_field: str
    user_field: str = "user"


@dataclass(frozen=True)
class LearningSection:
    """A section of a page ("My learning", a completed course): template and context."""

    template_name: str
    context: object
    order: int


_record_models: list[RecordModel] = []
_learning_sections: list[LearningSection] = []
_completion_sections: list[LearningSection] = []


def register_record_model(model, *, page_field: str, user_field: str = "user"):
    """Count this model's rows as learning records of a page and a person."""
    record = RecordModel(model, page_field, user_field)
    if record not in _record_models:
        _record_models.append(record)


def register_learning_section(*, template_name: str, context, order: int):
    """Show a section on "My learning"; `context(user)` returns its template context."""
    section = LearningSection(template_name, context, order)
    if section not in _learning_sections:
        _learning_sections.append(section)
        _learning_sections.sort(key=lambda item: item.order)


def register_completion_section(*, template_name: str, context, order: int):
    """Show a section on a completed course's page; `context(enrollment)` fills it.

    The context may name a `head_template_name`, included in the page's head.
    """
    section = LearningSection(template_name, context, order)
    if section not in _completion_sections:
        _completion_sections.append(section)
        _completion_sections.sort(key=lambda item: item.order)


def other_records_exist(*, pages=None, user=None) -> bool:
    """Return whether a registered model has records on these pages or of this user."""
    for record in _record_models:
        lookup = Q()
        if pages is not None:
            lookup &= Q(**{f"{record.page_field}__in": pages})
        if user is not None:
            lookup &= Q(**{record.user_field: user})
        if record.model.objects.filter(lookup).exists():
            return True
    return False


def learning_sections(user) -> list[dict]:
    """Return the registered sections of "My learning", each with its context."""
    return [
        {"template_name": section.template_name, **section.context(user)}
        for section in _learning_sections
    ]


def completion_sections(enrollment) -> list[dict]:
    """Return the registered sections of a completed course's page, with context."""
    return [
        {"template_name": section.template_name, **section.context(enrollment)}
        for section in _completion_sections
    ]
