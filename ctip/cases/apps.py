from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "ctip.cases"
    label = "cases"
    verbose_name = _("Victim identification and assistance")

    def ready(self) -> None:
        from ctip.cases.codes import CasesAction
        from ctip.core.audit import register_actions

        register_actions(CasesAction)
