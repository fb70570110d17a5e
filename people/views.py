from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.i18n import set_language as django_set_language

from people import access, signin
from people.forms import LoginForm, PeopleImportForm
from people.importing import import_people
from people.services import remember_language


class LoginView(auth_views.LoginView):
    """Log in with e-mail, then show the site in the person's preferred language."""

    authentication_form = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        _set_language_cookie(response, form.get_user().preferred_language)
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, code="client_locked_out"):
            response.status_code = 429
            response["Retry-After"] = str(signin.cool_off_minutes(self.request) * 60)
        return response


def set_language(request):
    """Switch the UI language; for a logged-in person, remember it as their choice."""
    response = django_set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        remember_language(user=request.user, language=request.POST.get("language", ""))
    return response


def _set_language_cookie(response, language):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def import_people_page(request):
    """Training admins upload the HR export and read the import's report."""
    if not access.can_import_people(request.user):
        raise PermissionDenied
    form = PeopleImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = import_people(
            form.cleaned_data["file"].read(),
            dry_run=form.cleaned_data["dry_run"],
            full=form.cleaned_data["full"],
        )
    context = {"form": form, "report": report, "page_title": _("Import staff")}
    return TemplateResponse(request, "people/import.html", context)
