"""Commands that act as a named user: the pages' services, rules and audit, from a shell.

An operator on the server names the user (`--as EMAIL`); the service then checks that user's
role and entity exactly as on the page and writes the audit event in that user's name, with
the command and the operator's login beside it. A refusal is one readable line and a non-zero
exit, never a traceback.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ctip.core.audit import acting_via
from ctip.core.management.commands._base import CtipCommand, command_label
from ctip.core.models import User


def acting_user(email: str) -> User:
    found = User.objects.select_related("entity").filter(email__iexact=email.strip()).first()
    if found is None or not found.is_active:
        raise CommandError(_("No active user %(email)s.") % {"email": email})
    return found


class ActingCommand(CtipCommand):
    """Adds `--as EMAIL`; a role the service refuses and a record the user may not see (the
    same answer as a missing one) become errors like the page's 403 and 404."""

    # marked with gettext_noop, translated when shown; formatted with the command's options
    not_found_message = gettext_noop("Nothing found that %(as_user)s may see.")

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--as", required=True, dest="as_user", metavar="EMAIL", help="the user who acts"
        )

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            with acting_via(command_label(type(self).__module__.rsplit(".", 1)[-1])):
                return super().execute(*args, **options)
        except PermissionDenied:
            raise CommandError(
                _("%(email)s may not do this with their role.") % {"email": options["as_user"]}
            ) from None
        except Http404:
            raise CommandError(_(self.not_found_message) % options) from None
