from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.signals import page_unpublished

from lessons import progress
from lessons.tasks import reevaluate_course_completions


@hooks.register("before_delete_page")
def keep_pages_with_learning_records(request, page):
    """Refuse to delete a page whose subtree holds learners' records."""
    if request.method == "POST" and progress.has_learning_records(page):
        messages.error(
            request,
            _(
                "Learners have records on this page or below it, so it cannot be "
                "deleted. Unpublish it instead: the records are kept."
            ),
        )
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


def _on_unpublished(sender, instance, **kwargs):
    course = progress.course_of_step(instance)
    if course is not None:
        reevaluate_course_completions.enqueue(course.pk)


page_unpublished.connect(
    _on_unpublished, dispatch_uid="lessons_reevaluate_on_unpublish"
)
