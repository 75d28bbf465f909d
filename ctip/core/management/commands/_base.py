import datetime
import getpass
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


def command_label(name: str) -> str:
    """Who acted, for the audit log, when an operator runs a command on the server."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"cli:{name} ({user})"


def entity_named(code: str) -> Any:
    """The entity with this code (any case), or a CommandError naming it."""
    from ctip.core.models import Entity

    found = Entity.objects.filter(code=code.upper()).first()
    if found is None:
        raise CommandError(f"No entity {code!r}.")
    return found


def existing_file(name: str) -> Path:
    path = Path(name)
    if not path.is_file():
        raise CommandError(f"No file {name!r}.")
    return path


def day_option(name: str, value: str) -> datetime.date | None:
    """A --today or --as-of option: None when not given, a CommandError when not a date."""
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        raise CommandError(f"{name} must be a date such as 2026-12-31, not {value!r}.") from None


def raise_as_command_error(error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        lines = [f"{field}: {'; '.join(msgs)}" for field, msgs in error.message_dict.items()]
    else:
        lines = error.messages
    raise CommandError("\n".join(lines))


class CtipCommand(BaseCommand):
    """A command whose ValidationErrors become readable errors and a non-zero exit."""

    def refuse(self, problem: str = "", rows: list[dict[str, Any]] | None = None) -> NoReturn:
        """An all-or-none import that wrote nothing: the file's problem, or each bad row
        (the first thousand), then exit 1."""
        if problem:
            self.stderr.write(problem)
        for e in (rows or [])[:1000]:
            self.stderr.write(
                f"row {e['row']}, column {e['column']}: {e['value']!r} — {e['expected']}"
            )
        if len(rows or []) > 1000:
            self.stderr.write(f"… and {len(rows or []) - 1000} more.")
        self.stderr.write("Nothing was written.")
        sys.exit(1)

    def rows_of(self, file: str, max_rows: int, encoding: str = "") -> list[Any]:
        """The rows of an import file (CSV, XLSX or JSON), or its problem and exit 1."""
        from ctip.tabular import FileProblem, read_dicts

        path = existing_file(file)
        try:
            return read_dicts(path.read_bytes(), path.name, max_rows, encoding)
        except FileProblem as problem:
            self.refuse(str(problem))

    def execute(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            return super().execute(*args, **options)
        except ValidationError as error:
            raise_as_command_error(error)
