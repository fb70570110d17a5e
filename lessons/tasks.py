from django_tasks import task

from lessons import progress
from lessons.models import CoursePage


@task()
def reevaluate_course_completions(course_id: int) -> int:
    """Complete enrolments that a removed or unpublished step has left finished."""
    course = CoursePage.objects.filter(pk=course_id).first()
    if course is None:
        return 0
    return progress.reevaluate_course(course=course)
