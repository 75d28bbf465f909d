from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConductConfig(AppConfig):
    name = "ctip.conduct"
    label = "conduct"
    verbose_name = _("Conduct: sexual exploitation and abuse")

    def ready(self) -> None:
        from ctip.conduct.codes import ConductAction
        from ctip.core.audit import register_actions

        register_actions(ConductAction)
