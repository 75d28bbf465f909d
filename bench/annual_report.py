"""Benchmark: the annual report in each language and format, on the demo data set.

Usage: python bench/annual_report.py   (SQLite in a temp folder; loads the demo data first).
Target (issue 20): a report in one language in under 30 s on this machine.
"""

import os
import resource
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("CTIP_DATA_DIR", tempfile.mkdtemp(prefix="ctip-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctip.settings")
sys.path.insert(0, str(Path(__file__).parent))

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from timing import timed  # noqa: E402

from ctip.reports.render import render  # noqa: E402
from ctip.reports.selectors import report_years  # noqa: E402


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    call_command("demo_data", verbosity=0)
    year = report_years()[0]
    for language in ("en", "ar", "zh-hans", "fr", "es", "ru"):
        for output in ("pdf", "docx"):
            rendered, _seconds = timed(
                f"{year} report, {language}, {output}",
                lambda language=language, output=output: render(
                    year=year, language=language, output=output
                ),
            )
            print(f"  {len(rendered.data):,} bytes, {len(rendered.report.notes)} notes")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
