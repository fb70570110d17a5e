"""Benchmark: a learner's lesson page, course page and catalogue (60-lesson course).

Serves the site with gunicorn (2 workers, deploy/gunicorn.conf.py) on SQLite and,
with DATABASE_URL (or where a server answers on 127.0.0.1:5432), on PostgreSQL, then
on PostgreSQL with a Redis server of its own as the cache (as the production
topology); loads each page with wrk (Debian package `wrk`) and prints requests per
second, median / p95 latency and the workers' CPU time per request (their user +
system time from /proc over the requests served, which holds on a busy machine
where requests per second do not), next to a trivial view and a realistic floor
(the session, the user in one query and the base template) served the same way in
the same run, and the workers' memory (PSS) after the run.

    .venv/bin/python bench/lesson_page.py [--seconds 15] [--connections 8]
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

PAGES = ("trivial", "floor", "lesson", "course", "catalogue")

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
PORT = 8765


def main():
    arguments = _arguments()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    results = [_run("SQLite", None, arguments)]
    postgres = os.environ.get("DATABASE_URL") or _postgres_url()
    if postgres:
        keep = "DATABASE_URL" in os.environ
        results.append(_run("PostgreSQL", postgres, arguments, drop=not keep))
        with _own_redis() as redis_url:
            results.append(
                _run(
                    "PG + Redis",
                    postgres if keep else _postgres_url(),
                    arguments,
                    drop=not keep,
                    redis_url=redis_url,
                )
            )
    _print_table(results)


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=8)
    return parser.parse_args()


def _run(label, database_url, arguments, drop=True, redis_url=None):
    with tempfile.TemporaryDirectory(prefix="bench-") as var_dir:
        env = _environment(var_dir, database_url)
        if redis_url:
            env["REDIS_URL"] = redis_url
        _manage(env, "migrate", "--no-input", "-v", "0")
        _manage(env, "collectstatic", "--no-input", "-v", "0")
        seeded = json.loads(
            subprocess.run(
                [PYTHON, "bench/seed_course.py"],
                cwd=PROJECT, env=env, check=True, capture_output=True, text=True,
            ).stdout.strip().splitlines()[-1]
        )  # fmt: skip
        server = _start_gunicorn(env)
        lesson_url = seeded["lesson_url"]
        paths = {
            "trivial": "/bench/trivial/",
            "floor": "/bench/floor/",
            "lesson": lesson_url,
            "course": lesson_url[: lesson_url.index("/", 1) + 1],
            "catalogue": "/",
        }
        try:
            cookie = f"sessionid={seeded['session']}"
            _check(lesson_url, cookie)
            result = {"database": label}
            for page, path in paths.items():
                result[page] = _measure(server.pid, path, cookie, arguments)
            result["worker_pss_mb"] = _workers_pss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=10)
        if database_url and drop:
            _drop_postgres(database_url)
    return result


def _measure(master_pid, path, cookie, arguments):
    """Load the path with wrk; add the workers' CPU milliseconds per request."""
    _wrk(path, cookie, arguments, seconds=2)  # fill caches, start connections
    before = _workers_cpu_seconds(master_pid)
    row = _wrk(path, cookie, arguments)
    spent = _workers_cpu_seconds(master_pid) - before
    row["cpu_ms"] = 1000 * spent / max(row["requests"], 1)
    return row


def _workers_cpu_seconds(master_pid) -> float:
    """Return the user + system CPU time of gunicorn's workers (from /proc)."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text()
    ticks = 0
    for pid in children.split():
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _workers_pss_mb(master_pid) -> list[float]:
    """Return each worker's proportional set size (its own memory plus its share)."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text()
    sizes = []
    for pid in children.split():
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


@contextmanager
def _own_redis():
    """Run a Redis server of the benchmark's own on a free port (nothing on disk)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_for_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _environment(var_dir, database_url):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        PYTHONPATH=str(PROJECT),
        VAR_DIR=var_dir,
        SECRET_KEY="benchmark-only-key-benchmark-only-key-benchmark-only-key-123",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        # No worker is replaced during a run: their CPU time is read per process.
        GUNICORN_MAX_REQUESTS="0",
        CSRF_COOKIE_SECURE="0",
        LOG_LEVEL="WARNING",
        SITE_URL=f"http://127.0.0.1:{PORT}",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _manage(env, *command):
    subprocess.run([PYTHON, "manage.py", *command], cwd=PROJECT, env=env, check=True)


def _start_gunicorn(env):
    """Serve as production does (deploy/gunicorn.conf.py: preloaded, access log)."""
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"), "--config", "deploy/gunicorn.conf.py",
            "--workers", "2", "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning",
        ],
        cwd=PROJECT, env=env, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_for_port(PORT)
    except SystemExit:
        server.terminate()
        raise
    return server


def _wait_for_port(port):
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing answers on port {port}")


def _check(path, cookie):
    """Fail early unless the learner really gets the lesson page (not a redirect)."""
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}")
    request.add_header("Cookie", cookie)
    with urllib.request.urlopen(request) as response:  # noqa: S310 - our own server
        body = response.read().decode()
        if response.status != 200 or "step-done" not in body:
            raise SystemExit(f"{path} did not serve the lesson to the learner")


def _wrk(path, cookie, arguments, seconds=None):
    output = subprocess.run(
        [
            "wrk", "-t2", f"-c{arguments.connections}",
            f"-d{seconds or arguments.seconds}s",
            "-H", f"Cookie: {cookie}", "-s", str(PROJECT / "bench/report.lua"),
            f"http://127.0.0.1:{PORT}{path}",
        ],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return json.loads(output.strip().splitlines()[-1])


def _postgres_url():
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=0.5).close()
    except OSError:
        return None
    name = f"bench_{os.getpid()}"
    created = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {name}"],
        capture_output=True,
    )
    return (
        f"postgres://postgres@127.0.0.1:5432/{name}"
        if created.returncode == 0
        else None
    )


def _drop_postgres(url):
    name = url.rsplit("/", 1)[1]
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE {name}"],
        capture_output=True,
    )


def _print_table(results):
    columns = ("database", "page", "req/s", "p50 ms", "p95 ms", "CPU ms/req", "errors")
    print("{:<11} {:<10} {:>8} {:>8} {:>8} {:>11} {:>7}".format(*columns))
    for result in results:
        for page in PAGES:
            row = result[page]
            print(
                f"{result['database']:<11} {page:<10} {row['rps']:>8.1f} "
                f"{row['p50_ms']:>8.2f} {row['p95_ms']:>8.2f} {row['cpu_ms']:>11.2f} "
                f"{row['errors']:>7}"
            )
        sizes = ", ".join(f"{size:.0f}" for size in result["worker_pss_mb"])
        print(f"{result['database']:<11} workers' PSS after the run: {sizes} MB")
        for page in ("lesson", "course", "catalogue"):
            share = 100 * result[page]["rps"] / result["floor"]["rps"]
            cpu = result[page]["cpu_ms"] / result["floor"]["cpu_ms"]
            print(
                f"{result['database']:<11} {page} page at {share:.0f} % of the floor's "
                f"requests/s, {cpu:.1f}x its CPU per request"
            )


if __name__ == "__main__":
    main()
