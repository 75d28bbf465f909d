from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountriesConfig(AppConfig):
    name = "ctip.countries"
    label = "countries"
    verbose_name = _("Countries: treaties and national response")

    def ready(self) -> None:
        from ctip.core.audit import register_actions
        from ctip.countries.codes import CountriesAction

        register_actions(CountriesAction)
