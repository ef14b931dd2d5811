"""披露 through the SDK (each test with both clients, no credentials): the year's records page by
page, one record with its figures and verification, the JSON feed, a withheld record."""

from __future__ import annotations

import pytest
from carbon_account_client import NotFound

from tests.helpers import REPORT_SHA256, new_uscc
from tests.sdk.blocking import Connect
from tests.sdk.city import City


def test_anyone_reads_the_year_s_records_and_the_feed(city: City, connect: Connect) -> None:
    anyone = connect()
    ours = sorted(e.uscc for e in city.enterprises)
    listed = [d for d in anyone.disclosures(2023, district="370303", page_size=2) if d.uscc in ours]
    assert [d.uscc for d in listed] == ours  # by USCC, across pages of two
    one = anyone.disclosure(ours[0], 2023)
    assert one == listed[0] and not one.withheld and one.rating_status == "active"
    assert one.emissions is not None and one.verification is not None
    assert one.emissions.total_tco2 == one.emissions.scope1_tco2 + one.emissions.scope2_tco2
    assert (one.verification.verifier, one.verification.report_sha256) == ("淄博核查中心", REPORT_SHA256)
    assert one.emissions_verified and one.intensity is not None and one.district_name == "张店区"
    with pytest.raises(NotFound):
        anyone.disclosure(new_uscc(), 2023)
    with pytest.raises(NotFound):
        anyone.disclosure(ours[0], 2022)  # no round for 2022
    feed = anyone.disclosure_feed()
    assert feed.version == "https://jsonfeed.org/version/1.1"
    urls = {item.url.rsplit("/v1/disclosures/", 1)[1] for item in feed.items}
    assert {f"{u}/2023" for u in ours} <= urls
    stamps = [item.date_published for item in feed.items]
    assert stamps == sorted(stamps, reverse=True)


def test_a_withheld_record_carries_no_figures(city: City, connect: Connect) -> None:
    anyone, regulator = connect(), connect(city.regulator)
    uscc = city.enterprises[-1].uscc
    path = f"/v1/disclosures/{uscc}/2023/withholding"
    regulator.request("POST", path, json={"reason": "异议审理中 (sdk)"})
    try:
        shown = anyone.disclosure(uscc, 2023)
        assert shown.withheld and shown.withheld_reason == "异议审理中 (sdk)" and shown.withheld_at is not None
        assert (shown.emissions, shown.energy_tce, shown.colour, shown.rating_id) == (None, None, None, None)
    finally:
        regulator.request("DELETE", path)
    assert anyone.disclosure(uscc, 2023).emissions is not None
