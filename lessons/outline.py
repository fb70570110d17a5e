"""The outline of a course: its modules and steps in tree order.

Outlines hold light entries (id, title, URL, minutes), loaded for any number of
courses with a fixed number of narrow queries: no page bodies are read.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, reduce
from operator import or_

from django.db.models import Q
from wagtail.models import Page

from people.access import visible_pages


@dataclass(frozen=True)
class OutlineStep:
    pk: int
    title: str
    url: str
    minutes: int

    def get_duration_display(self):
        from lessons.models import format_minutes

        return format_minutes(self.minutes)


@dataclass(frozen=True)
class OutlineModule:
    pk: int
    title: str
    url: str


@dataclass
class OutlineSection:
    """A module and its steps, or (no module) steps placed directly under the course."""

    module: OutlineModule | None
    first_number: int = 1
    steps: list = field(default_factory=list)


@dataclass
class Outline:
    sections: list
    steps: list

    @cached_property
    def step_ids(self):
        return [step.pk for step in self.steps]

    def position(self, step) -> int:
        """Return the 1-based place of a step in the course, 0 if it is not a step."""
        for number, candidate in enumerate(self.steps, start=1):
            if candidate.pk == step.pk:
                return number
        return 0

    def neighbours(self, step):
        """Return the steps before and after this one (None at either end)."""
        number = self.position(step)
        if not number:
            return None, None
        previous = self.steps[number - 2] if number > 1 else None
        following = self.steps[number] if number < len(self.steps) else None
        return previous, following

    def module_of(self, step):
        for section in self.sections:
            if section.module and any(s.pk == step.pk for s in section.steps):
                return section.module
        return None

    def module_for(self, module_page):
        """Return the section of a module page, or an empty one if it is not live."""
        for section in self.sections:
            if section.module and section.module.pk == module_page.pk:
                return section
        return OutlineSection(module=None)


EMPTY_OUTLINE = Outline(sections=[], steps=[])


def load_outlines(courses) -> dict:
    """Return each course's outline, keyed by course id.

    One query reads the visible pages below all the courses (without their bodies),
    and one more per kind of step reads the steps' estimated minutes.
    """
    courses = list(courses)
    if not courses:
        return {}
    below_any = reduce(
        or_, (Q(path__startswith=c.path, depth__gt=c.depth) for c in courses)
    )
    pages = [
        _PageRow(**row)
        for row in visible_pages(Page.objects.filter(below_any))
        .order_by("path")
        .values("pk", "path", "title", "url_path", "content_type_id")
    ]
    minutes = _minutes_of_steps(pages)
    pages_by_course = defaultdict(list)
    for page in pages:
        for course in courses:
            if page.path.startswith(course.path):
                pages_by_course[course.pk].append(page)
                break
    return {c.pk: build_outline(c, pages_by_course[c.pk], minutes) for c in courses}


def _minutes_of_steps(pages):
    ids_by_type = defaultdict(list)
    for page in pages:
        if getattr(page.specific_class, "is_course_step", False):
            ids_by_type[page.specific_class].append(page.pk)
    minutes = {}
    for step_type, ids in ids_by_type.items():
        rows = step_type.objects.filter(pk__in=ids).values_list(
            "pk", "estimated_minutes"
        )
        minutes.update(rows)
    return minutes


@dataclass(frozen=True)
class _PageRow:
    """The few columns of a page that an outline needs (no model instance)."""

    pk: int
    path: str
    title: str
    url_path: str
    content_type_id: int

    @property
    def specific_class(self):
        from django.contrib.contenttypes.models import ContentType

        return ContentType.objects.get_for_id(self.content_type_id).model_class()


def build_outline(course, pages, minutes) -> Outline:
    """Group the pages below a course, given in path order, into sections.

    Steps under a module that is not among `pages` (a draft or removed module) are
    left out, so they no longer count for anyone.
    """
    sections: list[OutlineSection] = []
    modules_by_path: dict[str, OutlineSection] = {}
    steps = []
    url_of = _url_maker(course)
    for page in pages:
        parent_path = page.path[: -Page.steplen]
        page_type = page.specific_class
        if getattr(page_type, "is_course_module", False) and parent_path == course.path:
            module = OutlineModule(page.pk, page.title, url_of(page))
            modules_by_path[page.path] = OutlineSection(module, len(steps) + 1)
            sections.append(modules_by_path[page.path])
        elif getattr(page_type, "is_course_step", False):
            if parent_path in modules_by_path:
                section = modules_by_path[parent_path]
            elif parent_path == course.path:
                if not sections or sections[-1].module is not None:
                    sections.append(OutlineSection(None, len(steps) + 1))
                section = sections[-1]
            else:
                continue
            step = OutlineStep(
                page.pk, page.title, url_of(page), minutes.get(page.pk, 0)
            )
            section.steps.append(step)
            steps.append(step)
    return Outline(sections=sections, steps=steps)


def _url_maker(course):
    """Return a function giving a descendant's URL from the course's own URL.

    Asking each page for its URL would look up the site's root paths once a page.
    """
    base_url, base_path = course.url, course.url_path
    if base_url is None:
        return lambda page: None
    return lambda page: base_url + page.url_path[len(base_path) :]
