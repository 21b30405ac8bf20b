from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnooppuntenConfig(AppConfig):
    name = "knooppunten"
    verbose_name = _("Kompasinhoud")
