from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projecten")

    def ready(self) -> None:
        from . import personal_data  # noqa: F401  (registers the projects' part of the data download)
