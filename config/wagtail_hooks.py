"""Wagtail admin hooks that mend Wagtail's own chrome."""

import copy

from django.utils.translation import gettext
from wagtail import hooks
from wagtail.utils.version import get_main_version

WHATS_NEW = "What's new in Wagtail %(version)s"


@hooks.register("construct_help_menu")
def translate_whats_new_for_each_request(request, menu_items):
    """Name Wagtail's "What's new" item in the language of the request.

    Wagtail builds its menus once per process and fills the version into this
    label then, so it would stay in the language of the process's first request.
    """
    version = get_main_version(include_patch=False)
    for index, item in enumerate(menu_items):
        if item.name == f"whats-new-in-wagtail-{version}":
            translated = copy.copy(item)
            translated.label = gettext(WHATS_NEW) % {"version": version}
            menu_items[index] = translated
