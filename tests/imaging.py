"""Screenshots for the suite: PDF pages via poppler's pdftoppm, HTML via Debian's chromium.

Both are Debian packages (poppler-utils, chromium); `.ci/run` installs them as root. Nothing
is written to the repository: images go to pytest's temporary directories. Each test asserts
something real about the picture (its size, that it is not blank, where the ink is).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops

__all__ = ["Ink", "chromium", "ink", "need", "pdf_to_png", "screenshot"]

CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def need(tool: str, package: str) -> str:
    """The tool's path; skip without it (fail under CI=true, where `.ci/run` installs it)."""
    found = shutil.which(tool) or next((p for p in CHROMIUM if tool == "chromium" and Path(p).exists()), None)
    if found is None:
        reason = f"{tool} missing (Debian package {package})"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return found


def chromium() -> str:
    return need("chromium", "chromium")


def pdf_to_png(pdf: Path, dpi: int = 100) -> Path:
    out = pdf.with_suffix("")
    done = subprocess.run(
        [need("pdftoppm", "poppler-utils"), "-png", "-r", str(dpi), "-singlefile", str(pdf), str(out)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return out.with_suffix(".png")


def screenshot(html: Path, png: Path, width: int, height: int) -> Path:
    """The page as chromium headless draws it in a window of width x height CSS pixels."""
    profile = png.parent / f"profile-{png.stem}"
    cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           "--no-first-run", "--disable-extensions", f"--user-data-dir={profile}",
           f"--window-size={width},{height}", f"--screenshot={png}", html.as_uri()]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0 and png.exists(), done.stderr[-2000:]
    return png


class Ink:
    """Where an image is not white: its size, the bounding box of its ink, the colours it uses."""

    def __init__(self, path: Path) -> None:
        image = Image.open(path).convert("RGB")
        self.size = image.size
        white = Image.new("RGB", image.size, (255, 255, 255))
        diff = ImageChops.difference(image, white).convert("L").point(lambda v: 255 if v > 24 else 0)
        self.bbox = diff.getbbox()  # (left, top, right, bottom) or None when blank
        self.inked = sum(diff.histogram()[255:]) / (image.size[0] * image.size[1])
        self.image = image

    def pixel(self, x: float, y: float) -> tuple[int, int, int]:
        """The colour at a fraction of the width and height."""
        w, h = self.size
        return self.image.getpixel((int(x * (w - 1)), int(y * (h - 1))))  # type: ignore[return-value]


def ink(path: Path) -> Ink:
    return Ink(path)
