"""Run a command against a fresh PostgreSQL database, then drop it.

    python .ci/with_postgres.py [--required] -- COMMAND...

The server is POSTGRES_ADMIN_URL (default: postgres://postgres@127.0.0.1:5432/
postgres, trust auth). The command gets DATABASE_URL for a new, empty database;
afterwards that database and the test databases made from it are dropped, so
nothing is left on the server. Without a server the command is skipped with a
loud message (exit 0), or, with --required, the run fails.
"""

import os
import secrets
import subprocess
import sys

import psycopg
from psycopg import sql

ADMIN_URL = os.environ.get(
    "POSTGRES_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)


def main(argv):
    required = "--required" in argv
    command = argv[argv.index("--") + 1 :]
    try:
        admin = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        message = f"PostgreSQL does not answer at {ADMIN_URL}: {error}".strip()
        if required:
            print(message, file=sys.stderr)
            return 1
        print("!" * 78)
        print(f"SKIPPED: {' '.join(command)}")
        print(message)
        print("!" * 78)
        return 0
    name = f"oppimo_{secrets.token_hex(4)}"
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
            print(f"PostgreSQL database {name} (dropped afterwards)", flush=True)
            return subprocess.call(command, env={**os.environ, "DATABASE_URL": url})  # noqa: S603
        finally:
            for database in _made_from(admin, name):
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(database)
                    )
                )


def _made_from(admin, name):
    """The database and its test databases (one per pytest-xdist worker)."""
    rows = admin.execute(
        "SELECT datname FROM pg_database WHERE datname = %s OR datname = %s"
        " OR datname LIKE %s",
        [name, f"test_{name}", f"test_{name}\\_gw%"],
    )
    return [row[0] for row in rows.fetchall()]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
