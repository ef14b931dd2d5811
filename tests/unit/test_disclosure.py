"""The public record's projection (domain.disclosure): the account's scope figures, the rating's
L and colour, the verification; nothing else of the filing; decimals as exact strings."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import msgspec

from domain.disclosure import DisclosedRating, DisclosedVerification, Subject, disclose
from tests.unit.accounting.test_cement import FILING
from tests.unit.accounting.worked import run

SUBJECT = Subject(uscc="91370303MA3C1234XY", name="淄博测试水泥有限公司", year=2023, district="370303",
                  industry="3011", sector="building_materials", sector_name="建材")  # fmt: skip
RATING = DisclosedRating(rating_id=uuid.uuid4(), colour="yellow", grade=3, intensity=Decimal("7.654321"),
                         intensity_basis="co2", methodology_version="1")  # fmt: skip


def test_the_record_carries_the_account_s_scopes_and_the_rating() -> None:
    account = run("3011", 2023, FILING)
    checked = DisclosedVerification(verifier="山东核查中心", report_sha256="ab" * 32,
                                    verified_at=dt.datetime(2024, 3, 1, tzinfo=dt.UTC))  # fmt: skip
    record = disclose(SUBJECT, account, RATING, checked)
    e = record.emissions
    # 303 554.8232384976 combustion + 633 600 process (tests/unit/accounting/test_cement.py); 43 891.2 grid
    assert (e.combustion_tco2, e.process_tco2, e.captured_tco2) == (
        Decimal("303554.8232384976"), Decimal("633600"), Decimal(0))  # fmt: skip
    assert e.scope1_tco2 == e.combustion_tco2 + e.process_tco2 - e.captured_tco2
    assert e.scope2_tco2 == Decimal("43891.2000") == e.electricity_tco2 + e.heat_tco2
    assert e.total_tco2 == e.scope1_tco2 + e.scope2_tco2 == account.emissions.total
    assert record.energy_tce == account.energy_tce
    assert (record.intensity, record.intensity_unit, record.colour, record.grade) == (
        Decimal("7.654321"), "tCO2/万元", "yellow", 3)  # fmt: skip
    assert (record.district_name, record.industry_name) == ("张店区", "水泥制造")
    assert record.emissions_verified and record.verification == checked


def test_unverified_and_co2e_and_nothing_private_in_the_document() -> None:
    account = run("3011", 2023, FILING)
    rated_co2e = msgspec.structs.replace(RATING, intensity_basis="co2e")
    document = msgspec.to_builtins(disclose(SUBJECT, account, rated_co2e, None))
    assert document["emissions_verified"] is False and document["verification"] is None
    assert document["intensity_unit"] == "tCO2e/万元"
    assert document["emissions"]["scope1_tco2"] == "937154.8232384976"  # exact, as a string
    assert not {"value_added_wan", "products", "energy", "combustion", "process", "factors"} & set(document)
    assert "52000" not in str(document)  # the filed value added
