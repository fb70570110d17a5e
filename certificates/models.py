"""Certificate templates (a snippet) and the certificates issued on completion."""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

# Languages go by their own names, as in the language switcher.
LANGUAGE_NAMES = dict(settings.LANGUAGES)
# A certificate's text fits on one page; the form refuses more.
BODY_MAX_LENGTH = 2000
PLACEHOLDER_HELP = _(
    "Placeholders: {name}, {course}, {date}, {duration}, {organisation}. "
    "Plain text; line breaks are kept."
)


def private_storage():
    return storages["private"]


class Orientation(models.TextChoices):
    LANDSCAPE = "landscape", _("Landscape")
    PORTRAIT = "portrait", _("Portrait")


class CertificateTemplate(models.Model):
    """How a course's certificate looks and reads, in Finnish, Swedish and English."""

    name = models.CharField(_("name"), max_length=200)
    orientation = models.CharField(
        _("orientation"),
        max_length=16,
        choices=Orientation.choices,
        default=Orientation.LANDSCAPE,
    )
    title_fi = models.CharField(_("title (Finnish)"), max_length=200)
    title_sv = models.CharField(_("title (Swedish)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_fi = models.TextField(
        _("text (Finnish)"), max_length=BODY_MAX_LENGTH, help_text=PLACEHOLDER_HELP
    )
    body_sv = models.TextField(
        _("text (Swedish)"),
        max_length=BODY_MAX_LENGTH,
        blank=True,
        help_text=PLACEHOLDER_HELP,
    )
    body_en = models.TextField(
        _("text (English)"),
        max_length=BODY_MAX_LENGTH,
        blank=True,
        help_text=PLACEHOLDER_HELP,
    )
    signer_name = models.CharField(_("signer's name"), max_length=200, blank=True)
    signer_title = models.CharField(
        _("signer's title (Finnish)"), max_length=200, blank=True
    )
    signer_title_sv = models.CharField(
        _("signer's title (Swedish)"), max_length=200, blank=True
    )
    signer_title_en = models.CharField(
        _("signer's title (English)"), max_length=200, blank=True
    )
    signature = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Leave empty to use the theme's logo."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("orientation"),
        MultiFieldPanel(
            [
                FieldPanel("title_fi"),
                FieldPanel("body_fi"),
                FieldPanel("signer_title"),
            ],
            heading=LANGUAGE_NAMES["fi"],
        ),
        MultiFieldPanel(
            [
                FieldPanel("title_sv"),
                FieldPanel("body_sv"),
                FieldPanel("signer_title_sv"),
            ],
            heading=LANGUAGE_NAMES["sv"],
        ),
        MultiFieldPanel(
            [
                FieldPanel("title_en"),
                FieldPanel("body_en"),
                FieldPanel("signer_title_en"),
            ],
            heading=LANGUAGE_NAMES["en"],
        ),
        MultiFieldPanel(
            [
                FieldPanel("signer_name"),
                FieldPanel("signature"),
                FieldPanel("logo"),
            ],
            heading=_("Signature and logo"),
        ),
    ]

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def texts(self, language: str) -> tuple[str, str]:
        """Return (title, body) in the language, falling back to Finnish."""
        title = getattr(self, f"title_{language}", "") or self.title_fi
        body = getattr(self, f"body_{language}", "") or self.body_fi
        return title, body

    def signer_title_in(self, language: str) -> str:
        """Return the signer's title in the language, falling back to Finnish."""
        return getattr(self, f"signer_title_{language}", "") or self.signer_title


class CertificateQuerySet(models.QuerySet):
    def valid(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class Certificate(models.Model):
    """Proof of one completion of a course; issued once, verifiable by its code."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(_("code"), max_length=16, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    course = models.ForeignKey(
        "lessons.CoursePage",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    enrollment = models.ForeignKey(
        "lessons.Enrollment",
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    completed_at = models.DateTimeField(_("course completed at"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    holder_name = models.CharField(_("holder's name"), max_length=300, blank=True)
    course_title = models.CharField(_("course title"), max_length=255)
    language = models.CharField(_("language"), max_length=8)
    template = models.ForeignKey(
        CertificateTemplate,
        verbose_name=_("template"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    pdf = models.FileField(
        _("PDF"), storage=private_storage, upload_to="certificates/", blank=True
    )
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.CharField(
        _("reason for revoking"), max_length=300, blank=True
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    expiry_handled_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "completed_at"],
                condition=Q(revoked_at__isnull=True),
                name="certificates_one_per_completion",
            )
        ]
        indexes = [models.Index(fields=["course", "issued_at"])]

    def __str__(self):
        return f"{self.course_title} – {self.display_code}"

    @property
    def display_code(self):
        """The code in groups of four, as printed: ABCD-EFGH-JKMN."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))

    def status(self, now=None) -> str:
        now = now or timezone.now()
        if self.revoked_at:
            return "revoked"
        if self.expires_at and self.expires_at <= now:
            return "expired"
        return "valid"
