from django_tasks import task

from team.reminders import send_reminders


@task()
def send_reminders_task() -> int:
    """Send today's reminders and digests; return how many went out."""
    return send_reminders().sent
