from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "ctip.funds"
    label = "funds"
    verbose_name = _("Trust funds for victims")

    def ready(self) -> None:
        from ctip.core.audit import register_actions
        from ctip.funds.codes import FundsAction

        register_actions(FundsAction)
