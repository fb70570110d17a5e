"""The certificate PDF: WeasyPrint, the template and theme, the verify URL as a QR code.

Everything the PDF shows is escaped text; the only files it may load are our own
static and media files (certificates/fetcher.py). The PDF is tagged (PDF/UA-1) so
screen readers can read it, and carries title, author, subject and language.
"""

import hashlib
import re
from dataclasses import dataclass

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from certificates.assets import media_file_url, static_file_url
from certificates.links import verification_url
from themes.models import SiteAppearance
from themes.registry import DEFAULT_THEME, get_theme

PLACEHOLDERS = ("name", "course", "date", "duration", "organisation")
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")
_PLACEHOLDER_DATE = re.compile(r"\{date\}")


@dataclass(frozen=True)
class CertificateText:
    """What one certificate says, in its language."""

    language: str
    title: str
    paragraphs: list
    holder_name: str
    course_title: str
    date: str
    date_in_text: bool
    expires: str
    code: str
    verify_url: str
    organisation: str
    signer_name: str
    signer_title: str
    orientation: str


def verify_url(code: str) -> str:
    """Return the verification address printed on the PDF (made without a request)."""
    return verification_url(code)


def qr_svg(url: str) -> str:
    """The QR code of a URL as inline SVG (no external file to fetch)."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2, title=url)


def fill_placeholders(text: str, values: dict) -> str:
    """Replace the template's placeholders with their values, in one pass.

    Only the template is searched: a value that looks like a placeholder (a holder
    named "{course}") is printed as it is, never expanded in turn.
    """
    return _PLACEHOLDER.sub(lambda match: str(values.get(match[1], "")), text)


def _local_date(moment) -> str:
    """Return the moment's local date, written in the active language."""
    return date_format(timezone.localtime(moment), "DATE_FORMAT")


def certificate_text(certificate, *, course, template, organisation) -> CertificateText:
    """Return what the certificate says, every part of it in the certificate's language.

    The completion date is printed once: in the text when it has a {date}
    placeholder, on its own line otherwise.
    """
    language = certificate.language
    with translation.override(language):
        date = _local_date(certificate.completed_at)
        expires = _local_date(certificate.expires_at) if certificate.expires_at else ""
        duration = course.get_duration_display() if course else ""
    title, body = template.texts(language)
    values = {
        "name": certificate.holder_name,
        "course": certificate.course_title,
        "date": date,
        "duration": duration,
        "organisation": organisation,
    }
    paragraphs = [
        fill_placeholders(part.strip(), values)
        for part in body.split("\n\n")
        if part.strip()
    ]
    return CertificateText(
        language=language,
        title=fill_placeholders(title, values),
        paragraphs=paragraphs,
        holder_name=certificate.holder_name,
        course_title=certificate.course_title,
        date=date,
        date_in_text=bool(_PLACEHOLDER_DATE.search(title + body)),
        expires=expires,
        code=certificate.display_code,
        verify_url=verify_url(certificate.code),
        organisation=organisation,
        signer_name=template.signer_name,
        signer_title=template.signer_title_in(language),
        orientation=template.orientation,
    )


def _appearance():
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return get_theme(DEFAULT_THEME), settings.WAGTAIL_SITE_NAME, None
    appearance = SiteAppearance.for_site(site)
    return appearance.get_theme(), appearance.get_organisation_name(), appearance.logo


def certificate_html(certificate, template, course) -> tuple[str, CertificateText]:
    theme, organisation, site_logo = _appearance()
    text = certificate_text(
        certificate, course=course, template=template, organisation=organisation
    )
    logo = template.logo or site_logo
    context = {
        "text": text,
        "qr_svg": qr_svg(text.verify_url),
        "stylesheet_url": static_file_url(theme.certificate_stylesheet),
        "logo_url": media_file_url(logo.file) if logo else static_file_url(theme.logo),
        "signature_url": media_file_url(template.signature.file)
        if template.signature
        else None,
    }
    with translation.override(text.language):
        return render_to_string("certificates/pdf.html", context), text


def render_pdf(certificate, template, course) -> bytes:
    """Render the certificate's PDF (tagged, with metadata)."""
    from weasyprint import HTML

    from certificates.fetcher import LocalFilesOnly

    html, _text = certificate_html(certificate, template, course)
    return HTML(
        string=html, url_fetcher=LocalFilesOnly(), base_url="file:///"
    ).write_pdf(pdf_variant="pdf/ua-1")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
