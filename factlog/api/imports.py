"""Bulk imports: a CSV of claims, checked row by row, recorded all or nothing. ``/api/v1/imports``."""
from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from factlog.api.auth import SECURITY, current_grant, requires
from factlog.api.blueprint import Blueprint
from factlog.api.errors import ProblemSchema
from factlog.database import get_session
from factlog.importer.csv_import import NAMESPACE_HELP, import_csv
from factlog.importer.csv_rows import DEFAULT_NAMESPACE
from factlog.importer.file_format import KEY_PATTERN

CSV_MEDIA_TYPE = "text/csv"

blp = Blueprint("imports", __name__, url_prefix="/api/v1/imports",
                description="Bulk entry: claims from a CSV file, one claim with its attribution per row.")


class CsvImportQuery(Schema):
    dry_run = fields.Boolean(load_default=False, metadata={
        "description": "Check every row and report every problem, writing nothing."})
    namespace = fields.String(load_default=DEFAULT_NAMESPACE, validate=validate.Regexp(
        KEY_PATTERN, error=f"Must be {NAMESPACE_HELP}."), metadata={
        "description": "Fixes the ids of what the file records: keep it when sending the file again."})


class RowProblemOut(Schema):
    row = fields.Integer(required=True, metadata={"description": "As a spreadsheet numbers it: header = 1."})
    column = fields.String(allow_none=True, metadata={"description": "None when about the whole row."})
    message = fields.String(required=True)


class CsvImportOut(Schema):
    dry_run = fields.Boolean(required=True)
    rows = fields.Integer(required=True, metadata={"description": "Claim rows read (not blank ones)."})
    recorded = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True, metadata={
        "description": "What was recorded (a dry run: what would be), by kind: sources, claims, ..."})
    already_present = fields.Integer(required=True, metadata={
        "description": "Commands an earlier import of the same rows already carried out."})
    problems = fields.List(fields.Nested(RowProblemOut), required=True)


class CsvProblemOut(ProblemSchema):
    problems = fields.List(fields.Nested(RowProblemOut), metadata={"description": "Every row's problems."})


@blp.route("/claims")
class ClaimsCsvImport(MethodView):
    @requires("write")
    @blp.doc(security=SECURITY, requestBody={"required": True, "content": {CSV_MEDIA_TYPE: {
        "schema": {"type": "string"},
        "example": "speaker,summary,cue,outlet,outlet relation\r\n"
                   "Andrey Rudenko,Relations would be destroyed.,said,QiOSK,quoting\r\n"}}},
             description="The columns are in docs/import-format.md (CSV). Every row is checked first: any "
                         "problem answers 422 listing every row's problems, and nothing is written. "
                         "Otherwise everything is recorded in one transaction; sending the same file again "
                         "records nothing new.")
    @blp.arguments(CsvImportQuery, location="query", as_kwargs=True)
    @blp.response(201, CsvImportOut, description="Recorded.")
    @blp.alt_response(200, schema=CsvImportOut, description="A dry run without problems, or nothing new.")
    @blp.alt_response(401, schema="Problem", description="No or unknown token.")
    @blp.alt_response(403, schema="Problem", description="The token or its user may not write.")
    @blp.alt_response(413, schema="Problem", description="The file is larger than the server accepts.")
    @blp.alt_response(415, schema="Problem", description="The body is not text/csv.")
    @blp.alt_response(422, schema=CsvProblemOut, description="Rows with problems: `problems` lists them.")
    def post(self, dry_run: bool, namespace: str):
        """Import claims from a CSV file (text/csv), or check it with dry_run=true."""
        if request.mimetype != CSV_MEDIA_TYPE:
            abort(415, message=f"send the file as {CSV_MEDIA_TYPE} (UTF-8), "
                               f"not {request.mimetype or 'nothing'}")
        data = request.get_data(cache=False)
        report = import_csv(get_session(), data, current_grant().user.actor, namespace=namespace,
                            dry_run=dry_run)
        if not report.ok:
            count = len(report.problems)
            abort(422, message=f"{count} problem{'s' if count != 1 else ''} in the file; nothing was "
                               "imported",
                  messages=_by_row(report.problems),
                  extra={"problems": [problem.to_dict() for problem in report.problems]})
        return report.to_dict(), 201 if report.total_recorded and not dry_run else 200


def _by_row(problems) -> dict:
    """The problems as ``errors``: ``{"csv": {"row 3": {"said on": ["..."]}}}``."""
    rows: dict = {}
    for problem in problems:
        columns = rows.setdefault(f"row {problem.row}", {})
        columns.setdefault(problem.column or "_row", []).append(problem.message)
    return {"csv": rows}
