"""Start or stop the production topology on this machine.

    python deploy/prod_local.py start     # make prod-local
    python deploy/prod_local.py stop      # make prod-local-stop
    python deploy/prod_local.py restart app1|app2|worker|redis [--kill]

`start` brings up, from this checkout: a Redis server of its own and an S3
endpoint (moto in server mode) on free ports, a fresh PostgreSQL database on the
local server (migrated, with the demo loaded), a task worker, two gunicorn app
processes and nginx in front of them. Running it again stops the previous run
first. Everything lives in the run folder (PROD_LOCAL_DIR, default
var/prod-local/): PID files, logs, the nginx configuration, `env` (the app's
environment, for `manage.py` against the topology) and `state.json` (what runs
where, read by deploy/smoke.py). `stop` ends every process it started and drops
its database; the machine's shared PostgreSQL and Redis servers are left running.
`restart` stops one component of the running topology (with `--kill`, SIGKILL to its
process group, as a crash would) and starts it again with the same command,
environment and port, updating state.json; bench/journey.py uses it for its faults.

The environment may set POSTGRES_ADMIN_URL (default postgres://postgres@127.0.0.1:
5432/postgres), PROD_LOCAL_DATABASE (oppimo_prod_local), PROD_LOCAL_PORT (nginx,
default a free port), PROD_LOCAL_TLS=1 (HTTPS with a self-signed certificate) and
GUNICORN_WORKERS.
"""

import json
import os
import secrets
import shlex
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VENV_BIN = BASE_DIR / ".venv" / "bin"
PYTHON = VENV_BIN / "python"
RUN_DIR = Path(os.environ.get("PROD_LOCAL_DIR", BASE_DIR / "var" / "prod-local"))
STATE_FILE = RUN_DIR / "state.json"
ADMIN_URL = os.environ.get(
    "POSTGRES_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
DATABASE = os.environ.get("PROD_LOCAL_DATABASE", "oppimo_prod_local")
MEDIA_BUCKET = "oppimo-media"
PRIVATE_BUCKET = "oppimo-private"
APP_PROCESSES = ("app1", "app2")
RESTARTABLE = ("redis", "worker", *APP_PROCESSES)
# Moto accepts any key; these only make boto3 sign its requests.
S3_KEY, S3_SECRET = "prod-local", "prod-local-secret"  # noqa: S105
START_TIMEOUT = 60


def main(argv):
    command = argv[0] if argv else "start"
    if command == "start":
        return start()
    if command == "stop":
        stop()
        return 0
    if command == "restart" and len(argv) >= 2:
        return restart(argv[1], kill="--kill" in argv[2:])
    print(__doc__)
    return 2


def start():
    stop(quiet=True)
    _need("nginx", "nginx")
    _need("redis-server", "redis-server")
    for folder in ("logs", "pids", "var", "nginx/tmp"):
        (RUN_DIR / folder).mkdir(parents=True, exist_ok=True)
    state = {"components": {}, "database": DATABASE}
    _write_state(state)
    try:
        _start_all(state)
    except Exception as error:
        print(f"prod-local did not start: {error}", file=sys.stderr)
        _print_log_tails(state)
        stop(quiet=True)
        return 1
    _print_summary(state)
    return 0


def _start_all(state):
    tls = os.environ.get("PROD_LOCAL_TLS") == "1"
    port = int(os.environ.get("PROD_LOCAL_PORT") or _free_port())
    scheme = "https" if tls else "http"
    state["url"] = f"{scheme}://127.0.0.1:{port}"
    _start_redis(state)
    _start_moto(state)
    _create_buckets(state)
    _create_database(state)
    environment = _app_environment(state, tls=tls)
    _write_env_file(environment)
    _prepare_database(environment)
    _start_worker(state, environment)
    _start_app_processes(state, environment)
    _start_nginx(state, port=port, tls=tls)
    _write_state(state)
    _wait_for_http(f"{state['url']}/healthz/")


def _start_redis(state):
    port = _free_port()
    _spawn(
        state,
        "redis",
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(RUN_DIR / "var"),
        ],
        port=port,
        url=f"redis://127.0.0.1:{port}/0",
    )
    _wait_for_port(port)


def _start_moto(state):
    port = _free_port()
    _spawn(
        state,
        "s3",
        [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        port=port,
        url=f"http://127.0.0.1:{port}",
    )
    _wait_for_port(port)


def _create_buckets(state):
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=state["components"]["s3"]["url"],
        aws_access_key_id=S3_KEY,
        aws_secret_access_key=S3_SECRET,
        region_name="us-east-1",
    )
    for bucket in (MEDIA_BUCKET, PRIVATE_BUCKET):
        client.create_bucket(Bucket=bucket)
    # Media is read by anyone (nginx serves it under /media/); the private bucket
    # keeps every public access blocked, as a real one must.
    public_read = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{MEDIA_BUCKET}/*",
            }
        ],
    }
    client.put_bucket_policy(Bucket=MEDIA_BUCKET, Policy=json.dumps(public_read))
    client.put_public_access_block(
        Bucket=PRIVATE_BUCKET,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    state["buckets"] = {"media": MEDIA_BUCKET, "private": PRIVATE_BUCKET}


def _create_database(state):
    import psycopg
    from psycopg import sql

    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
        name = sql.Identifier(DATABASE)
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(name))
    state["database_url"] = ADMIN_URL.rsplit("/", 1)[0] + f"/{DATABASE}"
    _write_state(state)


def _app_environment(state, *, tls):
    components = state["components"]
    environment = {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": state["url"],
        "CSRF_TRUSTED_ORIGINS": state["url"],
        "DATABASE_URL": state["database_url"],
        "REDIS_URL": components["redis"]["url"],
        "TASK_BACKEND": "database",
        "AWS_STORAGE_BUCKET_NAME": MEDIA_BUCKET,
        "AWS_PRIVATE_BUCKET_NAME": PRIVATE_BUCKET,
        "AWS_S3_ENDPOINT_URL": components["s3"]["url"],
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_S3_ADDRESSING_STYLE": "path",
        "AWS_ACCESS_KEY_ID": S3_KEY,
        "AWS_SECRET_ACCESS_KEY": S3_SECRET,
        "VAR_DIR": str(RUN_DIR / "var"),
        "LOG_FORMAT": "json",
        "PROXY_COUNT": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(RUN_DIR / "var" / "mail"),
    }
    if tls:
        environment["BEHIND_TLS_PROXY"] = "1"
        environment["SECURE_HSTS_SECONDS"] = "0"
    else:
        for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE"):
            environment[name] = "0"
        environment["CSRF_COOKIE_SECURE"] = "0"
        environment["SECURE_HSTS_SECONDS"] = "0"
    return environment


def _write_env_file(environment):
    lines = [f"{name}={_shell_quote(value)}" for name, value in environment.items()]
    path = RUN_DIR / "env"
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)


def _prepare_database(environment):
    """Migrate (collecting static files meanwhile), then load the demo.

    The demo's certificates are queued for the task worker, which renders their
    PDFs into the private bucket once it runs, as in production.
    """
    log = RUN_DIR / "logs" / "setup.log"
    with log.open("w") as output:
        collecting = _manage(["collectstatic", "--no-input"], environment, output)
        for arguments in (["migrate", "--no-input"], ["load_demo"]):
            _run_step(arguments, _manage(arguments, environment, output))
        _run_step(["collectstatic"], collecting)


def _manage(arguments, environment, output):
    return subprocess.Popen(  # noqa: S603 (our own manage.py)
        [str(PYTHON), "manage.py", *arguments],
        cwd=BASE_DIR,
        env={**os.environ, **environment},
        stdout=output,
        stderr=subprocess.STDOUT,
    )


def _run_step(arguments, process):
    print(f"  manage.py {' '.join(arguments)} ...", end=" ", flush=True)
    started = time.monotonic()
    if process.wait(timeout=600) != 0:
        raise RuntimeError(f"manage.py {arguments[0]} failed (logs/setup.log)")
    print(f"{time.monotonic() - started:.0f} s", flush=True)


def _start_worker(state, environment):
    command = [str(PYTHON), "manage.py", "db_worker", "--no-reload", "--interval", "1"]
    _spawn(state, "worker", command, env=environment)


def _start_app_processes(state, environment):
    for name in APP_PROCESSES:
        port = _free_port()
        command = [
            str(VENV_BIN / "gunicorn"),
            "--config",
            str(BASE_DIR / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--preload",
        ]
        _spawn(
            state,
            name,
            command,
            env={**environment, "SERVED_BY": name},
            port=port,
            url=f"http://127.0.0.1:{port}",
        )
    for name in APP_PROCESSES:
        _wait_for_http(f"{state['components'][name]['url']}/healthz/")


def _start_nginx(state, *, port, tls):
    folder = RUN_DIR / "nginx"
    config = folder / "nginx.conf"
    config.write_text(_nginx_config(state, port=port, tls=tls, folder=folder))
    command = ["nginx", "-p", str(folder), "-c", str(config), "-g", "daemon off;"]
    subprocess.run([*command, "-t", "-q"], check=True)  # noqa: S603
    _spawn(state, "nginx", command, port=port, url=state["url"])
    _wait_for_port(port)


def _nginx_config(state, *, port, tls, folder):
    components = state["components"]
    servers = "\n".join(
        f"        server {components[name]['url'].removeprefix('http://')};"
        for name in APP_PROCESSES
    )
    template = string.Template(
        (BASE_DIR / "deploy" / "nginx.conf.template").read_text()
    )
    s3 = components["s3"]["url"]
    return template.substitute(
        pid_file=folder / "nginx.pid",
        log_dir=RUN_DIR / "logs",
        temp_dir=folder / "tmp",
        user_directive="user nobody nogroup;" if os.geteuid() == 0 else "",
        app_servers=servers,
        port=port,
        listen_options="ssl" if tls else "",
        tls_directives=_tls_directives(folder) if tls else "",
        media_origin=s3,
        media_host=s3.removeprefix("http://"),
        media_bucket=MEDIA_BUCKET,
    )


def _tls_directives(folder):
    """Make a self-signed certificate for 127.0.0.1; return nginx's lines for it."""
    certificate, key = folder / "tls.crt", folder / "tls.key"
    subprocess.run(  # noqa: S603
        [  # noqa: S607 (Debian's openssl)
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "7",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
        ],
        check=True,
        capture_output=True,
    )
    return f"        ssl_certificate {certificate};\n        ssl_certificate_key {key};"


def stop(*, quiet=False):
    """Stop every process of the last run (newest first) and drop its database."""
    state = _read_state()
    if not state and not quiet:
        print("prod-local is not running")
    for name, component in reversed(list(state.get("components", {}).items())):
        if _stop_process(component["pid"], component["command"]) and not quiet:
            print(f"stopped {name} (PID {component['pid']})")
        (RUN_DIR / "pids" / f"{name}.pid").unlink(missing_ok=True)
    if state.get("database_url"):
        _drop_database()
        if not quiet:
            print(f"dropped the database {DATABASE}")
    STATE_FILE.unlink(missing_ok=True)
    shutil.rmtree(RUN_DIR / "nginx", ignore_errors=True)


def restart(name, *, kill=False):
    """Stop one component (SIGKILL with `kill`) and start it again as it was."""
    state = _read_state()
    component = state.get("components", {}).get(name)
    if name not in RESTARTABLE or component is None:
        print(f"cannot restart {name!r}: prod-local is not running or has no such part")
        return 2
    if kill:
        _kill_process(component["pid"], component["command"])
    else:
        _stop_process(component["pid"], component["command"])
    _spawn(
        state,
        name,
        component["command"],
        env=_component_environment(name),
        port=component["port"],
        url=component["url"],
    )
    try:
        _wait_until_serving(state["components"][name])
    except TimeoutError as error:
        print(f"{name} did not start again: {error}", file=sys.stderr)
        return 1
    how = "killed" if kill else "stopped"
    print(f"{how} and restarted {name} (PID {state['components'][name]['pid']})")
    return 0


def _component_environment(name):
    """Return the environment a component was started with (see _start_all)."""
    if name == "redis":
        return None
    environment = read_env_file()
    if name in APP_PROCESSES:
        environment["SERVED_BY"] = name
    return environment


def read_env_file():
    environment = {}
    for line in (RUN_DIR / "env").read_text().splitlines():
        name, _, value = line.partition("=")
        environment[name] = shlex.split(value)[0] if value else ""
    return environment


def _wait_until_serving(component):
    if component["url"] and component["url"].startswith("http"):
        _wait_for_http(f"{component['url']}/healthz/")
    elif component["port"]:
        _wait_for_port(component["port"])
    else:
        time.sleep(1)
        if not _is_our_process(component["pid"], component["command"]):
            raise TimeoutError(f"it exited at once (see {component['log']})")


def _kill_process(pid, command):
    """Kill a process group we started at once, as a crash would end it."""
    if not _is_our_process(pid, command):
        return
    os.killpg(pid, signal.SIGKILL)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and _is_our_process(pid, command):
        time.sleep(0.05)


def _stop_process(pid, command) -> bool:
    """End a process group we started, if that PID is still our process."""
    if not _is_our_process(pid, command):
        return False
    os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and _is_our_process(pid, command):
        time.sleep(0.1)
    if _is_our_process(pid, command):
        os.killpg(pid, signal.SIGKILL)
    return True


def _is_our_process(pid, command) -> bool:
    try:
        status = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    # A script's process shows its interpreter first, then the script.
    name = Path(command[0]).name.encode()
    return status != "Z" and any(name in argument for argument in cmdline[:2])


def _drop_database():
    import psycopg
    from psycopg import sql

    try:
        with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(DATABASE)
                )
            )
    except psycopg.OperationalError as error:
        print(f"could not drop the database {DATABASE}: {error}", file=sys.stderr)


def _spawn(state, name, command, *, env=None, port=None, url=None):
    log = RUN_DIR / "logs" / f"{name}.log"
    with log.open("a") as output:
        process = subprocess.Popen(  # noqa: S603 (fixed commands of our own)
            command,
            cwd=BASE_DIR,
            env={**os.environ, **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    (RUN_DIR / "pids" / f"{name}.pid").write_text(f"{process.pid}\n")
    state["components"][name] = {
        "pid": process.pid,
        "command": command,
        "port": port,
        "url": url,
        "log": str(log),
    }
    _write_state(state)
    return process


def _need(command, package):
    """Install Debian's package when its command is missing (as .ci/run does)."""
    if shutil.which(command):
        return
    print(f"  installing {package} ...", flush=True)
    quiet = {"stdout": subprocess.DEVNULL, "check": True}
    subprocess.run(["apt-get", "update", "-qq"], **quiet)  # noqa: S607
    subprocess.run(  # noqa: S603
        ["apt-get", "install", "-y", "-qq", package],  # noqa: S607
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        **quiet,
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing answers on port {port}")


def _wait_for_http(url):
    import ssl
    import urllib.request

    context = ssl._create_unverified_context()  # noqa: S323 (our self-signed one)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2, context=context) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} does not answer 200")


def _read_state():
    try:
        return json.loads(STATE_FILE.read_text())
    except (FileNotFoundError, ValueError):
        return {}


def _write_state(state):
    STATE_FILE.write_text(json.dumps(state, indent=2, default=str))


def _shell_quote(value):
    return "'" + str(value).replace("'", "'\\''") + "'"


def _print_summary(state):
    print()
    print(f"The topology runs; the site: {state['url']}/")
    print(f"  {'part':<8} {'where':<32} {'PID':>7}  log")
    for name, component in state["components"].items():
        where = component["url"] or "-"
        print(f"  {name:<8} {where:<32} {component['pid']:>7}  {component['log']}")
    print(f"  database {state['database_url']}")
    print(f"  buckets  {MEDIA_BUCKET} (media), {PRIVATE_BUCKET} (private)")
    print(f"  demo logins: {RUN_DIR / 'var' / 'demo-logins.json'}")
    print(f"  the app's environment: {RUN_DIR / 'env'}; stop: make prod-local-stop")


def _print_log_tails(state):
    logs = [RUN_DIR / "logs" / "setup.log"]
    logs += [Path(c["log"]) for c in state.get("components", {}).values()]
    for log in logs:
        if log.exists():
            print(f"--- {log} (last lines)", file=sys.stderr)
            print("\n".join(log.read_text().splitlines()[-15:]), file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
