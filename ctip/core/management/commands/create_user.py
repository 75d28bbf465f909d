import getpass
import os

from django.core.management.base import CommandError

from ctip.core import services
from ctip.core.codes import Role
from ctip.core.management.commands._base import CtipCommand, command_label
from ctip.core.models import Entity


class Command(CtipCommand):
    help = (
        "Create a user: ctip create_user EMAIL --entity CODE --role ROLE. The password is "
        "read from CTIP_NEW_PASSWORD or asked for."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("email")
        parser.add_argument("--entity", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--name", default="")

    def handle(self, *args, email, entity, role, name, **options):  # type: ignore[no-untyped-def]
        found = Entity.objects.filter(code=entity.upper()).first()
        if found is None:
            raise CommandError(
                f"No entity with code {entity!r}. Create it with ctip create_entity."
            )
        password = os.environ.get("CTIP_NEW_PASSWORD") or getpass.getpass("Password: ")
        user = services.user_create(
            actor=None,
            actor_label=command_label("create_user"),
            email=email,
            full_name=name or email.split("@")[0],
            entity=found,
            role=role,
            password=password,
        )
        self.stdout.write(f"Created {user.email} ({user.role}) in {found.code}")
