"""Importing a CSV of claims: upload, read the dry run's report (every row's problems first), confirm.

The confirm form carries the checked file back (base64, so its bytes are exactly those checked); the real
import checks it again and records all of it in one transaction, or nothing.
"""
from __future__ import annotations

import base64
import binascii

from flask import Blueprint, flash, redirect, render_template, request, url_for

from factlog.database import get_session
from factlog.importer.csv_import import import_csv
from factlog.importer.csv_report import CsvReport, RowProblem
from factlog.importer.csv_rows import COLUMNS, REQUIRED
from factlog.web.auth import current_user, requires

bp = Blueprint("imports", __name__, url_prefix="/imports")


@bp.route("/csv", methods=["GET", "POST"])
@requires("write")
def csv_claims():
    """GET: the upload form. POST check: the dry run's report. POST import: record the checked file."""
    if request.method == "GET":
        return _page()
    action = request.form.get("action", "check")
    data, filename = _posted_file(action)
    if data is None:
        return _page(upload_error=filename), 422
    report = import_csv(get_session(), data, current_user().actor, dry_run=action != "import")
    if not report.ok:
        return _page(report=report, filename=filename), 422
    if action == "import":
        flash(f"Imported {filename}: {report.summary()}. Timelines update within seconds.")
        return redirect(url_for("web.timelines.everything"), 303)
    return _page(report=report, filename=filename, checked=base64.b64encode(data).decode("ascii"))


def _posted_file(action: str) -> tuple[bytes | None, str]:
    """The file's bytes and name, or None and what to say instead."""
    if action == "import":
        try:
            return base64.b64decode(request.form.get("checked", ""), validate=True), \
                request.form.get("filename") or "the file"
        except (binascii.Error, ValueError):
            return None, "The checked file did not come back intact: upload it again."
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return None, "Choose a CSV file to check."
    return upload.read(), upload.filename


def _page(*, report: CsvReport | None = None, filename: str = "", checked: str = "",
          upload_error: str | None = None):
    rows: dict[int, list[RowProblem]] = {}
    for problem in report.problems if report else ():
        rows.setdefault(problem.row, []).append(problem)
    return render_template("imports/csv.html", report=report, filename=filename, checked=checked,
                           upload_error=upload_error, problem_rows=rows, columns=COLUMNS, required=REQUIRED)
