"""The CJK font embedded in certificates: a TrueType (.ttf) or TrueType collection (.ttc).

reportlab embeds (as a subset) only TrueType-outline fonts; OpenType/CFF fonts fail, and
its built-in STSong-Light is not embedded at all (poppler shows it blank or substituted),
so it is never used. A font counts as usable when reportlab parses it and it has glyphs
for Chinese and for Latin letters and digits: a Latin-only font gives empty boxes, and a
CJK-only one (DroidSansFallbackFull) blank numbers.

The package ships its own font (fontdata/: WenQuanYi Micro Hei cut to GB 2312, Apache-2.0),
so certificates render on a machine with only Python, the same bytes on every machine.
CARBON_CJK_FONT names another (e.g. Debian's full wqy-microhei.ttc, for names outside GB 2312).
"""

from __future__ import annotations

import hashlib
import os
import string
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

__all__ = ["BUNDLED_FONT", "FONT_HINT", "FontMissing", "find_cjk_font", "register_font"]

BUNDLED_FONT = str(Path(__file__).with_name("fontdata") / "wqy-microhei-gb2312.ttf")

FONT_HINT = (
    "no usable CJK TrueType font: the package's own font (service/pdf/fontdata) is missing and "
    "CARBON_CJK_FONT names no .ttf/.ttc file with Chinese and Latin glyphs (e.g. Debian's "
    "fonts-wqy-microhei: /usr/share/fonts/truetype/wqy/wqy-microhei.ttc)"
)

_TRUETYPE_MAGIC = (b"\x00\x01\x00\x00", b"true", b"ttcf")  # b"OTTO" (CFF outlines) is refused
_PROBE = "碳效评价证书等级" + string.ascii_letters + string.digits + "-.:/()"  # each needs a glyph
_registered: dict[str, str] = {}


class FontMissing(RuntimeError):
    """No usable CJK font: certificates cannot be rendered."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(f"{detail}: {FONT_HINT}" if detail else FONT_HINT)


def find_cjk_font(path: str | None) -> str | None:
    """The configured font if usable, else the bundled one, else None (a broken install)."""
    for candidate in (path, BUNDLED_FONT):
        if candidate and _usable(candidate):
            return candidate
    return None


def register_font(path: str) -> str:
    """Register the font with reportlab once per process and return its reportlab name."""
    if path in _registered:
        return _registered[path]
    font = _load(*_key(path)) if _usable(path) else None
    if font is None:
        raise FontMissing(f"{path} is not a usable CJK TrueType font")
    pdfmetrics.registerFont(font)
    _registered[path] = font.fontName
    return font.fontName


def _key(path: str) -> tuple[str, int, int]:
    st = os.stat(path)
    return path, st.st_mtime_ns, st.st_size


def _usable(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            if f.read(4) not in _TRUETYPE_MAGIC:
                return False
        return _load(*_key(path)) is not None
    except OSError:
        return False


@lru_cache(maxsize=8)
def _load(path: str, _mtime_ns: int, _size: int) -> TTFont | None:
    """Parse once per file version (about 60 ms for wqy-microhei); None if it cannot serve Chinese."""
    name = f"CJK-{Path(path).stem}-{hashlib.sha256(path.encode()).hexdigest()[:8]}"
    try:
        font = TTFont(name, path, subfontIndex=0)  # the first face of a .ttc; ignored for a .ttf
    except Exception:  # reportlab raises TTFError, struct.error, ... on a bad or CFF font
        return None
    glyphs = font.face.charToGlyph
    return font if all(ord(ch) in glyphs for ch in _PROBE) else None
