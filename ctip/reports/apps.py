from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "ctip.reports"
    label = "reports"
    verbose_name = _("Annual report")

    def ready(self) -> None:
        from ctip.core.audit import register_actions
        from ctip.reports.codes import ReportAction

        register_actions(ReportAction)
