import sys
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ctip.core.management.commands._base import CtipCommand
from ctip.linkage.files import encode_table
from ctip.linkage.keys import IdentityProblem, read_secret
from ctip.tabular import ENCODINGS, FileProblem


class Command(CtipCommand):
    help = (
        "Replace the identity columns (given_name, family_name, date_of_birth; sex is kept) "
        "of a CTIP-template file by one linkage_key column, on your own machine, before the "
        "file goes to CTIP. FILE's first line is the secret the round's entities share."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("input")
        parser.add_argument("output")
        parser.add_argument("--secret-file", required=True)
        parser.add_argument(
            "--encoding", choices=ENCODINGS, default="", help="when the file is not UTF-8"
        )

    def handle(self, *args, input, output, secret_file, encoding, **options):  # type: ignore[no-untyped-def]
        source, target = Path(input), Path(output)
        if not source.is_file():
            raise CommandError(_("No file %(name)r.") % {"name": input})
        if target.resolve() == source.resolve():
            raise CommandError(_("Write the encoded file beside the original, not over it."))
        try:
            secret = read_secret(Path(secret_file))
            result = encode_table(source.read_bytes(), source.name, secret, encoding)
        except (IdentityProblem, FileProblem) as problem:
            raise CommandError(str(problem)) from None
        if not result.ok:
            self.stderr.write(
                _("Nothing was written: %(n)s rows cannot be encoded.")
                % {"n": result.problem_count}
            )
            for row_problem in result.problems:
                self.stderr.write(str(row_problem))
            sys.exit(1)
        target.write_text(result.text, encoding="utf-8")
        self.stdout.write(
            _("Encoded %(rows)s rows into %(out)s (%(blank)s without a name, left without a key).")
            % {"rows": result.rows, "out": output, "blank": result.without_name}
        )
