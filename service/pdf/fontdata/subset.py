"""Rebuild the bundled CJK font: WenQuanYi Micro Hei cut to GB 2312 (levels 1 and 2) and what
the certificates print besides.

Certificates must render on a machine with only Python (no apt font), so a TrueType subset of
an openly licensed font ships in the package (Apache-2.0; LICENSE and NOTICE beside it). The
source is Debian's fonts-wqy-microhei 0.2.0-beta (wqy-microhei.ttc, face 0). Run once when the
set of characters must grow; needs fontTools (`pip install fonttools`), not a runtime dependency:

    python -m service.pdf.fontdata.subset /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["charset"]

OUT = Path(__file__).with_name("wqy-microhei-gb2312.ttf")
_REPO_TEXT = ("domain/data", "service", "scoring", "docs")  # characters the project itself prints


def _gb2312() -> set[str]:
    """Every character of GB 2312: rows 0xA1-0xF7, cells 0xA1-0xFE (symbols, level 1, level 2)."""
    chars: set[str] = set()
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def _project_text(root: Path) -> set[str]:
    chars: set[str] = set()
    for top in _REPO_TEXT:
        for path in (root / top).rglob("*"):
            if path.suffix in {".csv", ".json", ".py", ".md", ".html"} and path.is_file():
                chars.update(ch for ch in path.read_text(encoding="utf-8") if ord(ch) > 0x7F)
    return chars


def charset(root: Path) -> set[str]:
    """ASCII and Latin-1, general punctuation, super/subscripts, letterlike and math symbols,
    CJK symbols and full-width forms, GB 2312 and every non-ASCII character in the project's text."""
    ranges = [
        (0x20, 0x7E),
        (0xA0, 0xFF),
        (0x2000, 0x206F),
        (0x2070, 0x209F),
        (0x2100, 0x214F),
        (0x2190, 0x21FF),
        (0x2200, 0x22FF),
        (0x2460, 0x24FF),
        (0x3000, 0x303F),
        (0xFF00, 0xFFEF),
    ]
    chars = {chr(c) for lo, hi in ranges for c in range(lo, hi + 1)}
    return chars | _gb2312() | _project_text(root)


def main(source: str) -> None:
    from fontTools import subset  # a build-time tool only

    root = Path(__file__).resolve().parents[3]
    options = subset.Options()
    options.hinting = False  # certificates are printed and viewed scaled; hints only add size
    options.name_IDs = ["*"]  # keep the copyright and licence records
    options.font_number = 0
    font = subset.load_font(source, options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(charset(root))))
    subsetter.subset(font)
    subset.save_font(font, str(OUT), options)
    print(f"{OUT}: {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
