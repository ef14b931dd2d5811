"""Debian's chromium driven by Debian's chromedriver through Selenium, for the console's walks.

Both binaries are named explicitly (/usr/bin/chromedriver, /usr/bin/chromium): with a driver
path Selenium never starts Selenium Manager, so nothing is downloaded. Each page visited is
photographed into the walk's folder and checked with axe-core (vendored, tests/browser/vendor/);
a serious or critical violation fails the walk, lesser ones are printed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.wait import WebDriverWait

__all__ = ["CHROMEDRIVER", "CHROMIUM", "Browser", "require_browser"]

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WIDTH, HEIGHT = 1280, 800
BLOCKING = ("serious", "critical")

_RUN_AXE = """
const done = arguments[arguments.length - 1];  // preload: false, or axe fetches the stylesheets
axe.run(document, {resultTypes: ['violations'], preload: false})
  .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))))
  .catch(e => done({error: String(e)}));
"""


def require_browser() -> None:
    """Skip without Debian's chromium and chromedriver; fail under CI=true, where `.ci/run` installs them."""
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.access(path, os.X_OK):
            reason = f"{path} missing (Debian package {package})"
            if os.environ.get("CI") == "true":
                pytest.fail(reason)
            pytest.skip(reason)


class Browser:
    """One headless chromium for a module's walks, at base_url, downloading into `downloads`."""

    def __init__(self, base_url: str, profile: Path, downloads: Path) -> None:
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--no-first-run", "--disable-extensions", "--hide-scrollbars", f"--user-data-dir={profile}",
                    f"--window-size={WIDTH},{HEIGHT}"):  # fmt: skip
            options.add_argument(arg)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # the console's messages (CSP refusals)
        options.add_experimental_option("prefs", {
            "download.default_directory": str(downloads), "download.prompt_for_download": False,
            "safebrowsing.enabled": False,
        })  # fmt: skip
        self.driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
        self.driver.set_page_load_timeout(30)
        self.driver.set_script_timeout(30)
        self.driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow",
                                    "downloadPath": str(downloads)})  # fmt: skip
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False})  # fmt: skip
        self.base_url, self.downloads = base_url, downloads
        self.shots: Path = downloads
        self.pages: dict[str, list[dict[str, Any]]] = {}  # each page's lesser axe violations

    def close(self) -> None:
        self.driver.quit()

    def fresh(self, shots: Path) -> None:
        """A new visitor: no cookies (no session, no language), screenshots into `shots`."""
        self.driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
        self.shots = shots

    # --- moving about ---------------------------------------------------------------------

    def open(self, path: str) -> None:
        self.driver.get(self.base_url + path)

    @property
    def path(self) -> str:
        url = str(self.driver.current_url)
        return url[len(self.base_url) :] if url.startswith(self.base_url) else url

    def find(self, css: str) -> WebElement:
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def all(self, css: str) -> list[WebElement]:
        return list(self.driver.find_elements(By.CSS_SELECTOR, css))

    def text(self, css: str = "main") -> str:
        return str(self.find(css).text)

    def follow(self, element: WebElement) -> None:
        """Click a link or a form's button and wait for the next page to replace this one."""
        html, before = self.find("html"), self.path
        element.click()
        try:
            WebDriverWait(self.driver, 10).until(lambda d: _stale(html))
        except TimeoutException:
            said = [e["message"] for e in self.driver.get_log("browser")]
            raise AssertionError(f"no new page after the click on {before}; the browser said: {said}") from None
        WebDriverWait(self.driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")

    def login(self, client_id: str, client_secret: str) -> None:
        """Through the login form, as a person would type it."""
        self.open("/console/login")
        self.look("login")
        self.find("#client_id").send_keys(client_id)
        self.find("#client_secret").send_keys(client_secret)
        self.follow(self.find("#login-client button[type=submit]"))

    def cookie(self, name: str) -> str:
        found = self.driver.get_cookie(name)
        assert found is not None, f"no {name} cookie: {self.driver.get_cookies()}"
        return str(found["value"])

    def download(self, action: Callable[[], None], name: str, timeout: float = 30) -> bytes:
        """What the browser saved under `name` (a glob) after `action` (a click, a navigation)."""
        for old in self.downloads.iterdir():
            old.unlink()
        action()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done = [p for p in self.downloads.glob(name) if not p.name.endswith(".crdownload")]
            if done and not list(self.downloads.glob("*.crdownload")) and done[0].stat().st_size:
                return done[0].read_bytes()
            time.sleep(0.05)
        raise AssertionError(f"{name} was not downloaded; the folder holds {sorted(os.listdir(self.downloads))}")

    # --- looking --------------------------------------------------------------------------

    def look(self, name: str) -> Path:
        """The page as shown (a screenshot), nothing of it refused by its Content-Security-Policy
        (the browser's log), and its accessibility (axe-core): no serious or critical violation;
        the others are printed."""
        png = self.shots / f"{len(list(self.shots.glob('*.png'))):02d}-{name}.png"
        assert self.driver.save_screenshot(str(png)), png
        refused = [e["message"] for e in self.driver.get_log("browser") if "Content Security Policy" in e["message"]]
        assert not refused, f"the page's own policy refused part of {self.path} ({png.name}): {refused}"
        violations = self.axe()
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        assert not blocking, f"axe-core on {self.path} ({png.name}): {blocking}"
        if violations:
            print(f"axe-core on {self.path}: {violations}")
        self.pages[name] = violations
        return png

    def axe(self) -> list[dict[str, Any]]:
        if not self.driver.execute_script("return typeof window.axe === 'object'"):
            self.driver.execute_script(AXE.read_text(encoding="utf-8"))
        out = self.driver.execute_async_script(_RUN_AXE)
        assert isinstance(out, list), f"axe-core did not run: {out}"
        return out


def _stale(element: WebElement) -> bool:
    try:
        element.is_enabled()
    except Exception:  # StaleElementReferenceException: the page was replaced
        return True
    return False
