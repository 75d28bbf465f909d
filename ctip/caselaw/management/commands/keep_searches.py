from ctip.caselaw import selectors
from ctip.core.management.commands._base import CtipCommand


class Command(CtipCommand):
    help = (
        "Build the public search index of case law for the decisions as they are now, and "
        "count the public's recent searches again: the worker's job after a change, run here "
        "(after a bulk load, or on a web machine whose search index folder is its own)."
    )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        counted = selectors.keep_recent_searches()
        self.stdout.write(f"Search index ready; {counted} searches counted.")
