from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "ctip.incidents"
    label = "incidents"
    verbose_name = _("Incidents and abductions by parties to conflict")

    def ready(self) -> None:
        from ctip.core.audit import register_actions
        from ctip.incidents.codes import IncidentsAction

        register_actions(IncidentsAction)
