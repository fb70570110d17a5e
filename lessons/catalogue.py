"""Filtering and searching the course catalogue."""

import re
from dataclasses import dataclass

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag
from wagtail.models import Page

from lessons import caching
from lessons.models import Audience, ContentLanguage, CoursePage, ModulePage

_NOT_A_WORD = re.compile(r"[^\w]+")
SEARCH_MAX_LENGTH = 200


def search_terms(text: str) -> str:
    """Return the words of a search, without the characters a search engine reads as
    syntax (quotes, operators, brackets, control characters): they are never errors.
    """
    words = _NOT_A_WORD.sub(" ", text[:SEARCH_MAX_LENGTH]).split()
    return " ".join(word for word in words if word.strip("_"))


class CatalogueForm(forms.Form):
    q = forms.CharField(
        label=_("Search courses"), required=False, max_length=SEARCH_MAX_LENGTH
    )
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("All languages")), *ContentLanguage.choices],
    )
    audience = forms.ChoiceField(
        label=_("Audience"),
        required=False,
        choices=[("", _("Everyone")), *Audience.choices],
    )

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("All topics"))] + [
            (tag.slug, tag.name) for tag in topics
        ]


class CatalogueFilter:
    """The catalogue's filter form and the courses that match it."""

    def __init__(self, data, *, index_page):
        self.index_page = index_page
        self.topics = caching.remembered(
            "catalogue-topics", index_page.pk, self._topics
        )
        self.form = CatalogueForm(data or None, topics=self.topics)
        self.is_filtered = False

    def _all(self):
        return self.index_page.get_courses()

    def _topics(self):
        return list(
            Tag.objects.filter(
                lessons_coursetopic_items__content_object__in=self._all()
            )
            .distinct()
            .order_by("name")
        )

    def courses(self):
        """Return the matching courses; the whole catalogue comes from the cache."""
        if not self.form.is_bound or not self.form.is_valid():
            return caching.remembered(
                "catalogue-courses", self.index_page.pk, lambda: list(self._all())
            )
        courses = self._all()
        data = self.form.cleaned_data
        if data["topic"]:
            courses = courses.filter(topics__slug=data["topic"])
        if data["language"]:
            courses = courses.filter(language=data["language"])
        if data["audience"]:
            courses = courses.filter(audience=data["audience"])
        if terms := search_terms(data["q"]):
            matching = CoursePage.objects.live().search(terms)
            courses = courses.filter(pk__in=[page.pk for page in matching])
        self.is_filtered = any(value for value in data.values())
        return list(courses.distinct())


@dataclass(frozen=True)
class Place:
    """Where a search result sits: its course, and for a step its module."""

    course: str = ""
    module: str = ""


def places_of(pages) -> dict[int, Place]:
    """Return each page's course and module titles, with one query for all."""
    ancestor_paths = {
        page.path[:end]
        for page in pages
        for end in range(Page.steplen, len(page.path), Page.steplen)
    }
    kinds = {
        ContentType.objects.get_for_model(CoursePage).pk: "course",
        ContentType.objects.get_for_model(ModulePage).pk: "module",
    }
    ancestors = {
        path: (kinds[content_type], title)
        for path, title, content_type in Page.objects.filter(
            path__in=ancestor_paths, content_type__in=kinds
        ).values_list("path", "title", "content_type")
    }
    return {page.pk: _place(page, ancestors) for page in pages}


def _place(page, ancestors) -> Place:
    titles = {}
    for end in range(Page.steplen, len(page.path), Page.steplen):
        kind, title = ancestors.get(page.path[:end], (None, ""))
        if kind:
            titles[kind] = title
    return Place(**titles)
