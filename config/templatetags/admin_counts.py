"""How many items an admin listing holds, in each language's plural forms.

Wagtail's paginator puts a count before the model's plural name ("19 units"),
which Finnish and Swedish cannot follow: after a number Finnish takes the
partitive singular ("19 yksikköä"). These labels are whole plural messages.
"""

from django import template
from django.utils.translation import ngettext
from wagtail.models import Page

register = template.Library()

_LABELS = {
    "people.orgunit": lambda count: ngettext(
        "%(count)s organisation unit", "%(count)s organisation units", count
    ),
    "people.user": lambda count: ngettext("%(count)s user", "%(count)s users", count),
    "certificates.certificate": lambda count: ngettext(
        "%(count)s certificate issued", "%(count)s certificates issued", count
    ),
    "certificates.certificatetemplate": lambda count: ngettext(
        "%(count)s certificate template", "%(count)s certificate templates", count
    ),
    "wagtailimages.image": lambda count: ngettext(
        "%(count)s image", "%(count)s images", count
    ),
    "wagtaildocs.document": lambda count: ngettext(
        "%(count)s document", "%(count)s documents", count
    ),
}


@register.simple_tag
def items_count(paginator) -> str:
    """Return "19 organisation units" for a listing's paginator, in the language."""
    count, model = paginator.count, getattr(paginator, "model", None)
    if model is not None and issubclass(model, Page):
        label = ngettext("%(count)s page", "%(count)s pages", count)
    elif model is not None and model._meta.label_lower in _LABELS:
        label = _LABELS[model._meta.label_lower](count)
    else:
        label = ngettext("%(count)s item", "%(count)s items", count)
    return label % {"count": count}
