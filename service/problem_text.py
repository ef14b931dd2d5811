"""The words of problem documents in English and Chinese, and which one a request gets.

A problem document's `title` and `detail` (and each `errors[].detail`) follow the request's
`Accept-Language`; its `type`, `status`, `instance`, every `errors[].field` and every
extension member are the same in both languages, so a client keys on those, never on words.

The catalogue is data (service/problem_catalogue.py): `TITLES` by status, and `MESSAGES`, each
English sentence the service or the domain writes beside its Chinese one, templates carrying
their values (a USCC, a year, a field path) over unchanged. The service raises its errors in English, and
`translate` looks the English up when the answer is written, so no raise site needs to know
about languages. A sentence the catalogue lacks is sent in English rather than not at all
(tests/unit/test_problem_text.py finds every literal message in the code and fails on one that
is missing here). A text of the form `field: sentence` (a business rule naming its field, an
import problem naming its column) keeps its field and gets the sentence translated.
"""

from __future__ import annotations

import re
import string
from functools import cache

from service.problem_catalogue import MESSAGES, OTHER_TITLE, TITLES

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "MESSAGES",
    "TITLES",
    "language_setting",
    "negotiate",
    "title",
    "translate",
]

EN, ZH = "en", "zh-CN"
LANGUAGES = (EN, ZH)
"""The languages problem documents are written in, as sent in `Content-Language`."""
DEFAULT_LANGUAGE = EN
"""PROBLEM_DEFAULT_LANGUAGE's default: clients that send no Accept-Language keep English."""


def _fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]


def _pattern(template: str) -> re.Pattern[str]:
    parts = []
    for literal, name, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name is not None:
            parts.append(f"(?P<{name}>.+?)")
    return re.compile("".join(parts), re.DOTALL)


def _literal_length(template: str) -> int:
    return sum(len(literal) for literal, _, _, _ in string.Formatter().parse(template))


@cache
def _catalogue() -> tuple[dict[str, str], tuple[tuple[re.Pattern[str], str], ...]]:
    """Fixed sentences by their English text; templates most specific (most literal text) first."""
    fixed = {
        string.Formatter().format(en): zh.replace("{{", "{").replace("}}", "}")
        for en, zh in MESSAGES
        if not _fields(en)
    }
    templates = sorted((m for m in MESSAGES if _fields(m[0])), key=lambda m: -_literal_length(m[0]))
    return fixed, tuple((_pattern(en), zh) for en, zh in templates)


def _lookup(text: str) -> str | None:
    fixed, templates = _catalogue()
    if text in fixed:
        return fixed[text]
    for pattern, zh in templates:
        match = pattern.fullmatch(text)
        if match:
            return zh.format(**match.groupdict())
    return None


def translate(text: str, language: str) -> str:
    """`text` (an English message of the service) in `language`; English when not catalogued."""
    if language == EN or not text:
        return text
    found = _lookup(text)
    if found is None and ": " in text:  # `field: sentence`: the field stays, the sentence is translated
        head, _, rest = text.partition(": ")
        rest_found = _lookup(rest)
        found = f"{head}: {rest_found}" if rest_found is not None else None
    return text if found is None else found


def title(status: int, language: str) -> str:
    en, zh = TITLES.get(status, OTHER_TITLE)
    return zh if language == ZH else en


def _language_of(tag: str) -> str | None:
    """The supported language a language range asks for (RFC 4647 lookup), or None."""
    tag = tag.strip().lower()
    if tag == "en" or tag.startswith("en-"):
        return EN
    if tag in ("zh", "zh-cn", "zh-sg", "zh-hans") or tag.startswith(("zh-hans-", "zh-cn-")):
        return ZH
    return None  # zh-TW, zh-HK, zh-Hant (traditional script) and everything else: not offered


def negotiate(accept_language: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """The language of the answer: the caller's most preferred one offered, else `default`.

    `zh`, `zh-CN`, `zh-Hans` (and `zh-SG`) ask for Chinese, `en` and `en-*` for English;
    q-values order the ranges (a range with q=0 is refused), `*` accepts the default.
    """
    ranked: list[tuple[float, int, str]] = []
    for index, item in enumerate((accept_language or "").split(",")):
        tag, _, params = item.partition(";")
        if not tag.strip():
            continue
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, index, tag))
    for _, _, tag in sorted(ranked):
        if tag.strip() == "*":
            return default
        found = _language_of(tag)
        if found is not None:
            return found
    return default


def language_setting(value: str) -> str:
    """PROBLEM_DEFAULT_LANGUAGE read from the environment: `en` or `zh-CN` (`zh`, `zh-Hans` accepted)."""
    found = _language_of(value)
    if found is None:
        raise SystemExit(f"PROBLEM_DEFAULT_LANGUAGE must be one of {', '.join(LANGUAGES)}, not {value!r}")
    return found
