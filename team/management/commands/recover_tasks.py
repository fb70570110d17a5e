from datetime import timedelta

from django.core.management.base import BaseCommand

from team.task_retries import recover_tasks, running_timeout


class Command(BaseCommand):
    help = (
        "Queue again the tasks left running by a stopped worker (running longer "
        "than TASK_RUNNING_TIMEOUT) and the retries it had no time to schedule. "
        "Run it before starting the task workers."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--running-longer-than",
            type=int,
            metavar="SECONDS",
            help="Count a task running this long as stopped (default: "
            f"{int(running_timeout().total_seconds())}). Use 0 when no worker runs.",
        )

    def handle(self, *args, running_longer_than=None, **options):
        timeout = None
        if running_longer_than is not None:
            timeout = timedelta(seconds=running_longer_than)
        requeued, failed = recover_tasks(timeout=timeout)
        self.stdout.write(f"Queued {requeued} tasks again; {failed} finally failed.")
