from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WarningConfig(AppConfig):
    name = "ctip.warning"
    label = "warning"
    verbose_name = _("Early warning")

    def ready(self) -> None:
        from ctip.core.audit import register_actions
        from ctip.warning.codes import WarningAction

        register_actions(WarningAction)
