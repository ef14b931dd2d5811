"""The feeds of new and updated records, for journalists and data users: Atom 1.0 (RFC 4287)
and JSON Feed 1.1 (https://jsonfeed.org/version/1.1). Newest (re)publication first; each entry
is one enterprise-year, identified and linked by its record's JSON URL, updated when it is
re-published. The summary is for people: figures rounded by service.display's rule (the
record itself, at the link, is exact)."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import msgspec

from service.api.disclosures.schemas import DisclosureRead, WithheldRead, record_of
from service.api.stats.controller import COLOUR_NAMES
from service.disclosure.reads import Shown
from service.display import intensity, tonnes

__all__ = ["ATOM", "JSON_FEED", "JsonFeed", "atom", "json_feed"]

ATOM = "application/atom+xml"
JSON_FEED = "application/feed+json"
TITLE = "淄博市企业碳排放信息披露 Zibo enterprise carbon disclosures"
AUTHOR = "淄博市碳账户与绿色金融平台 Zibo carbon-account platform"


def _url(base: str, shown: Shown) -> str:
    return f"{base}/v1/disclosures/{shown.uscc}/{shown.year}"


def _title(shown: Shown) -> str:
    name = shown.document["name"]
    suffix = "（暂缓公开 withheld）" if shown.withheld_at is not None else ""
    return f"{name} {shown.year} 年度碳排放信息{suffix}"


def _summary(record: DisclosureRead | WithheldRead) -> str:
    if isinstance(record, WithheldRead):
        return f"{record.name}（{record.uscc}）{record.year} 年度披露暂缓公开：{record.withheld_reason}"
    e = record.emissions
    grade = f" {record.grade} 级" if record.grade is not None else ""
    checked = "经第三方核查" if record.emissions_verified else "未经核查"
    return (
        f"{record.name}（{record.uscc}）{record.year} 年：碳排放 {tonnes(e.total_tco2)} tCO2"
        f"（范围一 {tonnes(e.scope1_tco2)}，范围二 {tonnes(e.scope2_tco2)}），综合能耗 {tonnes(record.energy_tce)} tce，"
        f"强度 {intensity(record.intensity)} {record.intensity_unit}；评级 {COLOUR_NAMES.get(record.colour, record.colour)}"
        f"{grade}；排放数据{checked}；评级状态 {record.rating_status}。"
    )


def _updated(records: list[Shown]) -> dt.datetime:
    return max((s.published_at for s in records), default=dt.datetime.now(dt.UTC))


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = text
    return element


def atom(records: list[Shown], base: str) -> bytes:
    feed = ET.Element("feed", {"xmlns": "http://www.w3.org/2005/Atom", "xml:lang": "zh-CN"})
    _sub(feed, "id", f"{base}/v1/disclosures/feed.atom")
    _sub(feed, "title", TITLE)
    _sub(feed, "updated", _updated(records).isoformat())
    _sub(feed, "link", rel="self", type=ATOM, href=f"{base}/v1/disclosures/feed.atom")
    _sub(feed, "link", rel="alternate", type=JSON_FEED, href=f"{base}/v1/disclosures/feed.json")
    _sub(_sub(feed, "author"), "name", AUTHOR)
    for shown in records:
        entry = _sub(feed, "entry")
        _sub(entry, "id", _url(base, shown))
        _sub(entry, "title", _title(shown))
        _sub(entry, "updated", shown.published_at.isoformat())
        _sub(entry, "link", rel="alternate", type="application/json", href=_url(base, shown))
        _sub(entry, "summary", _summary(record_of(shown, base)))
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


class FeedAuthor(msgspec.Struct, frozen=True, kw_only=True):
    name: str


class FeedItem(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    """The record's JSON URL (stable: a re-publication updates the item)."""
    url: str
    title: str
    content_text: str
    date_published: dt.datetime
    """The last (re)publication, as date_modified."""
    date_modified: dt.datetime


class JsonFeed(msgspec.Struct, frozen=True, kw_only=True):
    """JSON Feed 1.1."""

    version: str = "https://jsonfeed.org/version/1.1"
    title: str
    feed_url: str
    description: str
    language: str = "zh-CN"
    authors: list[FeedAuthor]
    items: list[FeedItem]


def json_feed(records: list[Shown], base: str) -> JsonFeed:
    items = [
        FeedItem(
            id=_url(base, s),
            url=_url(base, s),
            title=_title(s),
            content_text=_summary(record_of(s, base)),
            date_published=s.published_at,
            date_modified=s.published_at,
        )
        for s in records
    ]
    return JsonFeed(title=TITLE, feed_url=f"{base}/v1/disclosures/feed.json",
                    description="每个完成评级的企业年度的公开披露记录 (docs/disclosure.md); newest first.",
                    authors=[FeedAuthor(name=AUTHOR)], items=items)  # fmt: skip
