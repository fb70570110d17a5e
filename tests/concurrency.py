"""Run work in parallel threads that are shown to have raced, not taken turns.

Threads released together may still run one after another, and a test of a race
then passes without the race. A meeting point makes the overlap certain: each
thread waits, just before its database runs the first statement that starts with
the given SQL, until every thread has got there. So every thread has made the reads
that come before that write while no thread has written yet.
"""

import threading
import time

from django.db import connection, connections

WAIT_SECONDS = 10


def insert_into(model) -> str:
    """Return how the SQL of an insert into the model's table starts."""
    return f'INSERT INTO "{model._meta.db_table}"'


def update_of(model, field: str) -> str:
    """Return how the SQL of an update that sets the field first starts."""
    # Only compared with the SQL Django runs; never run itself.
    return f'UPDATE "{model._meta.db_table}" SET "{field}"'  # noqa: S608


def run_in_parallel(work, *, threads: int, meet_before=()) -> tuple[list, list]:
    """Run `work` in `threads` threads; return their results and errors.

    Every thread meets the others before each statement in `meet_before`. A thread
    that waits there in vain gets BrokenBarrierError as its error. Fail if a thread
    is still running after the wait, or if a meeting point was not reached by all.
    """
    meetings = {
        sql: threading.Barrier(threads, timeout=WAIT_SECONDS) for sql in meet_before
    }
    arrived = dict.fromkeys(meetings, 0)
    counting = threading.Lock()
    results, errors = [], []

    def run():
        met = set()

        def meet(execute, sql, params, many, context):
            for start, barrier in meetings.items():
                if sql.startswith(start) and start not in met:
                    met.add(start)
                    with counting:
                        arrived[start] += 1
                    barrier.wait()
            return execute(sql, params, many, context)

        try:
            with connection.execute_wrapper(meet):
                results.append(work())
        except Exception as error:  # surfaced by the callers' assertions
            errors.append(error)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=run, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    deadline = time.monotonic() + 3 * WAIT_SECONDS
    for thread in pool:
        thread.join(timeout=max(0, deadline - time.monotonic()))
    stuck = sum(thread.is_alive() for thread in pool)
    assert not stuck, f"{stuck} of {threads} threads still running: a deadlock?"
    for start, count in arrived.items():
        assert count == threads, (
            f"{count} of {threads} threads reached {start!r}: the race did not "
            f"happen (errors: {errors!r})"
        )
    return results, errors
