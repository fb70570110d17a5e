"""The course outline's HTML: rendered once per course, step and language.

The outline is the same for every learner but for the ticks of the steps they have
done. Its HTML is rendered from the template once and kept in the shared cache
with a marker where each step's list item starts; a request only puts in each
step's start, done or not.
"""

import re

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from lessons import caching

OUTLINE_TEMPLATE = "lessons/includes/outline.html"
STEP_START_TEMPLATE = "lessons/includes/outline_step_start.html"
_STEP_MARKER = re.compile(r"<!--step-start:(\d+)-->")


def outline_html(outline, *, course, current=None, done_ids=frozenset()) -> SafeString:
    """Return the outline of a course as HTML, the steps in done_ids ticked."""
    current_pk = current.pk if current is not None else None
    name = f"{course.pk}:{current_pk}:{translation.get_language()}"
    rendered = caching.remembered(
        "outline-html", name, lambda: _render(outline, course, current_pk)
    )
    done, not_done = rendered["done"], rendered["not_done"]
    html = _STEP_MARKER.sub(
        lambda marker: done if int(marker[1]) in done_ids else not_done,
        rendered["html"],
    )
    return mark_safe(html)  # noqa: S308 (our templates' output, escaped there)


def _render(outline, course, current_pk) -> dict:
    return {
        "html": render_to_string(
            OUTLINE_TEMPLATE,
            {
                "outline": outline,
                "current_pk": current_pk,
                "content_language": course.language,
            },
        ),
        "done": render_to_string(STEP_START_TEMPLATE, {"done": True}).strip(),
        "not_done": render_to_string(STEP_START_TEMPLATE, {"done": False}).strip(),
    }
