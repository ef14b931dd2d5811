"""The schema fuzzer's figures at the end of the run."""

from __future__ import annotations

import sys
from typing import Any


def pytest_terminal_summary(terminalreporter: Any) -> None:
    module = sys.modules.get("tests.fuzz.test_schema_fuzz")
    line = module.fuzz_summary() if module is not None else None
    if line:
        terminalreporter.write_line(line)
