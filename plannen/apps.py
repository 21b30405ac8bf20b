from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlannenConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plannen"
    verbose_name = _("Wijkuitvoeringsplannen")

    def ready(self) -> None:
        # The plan travels with the project's JSON export and import (projects.exchange.SECTIONS).
        from .exchange import register

        register()
