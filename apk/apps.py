from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApkConfig(AppConfig):
    name = "apk"
    verbose_name = _("APK van de wijkaanpak")
