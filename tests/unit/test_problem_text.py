"""The problem-document catalogue (service/problem_catalogue.py, read by service/problem_text.py): complete, consistent, negotiated."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from service.errors import _HTTP_CODES
from service.problem_text import LANGUAGES, MESSAGES, TITLES, language_setting, negotiate, title, translate

ROOT = Path(__file__).resolve().parents[2]
CHINESE = re.compile(r"[\u4e00-\u9fff]")

# Where the code writes a sentence a problem document carries: call name -> argument index
# (or keyword). The sentence may be a literal or an f-string (a template with parameters).
_MESSAGE_ARGS: dict[str, int | str] = {
    "DomainError": 0,
    "NotFound": 0,
    "Conflict": 0,
    "StateConflict": 0,
    "NotPermitted": 0,
    "TokenRejected": 0,
    "_refuse": 0,
    "InvalidField": 1,
    "ProblemError": 2,
    "FieldError": "detail",
    "problem": 4,  # domain/filing_import.py: ImportBuilder.problem(sheet, row, column, cell, detail)
}
_VALUE_ERROR_FILES = {"domain/filing_import.py"}  # its ValueErrors become import problems


def _fields(template: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(template) if name is not None)


def _sample(node: ast.expr) -> str | None:
    """The sentence an argument writes, each interpolated value as `X`; None if not a literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "X" for v in node.values)
    return None


def _call_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _written_messages() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for top in ("domain", "service", "scoring"):
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = str(path.relative_to(ROOT))
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                name = _call_name(node)
                where = _MESSAGE_ARGS.get(name or "")
                if name == "ValueError" and rel in _VALUE_ERROR_FILES:
                    where = 0
                if where is None:
                    continue
                if isinstance(where, int):
                    arg = node.args[where] if len(node.args) > where else None
                else:
                    arg = next((k.value for k in node.keywords if k.arg == where), None)
                sample = _sample(arg) if arg is not None else None
                if sample and re.search(r"[A-Za-z]{2,}", sample.replace("X", "")):
                    out.append((f"{rel}:{node.lineno}", sample))
    return out


def test_every_title_has_both_languages() -> None:
    statuses = set(_HTTP_CODES) | {422, 500}
    assert statuses <= set(TITLES)
    for status, (en, zh) in TITLES.items():
        assert en and not CHINESE.search(en), status
        assert CHINESE.search(zh), status
        assert title(status, "en") == en and title(status, "zh-CN") == zh
    assert title(418, "en") == "Error" and title(418, "zh-CN") == "错误"


def test_every_message_has_a_chinese_text_with_the_same_parameters() -> None:
    english = [en for en, _ in MESSAGES]
    assert len(english) == len(set(english)), "an English sentence is catalogued twice"
    for en, zh in MESSAGES:
        assert _fields(en) == _fields(zh), en
        assert CHINESE.search(zh), en
        assert not CHINESE.search(re.sub(r"填报|表|万元|标杆|基准|水泥制造|是/否", "", en)), en


def test_every_sentence_the_code_writes_is_catalogued() -> None:
    written = _written_messages()
    assert len(written) > 100  # the scan sees the raise sites
    missing = [f"{where}: {text!r}" for where, text in written if translate(text, "zh-CN") == text]
    assert not missing, "add these to service/problem_catalogue.py MESSAGES:\n" + "\n".join(missing)


def test_a_template_carries_its_values_over_unchanged() -> None:
    en = "An enterprise with USCC 91370303MA3C5A1B2X is already registered."
    assert translate(en, "zh-CN") == "统一社会信用代码为 91370303MA3C5A1B2X 的企业已注册。"
    assert translate(en, "en") == en
    assert translate("the filing is already submitted; only a draft can be submitted", "zh-CN") == (
        "该填报已是 submitted；只有草稿可以提交"
    )
    assert translate("2023 already has a draft; edit it (PUT /v1/filings/{id}) or submit it first", "zh-CN") == (
        "2023 已有草稿；请先修改（PUT /v1/filings/{id}）或提交该草稿"
    )
    # `field: sentence`: the field path stays as it is
    assert translate("lines[2].quantity: must not be negative", "zh-CN") == "lines[2].quantity: 不得为负"
    # not catalogued: sent in English rather than not at all
    assert translate("something nobody wrote down", "zh-CN") == "something nobody wrote down"


@pytest.mark.parametrize(
    ("header", "default", "expected"),
    [
        (None, "en", "en"),
        (None, "zh-CN", "zh-CN"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "en", "zh-CN"),
        ("ZH-hans", "en", "zh-CN"),
        ("zh-Hans-CN", "en", "zh-CN"),
        ("zh-SG", "en", "zh-CN"),
        ("zh-TW", "en", "en"),
        ("zh-Hant", "zh-CN", "zh-CN"),  # not offered: the default, whatever it is
        ("en-US", "zh-CN", "en"),
        ("de, en;q=0.1", "zh-CN", "en"),
        ("en;q=0.3, zh;q=0.7", "en", "zh-CN"),
        ("zh;q=0, en", "zh-CN", "en"),
        ("zh;q=0", "en", "en"),
        ("*;q=0.5, zh;q=0.1", "en", "en"),
        ("fr;q=bogus, zh", "en", "zh-CN"),
        (",,;q=1", "en", "en"),
    ],
)
def test_negotiation(header: str | None, default: str, expected: str) -> None:
    assert negotiate(header, default) == expected


def test_the_setting_accepts_the_offered_languages_only() -> None:
    assert language_setting("zh") == language_setting("zh-Hans") == language_setting("zh-CN") == "zh-CN"
    assert language_setting("en") == "en" and set(LANGUAGES) == {"en", "zh-CN"}
    with pytest.raises(SystemExit):
        language_setting("fr")
