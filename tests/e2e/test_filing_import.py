"""Bulk filing import over HTTP: the template, dry runs, one transaction, idempotency, csv."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import openpyxl
import pytest

from domain.filing_sheets import SHEETS
from domain.organisations import OrgKind
from tests.helpers import CEMENT_CONTENT, Api, Caller, Filings
from tests.workbooks import XLSX, cement_rows, csv_file, merge, xlsx


@pytest.fixture
def town(api: Api) -> dict[str, Any]:
    regulator = api.bootstrap(OrgKind.REGULATOR)
    admin = api.bootstrap(OrgKind.ADMIN)
    ents: list[Caller] = []
    for _ in range(2):
        ent, _ = api.register()
        api.decide(regulator, ent.uscc or "", "approve")
        ents.append(ent)
    return {"regulator": regulator, "ents": ents, "bank": api.admin_created(admin, "bank")}


def _post(api: Api, who: Caller, body: bytes, *, dry_run: bool = False, media: str = XLSX, key: str | None = None):
    headers = {**who.headers, "Content-Type": media}
    if key:
        headers["Idempotency-Key"] = key
    return api.client.post(f"/v1/filings/import?dry_run={str(dry_run).lower()}", content=body, headers=headers)


def _filings(api: Api, who: Caller, uscc: str) -> list[dict[str, Any]]:
    r = api.client.get(f"/v1/enterprises/{uscc}/filings", headers=who.headers)
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


def test_template_has_chinese_headers_and_one_sheet_per_line_kind(api: Api) -> None:
    r = api.client.get("/v1/filings/template.xlsx")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(XLSX)
    book = openpyxl.load_workbook(io.BytesIO(r.content), read_only=True)
    assert book.sheetnames == [
        "说明",
        "填报",
        "能源",
        "热力",
        "产品",
        "熟料",
        "碳酸盐",
        "碳捕集",
        "碳平衡",
        "钢铁过程",
        "副产煤气",
        "电解铝",
        "氧化亚氮",
        "供电供热",
    ]
    header = next(book["能源"].iter_rows(values_only=True))
    assert header[:4] == ("统一社会信用代码 uscc", "年度 period", "能源品种 carrier", "消费量 quantity")
    csv_template = api.client.get("/v1/filings/template.csv")
    assert csv_template.status_code == 200 and csv_template.content.startswith("\ufeff表 sheet,".encode())


def test_the_template_as_downloaded_reads_back_with_only_its_example_enterprise_unknown(
    api: Api, town: dict[str, Any]
) -> None:
    template = api.client.get("/v1/filings/template.xlsx").content
    r = _post(api, town["regulator"], template, dry_run=True)
    assert r.status_code == 200, r.text
    problems = r.json()["problems"]
    assert [(p["sheet"], p["cell"], p["column"]) for p in problems] == [("填报", "A2", "uscc")]
    assert "no enterprise" in problems[0]["detail"]


def test_dry_run_then_import_creates_every_filing_in_one_go(api: Api, town: dict[str, Any]) -> None:
    a, b = town["ents"]
    body = xlsx(merge(cement_rows(a.uscc), cement_rows(b.uscc, value_added=60000)))
    sha = hashlib.sha256(body).hexdigest()
    dry = _post(api, town["regulator"], body, dry_run=True)
    assert dry.status_code == 200, dry.text
    assert dry.json() == {
        "dry_run": True,
        "file_sha256": sha,
        "format": "xlsx",
        "filings": 2,
        "problems": [],
        "more_problems": 0,
    }
    assert _filings(api, town["regulator"], a.uscc) == []  # a dry run writes nothing

    done = _post(api, town["regulator"], body)
    assert done.status_code == 201, done.text
    result = done.json()
    assert (result["filings"], result["file_sha256"], result["dry_run"]) == (2, sha, False)
    assert {(c["uscc"], c["period"], c["version"], c["status"]) for c in result["created"]} == {
        (a.uscc, 2024, 1, "draft"),
        (b.uscc, 2024, 1, "draft"),
    }
    # The imported draft holds what the JSON API would have stored, plus the file's SHA-256.
    mine = next(c for c in result["created"] if c["uscc"] == a.uscc)
    filing = api.client.get(f"/v1/filings/{mine['id']}", headers=a.headers).json()
    by_json = Filings(api).create(a, 2023)
    assert filing["content"] == {**by_json["content"], "source_file_sha256": sha}
    # It submits and accounts like any other draft.
    submitted = Filings(api).submit(a, mine["id"])
    assert submitted["status"] == "submitted"
    account = api.client.get(f"/v1/filings/{mine['id']}/result", headers=a.headers).json()
    assert account["result"]["year"] == 2024 and account["result"]["emissions"]


def test_errors_in_three_sheets_are_each_named_by_cell_and_nothing_is_written(api: Api, town: dict[str, Any]) -> None:
    a, b = town["ents"]
    bad = cement_rows(a.uscc)
    bad["能源"][0][3] = "十万"  # D2: quantity is not a number
    bad["产品"][0][2] = "unobtainium"  # C2: no such product
    bad["熟料"][0][3] = 1.5  # D2: CaO is a fraction
    body = xlsx(merge(cement_rows(b.uscc), bad))
    dry = _post(api, town["regulator"], body, dry_run=True)
    assert dry.status_code == 200, dry.text
    found = {(p["sheet"], p["cell"], p["column"]) for p in dry.json()["problems"]}
    # b's rows come first on each sheet: a's are on row 3.
    assert found == {("能源", "D3", "quantity"), ("产品", "C3", "product"), ("熟料", "D3", "cao_fraction")}

    r = _post(api, town["regulator"], body)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    doc = r.json()
    assert {e["field"] for e in doc["errors"]} == {"能源!D3", "产品!C3", "熟料!D3"}
    assert len(doc["problems"]) == 3
    assert _filings(api, town["regulator"], a.uscc) == []
    assert _filings(api, town["regulator"], b.uscc) == []  # b's good rows are not written either


def test_one_idempotency_key_creates_the_filings_once(api: Api, town: dict[str, Any]) -> None:
    a, _ = town["ents"]
    body = xlsx(cement_rows(a.uscc))
    first = _post(api, a, body, key="import-2024-01")
    second = _post(api, a, body, key="import-2024-01")
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.headers.get("idempotent-replayed") == "true"
    assert second.json()["created"] == first.json()["created"]
    assert len(_filings(api, a, a.uscc)) == 1
    # Without the key, the same file meets the draft it already made.
    again = _post(api, a, body)
    assert again.status_code == 422
    assert again.json()["problems"][0]["cell"] == "B2" and "draft" in again.json()["problems"][0]["detail"]


def test_a_correction_names_the_version_it_supersedes(api: Api, town: dict[str, Any]) -> None:
    a, _ = town["ents"]
    Filings(api).submitted(a, 2024)
    rows = cement_rows(a.uscc, value_added=52000)
    r = _post(api, a, xlsx(rows))
    assert r.status_code == 422 and r.json()["problems"][0]["column"] == "period"
    rows["填报"][0][2] = 1
    r = _post(api, a, xlsx(rows))
    assert r.status_code == 201, r.text
    assert r.json()["created"][0]["version"] == 2


def test_an_enterprise_imports_only_for_itself_and_a_bank_not_at_all(api: Api, town: dict[str, Any]) -> None:
    a, b = town["ents"]
    r = _post(api, a, xlsx(cement_rows(b.uscc)), dry_run=True)
    assert r.status_code == 200
    assert r.json()["problems"][0]["detail"] == f"no enterprise {b.uscc} that you may file for"
    assert _post(api, town["bank"], xlsx(cement_rows(a.uscc))).status_code == 403


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_csv_with_every_sheet_in_one_file(api: Api, town: dict[str, Any], encoding: str) -> None:
    a, _ = town["ents"]
    body = csv_file(cement_rows(a.uscc), encoding=encoding)
    r = _post(api, a, body, media="text/csv")
    assert r.status_code == 201, r.text
    assert r.json()["format"] == "csv"
    content = api.client.get(f"/v1/filings/{r.json()['created'][0]['id']}", headers=a.headers).json()["content"]
    defaults = {
        "use": "fuel",
        "ncv": None,
        "carbon_content": None,
        "carbon_content_basis": "per_heat",
        "oxidation": None,
    }
    assert content["energy"] == [{**CEMENT_CONTENT["energy"][0], **defaults}]


def test_csv_problems_name_the_line_and_column(api: Api, town: dict[str, Any]) -> None:
    a, _ = town["ents"]
    rows = cement_rows(a.uscc)
    rows["能源"][0][4] = "barrel"  # unit does not fit coal
    r = _post(api, a, csv_file(rows), dry_run=True, media="text/csv")
    problems = r.json()["problems"]
    # Columns: A 表 sheet, B-I the 填报 fields, J carrier, K quantity, L unit; line 3 is the 能源 row.
    assert [(p["sheet"], p["row"], p["column"], p["cell"]) for p in problems] == [("能源", 3, "unit", "L3")]


def test_layout_problems_and_refusals(api: Api, town: dict[str, Any]) -> None:
    a, _ = town["ents"]
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet("能源")
    ws.append(["统一社会信用代码 uscc", "年度 period", "能源品种 carrier", "数量吧", "单位 unit"])
    out = io.BytesIO()
    book.save(out)
    r = _post(api, a, out.getvalue(), dry_run=True)
    problems = {(p["column"], p["cell"]) for p in r.json()["problems"]}
    assert ("header", "D1") in problems and ("quantity", None) in problems
    assert _post(api, a, b"%PDF-1.7", media="application/pdf").status_code == 415
    assert _post(api, a, b"").status_code == 422
    assert _post(api, a, b"PK\x03\x04 not really a zip").status_code == 422
    assert {s.name for s in SHEETS} >= {"填报", "能源"}


def test_a_file_with_no_filing_is_a_problem_not_an_empty_success(api: Api, town: dict[str, Any]) -> None:
    a, _ = town["ents"]
    r = _post(api, a, xlsx({"填报": []}))
    assert r.status_code == 422
    assert [(p["sheet"], p["column"]) for p in r.json()["problems"]] == [("填报", "sheet")]
