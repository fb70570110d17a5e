"""Running failed background tasks again with backoff, and those that finally failed.

A task of ours that raises in the database worker (django-tasks-db) is run again:
its queued result goes back to READY with a later `run_after`, after each of
`retry_delays()` in turn (1, 5 and 30 minutes), so four attempts in all.
django-tasks counts a result's attempts by the workers that claimed it, so the count
survives restarts. After the last attempt the result stays FAILED and training
admins see it (team.task_views), with a button to run it once more.

A worker killed mid-task leaves its result RUNNING. `recover_tasks` (the
`recover_tasks` command, run before a worker starts) counts a result running for
longer than `running_timeout()` as an attempt that failed and queues it again at
once, and schedules any retry that a killed worker had no time to schedule. Our
tasks are idempotent, so running one twice never doubles its work.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from certificates.models import Certificate
from lessons.models import CoursePage

logger = logging.getLogger(__name__)

WORKER_STOPPED = "team.task_retries.WorkerStopped"


@dataclass(frozen=True)
class RetriedTask:
    """A task that is run again when it fails, and how admins recognise its runs."""

    name: str
    describe: Callable[[list], dict] = lambda ids: {}
    # Errors that another attempt cannot mend: the task finally fails at once.
    gives_up_on: tuple[str, ...] = ()


def _certificates(ids) -> dict:
    certificates = Certificate.objects.filter(pk__in=ids).only(
        "pk", "code", "holder_name", "course_title"
    )
    return {
        str(certificate.pk): f"{certificate.holder_name or '–'}: "
        f"{certificate.course_title} ({certificate.display_code})"
        for certificate in certificates
    }


def _courses(ids) -> dict:
    courses = CoursePage.objects.filter(pk__in=ids).values_list("pk", "title")
    return dict(courses)


RETRIED_TASKS = {
    "certificates.tasks.render_certificate": RetriedTask(
        name=_("Certificate PDF"),
        describe=_certificates,
        gives_up_on=("certificates.tasks.MissingTemplate",),
    ),
    "team.tasks.send_reminders_task": RetriedTask(name=_("Reminder e-mails")),
    "lessons.tasks.reevaluate_course_completions": RetriedTask(
        name=_("Course completions after a change"), describe=_courses
    ),
}


def retry_delays() -> tuple[int, ...]:
    """Return the seconds to wait before each attempt after the first."""
    return tuple(settings.TASK_RETRY_DELAYS)


def running_timeout() -> timedelta:
    """Return how long a task may run before its worker is taken to have stopped."""
    return timedelta(seconds=settings.TASK_RUNNING_TIMEOUT)


def has_attempts_left(result: DBTaskResult) -> bool:
    """Return whether a failed result of a retried task is to be run again."""
    rule = RETRIED_TASKS.get(result.task_path)
    if rule is None or result.exception_class_path in rule.gives_up_on:
        return False
    return len(result.worker_ids) <= len(retry_delays())


def schedule_retry(result: DBTaskResult, *, now: datetime | None = None) -> bool:
    """Queue a failed result again after its backoff; False if it finally failed."""
    if result.status != TaskResultStatus.FAILED or not has_attempts_left(result):
        return False
    delay = retry_delays()[max(len(result.worker_ids), 1) - 1]
    run_after = (now or timezone.now()) + timedelta(seconds=delay)
    return _requeue(result, run_after=run_after, status=TaskResultStatus.FAILED)


def retry_failed_task(sender, task_result, **kwargs):
    """Schedule the next attempt of a task that failed in the database worker.

    The immediate backend runs a task once, inside the caller: nothing is retried.
    An error here is logged, never raised, as it would stop the worker.
    """
    db_result = getattr(task_result, "db_result", None)
    if db_result is None or task_result.status != TaskResultStatus.FAILED:
        return
    try:
        if schedule_retry(db_result):
            logger.warning(
                "Task %s (%s) failed on attempt %d; it will run again",
                db_result.pk,
                db_result.task_path,
                len(db_result.worker_ids),
            )
    except Exception:
        logger.exception("Could not schedule the retry of task %s", db_result.pk)


def recover_tasks(
    *,
    now: datetime | None = None,
    timeout: timedelta | None = None,
    live_workers=None,
) -> tuple[int, int]:
    """Queue again the tasks of stopped workers and lost retries; (requeued, failed).

    A task counts as stopped once it has run for `timeout` (`running_timeout()`),
    or, given `live_workers` (a function from worker ids to the set of those
    alive), as soon as the worker running it is not alive.
    """
    now = now or timezone.now()
    timeout = running_timeout() if timeout is None else timeout
    requeued = failed = 0
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    stalled = list(running.filter(started_at__lte=now - timeout))
    if live_workers is not None:
        stalled += _of_stopped_workers(
            running.filter(started_at__gt=now - timeout), live_workers
        )
    for result in stalled:
        if _recover_stalled(result, now=now):
            requeued += 1
        else:
            failed += 1
    lost_retries = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED, task_path__in=list(RETRIED_TASKS)
    )
    for result in lost_retries:
        requeued += schedule_retry(result, now=now)
    return requeued, failed


def _of_stopped_workers(results, live_workers) -> list:
    """Return the results whose last worker is not among the live ones."""
    results = [result for result in results if result.worker_ids]
    alive = live_workers({result.worker_ids[-1] for result in results})
    return [result for result in results if result.worker_ids[-1] not in alive]


def _recover_stalled(result: DBTaskResult, *, now: datetime) -> bool:
    """Run a stalled result again now, or mark it failed after its last attempt."""
    if len(result.worker_ids) <= len(retry_delays()):
        return _requeue(result, run_after=now, status=TaskResultStatus.RUNNING)
    DBTaskResult.objects.filter(
        pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
    ).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=WORKER_STOPPED,
        traceback="",
    )
    return False


def _requeue(result: DBTaskResult, *, run_after: datetime, status: str) -> bool:
    """Set a result back to READY, unless another process changed it meanwhile."""
    updated = DBTaskResult.objects.filter(
        pk=result.pk, status=status, started_at=result.started_at
    ).update(status=TaskResultStatus.READY, run_after=run_after, finished_at=None)
    return bool(updated)


def finally_failed():
    """Return the failed results of our tasks that will not run again, newest first."""
    results = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED, task_path__in=list(RETRIED_TASKS)
    ).order_by("-finished_at")
    return [result for result in results if not has_attempts_left(result)]


def run_again(result: DBTaskResult, *, now: datetime | None = None) -> bool:
    """Queue a finally failed result for one more attempt, at once."""
    if has_attempts_left(result):
        return False
    return _requeue(
        result, run_after=now or timezone.now(), status=TaskResultStatus.FAILED
    )


def describe(results) -> list[dict]:
    """Return what each result is about, reading each kind of object once."""
    labels = {}
    for path, rule in RETRIED_TASKS.items():
        ids = [_first_argument(r) for r in results if r.task_path == path]
        labels[path] = rule.describe([i for i in ids if i is not None]) if ids else {}
    return [
        {
            "result": result,
            "task": RETRIED_TASKS[result.task_path].name,
            "object": labels[result.task_path].get(_first_argument(result), ""),
            "attempts": len(result.worker_ids),
            "error": _error_line(result),
        }
        for result in results
    ]


def _first_argument(result):
    arguments = result.args_kwargs.get("args") or []
    return arguments[0] if arguments else None


def _error_line(result) -> str:
    """Return the last line of the traceback: the exception and its message."""
    if result.exception_class_path == WORKER_STOPPED:
        return str(_("The task worker stopped while the task was running."))
    lines = [line for line in result.traceback.strip().splitlines() if line.strip()]
    return lines[-1] if lines else result.exception_class_path
