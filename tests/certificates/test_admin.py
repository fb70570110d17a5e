"""The admin: training admins revoke and reissue; editors preview a template's PDF."""

import io

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.test import TestCase
from django.urls import reverse
from pypdf import PdfReader

from certificates.models import Certificate
from tests.certificates.conftest import make_certificate, stand_in_pdf
from tests.factories import UserFactory
from tests.helpers import stored_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PREVIEW = "wagtailsnippets_certificates_certificatetemplate:preview_pdf"
DENIED = "Sorry, you do not have permission to access this area."
NO_ADMIN = "You do not have permission to access the admin."


@pytest.fixture
def certificate(course, learner):
    return make_certificate(learner, course)


def _post(client, action, certificate, reason="Väärä henkilö"):
    url = reverse(f"certificate_register:{action}", args=[certificate.pk])
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, {"reason": reason})


def _messages(response):
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


def _verify(client, certificate):
    return client.get(reverse("certificates:verify", args=[certificate.code]))


def _download(client, certificate):
    return client.get(reverse("certificates:download", args=[certificate.pk]))


def _inspect_url(certificate):
    return reverse("certificate_register:inspect", args=[certificate.pk])


def _action_urls(certificate):
    return {
        reverse(f"certificate_register:{action}", args=[certificate.pk])
        for action in ("revoke", "reissue")
    }


def _links(html, selector="a"):
    return {
        link["href"]
        for link in BeautifulSoup(html, "html.parser").select(f"{selector}[href]")
    }


def test_a_training_admin_revokes_with_a_reason(client, certificate, training_admin):
    client.force_login(training_admin)
    confirm = client.get(reverse("certificate_register:revoke", args=[certificate.pk]))
    assert confirm.status_code == 200
    assert certificate.display_code in confirm.content.decode()

    response = _post(client, "revoke", certificate)

    assert response.status_code == 302
    assert response["Location"] == _inspect_url(certificate)
    assert _messages(response) == ["The certificate was revoked."]
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert certificate.revoke_reason == "Väärä henkilö"
    page = _verify(client, certificate)
    assert page.context["status"] == "revoked"
    assert "Väärä henkilö" in page.content.decode()


def test_revoking_needs_a_reason(client, certificate, training_admin):
    client.force_login(training_admin)
    response = _post(client, "revoke", certificate, reason="")
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


@pytest.mark.usefixtures("stand_in_pdfs")
def test_reissuing_gives_a_new_code_and_pdf_and_revokes_the_old(
    client, certificate, training_admin, learner
):
    old_pdf = certificate.pdf.name
    client.force_login(training_admin)

    response = _post(client, "reissue", certificate, reason="Nimi muuttui")

    assert response.status_code == 302
    assert response["Location"] == _inspect_url(certificate)
    certificate.refresh_from_db()
    fresh = Certificate.objects.exclude(pk=certificate.pk).get()
    assert _messages(response) == [
        f"A new certificate was issued with the code {fresh.display_code}."
    ]
    assert _inspect_url(fresh) in _links(client.get(_inspect_url(certificate)).content)
    assert certificate.replaced_by == fresh
    assert (certificate.revoke_reason, fresh.revoked_at) == ("Nimi muuttui", None)
    assert fresh.code != certificate.code
    assert (fresh.enrollment, fresh.completed_at) == (
        certificate.enrollment,
        certificate.completed_at,
    )
    assert fresh.pdf.name not in ("", old_pdf)
    assert stored_bytes(fresh.pdf) == stand_in_pdf(fresh.code)
    assert _verify(client, certificate).context["status"] == "revoked"
    assert _verify(client, fresh).context["status"] == "valid"
    client.force_login(learner)
    assert _download(client, certificate).status_code == 410
    new_download = _download(client, fresh)
    assert b"".join(new_download.streaming_content) == stand_in_pdf(fresh.code)


def test_a_revoked_certificate_cannot_be_revoked_or_reissued_again(
    client, certificate, training_admin
):
    client.force_login(training_admin)
    _post(client, "revoke", certificate)
    certificate.refresh_from_db()
    revoked_at = certificate.revoked_at
    for action in ("revoke", "reissue"):
        response = _post(client, action, certificate, reason="Toinen syy")
        assert response.status_code == 302
        assert response["Location"] == _inspect_url(certificate)
        assert _messages(response)[-1] == "This certificate has already been revoked."
    certificate.refresh_from_db()
    assert (certificate.revoked_at, certificate.revoke_reason) == (
        revoked_at,
        "Väärä henkilö",
    )
    assert Certificate.objects.count() == 1


def _refused_to(role, url):
    """Where the admin sends someone it refuses: people with admin access stay in."""
    if role in ("editor", "training_admin"):
        return reverse("wagtailadmin_home"), DENIED
    return f"{reverse('login')}?next={url}", NO_ADMIN


@pytest.mark.parametrize("action", ["revoke", "reissue"])
@pytest.mark.parametrize("role", ["editor", "manager", "learner"])
def test_others_cannot_revoke_or_reissue(client, request, certificate, role, action):
    client.force_login(request.getfixturevalue(role))
    response = _post(client, action, certificate)
    url = reverse(f"certificate_register:{action}", args=[certificate.pk])
    sent_to, message = _refused_to(role, url)
    assert (response.status_code, response["Location"]) == (302, sent_to)
    assert _messages(response) == [message]
    certificate.refresh_from_db()
    assert (certificate.revoked_at, certificate.revoke_reason) == (None, "")
    assert Certificate.objects.count() == 1


@pytest.mark.parametrize(
    "language, title", [("fi", "Todistus"), ("sv", "Intyg"), ("en", "Certificate")]
)
def test_an_editor_previews_the_template_as_a_pdf(
    client, template, editor, language, title
):
    client.force_login(editor)
    response = client.get(reverse(PREVIEW, args=[template.pk]), {"language": language})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.trailer["/Root"]["/Lang"] == language
    assert reader.metadata.title.startswith(f"{title}: ")
    assert "Maija Meikäläinen" in reader.pages[0].extract_text()


@pytest.mark.parametrize("role", ["training_admin", "manager"])
def test_others_cannot_preview_a_template(client, request, template, role, monkeypatch):
    rendered = []
    monkeypatch.setattr(
        "certificates.admin_views.render_pdf", lambda *args: rendered.append(args)
    )
    client.force_login(request.getfixturevalue(role))
    url = reverse(PREVIEW, args=[template.pk])
    response = client.get(url)
    sent_to, message = _refused_to(role, url)
    assert (response.status_code, response["Location"]) == (302, sent_to)
    assert _messages(response) == [message]
    assert "Content-Disposition" not in response
    assert rendered == []


@pytest.mark.parametrize("action", ["revoke", "reissue"])
def test_a_reason_longer_than_its_field_is_a_form_error(
    client, certificate, training_admin, action
):
    client.force_login(training_admin)
    limit = Certificate._meta.get_field("revoke_reason").max_length
    response = _post(client, action, certificate, reason="x" * (limit + 1))
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    _post(client, "revoke", certificate, reason="x" * limit)
    certificate.refresh_from_db()
    assert certificate.revoke_reason == "x" * limit


TEMPLATE_TEXTS = ["name", "title_fi", "title_sv", "body_fi", "body_en", "signer_name"]


@pytest.mark.parametrize("field", TEMPLATE_TEXTS)
def test_a_template_text_is_stored_at_its_limit_and_refused_over_it(
    client, editor, field
):
    from certificates.models import CertificateTemplate

    client.force_login(editor)
    limit = CertificateTemplate._meta.get_field(field).max_length
    add = reverse("wagtailsnippets_certificates_certificatetemplate:add")
    base = {"name": "Pohja", "orientation": "landscape", "title_fi": "Todistus"}
    base["body_fi"] = "{name}"
    over = client.post(add, {**base, field: "x" * (limit + 1)})
    assert over.status_code == 200 and field in over.context["form"].errors
    assert not CertificateTemplate.objects.exists()
    client.post(add, {**base, field: "x" * limit})
    assert getattr(CertificateTemplate.objects.get(), field) == "x" * limit


def test_the_template_editor_names_languages_by_their_own_names(client, editor):
    from certificates.models import CertificateTemplate

    template = CertificateTemplate.objects.create(
        name="Pohja", title_fi="Todistus", body_fi="{name}"
    )
    client.force_login(editor)
    edit = reverse(
        "wagtailsnippets_certificates_certificatetemplate:edit", args=[template.pk]
    )
    listing = reverse("wagtailsnippets_certificates_certificatetemplate:list")
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(editor)
    for language in ("fi", "sv"):
        profile.preferred_language = language
        profile.save()
        html = client.get(edit).content.decode() + client.get(listing).content.decode()
        assert f'lang="{language}"' in html
        for name in ("Suomi", "Svenska", "English"):
            assert f">{name}<" in html.replace("\n", "").replace("  ", "") or (
                f"({name})" in html
            ), (language, name)
        assert "Englanti" not in html and "Engelska" not in html


def test_the_inspect_page_offers_revoke_and_reissue(
    client, certificate, training_admin
):
    client.force_login(training_admin)
    response = client.get(_inspect_url(certificate))
    assert response.status_code == 200
    assert _action_urls(certificate) <= _links(response.content, "header a")
    for url in _action_urls(certificate):
        confirm = client.get(url)
        assert confirm.status_code == 200
        assert _inspect_url(certificate) in _links(confirm.content, "form a")


def test_the_register_row_offers_revoke_and_reissue(
    client, certificate, training_admin
):
    client.force_login(training_admin)
    response = client.get(reverse("certificate_register:index"))
    row = BeautifulSoup(response.content, "html.parser").select_one("tbody tr")
    assert _action_urls(certificate) <= _links(str(row))
    assert _inspect_url(certificate) in _links(str(row))


def test_a_revoked_certificate_offers_neither_action(
    client, certificate, training_admin
):
    client.force_login(training_admin)
    _post(client, "revoke", certificate)
    inspect = client.get(_inspect_url(certificate)).content
    listing = client.get(reverse("certificate_register:index")).content
    assert not _action_urls(certificate) & (_links(inspect) | _links(listing))


def test_those_who_may_only_view_the_register_get_no_actions(client, certificate):
    viewer = UserFactory(email="viewer@example.org")
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_certificate"),
    )
    client.force_login(viewer)
    inspect = client.get(_inspect_url(certificate))
    listing = client.get(reverse("certificate_register:index"))
    assert inspect.status_code == listing.status_code == 200
    assert not _action_urls(certificate) & (
        _links(inspect.content) | _links(listing.content)
    )


def test_the_register_reads_no_more_for_more_certificates(
    client, catalogue, template, training_admin, django_assert_max_num_queries
):
    from tests.certificates.conftest import make_course

    def listing_queries():
        client.get(reverse("certificate_register:index"))
        with django_assert_max_num_queries(1000) as counted:
            client.get(reverse("certificate_register:index"))
        return len(counted.captured_queries)

    client.force_login(training_admin)
    courses = [
        make_course(catalogue, f"Kurssi {n}", template=template) for n in range(6)
    ]
    make_certificate(UserFactory(), courses[0], pdf=False)
    one = listing_queries()
    for course in courses[1:]:
        make_certificate(UserFactory(), course, pdf=False)
    assert listing_queries() == one
