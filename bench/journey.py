"""The journey load and fault test against the running topology (make prod-local).

    .venv/bin/python bench/journey.py [--learners 200] [--concurrency 20]
        [--seconds N] [--faults] [--direct] [--course SLUG] [--check-only]

Seeds learner accounts (load-learner-0001@example.org, ...) in the topology's
database, deleting those of an earlier run and their records first. Then each
simulated learner, in threads of plain http.client, does what a person does: logs in
through the login form, opens the catalogue and the course, reads every lesson and
marks it done, opens the quiz, answers every question right (the answers are read
from the quiz in the database when seeding, and found on the page by their text),
submits it, waits on the completion page for the certificate and downloads its PDF.
Requests go through nginx (the X-Served-By header tells which app process answered)
or, with --direct, alternately to each app process's own port.

A learner behaves like a person: on a connection error or an answer of 500 or more
it waits a moment and tries again (the error is counted), and when a fault has
logged it out it logs in again (counted too). --seconds N keeps starting new
learners for N seconds (the pool is --learners, 1,000 by default then). --faults
kills and restarts app1, then kills the task worker while a PDF is being rendered
and restarts it, then restarts the topology's own Redis, with pauses between;
learners keep starting until the faults are over.

At the end, once the task worker has drained its queue, the database is checked: no
mark-done that the client saw succeed is missing, no learner holds two valid
certificates for the course, each submission was graded once, every completed
enrolment has its certificate and every certificate its PDF in the private bucket.
The script exits 1 when a check fails. --check-only runs the checks again on the
last run's learners (their journal is kept in the run folder).
"""

import argparse
import copy
import hashlib
import html
import http.client
import itertools
import json
import os
import random
import re
import signal
import ssl
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from deploy import prod_local  # noqa: E402

RUN_DIR = prod_local.RUN_DIR
# The restarts run prod_local.py with this, not with the app's environment.
ORIGINAL_ENVIRONMENT = dict(os.environ)
JOURNAL_FILE = RUN_DIR / "journey-last.json"
EMAIL_PREFIX, EMAIL_DOMAIN = "load-learner-", "@example.org"
PASSWORD = "load-learner-password"  # noqa: S105 (throwaway accounts of the bench)
DEFAULT_COURSE = "welcome-to-the-city"
RENDER_TASK = "certificates.tasks.render_certificate"
REQUEST_TIMEOUT = 60
RETRY_PAUSE = 1.0
GIVE_UP_AFTER = 90
COMPLETION_POLL = 3
COMPLETION_PATIENCE = 30
DOWNLOAD_POLL = 10
CERTIFICATE_PATIENCE = 240
MAX_RELOGINS = 5
FAULT_FIRST_DELAY = 10
FAULT_PAUSE = 15
FAULT_TAIL = 5
RENDER_WAIT = 60
DRAIN_TIMEOUT = 300
STEPS = (
    "login page",
    "login",
    "catalogue",
    "course",
    "lesson",
    "mark done",
    "quiz page",
    "quiz submit",
    "certificate",
)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class NotRunning(Exception):
    """The topology is not running (or not all of it)."""


class LoggedOut(Exception):
    """The site sent the learner to the login page."""


class JourneyFailed(Exception):
    """The learner could not go on; the message says where and why."""


# The topology


@dataclass
class Topology:
    state: dict
    environment: dict

    @property
    def url(self):
        return self.state["url"]

    def app_urls(self):
        return [self.state["components"][name]["url"] for name in ("app1", "app2")]


def read_topology() -> Topology:
    """Read state.json and env from the run folder; raise NotRunning if not all run."""
    state = prod_local._read_state()
    if not state.get("components") or not (RUN_DIR / "env").exists():
        raise NotRunning(f"no running topology in {RUN_DIR} (start: make prod-local)")
    stopped = [
        name
        for name, component in state["components"].items()
        if not prod_local._is_our_process(component["pid"], component["command"])
    ]
    if stopped:
        raise NotRunning(
            f"not running: {', '.join(stopped)} (restart: make prod-local)"
        )
    try:
        prod_local._wait_for_http(f"{state['url']}/healthz/")
    except TimeoutError as error:
        raise NotRunning(str(error)) from error
    return Topology(state=state, environment=prod_local.read_env_file())


def set_up_django(environment):
    """Run Django in this process against the topology's database, cache and S3."""
    import django

    os.environ.update(environment)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()


# Seeding


@dataclass
class Plan:
    """What the learners take: the course, its steps and the quiz's right answers."""

    course_id: int
    course_title: str
    course_url: str
    lessons: list  # [(page id, path)]
    quiz_id: int
    quiz_url: str
    answer_key: dict
    learners: list  # [(e-mail, user id)]


def seed(*, course_slug: str, count: int) -> Plan:
    """Recreate `count` load learners; return the plan of the course they take."""
    from lessons.models import CoursePage, LessonPage
    from quizzes.models import QuizPage

    course = CoursePage.objects.get(slug=course_slug)
    if course.certificate_template is None:
        raise SystemExit(f"The course {course_slug} gives no certificate.")
    steps = course.get_outline().steps
    lesson_ids = set(
        LessonPage.objects.filter(pk__in=[s.pk for s in steps]).values_list(
            "pk", flat=True
        )
    )
    quiz = QuizPage.objects.get(pk=next(s.pk for s in steps if s.pk not in lesson_ids))
    remove_load_learners()
    return Plan(
        course_id=course.pk,
        course_title=course.title,
        course_url=course.url,
        lessons=[(s.pk, s.url) for s in steps if s.pk in lesson_ids],
        quiz_id=quiz.pk,
        quiz_url=quiz.url,
        answer_key=answer_key(quiz),
        learners=create_load_learners(count),
    )


def load_learners():
    from people.models import User

    return User.objects.filter(
        email__startswith=EMAIL_PREFIX, email__endswith=EMAIL_DOMAIN
    )


def remove_load_learners() -> int:
    """Delete the load learners of an earlier run with every record they have."""
    from certificates.models import Certificate
    from lessons.models import Enrollment, StepCompletion
    from quizzes.models import QuizAttempt

    learners = load_learners()
    for certificate in Certificate.objects.filter(user__in=learners).exclude(pdf=""):
        certificate.pdf.delete(save=False)
    for model in (Certificate, QuizAttempt, StepCompletion, Enrollment):
        model.objects.filter(user__in=learners).delete()
    removed, _by_model = learners.delete()
    return removed


def create_load_learners(count) -> list:
    """Create the learners with one password hash (PBKDF2 costs ~0.5 s a hash)."""
    from django.contrib.auth.hashers import make_password

    from people.models import User

    password = make_password(PASSWORD)
    User.objects.bulk_create(
        User(
            email=f"{EMAIL_PREFIX}{number:04d}{EMAIL_DOMAIN}",
            first_name="Load",
            last_name=f"Learner {number:04d}",
            preferred_language="en",
            password=password,
        )
        for number in range(1, count + 1)
    )
    return list(load_learners().order_by("email").values_list("email", "pk"))


def answer_key(quiz) -> dict:
    """Return each question's right answer by its text, as the page shows it.

    Choices, matches and items get new random ids in each attempt, so the learner
    finds the right ones on the page by their text.
    """
    from quizzes.grading import is_right
    from quizzes.questions import snapshot

    every_question = copy.copy(quiz)
    every_question.draw_count = 0
    every_question.shuffle_questions = every_question.shuffle_choices = False
    return {
        question["id"]: _right_answer(question, is_right)
        for question in snapshot(every_question, rng=random.Random(0))
    }


def _right_answer(question, is_right) -> dict:
    kind = question["kind"]
    if kind in ("single_choice", "multiple_choice"):
        right = [c["html"] for c in question["choices"] if is_right(question, c)]
        return {"kind": kind, "texts": [plain_text(text) for text in right]}
    if kind == "true_false":
        return {"kind": kind, "truth": question["correct"]}
    if kind in ("short_text", "numeric"):
        best = max(question["answers"], key=lambda answer: answer["weight"])
        if kind == "short_text":
            return {"kind": kind, "text": best["text"]}
        value = best["low"] if best["mode"] == "range" else best["value"]
        return {"kind": kind, "text": str(value)}
    if kind == "matching":
        rights = {right["id"]: right["text"] for right in question["rights"]}
        pairs = {
            plain_text(left["text"]): plain_text(rights[question["key"][left["id"]]])
            for left in question["lefts"]
        }
        return {"kind": kind, "pairs": pairs}
    texts = {item["id"]: plain_text(item["text"]) for item in question["items"]}
    return {"kind": kind, "order": [texts[item] for item in question["order"]]}


def plain_text(markup: str) -> str:
    """Return the text of an HTML fragment: no tags, entities read, spaces folded."""
    text = html.unescape(re.sub(r"<[^>]+>", "", markup or ""))
    return " ".join(text.split())


# Answering the quiz page


def quiz_form(page: str, key: dict) -> list:
    """Return the fields of the quiz form with every shown question answered right."""
    question_ids = re.findall(r'name="shown" value="([^"]+)"', page)
    labels = {
        target: plain_text(text)
        for target, text in re.findall(
            r'<label for="([^"]+)">(.*?)</label>', page, flags=re.S
        )
    }
    fields = [("shown", question_id) for question_id in question_ids]
    for question_id in question_ids:
        if question_id not in key:
            raise JourneyFailed(f"the question {question_id} is not in the quiz")
        fields += _answer_fields(page, question_id, key[question_id], labels)
    return fields


def _answer_fields(page, question_id, answer, labels) -> list:
    name = f"q.{question_id}"
    kind = answer["kind"]
    if kind in ("short_text", "numeric"):
        return [(name, answer["text"])]
    if kind in ("single_choice", "multiple_choice", "true_false"):
        return _choice_fields(page, name, answer, labels)
    return _select_fields(page, name, answer)


def _choice_fields(page, name, answer, labels) -> list:
    inputs = re.findall(
        rf'<input type="(?:radio|checkbox)" name="{re.escape(name)}" '
        r'id="([^"]+)" value="([^"]+)"',
        page,
    )
    if answer["kind"] == "true_false":
        # "True" is always served first, in the learner's own language.
        return [(name, inputs[0 if answer["truth"] else 1][1])]
    chosen = [(name, value) for id_, value in inputs if labels[id_] in answer["texts"]]
    if len(chosen) != len(answer["texts"]):
        raise JourneyFailed(f"the right choices of {name} are not on the page")
    return chosen


def _select_fields(page, name, answer) -> list:
    rows = re.findall(
        rf'<label for="{re.escape(name)}-[^"]+">(.*?)</label>\s*'
        rf'<select name="({re.escape(name)}\.[^"]+)"[^>]*>(.*?)</select>',
        page,
        flags=re.S,
    )
    fields = []
    for label, field_name, options in rows:
        text = plain_text(label)
        if answer["kind"] == "matching":
            wanted = answer["pairs"][text]
        else:
            wanted = str(answer["order"].index(text) + 1)
        fields.append((field_name, _option_value(options, wanted)))
    return fields


def _option_value(options, wanted) -> str:
    for value, text in re.findall(
        r'<option value="([^"]*)"[^>]*>(.*?)</option>', options
    ):
        if value and plain_text(text) == wanted:
            return value
    raise JourneyFailed(f"no option {wanted!r} on the quiz page")


# The client


@dataclass
class Answer:
    status: int
    headers: object
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        """The redirect's path (and query), without scheme and host."""
        parts = urllib.parse.urlsplit(self.headers.get("Location", ""))
        return parts.path + (f"?{parts.query}" if parts.query else "")

    @property
    def served_by(self) -> str:
        return self.headers.get("X-Served-By", "?")


class Browser:
    """Keep the cookies; send each request on a new connection, to the origins in
    turn (nginx alone, or each app process)."""

    def __init__(self, origins, referer_origin):
        self.origins = [urllib.parse.urlsplit(origin) for origin in origins]
        self.turns = itertools.cycle(range(len(self.origins)))
        self.referer_origin = referer_origin
        self.cookies = {}

    def send(self, method, path, form=None) -> Answer:
        """Send one request; raise OSError (or HTTPException) when it gets no answer."""
        origin = self.origins[next(self.turns)]
        body = urllib.parse.urlencode(form).encode() if form is not None else None
        headers = {"Cookie": self._cookie_header(), "Connection": "close"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = self.referer_origin + path
        connection = self._connect(origin)
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        self._keep_cookies(response.msg.get_all("Set-Cookie") or [])
        return Answer(response.status, response.msg, data, time.monotonic() - started)

    def _connect(self, origin):
        if origin.scheme == "https":
            context = ssl._create_unverified_context()  # noqa: S323 (self-signed)
            return http.client.HTTPSConnection(
                origin.hostname, origin.port, timeout=REQUEST_TIMEOUT, context=context
            )
        return http.client.HTTPConnection(
            origin.hostname, origin.port, timeout=REQUEST_TIMEOUT
        )

    def _cookie_header(self):
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def _keep_cookies(self, lines):
        for line in lines:
            cookie = SimpleCookie()
            cookie.load(line)
            for name, morsel in cookie.items():
                if morsel.value in ("", '""') or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


# What happened


@dataclass
class Sample:
    step: str
    at: float  # seconds since the load started
    seconds: float
    status: int | None
    served_by: str
    problem: str  # "", "5xx", "connection" or "4xx"


@dataclass
class Journal:
    """What one learner saw: the records the database must hold afterwards."""

    email: str
    user_id: int
    marked_done: list = field(default_factory=list)
    attempt_id: int | None = None
    submitted: bool = False
    completed: bool = False
    certificate_id: str = ""
    certificate_wait: float | None = None  # seconds from the submit to the PDF
    pdf_sha256: str = ""
    relogins: int = 0
    finished: bool = False
    failure: str = ""


class Recorder:
    """Every request's sample, and the moments learners logged in again."""

    def __init__(self):
        self.started = time.monotonic()
        self.samples = []
        self.relogins = []

    def now(self) -> float:
        return time.monotonic() - self.started

    def add(self, step, answer=None, *, problem="", seconds=0.0):
        self.samples.append(
            Sample(
                step=step,
                at=self.now(),
                seconds=answer.seconds if answer else seconds,
                status=answer.status if answer else None,
                served_by=answer.served_by if answer else "",
                problem=problem,
            )
        )


# A learner


class Learner:
    """One person taking the course, from login to the certificate's PDF."""

    def __init__(self, *, plan, journal, browser, recorder):
        self.plan = plan
        self.journal = journal
        self.browser = browser
        self.recorder = recorder

    def take_course(self):
        try:
            self._log_in()
            self._step(lambda: self._open("catalogue", "/"))
            self._step(lambda: self._open("course", self.plan.course_url))
            for page_id, path in self.plan.lessons:
                self._step(lambda p=page_id, u=path: self._read_and_mark_done(p, u))
            attempt_id, page = self._step(self._start_quiz)
            self._step(lambda: self._submit_quiz(attempt_id, page))
            self._step(self._fetch_certificate)
            self.journal.finished = True
        except JourneyFailed as failure:
            self.journal.failure = str(failure)

    def _step(self, action):
        """Run a step; when a fault logged the learner out, log in and run it again."""
        for _ in range(MAX_RELOGINS):
            try:
                return action()
            except LoggedOut:
                self.journal.relogins += 1
                self.recorder.relogins.append(self.recorder.now())
                self._log_in()
        raise JourneyFailed(f"logged out {MAX_RELOGINS} times")

    def _request(self, step, method, path, form=None, *, expected=(200, 302)):
        """Send until answered; a connection error or a 5xx is retried, as a person
        presses reload. An answer not `expected` is counted as a problem."""
        deadline = time.monotonic() + GIVE_UP_AFTER
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                answer = self.browser.send(method, path, form)
            except (OSError, http.client.HTTPException):
                self.recorder.add(
                    step, problem="connection", seconds=time.monotonic() - started
                )
                time.sleep(RETRY_PAUSE)
                continue
            self.recorder.add(step, answer, problem=_problem(answer, expected))
            if answer.status >= 500 and answer.status not in expected:
                time.sleep(RETRY_PAUSE)
                continue
            return answer
        raise JourneyFailed(
            f"{step}: {method} {path} got no answer in {GIVE_UP_AFTER} s"
        )

    def _open(self, step, path) -> str:
        answer = self._request(step, "GET", path)
        self._check_signed_in(answer)
        if answer.status != 200:
            raise JourneyFailed(f"{step}: GET {path} gave {answer.status}")
        return answer.text

    def _post(self, step, path, form, *, expected=(302,)) -> Answer:
        answer = self._request(step, "POST", path, form, expected=expected)
        self._check_signed_in(answer)
        if answer.status not in expected:
            raise JourneyFailed(f"{step}: POST {path} gave {answer.status}")
        return answer

    def _check_signed_in(self, answer):
        if answer.status == 302 and answer.location.startswith("/accounts/login/"):
            raise LoggedOut

    def _log_in(self):
        for _ in range(3):
            page = self._request("login page", "GET", "/accounts/login/")
            form = {
                "csrfmiddlewaretoken": _token(page.text),
                "username": self.journal.email,
                "password": PASSWORD,
            }
            answer = self._request("login", "POST", "/accounts/login/", form)
            if answer.status == 302 and "sessionid" in self.browser.cookies:
                return
        raise JourneyFailed(f"login: gave {answer.status} three times")

    def _read_and_mark_done(self, page_id, path):
        page = self._open("lesson", path)
        action = f"/steps/{page_id}/complete/"
        if action not in page:
            # Done before: a retried mark-done that went through the first time.
            self.journal.marked_done.append(page_id)
            return
        self._post("mark done", action, {"csrfmiddlewaretoken": _token(page)})
        self.journal.marked_done.append(page_id)

    def _start_quiz(self):
        page = self._open("quiz page", self.plan.quiz_url)
        open_attempt = re.search(r'href="/quizzes/attempts/([0-9]+)/"', page)
        if open_attempt:
            attempt_id = int(open_attempt[1])
        else:
            start = f"/quizzes/{self.plan.quiz_id}/start/"
            answer = self._post(
                "quiz page", start, {"csrfmiddlewaretoken": _token(page)}
            )
            attempt_id = int(re.search(r"/attempts/([0-9]+)/", answer.location)[1])
        self.journal.attempt_id = attempt_id
        return attempt_id, self._open("quiz page", f"/quizzes/attempts/{attempt_id}/")

    def _submit_quiz(self, attempt_id, page):
        attempt = f"/quizzes/attempts/{attempt_id}"
        answers = quiz_form(page, self.plan.answer_key)
        form = [("csrfmiddlewaretoken", _token(page)), *answers, ("go", "review")]
        saved = self._post("quiz submit", f"{attempt}/save/", form)
        if not saved.location.startswith(f"{attempt}/submit/"):
            raise JourneyFailed(f"quiz submit: saving went to {saved.location}")
        review = self._request("quiz submit", "GET", f"{attempt}/submit/")
        self._check_signed_in(review)
        if review.status == 302 and "/result/" in review.location:
            self.journal.submitted = True  # a retried submit went through before
            return
        token = {"csrfmiddlewaretoken": _token(review.text)}
        # 409: the first try of a retried submit was graded; the attempt is closed.
        submitted = self._post(
            "quiz submit", f"{attempt}/submit/", token, expected=(302, 409)
        )
        self.journal.submitted = True
        self.journal.completed = "/completed/" in submitted.location

    def _fetch_certificate(self):
        """Wait on the completion page as its script does, then download the PDF."""
        completion = f"/courses/{self.plan.course_id}/completed/"
        started = time.monotonic()
        deadline = time.monotonic() + CERTIFICATE_PATIENCE
        patience = time.monotonic() + COMPLETION_PATIENCE
        while True:
            page = self._open("certificate", completion)
            link = re.search(r'href="(/certificates/([0-9a-f-]{36})/download/)"', page)
            if link or time.monotonic() > patience:
                break
            time.sleep(COMPLETION_POLL)
        if not link:
            # The person runs out of patience and opens "My certificates".
            mine = self._open("certificate", "/certificates/")
            link = re.search(r'href="(/certificates/([0-9a-f-]{36})/download/)"', mine)
        if not link:
            raise JourneyFailed("certificate: no download link")
        self.journal.certificate_id = link[2]
        self._download(link[1], deadline)
        self.journal.certificate_wait = time.monotonic() - started

    def _download(self, path, deadline):
        while True:
            answer = self._request("certificate", "GET", path, expected=(200, 503))
            self._check_signed_in(answer)
            if answer.status == 200 and answer.body.startswith(b"%PDF"):
                self.journal.pdf_sha256 = hashlib.sha256(answer.body).hexdigest()
                return
            if answer.status != 503 or time.monotonic() > deadline:
                raise JourneyFailed(f"certificate: the download gave {answer.status}")
            time.sleep(DOWNLOAD_POLL)


def _problem(answer, expected) -> str:
    if answer.status in expected:
        return ""
    if answer.status >= 500:
        return "5xx"
    if answer.status >= 400:
        return "4xx"
    return ""


def _token(page: str) -> str:
    found = TOKEN.search(page)
    if not found:
        raise JourneyFailed("no CSRF token on the page")
    return found[1]


# The load


class Load:
    """Start learners in threads until the pool, the time or the faults are over."""

    def __init__(self, *, plan, topology, concurrency, seconds, direct, faults_running):
        self.plan = plan
        self.topology = topology
        self.concurrency = concurrency
        self.seconds = seconds
        self.faults_running = faults_running
        self.origins = topology.app_urls() if direct else [topology.url]
        self.recorder = Recorder()
        self.journals = []
        self._next = iter(plan.learners)
        self._lock = threading.Lock()

    def run(self):
        threads = [
            threading.Thread(target=self._work, name=f"learner-{n}", daemon=True)
            for n in range(self.concurrency)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return self.recorder.now()

    def _work(self):
        while (journal := self._next_journal()) is not None:
            browser = Browser(self.origins, self.topology.url)
            Learner(
                plan=self.plan, journal=journal, browser=browser, recorder=self.recorder
            ).take_course()

    def _next_journal(self):
        with self._lock:
            if not self._may_start():
                return None
            email, user_id = next(self._next, (None, None))
            if email is None:
                return None
            journal = Journal(email=email, user_id=user_id)
            self.journals.append(journal)
            return journal

    def _may_start(self) -> bool:
        """Go on for --seconds, while the faults last, or else through the pool."""
        if self.seconds and self.recorder.now() < self.seconds:
            return True
        if self.faults_running is not None:
            return self.faults_running.is_set()
        return not self.seconds


# Faults


@dataclass
class Fault:
    name: str
    started: float
    ended: float
    note: str = ""


class Faults(threading.Thread):
    """Kill app1, then the worker mid-render, then restart Redis, one at a time."""

    def __init__(self, load):
        super().__init__(name="faults", daemon=True)
        self.load = load
        self.done = []
        self.orphaned_tasks = set()
        self.stalled_before = _running_renders()
        load.faults_running.set()

    def run(self):
        from django.db import connection

        try:
            time.sleep(FAULT_FIRST_DELAY)
            self._fault("kill app1", lambda: self._restart("app1", kill=True))
            time.sleep(FAULT_PAUSE)
            self._fault("kill the worker mid-render", self._kill_worker_mid_render)
            time.sleep(FAULT_PAUSE)
            self._fault("restart redis", lambda: self._restart("redis"))
            time.sleep(FAULT_PAUSE)
        finally:
            self.load.faults_running.clear()
            connection.close()

    def _fault(self, name, action):
        started = self.load.recorder.now()
        note = action() or ""
        self.done.append(Fault(name, started, self.load.recorder.now(), note))
        print(f"  fault: {name} ({self.done[-1].ended - started:.1f} s) {note}")

    def _restart(self, name, *, kill=False):
        command = [sys.executable, str(BASE_DIR / "deploy" / "prod_local.py")]
        command += ["restart", name, *(["--kill"] if kill else [])]
        result = subprocess.run(  # noqa: S603 (our own script)
            command, env=ORIGINAL_ENVIRONMENT, capture_output=True, text=True
        )
        if result.returncode != 0:
            return f"restart failed: {result.stdout}{result.stderr}".strip()
        return ""

    def _kill_worker_mid_render(self):
        """SIGKILL the worker as soon as a render task runs, then start it again."""
        running = _wait_for_running_render(RENDER_WAIT)
        worker = prod_local._read_state()["components"]["worker"]
        if prod_local._is_our_process(worker["pid"], worker["command"]):
            os.killpg(worker["pid"], signal.SIGKILL)
        left_running = _running_renders()
        self.orphaned_tasks = (left_running & running) - self.stalled_before
        note = self._restart("worker", kill=True)
        if not running:
            return f"no render was running within {RENDER_WAIT} s; killed anyway {note}"
        return f"{len(self.orphaned_tasks)} render(s) left RUNNING by the kill {note}"


def _running_renders() -> set:
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return set(
        DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, task_path=RENDER_TASK
        ).values_list("pk", flat=True)
    )


def _wait_for_running_render(timeout) -> set:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if running := _running_renders():
            return running
        time.sleep(0.05)
    return set()


# Draining and checking


def drain_worker(*, orphaned, timeout=DRAIN_TIMEOUT) -> tuple[float, dict]:
    """Wait until the worker has no task due or running (but `orphaned` ones).

    A task a killed worker left RUNNING is queued again by the restarted worker
    once the killed one's heartbeat has expired (within a minute), and waited for;
    `orphaned` are those left by runs before this one.
    """
    from django.utils import timezone
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    started = time.monotonic()
    while True:
        due = DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, run_after__lte=timezone.now()
        ).count()
        running = (
            DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
            .exclude(pk__in=orphaned)
            .count()
        )
        if (due == 0 and running == 0) or time.monotonic() - started > timeout:
            break
        time.sleep(1)
    statuses = Counter(DBTaskResult.objects.values_list("status", flat=True))
    return time.monotonic() - started, {"due": due, "running": running, **statuses}


def _statuses(task_ids) -> dict:
    from django_tasks_db.models import DBTaskResult

    results = DBTaskResult.objects.filter(pk__in=task_ids)
    return dict(Counter(results.values_list("status", flat=True)))


@dataclass
class Check:
    name: str
    passed: bool
    detail: str


def check_database(quiz_id, course_id, journals) -> list:
    """Compare what the learners saw with what the database and the bucket hold."""
    return [
        _check_completions(journals, quiz_id),
        _check_certificates_not_doubled(course_id),
        _check_graded_once(journals, quiz_id),
        _check_completed_have_certificates(course_id),
        _check_pdfs_stored(journals, course_id),
        _check_journeys_finished(journals),
    ]


def _check_completions(journals, quiz_id) -> Check:
    from lessons.models import StepCompletion

    seen = {(j.user_id, page) for j in journals for page in j.marked_done}
    seen |= {(j.user_id, quiz_id) for j in journals if j.submitted}
    stored = set(
        StepCompletion.objects.filter(
            user_id__in=[j.user_id for j in journals]
        ).values_list("user_id", "page_id")
    )
    lost = sorted(seen - stored)
    return Check(
        "no lost completions",
        not lost,
        f"{len(seen)} completions seen (mark-dones and passed quizzes), "
        f"{len(lost)} missing" + (f": {lost[:5]}" if lost else ""),
    )


def _check_certificates_not_doubled(course_id) -> Check:
    from django.db.models import Count

    from certificates.models import Certificate

    doubled = list(
        Certificate.objects.valid()
        .filter(user__in=load_learners(), course_id=course_id)
        .values("user_id")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
        .values_list("user_id", "count")
    )
    return Check(
        "no doubled certificates",
        not doubled,
        f"{len(doubled)} learners with more than one valid certificate"
        + (f": {doubled[:5]}" if doubled else ""),
    )


def _check_graded_once(journals, quiz_id) -> Check:
    from django.db.models import Count, Q

    from quizzes.models import AttemptState, QuizAttempt

    counts = dict(
        QuizAttempt.objects.filter(quiz_id=quiz_id, user__in=load_learners())
        .values("user_id")
        .annotate(
            graded=Count("pk", filter=Q(state=AttemptState.SUBMITTED, passed=True))
        )
        .values_list("user_id", "graded")
    )
    wrong = [
        (j.email, counts.get(j.user_id, 0))
        for j in journals
        if counts.get(j.user_id, 0) > 1 or (j.submitted and j.user_id not in counts)
    ]
    submitted = sum(j.submitted for j in journals)
    return Check(
        "every submission graded once",
        not wrong,
        f"{submitted} submissions, {sum(counts.values())} passed attempts graded"
        + (f"; wrong: {wrong[:5]}" if wrong else ""),
    )


def _check_completed_have_certificates(course_id) -> Check:
    from certificates.models import Certificate
    from lessons.models import Enrollment

    completed = Enrollment.objects.filter(
        user__in=load_learners(), course_id=course_id, completed_at__isnull=False
    )
    holders = Certificate.objects.valid().filter(enrollment__in=completed)
    missing = completed.exclude(pk__in=holders.values("enrollment_id"))
    emails = list(missing.values_list("user__email", flat=True)[:5])
    return Check(
        "every completion has its certificate",
        not emails,
        f"{completed.count()} completed enrolments, {missing.count()} without one"
        + (f": {emails}" if emails else ""),
    )


def _check_pdfs_stored(journals, course_id) -> Check:
    from certificates.models import Certificate

    downloaded = {j.certificate_id: j.pdf_sha256 for j in journals if j.pdf_sha256}
    certificates = list(
        Certificate.objects.filter(user__in=load_learners(), course_id=course_id)
    )
    problems = []
    for certificate in certificates:
        if not certificate.pdf or not certificate.pdf.storage.exists(
            certificate.pdf.name
        ):
            problems.append(f"{certificate.pk}: no PDF in the bucket")
        elif downloaded.get(str(certificate.pk), certificate.pdf_sha256) != (
            certificate.pdf_sha256
        ):
            problems.append(f"{certificate.pk}: the download differs from the record")
    return Check(
        "every certificate's PDF in the private bucket",
        not problems,
        f"{len(certificates)} certificates, {len(downloaded)} downloaded and matching"
        + (f"; {problems[:5]}" if problems else ""),
    )


def _check_journeys_finished(journals) -> Check:
    failed = [(j.email, j.failure) for j in journals if not j.finished]
    return Check(
        "every journey finished",
        not failed,
        f"{len(journals) - len(failed)} of {len(journals)} learners got their PDF"
        + (f"; {failed[:5]}" if failed else ""),
    )


# Reporting


def print_load_report(samples, elapsed, journals):
    total = len(samples)
    print(f"\n{total} requests in {elapsed:.1f} s: {total / elapsed:.1f} requests/s")
    finished = sum(j.finished for j in journals)
    relogins = sum(j.relogins for j in journals)
    print(f"{finished} of {len(journals)} journeys finished, {relogins} re-logins")
    print(
        f"  {'step':<12} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'5xx':>5} {'conn':>5} {'4xx':>5}"
    )
    by_step = defaultdict(list)
    for sample in samples:
        by_step[sample.step].append(sample)
    for step in STEPS:
        print(_step_line(step, by_step.get(step, [])))
    served = Counter(s.served_by.replace("?", "nginx alone") for s in samples)
    served.pop("", None)
    split = ", ".join(
        f"{name} {count} ({100 * count / max(total, 1):.0f} %)"
        for name, count in sorted(served.items())
    )
    print(f"Answered by: {split}")
    waits = sorted(j.certificate_wait for j in journals if j.certificate_wait)
    if waits:
        print(
            f"From the submit to the PDF: p50 {_percentile(waits, 50):.1f} s, "
            f"p95 {_percentile(waits, 95):.1f} s, longest {waits[-1]:.1f} s"
        )


def _step_line(step, samples) -> str:
    answered = sorted(s.seconds * 1000 for s in samples if s.status is not None)
    problems = Counter(s.problem for s in samples)
    return (
        f"  {step:<12} {len(samples):>6} {_percentile(answered, 50):>8.0f} "
        f"{_percentile(answered, 95):>8.0f} {_percentile(answered, 99):>8.0f} "
        f"{problems['5xx']:>5} {problems['connection']:>5} {problems['4xx']:>5}"
    )


def _percentile(values, percent) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


def print_fault_report(faults, recorder):
    print("\nWhat the learners saw during each fault (from its start to 5 s after it):")
    for fault in faults:
        window = [
            s
            for s in recorder.samples
            if fault.started <= s.at <= fault.ended + FAULT_TAIL
        ]
        problems = Counter(
            (s.step, s.status or "no answer") for s in window if s.problem
        )
        relogins = sum(
            fault.started <= at <= fault.ended + FAULT_TAIL for at in recorder.relogins
        )
        seen = ", ".join(
            f"{step} {status} x{count}"
            for (step, status), count in sorted(problems.items(), key=str)
        )
        print(
            f"  {fault.name}: {len(window)} requests, "
            f"{sum(problems.values())} errors ({seen or 'none'}), {relogins} re-logins"
        )


def print_checks(checks) -> bool:
    print("\nChecks against the database and the private bucket:")
    for check in checks:
        print(f"  {'ok  ' if check.passed else 'FAIL'}  {check.name}: {check.detail}")
    return all(check.passed for check in checks)


def save_journal(plan, journals):
    data = {
        "quiz_id": plan.quiz_id,
        "course_id": plan.course_id,
        "journals": [asdict(journal) for journal in journals],
    }
    JOURNAL_FILE.write_text(json.dumps(data, indent=1))


def load_journal():
    try:
        data = json.loads(JOURNAL_FILE.read_text())
    except FileNotFoundError:
        raise SystemExit(
            f"No earlier run to check: {JOURNAL_FILE} is missing."
        ) from None
    journals = [Journal(**journal) for journal in data["journals"]]
    return data["quiz_id"], data["course_id"], journals


# Main


def main(argv=None):
    options = parse_arguments(argv)
    try:
        topology = read_topology()
    except NotRunning as error:
        print(f"The topology is not running: {error}", file=sys.stderr)
        return 2
    set_up_django(topology.environment)
    if options.check_only:
        quiz_id, course_id, journals = load_journal()
        return 0 if print_checks(check_database(quiz_id, course_id, journals)) else 1
    return run_journey(options, topology)


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=0)
    parser.add_argument("--faults", action="store_true")
    parser.add_argument("--direct", action="store_true")
    parser.add_argument("--course", default=DEFAULT_COURSE)
    parser.add_argument("--check-only", action="store_true")
    options = parser.parse_args(argv)
    if options.learners is None:
        options.learners = 1000 if options.seconds or options.faults else 200
    return options


def run_journey(options, topology):
    started = time.monotonic()
    stalled_before = _running_renders()
    plan = seed(course_slug=options.course, count=options.learners)
    print(
        f"Seeded {len(plan.learners)} learners in {time.monotonic() - started:.1f} s "
        f"for {plan.course_title!r} ({len(plan.lessons)} lessons, a quiz of "
        f"{len(plan.answer_key)} questions)"
    )
    load = Load(
        plan=plan,
        topology=topology,
        concurrency=options.concurrency,
        seconds=options.seconds,
        direct=options.direct,
        faults_running=threading.Event() if options.faults else None,
    )
    via = "app1 and app2 directly" if options.direct else f"nginx {topology.url}"
    print(f"Load: {options.concurrency} learners at a time, through {via}")
    faults = Faults(load) if options.faults else None
    if faults:
        faults.start()
    elapsed = load.run()
    if faults:
        faults.join()
    print_load_report(load.recorder.samples, elapsed, load.journals)
    if faults:
        print_fault_report(faults.done, load.recorder)
    orphaned = faults.orphaned_tasks if faults else set()
    waited, tasks = drain_worker(orphaned=stalled_before)
    print(f"\nThe worker drained in {waited:.0f} s; tasks now: {tasks}")
    if orphaned:
        print(f"  left RUNNING by the killed worker: {sorted(map(str, orphaned))}")
        print(f"  and since run again: {_statuses(orphaned)}")
    save_journal(plan, load.journals)
    checks = check_database(plan.quiz_id, plan.course_id, load.journals)
    return 0 if print_checks(checks) else 1


if __name__ == "__main__":
    sys.exit(main())
