"""The CJK font that ships in the package: certificates render where only Python is installed."""

from __future__ import annotations

import tomllib
from pathlib import Path

from reportlab.pdfbase.ttfonts import TTFont

from service.pdf.fontdata.subset import _gb2312, _project_text
from service.pdf.fonts import BUNDLED_FONT, find_cjk_font

ROOT = Path(__file__).resolve().parents[2]
FONTDATA = Path(BUNDLED_FONT).parent


def _glyphs() -> dict[int, int]:
    return TTFont("bundled-check", BUNDLED_FONT).face.charToGlyph


def test_the_bundled_font_is_a_usable_truetype_font_and_the_default() -> None:
    assert Path(BUNDLED_FONT).read_bytes()[:4] == b"\x00\x01\x00\x00"  # TrueType outlines, not CFF
    assert find_cjk_font(None) == BUNDLED_FONT


def test_it_covers_all_of_gb_2312_and_every_character_the_project_prints() -> None:
    glyphs = _glyphs()
    gb2312 = _gb2312()
    assert len(gb2312) == 7445  # 682 symbols + 3,755 level-1 + 3,008 level-2 hanzi
    assert [ch for ch in gb2312 if ord(ch) not in glyphs] == []
    assert sorted(ch for ch in _project_text(ROOT) if ord(ch) not in glyphs) == []
    assert all(ord(ch) in glyphs for ch in "淄博张店临淄桓台沂源瓷质砖卫生陶瓷tCO₂·≤≥")


def test_its_licence_ships_beside_it_and_in_the_package_data() -> None:
    assert "Apache License" in (FONTDATA / "LICENSE-Apache-2.0.txt").read_text()
    assert "WenQuanYi" in (FONTDATA / "NOTICE.txt").read_text()
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert {"pdf/fontdata/*.ttf", "pdf/fontdata/*.txt"} <= set(data["service"])
