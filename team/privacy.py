"""A person's own learning record (download) and anonymising leavers.

Anonymising removes what identifies a person and keeps the learning records, so
statistics and certificate verification still work.
"""

import csv
import io
import secrets

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from certificates.models import Certificate
from certificates.rendering import verify_url
from lessons.models import Enrollment, StepCompletion
from people import access
from people.models import OrgUnit, User
from people.signals import person_anonymised
from quizzes.models import QuizAttempt
from team.exports import spreadsheet_safe

ANONYMOUS_DOMAIN = "anonymised.invalid"


def learning_record(user) -> dict:
    """Return everything the site keeps about a person's learning, as plain data."""
    enrollments = Enrollment.objects.filter(user=user).select_related("course")
    completions = StepCompletion.objects.filter(user=user).select_related("page")
    unit = user.org_unit
    return {
        "person": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "employee_number": user.employee_number or "",
            "preferred_language": user.preferred_language,
            "unit": {"code": unit.code, "name": unit.name} if unit else None,
            "date_joined": _iso(user.date_joined),
        },
        "enrolments": [
            {
                "course": enrollment.course.title,
                "course_id": enrollment.course_id,
                "source": enrollment.source,
                "enrolled_at": _iso(enrollment.enrolled_at),
                "due_date": _iso(enrollment.due_date),
                "completed_at": _iso(enrollment.completed_at),
            }
            for enrollment in enrollments.order_by("enrolled_at")
        ],
        "completed_steps": [
            {
                "step": completion.page.title,
                "step_id": completion.page_id,
                "completed_at": _iso(completion.completed_at),
            }
            for completion in completions.order_by("completed_at")
        ],
        "quiz_attempts": [
            {
                "quiz": attempt.quiz.title,
                "quiz_id": attempt.quiz_id,
                "number": attempt.number,
                "started_at": _iso(attempt.started_at),
                "submitted_at": _iso(attempt.submitted_at),
                "score": str(attempt.score) if attempt.score is not None else None,
                "max_score": str(attempt.max_score),
                "passed": attempt.passed,
                "answers": attempt.answers,
            }
            for attempt in _quiz_attempts(user)
        ],
        "certificates": [
            {
                "code": certificate.display_code,
                "course": certificate.course_title,
                "course_id": certificate.course_id,
                "completed_at": _iso(certificate.completed_at),
                "issued_at": _iso(certificate.issued_at),
                "expires_at": _iso(certificate.expires_at),
                "status": certificate.status(),
                "verification_url": verify_url(certificate.code),
            }
            for certificate in Certificate.objects.filter(user=user).order_by(
                "issued_at"
            )
        ],
    }


def _quiz_attempts(user):
    return (
        QuizAttempt.objects.filter(user=user)
        .select_related("quiz")
        .defer("questions")
        .order_by("started_at")
    )


# For a certificate: its code as the id, its status as the source, issued as
# started, expiry as due, and its verification address last.
CSV_HEADER = ["record", "title", "id", "source", "started", "due", "completed", "url"]


def learning_record_csv(user) -> str:
    """Return the learning record as CSV: a line per enrolment, step, attempt and
    certificate."""
    record = learning_record(user)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(CSV_HEADER)
    for item in record["enrolments"]:
        writer.writerow(
            _safe_row(
                [
                    "enrolment",
                    item["course"],
                    item["course_id"],
                    item["source"],
                    item["enrolled_at"],
                    item["due_date"] or "",
                    item["completed_at"] or "",
                ]
            )
        )
    for item in record["completed_steps"]:
        writer.writerow(
            _safe_row(
                [
                    "step",
                    item["step"],
                    item["step_id"],
                    "",
                    "",
                    "",
                    item["completed_at"],
                ]
            )
        )
    for item in record["quiz_attempts"]:
        writer.writerow(
            _safe_row(
                [
                    "quiz attempt",
                    item["quiz"],
                    item["quiz_id"],
                    f"{item['score'] or ''}/{item['max_score']}",
                    item["started_at"],
                    "",
                    item["submitted_at"] or "",
                ]
            )
        )
    for item in record["certificates"]:
        writer.writerow(
            _safe_row(
                [
                    "certificate",
                    item["course"],
                    item["code"],
                    item["status"],
                    item["issued_at"],
                    item["expires_at"] or "",
                    item["completed_at"],
                    item["verification_url"],
                ]
            )
        )
    return "\ufeff" + out.getvalue()


def _safe_row(values):
    """Titles are typed by editors: never let a spreadsheet run one as a formula."""
    return [spreadsheet_safe(value) for value in values]


def _iso(value):
    return value.isoformat() if value else None


@transaction.atomic
def anonymise(person) -> User:
    """Replace a leaver's name and e-mail, deactivate them and keep their records."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    if person.anonymised_at:
        return person
    old_email = person.email
    person.first_name = person.last_name = ""
    person.email = f"anonymised-{person.pk}-{secrets.token_hex(4)}@{ANONYMOUS_DOMAIN}"
    person.employee_number = None
    person.is_active = person.is_staff = person.is_superuser = False
    person.anonymised_at = timezone.now()
    person.set_unusable_password()
    person.save()
    person.groups.clear()
    person.user_permissions.clear()
    person.managed_units.clear()
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=old_email).delete()
    _remove_avatar(person)
    person_anonymised.send(sender=User, person=person)
    return person


@transaction.atomic
def anonymise_if_allowed(*, user, person) -> bool:
    """Anonymise the person if the user may; return whether the user may.

    The rule is asked on fresh copies of both, the person's row locked, so a role
    given or taken away just before is taken into account.
    """
    person = User.objects.select_for_update().get(pk=person.pk)
    user = User.objects.get(pk=user.pk)
    if not access.can_anonymise(user, person):
        return False
    anonymise(person)
    return True


def units_left_without_manager(person) -> list[OrgUnit]:
    """Return the units the person manages that no other active person manages."""
    others = OrgUnit.managers.through.objects.filter(
        orgunit=OuterRef("pk"), user__is_active=True
    ).exclude(user=person)
    return list(person.managed_units.exclude(Exists(others)).order_by("path"))


def _remove_avatar(person):
    from wagtail.users.models import UserProfile

    profile = UserProfile.objects.filter(user=person).first()
    if profile and profile.avatar:
        profile.avatar.delete(save=True)
