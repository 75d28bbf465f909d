from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliersConfig(AppConfig):
    name = "ctip.suppliers"
    label = "suppliers"
    verbose_name = _("Suppliers and the Supplier Code of Conduct")

    def ready(self) -> None:
        from ctip.core.audit import register_actions
        from ctip.suppliers.codes import SuppliersAction

        register_actions(SuppliersAction)
