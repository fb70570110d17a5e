from django.conf import settings
from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from people.signin import normalise_username


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def normalize_email(self, email):
        return normalise_username(email or "")

    def get_by_natural_key(self, username):
        # iexact also finds rows written without save(), as by the HR import's
        # bulk_create, whose addresses are only lower-cased.
        return self.get(email__iexact=normalise_username(username or ""))


class OrgUnit(MP_Node):
    """A unit of the organisation (sector, department, team): a tree."""

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=64, unique=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("managers"),
        blank=True,
        related_name="managed_units",
    )

    node_order_by = ["name"]

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")

    def __str__(self):
        return f"{self.name} ({self.code})"

    @classmethod
    def deepest_level(cls) -> int:
        """Return how deep the tree's paths let a unit sit."""
        return cls._meta.get_field("path").max_length // cls.steplen

    def subtree(self):
        """Return this unit and every unit below it."""
        return OrgUnit.objects.filter(path__startswith=self.path)

    def ancestor_paths(self):
        """Return the paths of this unit and of every unit above it."""
        return [self.path[: depth * self.steplen] for depth in range(1, self.depth + 1)]


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff; logs in with their e-mail address."""

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    employee_number = models.CharField(
        _("employee number"), max_length=32, blank=True, null=True, unique=True
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="fi",
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Designates whether the user can log into the Django admin."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Leavers are deactivated, never deleted, so their records stay."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("organisation unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )

    anonymised_at = models.DateTimeField(
        _("anonymised at"), null=True, blank=True, editable=False
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="people_user_email_unique_ci"),
        ]
        permissions = [
            ("import_people", _("Can import staff from the HR export")),
            (
                "view_all_learning",
                _("Can follow and assign learning for everyone in the organisation"),
            ),
            ("anonymise_person", _("Can anonymise a person who has left")),
        ]

    def __str__(self):
        if self.anonymised_at:
            return str(_("Anonymised person"))
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = User.objects.normalize_email(self.email)
        self.employee_number = (self.employee_number or "").strip() or None

    def save(self, *args, **kwargs):
        self.email = User.objects.normalize_email(self.email)
        self.employee_number = (self.employee_number or "").strip() or None
        super().save(*args, **kwargs)

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email
