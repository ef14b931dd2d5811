"""Bulk filing import: the template, a dry run that lists every problem, the import itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIMediaType, Operation, RequestBody, Schema
from litestar.openapi.spec.enums import OpenAPIFormat, OpenAPIType
from litestar.params import Parameter

from domain.filing_import import Problem
from domain.organisations import OrgKind
from service.api.imports.schemas import ImportReport, ImportResult
from service.auth.access import access, public
from service.db.session import DB
from service.errors import FieldError, ProblemError
from service.idempotency import idempotent
from service.imports import pipeline
from service.imports.store import write_import
from service.imports.template import template_csv, template_xlsx
from service.imports.upload import MAX_UPLOAD_BYTES, XLSX_MEDIA_TYPE, receive

__all__ = ["ImportController"]

E, REG = OrgKind.ENTERPRISE, OrgKind.REGULATOR
DryRun = Annotated[bool, Parameter(description="Check only: report every problem, write nothing.")]


@dataclass
class _FileBody(Operation):
    """The import's body is the file itself, which the handler streams (so Litestar sees no `data`)."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True,
            description="The filled-in template: the .xlsx workbook, or the .csv file (UTF-8).",
            content={
                XLSX_MEDIA_TYPE: OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)),
                "text/csv": OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING)),
            },
        )


# Each status has its one body: documented as a oneOf of both, an import's result was also a valid
# report, which the schema's oneOf forbids.
_IMPORT_ACCESS = access(E, REG, pending_ok=True, errors=(409, 413, 415, 422))
_IMPORT_ACCESS["responses"][200] = ResponseSpec(
    data_container=ImportReport,
    generate_examples=False,
    description="dry_run=true: the report of every problem; nothing was written",
)
_IMPORT_ACCESS["responses"][201] = ResponseSpec(
    data_container=ImportResult,
    generate_examples=False,
    description="The import done: every filing created as a draft",
)


def _refused(problems: list[Problem], more: int) -> ProblemError:
    errors = [FieldError(field=f"{p.sheet}!{p.cell or p.column}", detail=f"{p.column}: {p.detail}") for p in problems]
    return ProblemError(
        422,
        "import-invalid",
        f"The file has {len(problems) + more} problem(s); nothing was written. Each is named by sheet and cell.",
        errors=errors,
        extensions={"problems": problems, "more_problems": more},
    )


class ImportController(Controller):
    path = "/v1/filings"
    tags = ["filings"]

    @get("/template.xlsx", media_type=XLSX_MEDIA_TYPE, **public())
    async def template(self) -> Response[bytes]:
        """The bulk-filing workbook: a 说明 sheet, then one sheet per kind of line, Chinese headers."""
        headers = {"Content-Disposition": 'attachment; filename="carbon-filings-template.xlsx"'}
        return Response(template_xlsx(), media_type=XLSX_MEDIA_TYPE, headers=headers)

    @get("/template.csv", media_type="text/csv", **public())
    async def template_as_csv(self) -> Response[bytes]:
        """The same layout as one csv file: the first column, 表 sheet, names each row's sheet."""
        headers = {"Content-Disposition": 'attachment; filename="carbon-filings-template.csv"'}
        return Response(template_csv(), media_type="text/csv", headers=headers)

    @post("/import", request_max_body_size=MAX_UPLOAD_BYTES, operation_class=_FileBody, **_IMPORT_ACCESS)
    async def import_filings(
        self, request: Request[Any, Any, Any], db: DB, dry_run: DryRun = False
    ) -> Response[ImportReport | ImportResult]:
        """Create the file's filings as drafts, all in one transaction or none (an enterprise for
        itself, a regulator for any). The body is the .xlsx or .csv file itself; `dry_run=true`
        reports every problem by sheet, row and column and writes nothing. The file's SHA-256 is
        kept with the import and in each filing's `source_file_sha256`."""
        upload = await receive(request.stream(), request.headers.get("content-type", ""))
        try:
            builder = await pipeline.read(upload)
            if dry_run:
                plan, checked = await pipeline.check(db, request.user, builder, lock=False)
                report = ImportReport(
                    dry_run=True,
                    file_sha256=upload.sha256,
                    format=upload.format,
                    filings=len(checked),
                    problems=plan.problems,
                    more_problems=plan.more_problems,
                )
                return Response(report, status_code=200)

            async def run() -> ImportResult:
                plan, checked = await pipeline.check(db, request.user, builder, lock=True)
                if plan.problems or plan.more_problems:
                    raise _refused(plan.problems, plan.more_problems)
                import_id, created = await write_import(db, request.user, checked, upload)
                return ImportResult(
                    import_id=import_id,
                    dry_run=False,
                    file_sha256=upload.sha256,
                    format=upload.format,
                    filings=len(created),
                    created=created,
                    problems=[],
                )

            fingerprint = f"import dry_run=false sha256={upload.sha256}".encode()
            return await idempotent(request, db, run, fingerprint=fingerprint)
        finally:
            upload.file.close()
