"""The background tasks that finally failed, for training admins (admin views)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_tasks_db.models import DBTaskResult

from people import access
from team import task_retries

LISTED = 200


@require_GET
def failed_tasks(request):
    """List the tasks that failed on their last attempt, newest first."""
    if not access.can_manage_failed_tasks(request.user):
        raise PermissionDenied
    results = task_retries.finally_failed()
    context = {
        "rows": task_retries.describe(results[:LISTED]),
        "total": len(results),
        "listed": LISTED,
        "page_title": _("Failed background tasks"),
    }
    return TemplateResponse(request, "team/admin/failed_tasks.html", context)


@require_POST
def run_task_again(request, result_id):
    """Queue a finally failed task for one more attempt."""
    if not access.can_manage_failed_tasks(request.user):
        raise PermissionDenied
    result = get_object_or_404(DBTaskResult, pk=result_id)
    if task_retries.run_again(result):
        messages.success(request, _("The task will run again in a moment."))
    else:
        messages.warning(request, _("The task is already waiting to run again."))
    return redirect("team_failed_tasks")
