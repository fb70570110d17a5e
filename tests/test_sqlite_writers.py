"""The default SQLite set-up makes parallel writers wait instead of failing."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent

# Four writers each read, then write inside one transaction. With SQLite's default
# deferred transactions a writer whose snapshot is stale cannot upgrade its lock and
# fails at once with "database is locked"; with IMMEDIATE it waits its turn. A writer
# keeps its transaction open until every other one is held up by it: holding a
# snapshot from its own read, or queued on BEGIN IMMEDIATE (the trace callback sees
# a statement start, before SQLite takes or waits for its lock), or done.
RACE = textwrap.dedent(
    """
    import threading
    import django
    django.setup()
    from django.db import connection, transaction

    WRITERS = 4

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE race (n integer)")
        cursor.execute("PRAGMA journal_mode")
        print("journal_mode", cursor.fetchone()[0])
    connection.close()

    errors = []
    state = threading.Condition()
    held_up, done = set(), set()

    def note(group, number):
        with state:
            group.add(number)
            state.notify_all()

    def trace(number, sql):
        if sql.startswith("BEGIN IMMEDIATE"):
            note(held_up, number)

    def wait_for_the_others(number):
        with state:
            everyone = state.wait_for(
                lambda: len(held_up | done) == WRITERS, timeout=30
            )
        if not everyone:
            errors.append(f"writer {number} ran alone: {held_up | done}")

    def writer(number):
        try:
            connection.ensure_connection()
            connection.connection.set_trace_callback(
                lambda sql: trace(number, sql)
            )
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM race")
                    note(held_up, number)
                    wait_for_the_others(number)
                    cursor.execute("INSERT INTO race VALUES (%s)", [number])
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()
            note(done, number)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=40)
    print("stuck", sum(thread.is_alive() for thread in threads))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM race")
        print("rows", cursor.fetchone()[0])
    print("errors", errors)
    """
)


def test_parallel_sqlite_writers_wait_for_each_other(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings", DEBUG="1", VAR_DIR=str(tmp_path)
    )
    result = subprocess.run(  # noqa: S603 - fixed script, our own interpreter
        [sys.executable, "-c", RACE],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "journal_mode wal" in result.stdout
    assert "stuck 0" in result.stdout
    assert "rows 4" in result.stdout
    assert "errors []" in result.stdout
