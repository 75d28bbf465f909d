from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "ctip.statistics"
    label = "statistics"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from ctip.core.audit import register_actions
        from ctip.statistics.codes import StatisticsAction

        register_actions(StatisticsAction)
