"""The fonts the report is typeset in. Noto Sans Arabic (OFL) ships with CTIP, in `fonts/`.
Noto Sans CJK SC (OFL), 16 MB, is taken by the Makefile from a pinned PyPI wheel and checked
against its SHA-256: `python -m ctip.reports.fonts var/fonts/NotoSansCJKsc-Regular.otf`.
Latin and Cyrillic text is set in Typst's own Libertinus Serif."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings

SHIPPED = Path(__file__).with_name("fonts")
CJK_FILE = "NotoSansCJKsc-Regular.otf"
CJK_WHEEL = "mplfonts==0.0.11"  # the one file taken from it; the rest is not installed
CJK_MEMBER = f"mplfonts/fonts/{CJK_FILE}"
CJK_SHA256 = "1652500938055a232cfbfa321de6ebaadfc5635dd9f75e369bc991d14a6512dd"
FAMILIES = {
    "ar": ["Libertinus Serif", "Noto Sans Arabic UI", "Noto Sans CJK SC"],
    "zh-hans": ["Noto Sans CJK SC", "Libertinus Serif"],
}
DEFAULT_FAMILIES = ["Libertinus Serif", "Noto Sans CJK SC", "Noto Sans Arabic UI"]


class FontMissing(RuntimeError):
    """A font the language needs is not installed."""


def directories() -> list[Path]:
    return [SHIPPED, *settings.CTIP_FONT_DIRS]


def families(language: str) -> list[str]:
    return FAMILIES.get(language, DEFAULT_FAMILIES)


def require(language: str) -> None:
    if language == "zh-hans" and not any((d / CJK_FILE).exists() for d in directories()):
        raise FontMissing(
            f"{CJK_FILE} is not installed in {', '.join(map(str, settings.CTIP_FONT_DIRS))}: "
            "run make fonts (it is part of make demo and make test)."
        )


def install(target: Path) -> None:
    """Download the pinned wheel, take the font out of it and check it."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(  # noqa: S603
            # the wheel only, never a source package that would run code to build it
            [
                *(sys.executable, "-m", "pip", "download", "-q", "--no-deps"),
                *("--only-binary=:all:", "-d", folder, CJK_WHEEL),
            ],
            check=True,
        )
        (wheel,) = Path(folder).glob("*.whl")
        data = zipfile.ZipFile(wheel).read(CJK_MEMBER)
    if hashlib.sha256(data).hexdigest() != CJK_SHA256:
        raise SystemExit(f"{CJK_MEMBER}: unexpected SHA-256, not installed")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(target)


if __name__ == "__main__":
    install(Path(sys.argv[1]))
