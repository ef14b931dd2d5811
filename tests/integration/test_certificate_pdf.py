"""The certificate PDF as readers see it: poppler reads the embedded CJK font and text, zbar the QR code.

The tools come from Debian packages (poppler-utils, zbar-tools); the set-up installs them when
it can (root on Debian); elsewhere these tests skip with the reason, and under CI=true they fail
instead. The font is the package's own unless CARBON_CJK_FONT names another (`.ci/run` runs
these tests a second time with Debian's fonts-wqy-microhei).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import time
from functools import cache
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from service.pdf import fonts
from service.pdf.fonts import FontMissing, find_cjk_font, register_font
from service.pdf.layout import render
from service.pdf.model import CertificateData, ProductLevel

TOOLS = ("pdffonts", "pdftotext", "pdftoppm", "zbarimg")
PACKAGES = ("poppler-utils", "zbar-tools")
CONFIGURED = os.environ.get("CARBON_CJK_FONT")

DATA = CertificateData(
    certificate_no="ZBC-7K3Q9M2XHD4TPW8VNC5RJA",
    verify_url="https://carbon.zibo.example/verify/ZBC-7K3Q9M2XHD4TPW8VNC5RJA",
    enterprise_name="淄博鲁中水泥有限公司(演示)",
    uscc="91370302MA3C8XYZ1K",
    district="淄川区",
    industry="3011 水泥制造",
    year=2024,
    colour="light_green",
    grade=3,
    band="medium",
    finance_tier="eligible",
    energy_tce="85432.1000",
    co2_total="120000.0000",
    co2_combustion="62000.0000",
    co2_process="48000.0000",
    co2_electricity="11000.0000",
    co2_heat="0.0000",
    co2_captured="1000.0000",
    intensity="1.200000",
    k="1.0000",
    products=[
        ProductLevel(
            name="水泥熟料", unit="kgce/t", unit_energy_use="104.2", benchmark="100", baseline="117", level="baseline"
        ),
        ProductLevel(
            name="水泥", unit="kgce/t", unit_energy_use="88.5", benchmark="93", baseline="104", level="benchmark"
        ),
    ],
    data_quality="A",
    methodology_version="1",
    issued_on=dt.date(2025, 3, 31),
    valid_until=dt.date(2026, 9, 30),
    rating_key_id="rk-2025-01-3f9a",
    rating_token_sha256="9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
)


def _missing() -> list[str]:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    return [*missing, "a CJK TrueType font"] if find_cjk_font(CONFIGURED) is None else missing


@cache
def _install_once() -> str:
    """apt-get the packages, once per session, when root on Debian; the output tail if it failed."""
    if os.name != "posix" or os.geteuid() != 0 or not Path("/etc/debian_version").exists():
        return "not root on Debian"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (
        ["apt-get", "install", "-y", *PACKAGES],
        ["apt-get", "update"],
        ["apt-get", "install", "-y", *PACKAGES],
    ):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900, check=False)
        if done.returncode == 0 and cmd[1] == "install":
            return ""
    return done.stderr[-300:]


@pytest.fixture(scope="module")
def font() -> str:
    """The font path once poppler, zbar and a CJK font are present; skip (fail under CI=true) if not."""
    if _missing():
        _install_once()
    missing = _missing()
    if missing:
        reason = f"missing {', '.join(missing)} (Debian packages: {' '.join(PACKAGES)}); "
        reason += f"apt-get: {_install_once() or 'installed, still missing'}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    path = find_cjk_font(CONFIGURED)
    assert path is not None
    assert path == (CONFIGURED or fonts.BUNDLED_FONT)  # a configured font is used, not silently replaced
    return path


@pytest.fixture(scope="module")
def pdf(font: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("certificate") / "certificate.pdf"
    path.write_bytes(render(DATA, font))
    return path


def run(*cmd: str) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, f"{cmd[0]}: {done.stderr}"
    return done.stdout


def test_the_cjk_font_is_embedded_and_no_font_is_not(pdf: Path, font: str) -> None:
    face = pdfmetrics.getFont(register_font(font)).face.name.decode()
    rows = run("pdffonts", str(pdf)).splitlines()[2:]
    assert rows, "no fonts listed"
    assert any(face in row for row in rows), rows
    for row in rows:  # ... emb sub uni object ID: read from the right, the type may be two words
        emb, sub, uni = row.split()[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row


def test_text_gives_back_the_chinese_name_grade_and_number(pdf: Path) -> None:
    text = run("pdftotext", "-enc", "UTF-8", str(pdf), "-")
    for expected in (DATA.enterprise_name, "碳效评价证书", "3级", "中碳", "浅绿", DATA.certificate_no, DATA.uscc):
        assert expected in text, expected
    assert "标杆与基准之间" in text and "标杆水平" in text
    assert DATA.rating_token_sha256 in text
    # figures rounded for the reader (service.display), the signed values exact
    for printed in ("85,432 tce", "120,000", "62,000", "48,000", "1.200 tCO2/万元", "104.2"):
        assert printed in text, printed
    assert "85432.1000" not in text and "1.200000" not in text


def test_the_qr_code_reads_back_as_the_verification_url(pdf: Path) -> None:
    run("pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf), str(pdf.with_suffix("")))
    png = pdf.with_suffix(".png")
    assert png.stat().st_size > 10_000
    assert run("zbarimg", "--raw", "-q", str(png)).splitlines() == [DATA.verify_url]


def test_two_renders_are_byte_identical_and_dated_by_the_issue(pdf: Path, font: str) -> None:
    started = time.perf_counter()
    again = render(DATA, font)
    elapsed_ms = (time.perf_counter() - started) * 1000
    print(f"one certificate rendered in {elapsed_ms:.1f} ms")  # reported, not asserted
    assert again == pdf.read_bytes()
    assert b"D:20250331000000+08'00'" in again  # CreationDate and ModDate, not the clock
    assert render(DATA, font) == again


def test_with_no_font_configured_or_a_missing_one_the_bundled_font_serves(font: str) -> None:
    assert find_cjk_font(None) == fonts.BUNDLED_FONT
    assert find_cjk_font("/nonexistent.ttf") == fonts.BUNDLED_FONT
    assert find_cjk_font(font) == font


def test_unusable_fonts_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "BUNDLED_FONT", "/nonexistent-bundled.ttf")  # a broken install
    cff = tmp_path / "cff.otf"
    cff.write_bytes(b"OTTO" + bytes(200))  # OpenType/CFF: reportlab cannot embed it
    junk = tmp_path / "junk.ttf"
    junk.write_bytes(b"\x00\x01\x00\x00" + bytes(200))  # a TrueType header and nothing behind it
    for path in (None, "/nonexistent.ttf", str(cff), str(junk), str(tmp_path)):
        assert find_cjk_font(path) is None, path
    with pytest.raises(FontMissing) as raised:
        render(DATA, "/nonexistent.ttf")
    assert "CARBON_CJK_FONT" in str(raised.value) and "fontdata" in str(raised.value)


def test_a_latin_only_truetype_font_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    latin = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    if not Path(latin).exists():
        pytest.skip(f"{latin} not installed")
    monkeypatch.setattr(fonts, "BUNDLED_FONT", "/nonexistent-bundled.ttf")
    assert find_cjk_font(latin) is None  # it would print empty boxes for every Chinese character


def test_a_cjk_only_font_without_latin_glyphs_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    droid = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
    if not Path(droid).exists():
        pytest.skip(f"{droid} not installed")
    monkeypatch.setattr(fonts, "BUNDLED_FONT", "/nonexistent-bundled.ttf")
    assert find_cjk_font(droid) is None  # its digits and Latin letters would print blank
