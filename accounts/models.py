from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailUserManager(UserManager):
    """Users are known by their email address; there is no separate username."""

    def _create_user(self, email, password, **extra_fields):
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


class User(AbstractUser):
    username = None
    email = models.EmailField(_("e-mailadres"), unique=True)
    wants_digest = models.BooleanField(
        _("wekelijks overzicht per e-mail"),
        default=True,
        help_text=_("Eén e-mail per week met uw open acties en wat er veranderde in uw projecten."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = EmailUserManager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name people know this user by; the email address for someone without a name."""
        return self.get_full_name() or self.email
