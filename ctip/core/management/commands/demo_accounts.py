from django.core.management.base import BaseCommand

from ctip.core.codes import ROLES_REQUIRING_TWO_FACTOR, Role
from ctip.core.demo import DEMO_PASSWORD, ROLE_ACCOUNTS


class Command(BaseCommand):
    help = "Print the address and the demo accounts."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, url, **options):  # type: ignore[no-untyped-def]
        self.stdout.write("")
        self.stdout.write(f"CTIP is starting at {url}")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        width = max(len(str(Role(role).label)) for *_rest, role in ROLE_ACCOUNTS)
        for email, _name, entity, role in ROLE_ACCOUNTS:
            note = (
                "  (sets up two-factor on first sign-in)"
                if role in ROLES_REQUIRING_TWO_FACTOR
                else ""
            )
            self.stdout.write(f"  {Role(role).label:<{width}} {email:<28} {entity}{note}")
        self.stdout.write("Health: " + url + "healthz   API: " + url + "api/v1/docs")
        self.stdout.write("Stop with Ctrl-C.\n")
