from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnooppuntenConfig(AppConfig):
    name = "knooppunten"
    verbose_name = _("Kompasinhoud")

    def ready(self) -> None:
        from . import personal_data  # noqa: F401  (registers the shared stories' part of the data download)
