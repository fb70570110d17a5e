"""The failed tasks page in the admin: its URLs and its place in the Reports menu.

Imported by TeamConfig.ready(), beside team.wagtail_hooks.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from people import access
from team import task_views


class FailedTasksMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can_manage_failed_tasks(request.user)


@hooks.register("register_admin_urls")
def failed_task_urls():
    return [
        path("tasks/failed/", task_views.failed_tasks, name="team_failed_tasks"),
        path(
            "tasks/failed/<uuid:result_id>/run/",
            task_views.run_task_again,
            name="team_run_task_again",
        ),
    ]


@hooks.register("register_reports_menu_item")
def failed_tasks_menu_item():
    return FailedTasksMenuItem(
        _("Failed background tasks"),
        reverse("team_failed_tasks"),
        icon_name="warning",
        order=900,
    )
