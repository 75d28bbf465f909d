from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ctip.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from ctip.core.fresh_database import load_reference_data_after_migrate

        post_migrate.connect(
            load_reference_data_after_migrate, sender=self, dispatch_uid="ctip-reference-data"
        )
