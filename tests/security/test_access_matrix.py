"""Every URL, asked by every role, answers with the expected status.

The roles: anonymous, learner A, learner B, A's manager, a manager of another
unit, editor, training admin and superuser. A new view cannot be added without a
row here (see the completeness test). A redirect is checked for where it goes:
to log in (and back to the page asked), refused by the admin (to its home), or on
to the page a success leads to.
"""

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from quizzes.models import QuizAttempt

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "learner",
    "second_learner",
    "manager",
    "unrelated_manager",
    "editor",
    "training_admin",
    "superuser",
]


@dataclass(frozen=True)
class Redirect:
    """A 302 to `path`; `next` is the page logging in returns to."""

    path: str
    next: str | None = None


OK = 200
LOGIN = "to log in, then back to the page asked"


def login_then(page):
    """A redirect to log in that returns to this page of the content afterwards."""
    return lambda content, user: Redirect(reverse("login"), content[page].url)


def to_page(page):
    return lambda content, user: Redirect(content[page].url)


def to_attempt(attempt):
    return lambda content, user: Redirect(
        reverse("quizzes:take", args=[content[attempt].pk])
    )


def to_own_new_attempt(content, user):
    attempt = QuizAttempt.objects.filter(user=user).latest("started_at")
    return Redirect(reverse("quizzes:take", args=[attempt.pk]))


def refused_by_the_admin(content, user):
    return Redirect(reverse("wagtailadmin_home"))


def to_the_inspect_page_of(key):
    def redirect(content, user):
        path = reverse("certificate_register:inspect", args=[content[key].pk])
        return Redirect(path)

    return redirect


def to_the_users(content, user):
    return Redirect(reverse("wagtailusers_users:index"))


ADMIN_ONLY = {
    "training_admin": OK,
    "superuser": OK,
    "editor": refused_by_the_admin,
    "*": LOGIN,
}
TEAM = {
    "anonymous": LOGIN,
    "learner": 403,
    "second_learner": 403,
    "editor": 403,
    "*": OK,
}
A_TEAM_ONLY = {**TEAM, "unrelated_manager": 404}
OWN_ATTEMPT = {"anonymous": LOGIN, "learner": OK, "*": 404}
# Staff with admin rights are anonymised by superusers only; superusers and
# training admins never (their role is taken away first).
ANONYMISE_AN_EDITOR = {**ADMIN_ONLY, "training_admin": 403, "superuser": to_the_users}
ANONYMISE_THE_SUPERUSER = {**ADMIN_ONLY, "training_admin": 403, "superuser": 403}
PAGE_EDITORS = {
    "editor": OK,
    "superuser": OK,
    "training_admin": refused_by_the_admin,
    "*": LOGIN,
}

# name: (method, path maker, data, {role: status}); "*" is every other role.
MATRIX = {
    "catalogue": ("get", lambda c: "/", None, {"*": OK}),
    "course": ("get", lambda c: c["course"].url, None, {"*": OK}),
    "lesson": ("get", lambda c: c["lesson"].url, None, {"anonymous": LOGIN, "*": OK}),
    "draft lesson": ("get", lambda c: c["draft"].url, None, {"*": 404}),
    "unknown page": ("get", lambda c: "/ei-ole/", None, {"*": 404}),
    "lessons:search": ("get", lambda c: "/search/?q=kurssi", None, {"*": OK}),
    "lessons:my_learning": (
        "get",
        lambda c: reverse("lessons:my_learning"),
        None,
        {"anonymous": LOGIN, "*": OK},
    ),
    "lessons:enrol": (
        "post",
        lambda c: reverse("lessons:enrol", args=[c["course"].pk]),
        {},
        {
            "anonymous": login_then("course"),
            "learner": to_page("quiz"),  # the first step not done yet
            "*": to_page("lesson"),
        },
    ),
    "lessons:enrol (draft course)": (
        "post",
        lambda c: reverse("lessons:enrol", args=[c["draft_course"].pk]),
        {},
        {"*": 404},
    ),
    "lessons:complete_step": (
        "post",
        lambda c: reverse("lessons:complete_step", args=[c["lesson"].pk]),
        {},
        {"anonymous": login_then("lesson"), "*": to_page("quiz")},  # the next step
    ),
    "lessons:course_completed": (
        "get",
        lambda c: reverse(
            "lessons:course_completed", args=[c["second_certificate"].course_id]
        ),
        None,
        {
            "anonymous": LOGIN,
            "learner": OK,  # completed it
            "*": lambda c, user: Redirect(c["second_certificate"].course.url),
        },
    ),
    "lessons:complete_step (not a step)": (
        "post",
        lambda c: reverse("lessons:complete_step", args=[c["course"].pk]),
        {},
        {"*": 404},
    ),
    "lessons:markdown_preview": (
        "post",
        lambda c: reverse("lessons:markdown_preview"),
        {"content": "**x**"},
        {"anonymous": LOGIN, "editor": OK, "superuser": OK, "*": 403},
    ),
    "lessons:markdown_upload": (
        "post",
        lambda c: reverse("lessons:markdown_upload"),
        {},
        {"anonymous": LOGIN, "editor": 400, "superuser": 400, "*": 403},
    ),
    "admin": (
        "get",
        lambda c: reverse("wagtailadmin_home"),
        None,
        {"editor": OK, "training_admin": OK, "superuser": OK, "*": LOGIN},
    ),
    "people_import": ("get", lambda c: reverse("people_import"), None, ADMIN_ONLY),
    "team_failed_tasks": (
        "get",
        lambda c: reverse("team_failed_tasks"),
        None,
        ADMIN_ONLY,
    ),
    # No task has this id: those who may run tasks again are told so (404).
    "team_run_task_again": (
        "post",
        lambda c: reverse(
            "team_run_task_again", args=["00000000-0000-0000-0000-000000000000"]
        ),
        {},
        {**ADMIN_ONLY, "training_admin": 404, "superuser": 404},
    ),
    "people_import_template": (
        "get",
        lambda c: reverse("people_import_template"),
        None,
        ADMIN_ONLY,
    ),
    # Without a ticket there is nothing to import: a clear 400 for those who may.
    "people_import_staged": (
        "post",
        lambda c: reverse("people_import_staged"),
        {},
        {**ADMIN_ONLY, "training_admin": 400, "superuser": 400},
    ),
    "team_anonymise": (
        "get",
        lambda c: reverse("team_anonymise", args=[c["learner"].pk]),
        None,
        ADMIN_ONLY,
    ),
    "team_anonymise (POST, a leaver)": (
        "post",
        lambda c: reverse("team_anonymise", args=[c["leaver"].pk]),
        {},
        {**ADMIN_ONLY, "training_admin": to_the_users, "superuser": to_the_users},
    ),
    "team_anonymise (POST, an editor)": (
        "post",
        lambda c: reverse("team_anonymise", args=[c["editor"].pk]),
        {},
        ANONYMISE_AN_EDITOR,
    ),
    "team_anonymise (the superuser)": (
        "get",
        lambda c: reverse("team_anonymise", args=[c["superuser"].pk]),
        None,
        ANONYMISE_THE_SUPERUSER,
    ),
    "team_anonymise (POST, the superuser)": (
        "post",
        lambda c: reverse("team_anonymise", args=[c["superuser"].pk]),
        {},
        ANONYMISE_THE_SUPERUSER,
    ),
    "wagtailusers_users:index": (
        "get",
        lambda c: reverse("wagtailusers_users:index"),
        None,
        ADMIN_ONLY,
    ),
    "wagtailusers_users:index_results": (
        "get",
        lambda c: reverse("wagtailusers_users:index_results"),
        None,
        ADMIN_ONLY,
    ),
    "org_units:index": (
        "get",
        lambda c: reverse("org_units:index"),
        None,
        ADMIN_ONLY,
    ),
    "org_units:index_results": (
        "get",
        lambda c: reverse("org_units:index_results") + "?q=TEAM",
        None,
        ADMIN_ONLY,
    ),
    "org_units:add": ("get", lambda c: reverse("org_units:add"), None, ADMIN_ONLY),
    "org_units:edit": (
        "get",
        lambda c: reverse("org_units:edit", args=[c["org"].team_a.pk]),
        None,
        ADMIN_ONLY,
    ),
    "org_units:delete": (
        "get",
        lambda c: reverse("org_units:delete", args=[c["org"].team_a.pk]),
        None,
        ADMIN_ONLY,
    ),
    "quiz page": ("get", lambda c: c["quiz"].url, None, {"anonymous": LOGIN, "*": OK}),
    "quizzes:start": (
        "post",
        lambda c: reverse("quizzes:start", args=[c["quiz"].pk]),
        {},
        {
            "anonymous": LOGIN,
            "learner": to_attempt("open_attempt"),
            "*": to_own_new_attempt,
        },
    ),
    "quizzes:take": (
        "get",
        lambda c: reverse("quizzes:take", args=[c["open_attempt"].pk]),
        None,
        OWN_ATTEMPT,
    ),
    "quizzes:save": (
        "post",
        lambda c: reverse("quizzes:save", args=[c["open_attempt"].pk]),
        {},
        {**OWN_ATTEMPT, "learner": to_attempt("open_attempt")},
    ),
    "quizzes:submit": (
        "get",
        lambda c: reverse("quizzes:submit", args=[c["open_attempt"].pk]),
        None,
        OWN_ATTEMPT,
    ),
    "quizzes:result": (
        "get",
        lambda c: reverse("quizzes:result", args=[c["submitted_attempt"].pk]),
        None,
        OWN_ATTEMPT,
    ),
    "quizzes_statistics": (
        "get",
        lambda c: reverse("quizzes_statistics", args=[c["quiz"].pk]),
        None,
        PAGE_EDITORS,
    ),
    "quizzes_import_gift": (
        "get",
        lambda c: reverse("quizzes_import_gift", args=[c["quiz"].pk]),
        None,
        PAGE_EDITORS,
    ),
    "quizzes_export_gift": (
        "get",
        lambda c: reverse("quizzes_export_gift", args=[c["quiz"].pk]),
        None,
        PAGE_EDITORS,
    ),
    "certificates:mine": (
        "get",
        lambda c: reverse("certificates:mine"),
        None,
        {"anonymous": LOGIN, "*": OK},
    ),
    "certificates:verify_form": (
        "get",
        lambda c: reverse("certificates:verify_form"),
        None,
        {"*": OK},
    ),
    "certificates:verify": (
        "get",
        lambda c: reverse("certificates:verify", args=[c["certificate"].code]),
        None,
        {"*": OK},
    ),
    "certificates:verify (unknown code)": (
        "get",
        lambda c: reverse("certificates:verify", args=["0000AAAA0000"]),
        None,
        {"*": 404},
    ),
    "certificates:download": (
        "get",
        lambda c: reverse("certificates:download", args=[c["certificate"].pk]),
        None,
        {
            "anonymous": LOGIN,
            "learner": OK,
            "manager": OK,
            "training_admin": OK,
            "superuser": OK,
            "*": 404,
        },
    ),
    "team:certificates": ("get", lambda c: reverse("team:certificates"), None, TEAM),
    "team:certificates_zip": (
        "get",
        lambda c: reverse("team:certificates_zip"),
        None,
        TEAM,
    ),
    "team:certificates_csv": (
        "get",
        lambda c: reverse("team:certificates_csv"),
        None,
        TEAM,
    ),
    "team:certificates_xlsx": (
        "get",
        lambda c: f"{reverse('team:certificates_xlsx')}?unit={c['org'].team_a.pk}",
        None,
        A_TEAM_ONLY,
    ),
    "certificate_register:index": (
        "get",
        lambda c: reverse("certificate_register:index"),
        None,
        ADMIN_ONLY,
    ),
    "certificate_register:index_results": (
        "get",
        lambda c: reverse("certificate_register:index_results"),
        None,
        ADMIN_ONLY,
    ),
    "certificate_register:inspect": (
        "get",
        lambda c: reverse("certificate_register:inspect", args=[c["certificate"].pk]),
        None,
        ADMIN_ONLY,
    ),
    "certificate_register:revoke": (
        "get",
        lambda c: reverse("certificate_register:revoke", args=[c["certificate"].pk]),
        None,
        ADMIN_ONLY,
    ),
    "certificate_register:reissue": (
        "get",
        lambda c: reverse("certificate_register:reissue", args=[c["certificate"].pk]),
        None,
        ADMIN_ONLY,
    ),
    "wagtailsnippets_certificates_certificatetemplate:preview_pdf": (
        "get",
        lambda c: reverse(
            "wagtailsnippets_certificates_certificatetemplate:preview_pdf",
            args=[c["certificate"].template_id],
        ),
        None,
        PAGE_EDITORS,
    ),
    "team:dashboard": ("get", lambda c: reverse("team:dashboard"), None, TEAM),
    "team:dashboard (team A)": (
        "get",
        lambda c: f"{reverse('team:dashboard')}?unit={c['org'].team_a.pk}",
        None,
        A_TEAM_ONLY,
    ),
    "team:export_csv": (
        "get",
        lambda c: reverse("team:export_csv"),
        None,
        TEAM,
    ),
    "team:export_xlsx": (
        "get",
        lambda c: f"{reverse('team:export_xlsx')}?unit={c['org'].team_a.pk}",
        None,
        A_TEAM_ONLY,
    ),
    "team:person": (
        "get",
        lambda c: reverse("team:person", args=[c["learner"].pk]),
        None,
        A_TEAM_ONLY,
    ),
    "team:assign": (
        "get",
        lambda c: f"{reverse('team:assign')}?people={c['learner'].pk}",
        None,
        A_TEAM_ONLY,
    ),
    "team:assignments": ("get", lambda c: reverse("team:assignments"), None, TEAM),
    "team:assignment": (
        "get",
        lambda c: reverse("team:assignment", args=[c["assignment"].pk]),
        None,
        A_TEAM_ONLY,
    ),
    # Only the one who assigned it and training admins may withdraw it.
    "team:assignment_withdraw": (
        "get",
        lambda c: reverse("team:assignment_withdraw", args=[c["assignment"].pk]),
        None,
        {
            **TEAM,
            "unrelated_manager": 404,
            "manager": OK,
            "training_admin": OK,
            "superuser": OK,
            "*": 403,
        },
    ),
    "team:learning_record_json": (
        "get",
        lambda c: reverse("team:learning_record_json"),
        None,
        {"anonymous": LOGIN, "*": OK},
    ),
    "team:learning_record_csv": (
        "get",
        lambda c: reverse("team:learning_record_csv"),
        None,
        {"anonymous": LOGIN, "*": OK},
    ),
    "certificate_register:delete": (
        "get",
        lambda c: reverse("certificate_register:delete", args=[c["certificate"].pk]),
        None,
        {**ADMIN_ONLY, "training_admin": refused_by_the_admin},
    ),
    "wagtailsnippets_certificates_certificatetemplate:delete": (
        "get",
        lambda c: reverse(
            "wagtailsnippets_certificates_certificatetemplate:delete",
            args=[c["certificate"].template_id],
        ),
        None,
        PAGE_EDITORS,
    ),
    "wagtailusers_users:delete": (
        "get",
        lambda c: reverse("wagtailusers_users:delete", args=[c["leaver"].pk]),
        None,
        {**ADMIN_ONLY, "training_admin": refused_by_the_admin},
    ),
    "certificate_register:reissue (POST)": (
        "post",
        lambda c: reverse("certificate_register:reissue", args=[c["certificate"].pk]),
        {"reason": "Nimi oli väärin"},
        {
            **ADMIN_ONLY,
            "training_admin": to_the_inspect_page_of("certificate"),
            "superuser": to_the_inspect_page_of("certificate"),
        },
    ),
    "certificate_register:revoke (POST)": (
        "post",
        lambda c: reverse(
            "certificate_register:revoke", args=[c["second_certificate"].pk]
        ),
        {"reason": "Myönnetty väärälle"},
        {
            **ADMIN_ONLY,
            "training_admin": to_the_inspect_page_of("second_certificate"),
            "superuser": to_the_inspect_page_of("second_certificate"),
        },
    ),
    "login": ("get", lambda c: reverse("login"), None, {"*": OK}),
    "password_reset": ("get", lambda c: reverse("password_reset"), None, {"*": OK}),
    "set_language": (
        "post",
        lambda c: reverse("set_language"),
        {"language": "sv", "next": "/"},
        {"*": lambda content, user: Redirect("/")},
    ),
}


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_the_role_as_expected(client, request, content, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    user = None if role == "anonymous" else request.getfixturevalue(role)
    unexpected = {}
    for name, (method, path_of, data, expected) in MATRIX.items():
        path = path_of(content)
        response = getattr(client, method)(path, data or {})
        if response.streaming:
            b"".join(response.streaming_content)  # and so close the file it sends
        found = _outcome(response)
        wanted = _wanted(expected.get(role, expected.get("*")), content, user, path)
        if found != wanted:
            unexpected[name] = f"{found}, expected {wanted}"
    assert unexpected == {}


def _outcome(response):
    """Return the status, or for a redirect where it goes."""
    if response.status_code != 302:
        return response.status_code
    location = urlsplit(response["Location"])
    return Redirect(location.path, parse_qs(location.query).get("next", [None])[0])


def _wanted(expected, content, user, path):
    if expected == LOGIN:
        return Redirect(reverse("login"), path)
    if callable(expected):
        return expected(content, user)
    return expected


def _our_route_names():
    """Name every route whose view is our own code, wherever it is mounted."""
    from django.urls import URLPattern, URLResolver, get_resolver

    names = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                module = getattr(pattern.callback, "__module__", "")
                if module.split(".")[0] in OUR_APPS:
                    names.add(
                        f"{namespace}:{pattern.name}" if namespace else pattern.name
                    )

    walk(get_resolver().url_patterns, None)
    return names


OUR_APPS = {"config", "lessons", "quizzes", "certificates", "people", "team", "themes"}


def test_the_matrix_covers_every_view_of_our_apps():
    ours = _our_route_names()
    assert {"lessons:enrol", "people_import", "login", "set_language"} <= ours
    assert ours <= set(MATRIX), ours - set(MATRIX)
