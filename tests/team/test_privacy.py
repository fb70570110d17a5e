"""A learner downloads their own learning record; training admins anonymise leavers."""

import csv
import datetime
import io
import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from lessons.models import Enrollment, StepCompletion
from people.models import User
from people.signals import person_anonymised
from team.privacy import ANONYMOUS_DOMAIN, anonymise, anonymise_if_allowed
from tests.factories import CoursePageFactory, LessonPageFactory, UserFactory
from tests.helpers import translated

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
JSON_URL = reverse("team:learning_record_json")
CSV_URL = reverse("team:learning_record_csv")
USERS_URL = reverse("wagtailusers_users:index")
WHEN = timezone.make_aware(datetime.datetime(2025, 3, 4, 10, 30))
DUE = datetime.date(2025, 4, 30)


def _when(text):
    return datetime.datetime.fromisoformat(text)


def _anonymise_url(person):
    return reverse("team_anonymise", args=[person.pk])


@pytest.fixture
def records(catalogue, org, learner, second_learner):
    """The learner has finished one course and started another; so has the other."""
    done = CoursePageFactory(parent=catalogue, title="Tietoturvan perusteet")
    started = CoursePageFactory(parent=catalogue, title="Saavutettavuus")
    lesson = LessonPageFactory(parent=done, title="Salasanat")
    other_lesson = LessonPageFactory(parent=started, title="Alt-tekstit")
    Enrollment.objects.create(
        user=learner, course=done, enrolled_at=WHEN, completed_at=WHEN
    )
    Enrollment.objects.create(
        user=learner, course=started, enrolled_at=WHEN, due_date=DUE, source="assigned"
    )
    StepCompletion.objects.create(user=learner, page=lesson, completed_at=WHEN)
    Enrollment.objects.create(user=second_learner, course=started, enrolled_at=WHEN)
    StepCompletion.objects.create(user=second_learner, page=other_lesson)
    return done, started, lesson


@pytest.fixture
def leaver(learner, org):
    """The learner, who also manages a unit and belongs to a group, is leaving.

    The group gives no admin rights: staff with admin rights are anonymised by
    superusers only.
    """
    learner.employee_number = "E-1001"
    learner.save()
    org.team_b.managers.add(learner)
    learner.groups.add(Group.objects.create(name="Ensiapu"))
    return learner


@pytest.fixture
def second_training_admin(db):
    return UserFactory(
        email="second.admin@example.org", groups=["Training administrators"]
    )


@pytest.fixture
def second_superuser(db):
    return UserFactory(
        email="second.superuser@example.org", is_superuser=True, is_staff=True
    )


@pytest.fixture
def staff_member(db):
    """Has Django's staff flag and nothing else."""
    return UserFactory(email="staff@example.org", is_staff=True)


@pytest.fixture
def former_editor(editor):
    """A deactivated editor: reactivating the account would give the rights back."""
    editor.is_active = False
    editor.save()
    return editor


STAFF_WITH_ADMIN_RIGHTS = [
    "editor",
    "second_training_admin",
    "superuser",
    "staff_member",
    "former_editor",
]


def _stored(person):
    """Return what anonymising would change, as stored now."""
    return User.objects.values_list(
        "first_name",
        "last_name",
        "email",
        "is_active",
        "is_staff",
        "is_superuser",
        "anonymised_at",
    ).get(pk=person.pk)


def _assert_refused(response):
    assert response.status_code == 403
    html = response.content.decode()
    assert translated("You cannot anonymise this person.") in html
    assert 'method="post"' not in html


def _can_log_in(client, email):
    request = RequestFactory().post(reverse("login"))
    return client.login(request=request, username=email, password=PASSWORD)


def _counts(person):
    return (
        Enrollment.objects.filter(user=person).count(),
        StepCompletion.objects.filter(user=person).count(),
    )


def test_a_learner_downloads_their_own_record_as_json(client, learner, records):
    _done, _started, lesson = records
    client.force_login(learner)
    response = client.get(JSON_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    record = json.loads(response.content)
    assert record["person"]["email"] == "learner@example.org"
    assert record["person"]["unit"] == {"code": "TEAM-A", "name": "Tiimi A"}
    courses = {item["course"]: item for item in record["enrolments"]}
    assert set(courses) == {"Tietoturvan perusteet", "Saavutettavuus"}
    assert _when(courses["Tietoturvan perusteet"]["completed_at"]) == WHEN
    assert courses["Saavutettavuus"]["due_date"] == DUE.isoformat()
    assert courses["Saavutettavuus"]["source"] == "assigned"
    assert courses["Saavutettavuus"]["completed_at"] is None
    [step] = record["completed_steps"]
    assert (step["step"], step["step_id"]) == ("Salasanat", lesson.pk)
    assert _when(step["completed_at"]) == WHEN
    assert "Alt-tekstit" not in response.content.decode()
    assert "learner2@example.org" not in response.content.decode()


def test_a_learner_downloads_their_own_record_as_csv(client, learner, records):
    done, _started, lesson = records
    client.force_login(learner)
    response = client.get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == [
        "record", "title", "id", "source", "started", "due", "completed", "url"
    ]  # fmt: skip
    by_title = {row[1]: row for row in rows[1:]}
    assert set(by_title) == {"Tietoturvan perusteet", "Saavutettavuus", "Salasanat"}
    kind, _title, course_id, source, started, due, completed = by_title[
        "Tietoturvan perusteet"
    ]
    assert (kind, course_id, source, due) == ("enrolment", str(done.pk), "self", "")
    assert _when(started) == _when(completed) == WHEN
    assert by_title["Saavutettavuus"][5] == DUE.isoformat()
    assert by_title["Salasanat"][:3] == ["step", "Salasanat", str(lesson.pk)]


def test_the_record_lists_the_persons_certificates(client, catalogue, learner):
    from certificates.models import CertificateTemplate
    from tests.certificates.conftest import make_certificate

    template = CertificateTemplate.objects.create(
        name="Perus", title_fi="Todistus", body_fi="{name}"
    )

    def course(title):
        return CoursePageFactory(
            parent=catalogue, title=title, certificate_template=template
        )

    expires = timezone.now() + datetime.timedelta(days=365)
    certificate = make_certificate(learner, course("Tietosuoja"), expires_at=expires)
    revoked = make_certificate(learner, course("Vanha"), revoked_at=timezone.now())
    client.force_login(learner)
    listed = json.loads(client.get(JSON_URL).content)["certificates"]
    assert [item["course"] for item in listed] == ["Tietosuoja", "Vanha"]
    first = listed[0]
    assert first["code"] == certificate.display_code
    assert (first["status"], _when(first["expires_at"])) == ("valid", expires)
    assert first["verification_url"].endswith(
        reverse("certificates:verify", args=[certificate.code])
    )
    assert first["verification_url"].startswith("http")
    assert listed[1]["status"] == "revoked"
    text = client.get(CSV_URL).content.decode("utf-8").removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    certificate_rows = {row[1]: row for row in rows if row[0] == "certificate"}
    assert certificate_rows["Vanha"][2:4] == [revoked.display_code, "revoked"]
    assert certificate_rows["Tietosuoja"][7] == first["verification_url"]


def test_the_csv_record_does_not_run_titles_as_formulas(client, catalogue, learner):
    title = '=HYPERLINK("https://example.com";"Avaa")'
    Enrollment.objects.create(
        user=learner, course=CoursePageFactory(parent=catalogue, title=title)
    )
    client.force_login(learner)
    text = client.get(CSV_URL).content.decode("utf-8").removeprefix("\ufeff")
    [_header, row] = csv.reader(io.StringIO(text), delimiter=";")
    assert row[1] == "'" + title
    assert json.loads(client.get(JSON_URL).content)["enrolments"][0]["course"] == title


@pytest.mark.parametrize("url", [JSON_URL, CSV_URL])
def test_an_anonymous_visitor_is_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_training_admin_confirms_before_anonymising(client, training_admin, leaver):
    client.force_login(training_admin)
    response = client.get(_anonymise_url(leaver))
    assert response.status_code == 200
    assert response.context["person"] == leaver
    assert 'method="post"' in response.content.decode()
    leaver.refresh_from_db()
    assert leaver.anonymised_at is None


def test_a_training_admin_anonymises_a_leaver(client, training_admin, leaver, records):
    counts = _counts(leaver)
    assert counts == (2, 1)
    assert leaver.managed_units.exists() and leaver.groups.exists()
    assert _can_log_in(client, "learner@example.org")
    client.force_login(training_admin)
    response = client.post(_anonymise_url(leaver))
    assert response.status_code == 302
    assert response.url == USERS_URL
    person = User.objects.get(pk=leaver.pk)
    assert (person.first_name, person.last_name) == ("", "")
    assert person.email.endswith(f"@{ANONYMOUS_DOMAIN}")
    assert "learner" not in person.email
    assert person.employee_number is None
    assert not person.is_active
    assert person.anonymised_at is not None
    assert not person.has_usable_password()
    assert not person.managed_units.exists()
    assert not person.groups.exists()
    assert _counts(person) == counts
    assert str(person) == translated("Anonymised person")
    assert not _can_log_in(client, "learner@example.org")
    assert not _can_log_in(client, person.email)
    client.force_login(training_admin)
    assert client.get(response.url).status_code == 200


def test_anonymising_twice_changes_nothing(client, training_admin, leaver):
    client.force_login(training_admin)
    client.post(_anonymise_url(leaver))
    first = User.objects.get(pk=leaver.pk)
    response = client.post(_anonymise_url(leaver))
    assert response.status_code == 200
    second = User.objects.get(pk=leaver.pk)
    assert (second.email, second.anonymised_at) == (first.email, first.anonymised_at)
    assert anonymise(second).email == first.email


@pytest.mark.parametrize(
    "who, uses_the_admin", [("editor", True), ("second_learner", False)]
)
def test_others_cannot_anonymise(client, request, who, uses_the_admin, leaver):
    client.force_login(request.getfixturevalue(who))
    url = _anonymise_url(leaver)
    sent_to = (
        reverse("wagtailadmin_home")
        if uses_the_admin
        else f"{reverse('login')}?next={url}"
    )
    for method in (client.get, client.post):
        response = method(url)
        assert (response.status_code, response.get("Location")) == (302, sent_to)
    leaver.refresh_from_db()
    assert leaver.anonymised_at is None
    assert leaver.email == "learner@example.org"
    assert leaver.is_active


@pytest.mark.parametrize("who", ["training_admin", "superuser"])
def test_nobody_can_anonymise_themself(client, request, who):
    person = request.getfixturevalue(who)
    before = _stored(person)
    client.force_login(person)
    for method in (client.get, client.post):
        _assert_refused(method(_anonymise_url(person)))
    assert _stored(person) == before
    assert _anonymise_url(person) not in client.get(USERS_URL).content.decode()


@pytest.mark.parametrize("who", STAFF_WITH_ADMIN_RIGHTS)
def test_a_training_admin_cannot_anonymise_staff_with_admin_rights(
    client, request, training_admin, learner, who
):
    person = request.getfixturevalue(who)
    before = _stored(person)
    client.force_login(training_admin)
    for method in (client.get, client.post):
        _assert_refused(method(_anonymise_url(person)))
    assert _stored(person) == before
    html = client.get(USERS_URL).content.decode()
    assert _anonymise_url(learner) in html
    assert _anonymise_url(person) not in html


def test_a_superuser_anonymises_an_editor(client, superuser, editor):
    client.force_login(superuser)
    assert _anonymise_url(editor) in client.get(USERS_URL).content.decode()
    response = client.post(_anonymise_url(editor))
    assert (response.status_code, response.url) == (302, USERS_URL)
    person = User.objects.get(pk=editor.pk)
    assert person.anonymised_at is not None
    assert not person.is_active
    assert not person.groups.exists()


@pytest.fixture
def former_training_admin(second_training_admin):
    """A deactivated training admin: reactivating would give the role back."""
    second_training_admin.is_active = False
    second_training_admin.save()
    return second_training_admin


@pytest.fixture
def importer(db):
    """Granted one of a training admin's powers directly, not through the group."""
    person = UserFactory(email="importer@example.org")
    person.user_permissions.add(Permission.objects.get(codename="import_people"))
    return person


@pytest.mark.parametrize(
    "who",
    ["second_training_admin", "former_training_admin", "importer", "second_superuser"],
)
@pytest.mark.parametrize("acting", ["superuser", "training_admin"])
def test_superusers_and_training_admins_are_never_anonymised(
    client, request, acting, who, learner
):
    person = request.getfixturevalue(who)
    before = _stored(person)
    client.force_login(request.getfixturevalue(acting))
    for method in (client.get, client.post):
        response = method(_anonymise_url(person))
        _assert_refused(response)
        assert (
            translated(
                "Superusers and training admins are never anonymised: take their role "
                "away first. Only superusers may anonymise other staff with admin "
                "rights, and nobody may anonymise themself."
            )
            in response.content.decode()
        )
    assert _stored(person) == before
    html = client.get(USERS_URL).content.decode()
    assert _anonymise_url(learner) in html
    assert _anonymise_url(person) not in html


def test_a_role_given_after_the_person_was_read_still_protects_them(
    training_admin, learner
):
    read_before = User.objects.get(pk=learner.pk)
    learner.groups.add(Group.objects.get(name="Training administrators"))
    assert not anonymise_if_allowed(user=training_admin, person=read_before)
    assert User.objects.get(pk=learner.pk).anonymised_at is None


def test_the_page_warns_of_units_left_without_a_manager(
    client, training_admin, leaver, manager, org, settings
):
    settings.LANGUAGE_CODE = "en"
    org.team_a.managers.add(leaver)  # the manager stays there
    org.sector.managers.add(leaver, UserFactory(is_active=False))
    client.force_login(training_admin)
    response = client.get(_anonymise_url(leaver))
    assert response.status_code == 200
    warning = BeautifulSoup(response.content, "html.parser").select_one(
        "[aria-labelledby=unmanaged-heading]"
    )
    assert warning.h2.get_text(strip=True) == ("2 units will be left without a manager")
    assert [item.get_text(strip=True) for item in warning("li")] == [
        "Toimiala (SECTOR)",
        "Tiimi B (TEAM-B)",
    ]


def test_the_page_warns_when_the_person_has_not_left(client, training_admin, learner):
    client.force_login(training_admin)
    warning = translated(
        "This person's account is still active. Anonymise only people who have "
        "left: a leaver's account is deactivated by the staff import."
    )
    assert warning in client.get(_anonymise_url(learner)).content.decode()
    learner.is_active = False
    learner.save()
    assert warning not in client.get(_anonymise_url(learner)).content.decode()


def test_the_page_has_no_warning_when_every_unit_keeps_a_manager(
    client, training_admin, learner, manager, org
):
    org.team_a.managers.add(learner)
    client.force_login(training_admin)
    response = client.get(_anonymise_url(learner))
    assert response.status_code == 200
    assert 'aria-labelledby="unmanaged-heading"' not in response.content.decode()


def test_the_user_listing_asks_no_more_for_more_people(
    client, training_admin, org, django_assert_max_num_queries
):
    def listing_queries():
        client.get(USERS_URL)
        with django_assert_max_num_queries(1000) as counted:
            assert client.get(USERS_URL).status_code == 200
        return len(counted.captured_queries)

    client.force_login(training_admin)
    UserFactory(org_unit=org.team_a)
    UserFactory(email="editor.one@example.org", groups=["Editors"])
    few = listing_queries()
    for number in range(6):
        UserFactory(org_unit=org.team_a)
        UserFactory(email=f"editor{number}@example.org", groups=["Editors"])
    assert listing_queries() == few


def test_the_user_listing_offers_anonymising_to_training_admins(
    client, training_admin, learner
):
    client.force_login(training_admin)
    response = client.get(USERS_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert _anonymise_url(learner) in html
    assert _anonymise_url(training_admin) not in html
    # An action that cannot be undone waits in the row's "More" menu.
    row = BeautifulSoup(html, "html.parser").find("a", href=_anonymise_url(learner))
    assert row.find_parent(attrs={"data-controller": "w-dropdown"})


def test_the_users_menu_leads_training_admins_to_the_listing(
    client, training_admin, editor
):
    client.force_login(training_admin)
    assert USERS_URL in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(editor)
    assert USERS_URL not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_user_listing_has_no_anonymise_button_for_others(client, editor, learner):
    editor.user_permissions.add(Permission.objects.get(codename="change_user"))
    client.force_login(editor)
    response = client.get(USERS_URL)
    assert response.status_code == 200
    assert _anonymise_url(learner) not in response.content.decode()


def test_anonymised_people_have_no_anonymise_button(client, training_admin, learner):
    anonymise(learner)
    client.force_login(training_admin)
    response = client.get(USERS_URL)
    assert response.status_code == 200
    assert _anonymise_url(learner) not in response.content.decode()


def test_anonymising_sends_the_signal_once(client, training_admin, leaver):
    received = []

    def receiver(sender, person, **kwargs):
        received.append(person.pk)

    person_anonymised.connect(receiver)
    try:
        client.force_login(training_admin)
        client.post(_anonymise_url(leaver))
        client.post(_anonymise_url(leaver))
        anonymise(User.objects.get(pk=leaver.pk))
    finally:
        person_anonymised.disconnect(receiver)
    assert received == [leaver.pk]
