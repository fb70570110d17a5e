"""No request makes our code answer 500: a walk over every URL of ours.

Each route of our apps (and the Wagtail admin views staff use on our models)
is asked by anonymous, a learner, a manager, an editor and a training admin, with
every method,
with ids that are huge, zero, of other people or of nothing, with long and odd
query strings, and with junk bodies built from the form fields the page itself
shows. Anything but a clean answer below 500 is a failure.
"""

import uuid
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client
from django.test import client as client_module
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from tests.security.test_access_matrix import MATRIX, OUR_APPS

pytestmark = pytest.mark.django_db

WALKERS = ["anonymous", "learner", "manager", "editor", "training_admin"]

HUGE_INTS = ["0", "2147483648", "9223372036854775808", "99999999999999999999999"]
ODD_UUIDS = [str(uuid.UUID(int=0)), str(uuid.uuid4())]
ODD_STRINGS = ["-", "x" * 2000, "%00", "%22%27%3C", "..%2F..%2Fetc", "%C2%B2"]
ODD_VALUES = [
    'kurssi "auki',
    "99999999999999999999999",
    "a\x00b",
    "²",
    "9" * 5000,
    "-1",
    "x" * 3000,
    "\u202etxt.exe",
]
# Parameters our views read beside those their forms show.
KNOWN_PARAMETERS = [
    "q",
    "page",
    "unit",
    "people",
    "course",
    "status",
    "language",
    "next",
    "code",
    "ordering",
    "p",
    "content",
    "action",
    "go",
    "shown",
]
JUNK_BODIES = [
    ("application/x-www-form-urlencoded", b"%%%&&&=\xff\xfe\x00"),
    ("multipart/form-data; boundary=nothing", b"--nothing\r\nbroken"),
    ("multipart/form-data", b"no boundary"),
    ("application/json", b'{"answers": [1, 2'),
]
OTHER_METHODS = ["put", "patch", "delete", "options", "head"]


@pytest.fixture
def templates_not_kept(monkeypatch):
    """Skip the test client's copies of every template context: unused here, and
    most of the walk's time."""
    monkeypatch.setattr(client_module, "store_rendered_templates", _keep_nothing)


def _keep_nothing(*args, **kwargs):
    return None


@pytest.mark.usefixtures("templates_not_kept")
@pytest.mark.parametrize("role", WALKERS)
def test_no_request_makes_a_500(request, content, catalogue, role):
    client = Client(raise_request_exception=True)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    failures = []
    for name, path in _targets(content, catalogue):
        if role in _PAGE_WALKERS or not name.startswith(_PUBLIC_PAGES):
            failures += _walk(client, role, name, path)
    assert failures == []


def _targets(content, catalogue):
    """Return (name, path) for every route of ours and our models' admin pages."""
    targets = [(name, MATRIX[name][1](content)) for name in sorted(_our_route_names())]
    targets += [("catalogue", "/")]
    targets += [(f"page {key}", content[key].url) for key in _PAGES]
    targets += _admin_targets(content, catalogue)
    return targets


_PAGES = ["course", "lesson", "quiz", "draft", "draft_course"]
# The public pages are the same for every signed-in person but an editor (who
# also sees the admin's links), so the other staff roles skip them.
_PUBLIC_PAGES = ("page ", "catalogue")
_PAGE_WALKERS = {"anonymous", "learner", "editor"}


def _admin_targets(content, catalogue):
    """The Wagtail admin views an editor uses on our page types and snippets."""
    template = content["certificate"].template_id
    targets = [
        (
            f"wagtailadmin_pages:edit {key}",
            reverse("wagtailadmin_pages:edit", args=[content[key].pk]),
        )
        for key in ("course", "lesson", "quiz")
    ]
    targets += [
        (
            f"wagtailadmin_pages:add {model}",
            reverse("wagtailadmin_pages:add", args=[app, model, parent.pk]),
        )
        for app, model, parent in (
            ("lessons", "lessonpage", content["course"]),
            ("quizzes", "quizpage", content["course"]),
        )
    ]
    objects = {
        "org_units": content["org"].team_a.pk,
        "certificate_register": content["certificate"].pk,
        "wagtailsnippets_certificates_certificatetemplate": template,
        "wagtailusers_users": content["learner"].pk,
    }
    return targets + [
        (name, reverse(name, kwargs=dict.fromkeys(pattern.pattern.converters, pk)))
        for namespace, pk in objects.items()
        for name, pattern in _routes_in(namespace)
        if name not in MATRIX
    ]


def _routes_in(namespace):
    """Every route of one of our admin viewsets, Wagtail's own views included."""
    resolver = get_resolver()
    prefix, inner = resolver.namespace_dict[namespace]
    return [
        (f"{namespace}:{pattern.name}", pattern)
        for pattern in inner.url_patterns
        if isinstance(pattern, URLPattern) and pattern.name
    ]


def _our_route_names():
    names = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                module = getattr(pattern.callback, "__module__", "")
                if module.split(".")[0] in OUR_APPS:
                    names.add(
                        f"{namespace}:{pattern.name}" if namespace else pattern.name
                    )

    walk(get_resolver().url_patterns, None)
    return {name for name in names if name in MATRIX}


def _walk(client, role, name, path):
    """Ask one path every odd thing; return what answered 500 or raised."""
    failures = []

    def ask(method, url, **kwargs):
        try:
            response = getattr(client, method)(url, **kwargs)
            if response.streaming:
                b"".join(response.streaming_content)
        except Exception as error:  # the walk reports every kind of failure
            failures.append(f"{role} {method.upper()} {url[:120]}: {error!r}"[:300])
            return None
        if response.status_code >= 500:
            failures.append(
                f"{role} {method.upper()} {url[:120]}: {response.status_code}"
            )
        return response

    shown = ask("get", path)
    if _answers(shown):
        queries = list(_odd_queries(shown))
        # Wagtail's own views (on our models) get the few that found its bugs.
        for query in queries if name in MATRIX else queries[:3]:
            ask("get", f"{path}{'&' if '?' in path else '?'}{query}")
    if _answers(ask("post", path, data={})):
        for body in _odd_forms(_form_fields(shown)):
            ask("post", path, data=body)
    for content_type, raw in JUNK_BODIES:
        ask("post", path, data=raw, content_type=content_type)
    for method in OTHER_METHODS if _is_page(shown) else ["put", "delete"]:
        ask(method, path)
    for odd_path in _odd_paths(path) if name in MATRIX else ():
        ask("get", odd_path)
        ask("post", odd_path, data={})
    return failures


def _answers(response):
    """Whether the view took the request on: not refused, not sent to log in."""
    if response is None or response.status_code in (403, 404, 405):
        return False
    return not (
        response.status_code == 302
        and urlsplit(response["Location"]).path == reverse("login")
    )


def _is_page(response):
    return response is not None and _is_html(response)


def _is_html(response):
    return not response.streaming and response.get("Content-Type", "").startswith(
        "text/html"
    )


class _FormFields(HTMLParser):
    """Collect the names of a page's form fields, and the values of hidden ones."""

    def __init__(self):
        super().__init__()
        self.names, self.hidden = set(), {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag not in ("input", "select", "textarea", "button") or not name:
            return
        self.names.add(name)
        if attributes.get("type") == "hidden":
            self.hidden.setdefault(name, []).append(attributes.get("value") or "")


def _form_fields(response):
    parser = _FormFields()
    if response is not None and _is_html(response):
        parser.feed(response.content.decode(errors="replace"))
    parser.names |= set(KNOWN_PARAMETERS)
    return parser


def _field_names(response):
    """The names of the form fields the page shows, and those our views read."""
    return _form_fields(response).names


def _odd_queries(response):
    """Odd query strings; a file (not a page) gets one, as it shows no fields."""
    names = sorted(_field_names(response))
    if not _is_html(response):
        yield urlencode(dict.fromkeys(names, ODD_VALUES[0]))
        return
    yield from (urlencode(dict.fromkeys(names, value)) for value in ODD_VALUES)
    yield urlencode([(name, value) for name in names for value in ("1", "2")])
    yield "&".join(["page=1"] * 300)
    yield "%ZZ=%&=" + "%" * 50


def _odd_forms(fields):
    """Odd values in every field; every other time the hidden fields (which
    say what the form holds, as a quiz page's shown questions) keep theirs."""
    names = sorted(fields.names - {"csrfmiddlewaretoken"})
    yield {}
    for turn, value in enumerate(ODD_VALUES):
        form = dict.fromkeys(names, value)
        if turn % 2:
            form.update(fields.hidden)
        yield form
    # Every field, but none of Wagtail's formset and StreamField counts.
    yield {
        **{name: "1" for name in names if not name.endswith("-count")},
        **{
            name: value
            for name, value in fields.hidden.items()
            if not name.endswith("-count")
        },
    }
    yield {name: ["1", "2", "x"] for name in names}


def _odd_paths(path):
    """The same route with each of its arguments replaced by odd values."""
    match = resolve(urlsplit(path).path)
    pattern = _pattern_of(match)
    if pattern is None:
        return
    for argument, value in match.kwargs.items():
        for odd in _odd_arguments(value):
            kwargs = {**match.kwargs, argument: odd}
            yield _path_with(pattern, kwargs, match)


def _pattern_of(match):
    if not match.kwargs or match.url_name is None:
        return None
    return match.view_name


def _odd_arguments(value):
    if isinstance(value, int):
        return HUGE_INTS
    if isinstance(value, uuid.UUID):
        return ODD_UUIDS
    return ODD_STRINGS


def _path_with(view_name, kwargs, match):
    """Reverse with odd values that the converter would refuse to reverse."""
    real = reverse(view_name, kwargs=match.kwargs)
    for argument, value in kwargs.items():
        real = real.replace(f"/{match.kwargs[argument]}/", f"/{value}/", 1)
    return real
