"""The certificate's PDF: its text, metadata, tagging, QR code and hostile templates.

These tests render real PDFs (WeasyPrint) and read them back with pypdf.
"""

import io
import socket
from datetime import datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from certificates.fetcher import LocalFilesOnly
from certificates.models import CertificateTemplate
from certificates.rendering import certificate_html, qr_svg, render_pdf, verify_url
from tests.certificates.conftest import SITE_URL, make_course, unsaved_certificate

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
COMPLETED = datetime(2026, 1, 31, 12, 0, tzinfo=HELSINKI)
CODE = "01AB23CD45EF"
HOSTILE = [
    "<script>alert(1)</script>",
    "url(file:///etc/passwd)",
    '<img src="http://169.254.169.254/">',
    '<link href="file:///etc/passwd">',
]


def _render(certificate):
    return render_pdf(certificate, certificate.template, certificate.course)


def _read(data):
    return PdfReader(io.BytesIO(data))


def _text(reader):
    return "\n".join(page.extract_text() for page in reader.pages)


def _flat(text):
    """The text with its line breaks removed (WeasyPrint wraps long addresses)."""
    return "".join(text.split())


@pytest.fixture
def certificate(course, learner):
    return unsaved_certificate(learner, course, code=CODE, completed_at=COMPLETED)


def test_the_pdf_shows_holder_course_date_code_and_verify_address(certificate):
    text = _text(_read(_render(certificate)))
    assert "Leena Laine" in text
    assert "Tietoturva" in text
    assert "31. tammikuuta 2026" in text
    assert "01AB-23CD-45EF" in text
    assert f"{SITE_URL}/certificates/verify/{CODE}/" in _flat(text)


def test_the_pdf_declares_its_language_and_title_and_is_tagged(certificate):
    certificate.language = "sv"
    reader = _read(_render(certificate))
    catalog = reader.trailer["/Root"]
    assert reader.metadata.title == "Intyg: Tietoturva"
    assert catalog["/Lang"] == "sv"
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "Leena Laine har genomfört kursen Tietoturva" in _text(reader)


def test_the_qr_code_is_the_verify_address_and_the_address_is_printed(certificate):
    html, text = certificate_html(certificate, certificate.template, certificate.course)
    address = verify_url(CODE)
    assert address == f"{SITE_URL}/certificates/verify/{CODE}/"
    assert text.verify_url == address
    assert html.count(qr_svg(address)) == 1
    assert html.count("<svg") == 1


class _Resources(HTMLParser):
    """The addresses an HTML document would load: images, links, scripts."""

    def __init__(self):
        super().__init__()
        self.addresses = []
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        for name in ("src", "href"):
            if attrs.get(name):
                self.addresses.append(attrs[name])


def _resources(html):
    parser = _Resources()
    parser.feed(html)
    return parser


@pytest.fixture
def hostile(catalogue, learner):
    template = CertificateTemplate.objects.create(
        name="Vihamielinen",
        title_fi=" ".join(HOSTILE[:2]),
        body_fi="\n\n".join([*HOSTILE, "{name}"]),
    )
    course = make_course(catalogue, "Tietoturva", template=template)
    return unsaved_certificate(learner, course, code=CODE)


@pytest.fixture
def fetched(monkeypatch):
    """Every URL our fetcher served to the renderer (a refused one raises)."""
    served = []
    fetch = LocalFilesOnly.fetch

    def spy(self, url, headers=None):
        response = fetch(self, url, headers)
        served.append(url)
        return response

    monkeypatch.setattr(LocalFilesOnly, "fetch", spy)
    return served


@pytest.fixture
def network(monkeypatch):
    """Every attempt to reach the network, each refused.

    WeasyPrint logs and swallows what a fetch raises, so an exception here could
    not fail a test: the test asserts on the attempts recorded instead.
    """
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("the network is closed in this test")

    def refuse_connect(self, address):
        refuse(address)

    monkeypatch.setattr(socket.socket, "connect", refuse_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse_connect)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_hostile_template_texts_are_shown_as_text_and_never_fetched(
    hostile, fetched, network
):
    html, _text_parts = certificate_html(hostile, hostile.template, hostile.course)
    loaded = _resources(html)
    assert "script" not in loaded.tags
    assert all(address.startswith("file:///") for address in loaded.addresses)
    assert not any(
        "etc/passwd" in address or "169.254" in address for address in loaded.addresses
    )

    reader = _read(_render(hostile))

    assert network == []
    assert [address.rsplit("/", 1)[1] for address in loaded.addresses] == [
        "certificate.css",
        "logo.svg",
    ]
    assert fetched == loaded.addresses
    text = _flat(_text(reader))
    for snippet in HOSTILE:
        assert _flat(snippet) in text
    assert reader.metadata.title.startswith(HOSTILE[0])


def test_without_site_url_the_printed_address_is_the_development_servers(
    certificate, settings
):
    settings.SITE_URL = ""
    _html, text = certificate_html(
        certificate, certificate.template, certificate.course
    )
    assert text.verify_url == f"http://127.0.0.1:8000/certificates/verify/{CODE}/"
