import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


def command_label(name: str) -> str:
    """Who acted, for the audit log, when an operator runs a command on the server."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"cli:{name} ({user})"


def raise_as_command_error(error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        lines = [f"{field}: {'; '.join(msgs)}" for field, msgs in error.message_dict.items()]
    else:
        lines = error.messages
    raise CommandError("\n".join(lines))


class CtipCommand(BaseCommand):
    """A command whose ValidationErrors become readable errors and a non-zero exit."""

    def execute(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            return super().execute(*args, **options)
        except ValidationError as error:
            raise_as_command_error(error)
