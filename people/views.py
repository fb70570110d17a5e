from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from people import access, importing, rate_limits, signin
from people.forms import LoginForm, PeopleImportForm, StagedImportForm
from people.services import remember_language

_HOUR = 60 * 60
# The settings that limit password resets per hour, by what is counted.
_HOURLY_RESET_LIMITS = {
    "client": "PASSWORD_RESETS_PER_CLIENT_PER_HOUR",
    "address": "PASSWORD_RESETS_PER_ADDRESS_PER_HOUR",
}


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


class PasswordResetView(auth_views.PasswordResetView):
    """Send a link to SITE_URL for a new password, a few times an hour at most.

    The link never comes from the request's Host header. A client over its hourly
    limit is answered 429; an address over its own limit gets the usual "check your
    e-mail" page and no mail, so the answer never tells whether the account exists.
    """

    def form_valid(self, form):
        client = signin.client_address(self.request) or "unknown"
        if _over_hourly_limit("client", client):
            return self._refuse_client(form)
        address = signin.normalise_username(form.cleaned_data["email"])
        if not _over_hourly_limit("address", address):
            form.save(**self._email_options())
        return HttpResponseRedirect(self.get_success_url())

    def _email_options(self) -> dict:
        site = urlsplit(settings.SITE_URL)
        return {
            "domain_override": site.netloc + site.path,
            "use_https": site.scheme == "https",
            "token_generator": self.token_generator,
            "from_email": self.from_email,
            "email_template_name": self.email_template_name,
            "subject_template_name": self.subject_template_name,
            "html_email_template_name": self.html_email_template_name,
            "extra_email_context": self.extra_email_context,
            "request": self.request,
        }

    def _refuse_client(self, form):
        message = _(
            "Too many password resets have been requested from your network. "
            "Try again in an hour."
        )
        form.add_error(None, ValidationError(message, code="client_limited"))
        response = self.form_invalid(form)
        response.status_code = 429
        response["Retry-After"] = str(_HOUR)
        return response


def _over_hourly_limit(kind: str, value: str) -> bool:
    """Count one more password reset for the client or address; tell if it is over."""
    limit = getattr(settings, _HOURLY_RESET_LIMITS[kind])
    return rate_limits.over_limit(
        f"password-reset:{kind}", value, limit=limit, seconds=_HOUR
    )


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
    """Training admins upload the HR export and read the import's report.

    After a dry run with lines to import, the file is staged so that "Import
    these now" imports it without a second upload.
    """
    _check_may_import(request.user)
    form = PeopleImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _import_page(request, form=form)
    upload, full = form.cleaned_data["file"], form.cleaned_data["full"]
    data = upload.read()
    report = importing.import_people(
        data, dry_run=form.cleaned_data["dry_run"], full=full
    )
    ticket = None
    if report.dry_run and not report.fatal and (report.imported or report.deactivated):
        ticket = importing.stage_import(
            data, user=request.user, full=full, filename=upload.name
        )
    return _import_page(request, form=form, report=report, ticket=ticket)


@require_POST
def import_staged_page(request):
    """Import the file the user has just previewed in a dry run."""
    _check_may_import(request.user)
    form = StagedImportForm(request.POST)
    ticket = form.cleaned_data["ticket"] if form.is_valid() else ""
    try:
        report = importing.import_staged(ticket, user=request.user)
    except importing.StagedImportError as error:
        return _import_page(request, problem=error.message, status=error.status)
    return _import_page(
        request, report=report, filename=importing.staged_filename(ticket)
    )


@require_GET
def import_template(request):
    """Download a template of the HR export: the header and one example line."""
    _check_may_import(request.user)
    response = HttpResponse(
        importing.template_csv(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="staff-import.csv"'
    return response


def _check_may_import(user):
    if not access.can_import_people(user):
        raise PermissionDenied


def _import_page(request, *, form=None, status=200, **context):
    context = {
        "form": form or PeopleImportForm(),
        "columns": importing.COLUMN_GUIDE,
        "staged_minutes": importing.STAGED_MINUTES,
        "page_title": _("Import staff"),
        **context,
    }
    if context.get("ticket"):
        context["staged_form"] = StagedImportForm(initial={"ticket": context["ticket"]})
    return TemplateResponse(request, "people/import.html", context, status=status)
