"""Who may see and do what: the one place that decides access.

Views, page models, tasks and commands ask these functions; nothing decides access
inline. Later features add their rules here.
"""

from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

_EDIT_ACTIONS = ["add", "change", "publish"]


def can_edit_pages(user) -> bool:
    """Return whether the user may author pages (and so use the Markdown tools)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if not user.has_perm("wagtailadmin.access_admin"):
        return False
    return PagePermissionPolicy().user_has_any_permission(user, _EDIT_ACTIONS)


def visible_pages(queryset=None):
    """Return the pages anyone may list: live and without a view restriction."""
    if queryset is None:
        queryset = Page.objects.all()
    return queryset.live().public()
