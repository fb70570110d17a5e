"""A person's own learning record, and anonymising a leaver (an admin view)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from people import access
from people.models import User
from team import privacy


@require_GET
def learning_record(request, file_format):
    """Download one's own learning record as JSON or CSV."""
    if not access.can_download_own_record(request.user):
        return redirect_to_login(request.get_full_path())
    name = f"learning-record-{timezone.localdate().isoformat()}.{file_format}"
    if file_format == "json":
        response = JsonResponse(
            privacy.learning_record(request.user),
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )
    else:
        response = HttpResponse(
            privacy.learning_record_csv(request.user),
            content_type="text/csv; charset=utf-8",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
def anonymise_person(request, user_id):
    """Training admins confirm, then anonymise a leaver (admin view).

    Those who may anonymise nobody are turned away by the admin; those who may not
    anonymise this person (see `access.can_anonymise`: superusers and training
    admins are never anonymised) get a 403 saying so. The page warns of the units
    the person would leave without a manager.
    """
    if not access.can_anonymise_people(request.user):
        raise PermissionDenied
    person = get_object_or_404(User, pk=user_id)
    if request.method == "POST" and not person.anonymised_at:
        if privacy.anonymise_if_allowed(user=request.user, person=person):
            messages.success(
                request, _("The person's name and e-mail address have been removed.")
            )
            return redirect("wagtailusers_users:index")
        return _anonymise_page(request, person, refused=True)
    refused = not access.can_anonymise(request.user, person)
    return _anonymise_page(request, person, refused=refused)


def _anonymise_page(request, person, *, refused):
    context = {
        "person": person,
        "refused": refused,
        "units_left_without_manager": []
        if refused or person.anonymised_at
        else privacy.units_left_without_manager(person),
        "page_title": _("Anonymise a person"),
    }
    status = 403 if refused else 200
    return TemplateResponse(request, "team/anonymise.html", context, status=status)
