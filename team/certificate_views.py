"""A team's certificates at /team/certificates/: list, one PDF, a ZIP, the register.

Who is in the team is asked of people/access.py; a unit outside it answers 404.
"""

from django.core.paginator import Paginator
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from certificates import register
from people import access
from team import exports
from team.forms import CertificateFilterForm
from team.views import for_filtered_team

PAGE_SIZE = 50


def _team_certificates(request, data):
    members = access.team_members(request.user, unit=data["unit"])
    filters = register.CertificateFilter(
        course=data["course"],
        issued_from=data["issued_from"],
        issued_to=data["issued_to"],
        status=data["status"],
    )
    return register.team_certificates(members, filters)


_for_filtered_certificates = for_filtered_team(
    form_class=CertificateFilterForm,
    template="team/certificates.html",
    select=_team_certificates,
)


@_for_filtered_certificates
def team_certificates(request, form, certificates):
    page = Paginator(certificates, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])
    context = {
        "form": form,
        "page_obj": page,
        "filters": filters,
        "now": timezone.now(),
    }
    return render(request, "team/certificates.html", context)


@_for_filtered_certificates
def team_zip(request, form, certificates):
    """Every filtered certificate's PDF in one ZIP, streamed as it is read."""
    response = StreamingHttpResponse(
        register.zip_of(certificates), content_type="application/zip"
    )
    name = f"certificates-{timezone.localdate().isoformat()}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@_for_filtered_certificates
def team_register_csv(request, form, certificates):
    response = StreamingHttpResponse(
        exports.csv_lines(
            register.register_header(), register.register_records(certificates)
        ),
        content_type="text/csv; charset=utf-8",
    )
    name = f"certificate-register-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@_for_filtered_certificates
def team_register_xlsx(request, form, certificates):
    title = _("Certificates")
    workbook = exports.xlsx_workbook(
        title,
        register.register_header(),
        register.register_records(certificates),
        caption=exports.filter_caption(title, form.caption_filters()),
    )
    return FileResponse(
        workbook,
        as_attachment=True,
        filename=f"certificate-register-{timezone.localdate().isoformat()}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
