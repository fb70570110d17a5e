"""Check the running topology (make prod-local) through nginx, as a person would.

    python deploy/smoke.py

Reads the run's state.json and env (PROD_LOCAL_DIR, default var/prod-local/), then:
liveness and readiness (every check ok), a demo learner's login, alternate
requests answered by both app processes with one shared session, the request id
in the response and in the app's JSON log, a media image from the media bucket, and
the learner's certificate PDF streamed by the app from the private bucket, which
nginx never serves. Exits 1 at the first failed check.
"""

import hashlib
import http.cookiejar
import json
import re
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import prod_local  # deploy/prod_local.py, beside this script

RUN_DIR = prod_local.RUN_DIR
LEARNER = ("learner2", "learner2@example.org")
READY_TIMEOUT = 60


class SmokeFailure(Exception):
    pass


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A cookie-keeping client that does not follow redirects."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        context = ssl._create_unverified_context()  # noqa: S323 (self-signed)
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies),
            urllib.request.HTTPSHandler(context=context),
            NoRedirect,
        )

    def request(self, path, data=None, headers=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(  # noqa: S310 (our own URL)
            self.base_url + path, data=body, headers=headers or {}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def cookie(self, name):
        return next((c.value for c in self.cookies if c.name == name), "")


def main():
    state = json.loads((RUN_DIR / "state.json").read_text())
    environment = prod_local.read_env_file()
    browser = Browser(state["url"])
    steps = [
        ("liveness", lambda: check_liveness(browser)),
        ("readiness", lambda: check_readiness(browser)),
        ("login", lambda: log_in(browser, RUN_DIR / "var" / "demo-logins.json")),
        ("both app processes, one session", lambda: check_both_processes(browser)),
        ("request id in the JSON log", lambda: check_request_id(browser, state)),
        ("media from the media bucket", lambda: check_media(browser)),
        (
            "certificate from the private bucket",
            lambda: check_certificate(browser, environment),
        ),
    ]
    started = time.monotonic()
    for name, step in steps:
        try:
            detail = step()
        except SmokeFailure as failure:
            print(f"FAIL  {name}: {failure}")
            return 1
        print(f"ok    {name}: {detail}")
    elapsed = time.monotonic() - started
    print(f"All checks passed through {state['url']} in {elapsed:.1f} s")
    return 0


def check_liveness(browser):
    status, _headers, body = browser.request("/healthz/")
    _expect(status == 200 and body == b"ok", f"/healthz/ gave {status} {body[:80]!r}")
    return "200 ok"


def check_readiness(browser):
    deadline = time.monotonic() + READY_TIMEOUT
    while True:
        status, _headers, body = browser.request("/readyz/")
        if status == 200:
            checks = json.loads(body)["checks"]
            return ", ".join(f"{name} {c['status']}" for name, c in checks.items())
        if time.monotonic() > deadline:
            raise SmokeFailure(f"/readyz/ gave {status}: {body[:300]!r}")
        time.sleep(1)


def log_in(browser, logins_file):
    password = json.loads(logins_file.read_text())[LEARNER[0]]
    status, _headers, page = browser.request("/accounts/login/")
    _expect(status == 200, f"the login page gave {status}")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    _expect(token is not None, "no CSRF token on the login page")
    form = {
        "csrfmiddlewaretoken": token.group(1).decode(),
        "username": LEARNER[1],
        "password": password,
    }
    referer = {"Referer": browser.base_url + "/accounts/login/"}
    status, headers, _body = browser.request("/accounts/login/", form, referer)
    _expect(status == 302, f"the login gave {status}, not a redirect")
    _expect(browser.cookie("sessionid"), "no session cookie after the login")
    return f"{LEARNER[1]} signed in"


def check_both_processes(browser):
    served_by = []
    for _ in range(6):
        status, headers, _body = browser.request("/learning/")
        _expect(status == 200, f"/learning/ gave {status} (signed out?)")
        served_by.append(headers.get("X-Served-By", "?"))
    _expect(len(set(served_by)) == 2, f"answered by {served_by}, not by both")
    return " ".join(served_by)


def check_request_id(browser, state):
    status, headers, _body = browser.request("/learning/")
    request_id = headers.get("X-Request-ID", "")
    served_by = headers.get("X-Served-By", "")
    _expect(re.fullmatch(r"[0-9a-f]{32}", request_id), f"request id {request_id!r}")
    log = Path(state["components"][served_by]["log"])
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        for line in log.read_text().splitlines():
            if line.startswith("{") and request_id in line:
                record = json.loads(line)
                _expect(record.get("user_id"), f"no user id in {record}")
                return f"{request_id} in {log.name}, user {record['user_id']}"
        time.sleep(0.2)
    raise SmokeFailure(f"{request_id} is not in {log}")


def check_media(browser):
    _status, _headers, page = browser.request("/")
    image = re.search(rb'src="(/media/[^"]+)"', page)
    _expect(image is not None, "no media image on the catalogue")
    path = image.group(1).decode()
    status, headers, body = browser.request(path)
    content_type = headers.get("Content-Type", "")
    _expect(status == 200 and content_type.startswith("image/"), f"{path}: {status}")
    return f"{path} ({len(body)} bytes, {content_type})"


def check_certificate(browser, environment):
    _status, _headers, page = browser.request("/certificates/")
    link = re.search(rb'href="(/certificates/([0-9a-f-]{36})/download/)"', page)
    _expect(link is not None, "no certificate download link for the learner")
    path, certificate_id = link.group(1).decode(), link.group(2).decode()
    downloads = [_download_when_rendered(browser, path) for _ in range(2)]
    for status, _headers, body in downloads:
        _expect(status == 200, f"{path} gave {status}")
        _expect(body.startswith(b"%PDF"), f"{path} is not a PDF")
    name = f"certificates/{certificate_id}.pdf"
    stored = _private_object(environment, name)
    _expect(stored == downloads[0][2], "the download differs from the stored PDF")
    status, _headers, _body = Browser(browser.base_url).request(f"/media/{name}")
    _expect(status == 404, f"nginx served the private PDF under /media/ ({status})")
    signed_out, _headers, _body = Browser(browser.base_url).request(path)
    _expect(signed_out == 302, f"a signed-out download gave {signed_out}")
    served_by = sorted(headers.get("X-Served-By", "?") for _s, headers, _b in downloads)
    digest = hashlib.sha256(stored).hexdigest()[:12]
    return f"{name} ({len(stored)} bytes, sha256 {digest}…) via {', '.join(served_by)}"


def _download_when_rendered(browser, path):
    """Download; while the worker still renders the PDF (503), wait and retry."""
    deadline = time.monotonic() + READY_TIMEOUT
    while True:
        status, headers, body = browser.request(path)
        if status != 503 or time.monotonic() > deadline:
            return status, headers, body
        time.sleep(1)


def _private_object(environment, name):
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=environment["AWS_S3_ENDPOINT_URL"],
        aws_access_key_id=environment["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=environment["AWS_SECRET_ACCESS_KEY"],
        region_name=environment["AWS_S3_REGION_NAME"],
    )
    stored = client.get_object(Bucket=environment["AWS_PRIVATE_BUCKET_NAME"], Key=name)
    return stored["Body"].read()


def _expect(condition, message):
    if not condition:
        raise SmokeFailure(message)


if __name__ == "__main__":
    sys.exit(main())
