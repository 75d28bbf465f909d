import subprocess
import sys
import tempfile
from gettext import GNUTranslations
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "CI gate: every catalogue compiles (msgfmt --check), every language has one, and "
        "all six languages are complete: no untranslated or fuzzy entry."
    )

    complete = ("zh_Hans", "ar", "fr", "es", "ru")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        locale_dir = Path(settings.LOCALE_PATHS[0])
        problems = []
        for code, _name in settings.LANGUAGES:
            folder = "zh_Hans" if code == "zh-hans" else code
            po = locale_dir / folder / "LC_MESSAGES" / "django.po"
            if not po.exists():
                problems.append(f"{po}: missing")
                continue
            result = subprocess.run(  # noqa: S603
                ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],  # noqa: S607
                capture_output=True,
                text=True,
                check=False,
            )
            stats = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""
            if result.returncode:
                problems.append(f"{po}: {stats}")
            elif folder in self.complete and ("untranslated" in stats or "fuzzy" in stats):
                problems.append(f"{po}: must be complete, {stats}")
            self.stdout.write(f"{folder}: {stats}")
            if not result.returncode and not self._mo_matches(po):
                problems.append(f"{po}: its .mo is missing or stale (run make messages)")
        if problems:
            self.stderr.write("\n".join(problems))
            sys.exit(1)

    @staticmethod
    def _mo_matches(po: Path) -> bool:
        """The committed .mo holds exactly what the .po compiles to."""
        mo = po.with_suffix(".mo")
        if not mo.exists():
            return False
        with tempfile.NamedTemporaryFile(suffix=".mo") as fresh:
            subprocess.run(["msgfmt", "-o", fresh.name, str(po)], check=True)  # noqa: S603,S607
            with open(fresh.name, "rb") as new, open(mo, "rb") as old:
                return GNUTranslations(new)._catalog == GNUTranslations(old)._catalog  # type: ignore[attr-defined]
