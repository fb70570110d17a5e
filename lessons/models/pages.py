import hashlib

from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index
from wagtail.url_routing import RouteResult

from lessons import caching
from lessons.interactive import has_interactive_blocks
from lessons.markdown_fields import (
    MarkdownRendered,
    markdown_widget,
    validate_page_markdown,
)
from lessons.outline_html import outline_html
from lessons.panels import EnrollmentSummaryPanel
from people import access
from people.access import visible_pages

FILTERS_TEMPLATE = "lessons/includes/catalogue_filters.html"


class Audience(models.TextChoices):
    ALL_STAFF = "all_staff", _("All staff")
    PROSPECTIVE_SUPERVISORS = "prospective_supervisors", _("Prospective supervisors")
    SUPERVISORS = "supervisors", _("Supervisors")
    MIDDLE_MANAGERS = "middle_managers", _("Middle managers")
    SENIOR_MANAGEMENT = "senior_management", _("Senior management")


class ContentLanguage(models.TextChoices):
    FINNISH = "fi", "Suomi"
    SWEDISH = "sv", "Svenska"
    ENGLISH = "en", "English"


def format_minutes(minutes: int) -> str:
    """Return a duration such as "1 h 15 min" or "45 min"."""
    hours, rest = divmod(minutes or 0, 60)
    if hours and rest:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": rest}
    if hours:
        return ngettext("%(hours)s hour", "%(hours)s hours", hours) % {"hours": hours}
    return _("%(minutes)s min") % {"minutes": rest}


def _done_ids(progress):
    """Return the ids of the steps a learner has done (none without progress)."""
    return progress.completed_step_ids if progress is not None else frozenset()


def _cover_images_with_renditions():
    images = get_image_model().objects.prefetch_renditions(COVER_CARD_RENDITION)
    return Prefetch("cover_image", queryset=images)


COVER_CARD_RENDITION = "fill-640x360"


def _work_out_what_serving_reads(page):
    """Work out, to be cached with the page, what serving it would look up again.

    Whether the pages above it are live, whether view restrictions apply and the
    outline of its course (and, for a step, the course): all change only with the
    content, which starts the cache anew.
    """
    page.under_live_pages = access.is_under_live_pages(page)
    page.free_of_restrictions = caching.is_free_of_restrictions(page)
    if getattr(page, "is_course_step", False):
        page.get_course().get_outline()
    elif isinstance(page, CoursePage):
        page.get_outline()


class CourseTopic(TaggedItemBase):
    content_object = ParentalKey(
        "lessons.CoursePage", on_delete=models.CASCADE, related_name="tagged_topics"
    )


class SharedViewRestrictions:
    """A mixin for Page: serving looks up view restrictions only where some exist.

    Wagtail reads the page's ancestors and their restrictions on every request;
    the shared cache knows where restrictions are, so most pages need no query.
    """

    def get_view_restrictions(self):
        free = getattr(self, "free_of_restrictions", None)
        if free is None:
            free = caching.is_free_of_restrictions(self)
        if free:
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class CourseIndexPage(SharedViewRestrictions, Page):
    """The catalogue: the root of the site, listing its courses."""

    intro = models.TextField(_("introduction"), blank=True, max_length=1000)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["lessons.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from lessons.catalogue import CatalogueFilter

        context = super().get_context(request, *args, **kwargs)
        catalogue = CatalogueFilter(request.GET, index_page=self)
        courses = catalogue.courses()
        if access.can_learn(request.user):
            from lessons.progress import progress_for

            by_course = progress_for(user=request.user, courses=courses)
            for course in courses:
                course.learner_progress = by_course[course.pk]
        context["catalogue"] = catalogue
        context["courses"] = courses
        if not catalogue.form.is_bound:
            context["filters_html"] = self._unfiltered_form_html(catalogue)
        return context

    def _unfiltered_form_html(self, catalogue):
        """Return the filter form as nobody has filled it in, rendered once."""
        return caching.remembered(
            "catalogue-filters",
            f"{self.pk}:{translation.get_language()}",
            lambda: render_to_string(
                FILTERS_TEMPLATE, {"catalogue": catalogue, "page": self}
            ),
        )

    def route(self, request, path_components):
        """Find a page below the catalogue by its URL path in one query.

        Wagtail walks the tree one level (and query) at a time; course pages have no
        routes of their own, so the page is found directly. Anything else falls back
        to Wagtail's walk.
        """
        if path_components:
            url_path = self.url_path + "/".join(path_components) + "/"
            page = self._page_at(url_path)
            if page is not None and page.live:
                return RouteResult(page)
        return super().route(request, path_components)

    def _page_at(self, url_path):
        """Return the live or draft page at this URL path below the catalogue, or None.

        The page comes from the shared cache, which forgets it when any page changes.
        """
        name = f"{self.pk}:{hashlib.sha256(url_path.encode()).hexdigest()}"
        return caching.remembered(
            "route-page", name, lambda: self._load_page_at(url_path)
        )

    def _load_page_at(self, url_path):
        found = (
            Page.objects.filter(path__startswith=self.path, url_path=url_path)
            .values_list("pk", "content_type_id")
            .first()
        )
        if found is None:
            return None
        page_id, content_type_id = found
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        page = model.objects.filter(pk=page_id).first()
        if page is not None:
            _work_out_what_serving_reads(page)
        return page

    def get_courses(self):
        """Return the live, public courses of this catalogue, ready for cards."""
        return (
            visible_pages(CoursePage.objects.child_of(self))
            .prefetch_related("topics", _cover_images_with_renditions())
            .order_by("title")
        )


class CoursePage(SharedViewRestrictions, MarkdownRendered, Page):
    """A self-paced course: modules and steps below it, in tree order."""

    admin_default_ordering = "ord"

    summary = models.CharField(
        _("summary"),
        max_length=300,
        help_text=_("One or two sentences for the catalogue."),
    )
    description = models.TextField(
        _("description"), blank=True, validators=[validate_page_markdown]
    )
    description_html = models.TextField(editable=False, blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    audience = models.CharField(
        _("audience"),
        max_length=32,
        choices=Audience.choices,
        default=Audience.ALL_STAFF,
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=ContentLanguage.choices,
        default=ContentLanguage.FINNISH,
    )
    topics = ClusterTaggableManager(
        through=CourseTopic, blank=True, verbose_name=_("topics")
    )
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=30)
    learning_outcomes = models.TextField(
        _("learning outcomes"),
        blank=True,
        max_length=5000,
        help_text=_("One outcome per line."),
    )
    certificate_template = models.ForeignKey(
        "certificates.CertificateTemplate",
        verbose_name=_("certificate template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Leave empty for a course without a certificate."),
    )
    validity_months = models.PositiveSmallIntegerField(
        _("certificate valid for (months)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a certificate that does not expire."),
    )

    markdown_fields = {"description": "description_html"}

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("description", widget=markdown_widget()),
        FieldPanel("cover_image"),
        FieldPanel("learning_outcomes"),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldPanel("language"),
                FieldPanel("topics"),
                FieldPanel("estimated_minutes"),
            ],
            heading=_("Course details"),
        ),
        MultiFieldPanel(
            [FieldPanel("certificate_template"), FieldPanel("validity_months")],
            heading=_("Certificate"),
        ),
    ]

    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
            ObjectList(
                [EnrollmentSummaryPanel(heading=_("Learners"))], heading=_("Learners")
            ),
        ]
    )

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("learning_outcomes"),
        index.FilterField("language"),
        index.FilterField("audience"),
    ]

    parent_page_types = ["lessons.CourseIndexPage"]
    subpage_types = ["lessons.ModulePage", "lessons.LessonPage", "quizzes.QuizPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["outline"] = self.get_outline()
        context["progress"] = progress = self.get_progress(request.user)
        context["outline_html"] = outline_html(
            context["outline"], course=self, done_ids=_done_ids(progress)
        )
        return context

    def get_progress(self, user, enrollment=None):
        """Return the user's CourseProgress here, or None for anonymous visitors."""
        if not access.can_learn(user):
            return None
        from lessons.progress import progress_for

        return progress_for(
            user=user,
            courses=[self],
            outlines={self.pk: self.get_outline()},
            enrollments={self.pk: enrollment} if enrollment else None,
        )[self.pk]

    def get_outline(self):
        """Return the course's modules and steps, from the shared cache."""
        if not hasattr(self, "_outline"):
            self._outline = caching.cached_outlines([self])[self.pk]
        return self._outline

    def markdown_language(self):
        return self.language

    def get_learning_outcomes(self):
        return [
            line.strip() for line in self.learning_outcomes.splitlines() if line.strip()
        ]

    def get_duration_display(self):
        return format_minutes(self.estimated_minutes)


class ModulePage(SharedViewRestrictions, Page):
    """A heading that groups the steps of a course."""

    admin_default_ordering = "ord"

    summary = models.CharField(_("summary"), max_length=300, blank=True)

    is_course_module = True

    content_panels = Page.content_panels + [FieldPanel("summary")]
    search_fields = Page.search_fields + [index.SearchField("summary")]

    parent_page_types = ["lessons.CoursePage"]
    subpage_types = ["lessons.LessonPage", "quizzes.QuizPage"]

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        course = self.get_parent().specific
        context["course"] = course
        context["module"] = course.get_outline().module_for(self)
        context["breadcrumbs"] = [course]
        return context


class CourseStep(SharedViewRestrictions):
    """What every step of a course shares (lessons and quizzes): a mixin for Page.

    Serving asks visitors to log in, enrols a learner silently and remembers the
    visit; the context has the course, its outline, progress and neighbours.
    """

    is_course_step = True

    def serve(self, request, *args, **kwargs):
        if getattr(request, "is_preview", False):
            return super().serve(request, *args, **kwargs)
        if not access.can_learn(request.user):
            return redirect_to_login(request.get_full_path())
        from lessons.progress import enrol, record_visit

        self._enrollment, _created = enrol(user=request.user, course=self.get_course())
        record_visit(enrollment=self._enrollment, step=self)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        course = self.get_course()
        outline = course.get_outline()
        progress = None
        if not getattr(request, "is_preview", False):
            enrollment = getattr(self, "_enrollment", None)
            progress = course.get_progress(request.user, enrollment)
            context["progress"] = progress
        context["course"] = course
        context["outline"] = outline
        context["outline_html"] = outline_html(
            outline, course=course, current=self, done_ids=_done_ids(progress)
        )
        module = outline.module_of(self)
        context["module"] = module
        context["breadcrumbs"] = [course, module] if module else [course]
        context["step_number"] = outline.position(self)
        context["previous_step"], context["next_step"] = outline.neighbours(self)
        return context

    def markdown_language(self):
        """Return the course's language; a page not yet in the tree has none."""
        return self.get_course().language if self.path else None

    def get_course(self):
        """Return the course above this step (from the shared cache if it is there)."""
        if not hasattr(self, "_course"):
            self._course = caching.cached_course_above(
                self, lambda: CoursePage.objects.ancestor_of(self).get()
            )
        return self._course

    def get_duration_display(self):
        return format_minutes(self.estimated_minutes)


class LessonPage(CourseStep, MarkdownRendered, Page):
    """A step of a course: Markdown teaching text."""

    body = models.TextField(_("body"), blank=True, validators=[validate_page_markdown])
    body_html = models.TextField(editable=False, blank=True)
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=10)

    markdown_fields = {"body": "body_html"}
    is_marked_done_by_learner = True

    content_panels = Page.content_panels + [
        FieldPanel("body", widget=markdown_widget()),
        FieldPanel("estimated_minutes"),
    ]
    search_fields = Page.search_fields + [index.SearchField("body")]

    parent_page_types = ["lessons.CoursePage", "lessons.ModulePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def has_interactive_blocks(self):
        """Tell whether the lesson needs the script of the interactive blocks."""
        return has_interactive_blocks(self.body_html)
