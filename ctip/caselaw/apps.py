from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaselawConfig(AppConfig):
    name = "ctip.caselaw"
    label = "caselaw"
    verbose_name = _("Case law")

    def ready(self) -> None:
        from ctip.caselaw.codes import CaselawAction
        from ctip.core.audit import register_actions

        register_actions(CaselawAction)
