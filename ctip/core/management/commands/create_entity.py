from ctip.core import services
from ctip.core.codes import EntityKind
from ctip.core.management.commands._base import CtipCommand, command_label


class Command(CtipCommand):
    help = "Create a reporting entity: CODE --name NAME --kind KIND [--country ISO3]"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("code")
        parser.add_argument("--name", required=True)
        parser.add_argument("--kind", required=True, choices=EntityKind.values)
        parser.add_argument("--country", default="")

    def handle(self, *args, code, name, kind, country, **options):  # type: ignore[no-untyped-def]
        found = services.country_by_code(country) if country else None
        entity = services.entity_create(
            actor=None,
            actor_label=command_label("create_entity"),
            code=code,
            name=name,
            kind=kind,
            country=found,
        )
        self.stdout.write(f"Created entity {entity.code}: {entity.name} ({entity.kind})")
