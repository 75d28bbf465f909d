from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "ctip.surveys"
    label = "surveys"
    verbose_name = _("Flow-monitoring surveys")

    def ready(self) -> None:
        from ctip.core.audit import register_actions
        from ctip.surveys.codes import SurveysAction

        register_actions(SurveysAction)
