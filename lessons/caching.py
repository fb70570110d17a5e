"""The shared cache of what every visitor of a course sees alike.

Course outlines and their HTML, the course above a step, the pages by their URL,
whether the pages above a page are live, the site, the catalogue's courses and
topics and the places of view restrictions are kept in Django's cache (Redis in
production), keyed by a content generation, which is read once per request. Any
change to pages, view restrictions, sites, tags or images moves the generation on,
so an entry is never read after a publish, an unpublish, a move or a delete; old
entries are left to expire. Per-person records are never cached.
"""

import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http.request import split_domain_port
from taggit.models import Tag
from wagtail.images import get_image_model_string
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import get_site_for_hostname
from wagtail.signals import page_published, page_unpublished, post_page_move

from lessons.outline import load_outlines

GENERATION_KEY = "lessons:content-generation"
ENTRY_TIMEOUT = 24 * 60 * 60
_MISSING = object()
# Inside one_generation(): a one-item list holding the generation once it is read.
_pinned_generation = ContextVar("pinned_content_generation", default=None)


def content_generation() -> int | None:
    """Return the current generation of the content, starting one when there is none.

    A new generation starts from the clock, so a cache that lost the key (a Redis
    restart) never goes back to to a generation whose entries it still holds.
    Within `one_generation()` the generation is read once.
    """
    pinned = _pinned_generation.get()
    if pinned is not None and pinned[0] is not None:
        return pinned[0]
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    if pinned is not None:
        pinned[0] = generation
    return generation


@contextmanager
def one_generation():
    """Read the generation once for everything inside (a request), not per lookup.

    A change made inside moves the generation on and forgets the one read.
    """
    token = _pinned_generation.set([None])
    try:
        yield
    finally:
        _pinned_generation.reset(token)


def forget_shared_content() -> None:
    """Move the generation on now, and again once the transaction commits.

    A request that reads between the change and its commit sees the old rows and
    may store them under the new generation; the second move leaves them behind.
    """
    _move_generation()
    transaction.on_commit(_move_generation)


def _move_generation() -> None:
    pinned = _pinned_generation.get()
    if pinned is not None:
        pinned[0] = None
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def _key(kind: str, name) -> str:
    return f"lessons:{kind}:{content_generation()}:{name}"


def remembered(kind: str, name, load):
    """Return the entry `kind`/`name` of this generation, loading and storing a miss.

    `load` returning None is not stored, so that unknown names cannot fill the cache.
    """
    key = _key(kind, name)
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = load()
        if value is not None:
            cache.set(key, value, ENTRY_TIMEOUT)
    return value


def site_for_request(request):
    """Return the Wagtail site that answers the request, from the cache where it can.

    Wagtail looks the site up with a query on every request; the answer changes
    only with the sites (or their root pages), which move the generation on.
    """
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()

    def load():
        try:
            site = get_site_for_hostname(hostname, port)
        except Site.DoesNotExist:
            return None
        site.root_page.specific  # noqa: B018 (stored with the site: Wagtail routes from it)
        return site

    return remembered("site", f"{hostname}:{port}", load)


def cached_outlines(courses) -> dict:
    """Return each course's outline, keyed by course id, from the cache where it can."""
    courses = list(courses)
    generation = content_generation()
    keys = {
        course.pk: f"lessons:outline:{generation}:{course.pk}" for course in courses
    }
    found = cache.get_many(keys.values())
    outlines = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [course for course in courses if course.pk not in outlines]
    if missing:
        loaded = load_outlines(missing)
        cache.set_many({keys[pk]: outline for pk, outline in loaded.items()})
        outlines.update(loaded)
    return outlines


def cached_course_above(page, load):
    """Return the course above a page, from the cache or from `load()`.

    The course is stored under its tree path, so the page's ancestors' paths find
    it in one round trip.
    """
    generation = content_generation()
    keys = [
        f"lessons:course:{generation}:{page.path[:end]}"
        for end in range(Page.steplen, len(page.path), Page.steplen)
    ]
    found = cache.get_many(keys)
    if found:
        return next(iter(found.values()))
    course = load()
    if course is not None:
        cache.set(f"lessons:course:{generation}:{course.path}", course, ENTRY_TIMEOUT)
    return course


def restricted_paths() -> tuple[frozenset, bool]:
    """Return the tree paths of pages with view restrictions, and whether aliases exist.

    An alias takes its restrictions from its source page, so where aliases exist
    the caller asks Wagtail instead.
    """
    return remembered("restrictions", "all", _load_restricted_paths)


def _load_restricted_paths():
    paths = frozenset(PageViewRestriction.objects.values_list("page__path", flat=True))
    has_aliases = Page.objects.filter(alias_of__isnull=False).exists()
    return paths, has_aliases


def is_free_of_restrictions(page) -> bool:
    """Return whether no view restriction applies to the page or any page above it."""
    paths, has_aliases = restricted_paths()
    if has_aliases:
        return False
    return not any(page.path.startswith(path) for path in paths)


@receiver(post_save)
@receiver(post_delete)
def _forget_on_change(sender, instance, **kwargs):
    """Forget shared content when a page, view restriction, site or tag changes."""
    if isinstance(instance, Page | PageViewRestriction | Site | Tag):
        forget_shared_content()


@receiver(post_save, sender=get_image_model_string())
@receiver(post_delete, sender=get_image_model_string())
def _forget_on_image_change(sender, **kwargs):
    """Course cards hold their cover images: a changed image is read again."""
    forget_shared_content()


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def _forget_on_page_event(sender, **kwargs):
    forget_shared_content()
