from wagtail.admin.panels import Panel

from people import access


class EnrollmentSummaryPanel(Panel):
    """How many learners a course has, by state: counts only, never names."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "lessons/panels/enrollment_summary.html"

        def is_shown(self):
            return bool(self.instance.pk) and access.can_see_course_statistics(
                self.request.user
            )

        def get_context_data(self, parent_context=None):
            from lessons import progress  # progress needs the page models loaded

            context = super().get_context_data(parent_context)
            context["summary"] = progress.enrollment_summary(course=self.instance)
            return context
