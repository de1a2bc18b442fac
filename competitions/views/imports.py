"""Organizers import entries from a spreadsheet of paper dossiers: upload and check, preview, confirm.

The uploaded file is stored under `imports/<contest id>/` with a random name; its name without the extension
is the token of the preview, and a JSON file beside it (`<token>.json`) records the contest, the account and the
time of the upload. Confirming reads and checks the stored file again (never the preview), registers every
dossier in one transaction, and leaves only the JSON behind, marked done, so that a second confirm imports
nothing. A preview older than TOKEN_MAX_AGE, or another account's, cannot be confirmed.
"""

from __future__ import annotations

import json
import os
import re
import time
from contextlib import suppress
from datetime import datetime, timedelta
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf.file import FileField
from werkzeug.routing import BuildError
from wtforms import SubmitField

from app.accounts.permissions import require
from app.audit.service import record
from app.exports import send_xlsx
from app.extensions import db
from app.forms import Form
from app.timefmt import utcnow
from app.uploads import KINDS, STORED_NAME, UploadError, delete_stored, expand_accepted, store_upload, upload_dir
from competitions import bp, services
from competitions.forms import ActionForm

# Never `from competitions import imports`: the package binds that name to this module (views.imports).
from competitions.imports import (
    ImportProblem,
    ImportResult,
    check_file,
    columns_for,
    place_problem,
    problem_message,
    required_columns,
    rows_label,
    template_workbook,
)
from competitions.models import Contest
from competitions.services import EntryProblems

MAX_BYTES = 10 * 1024 * 1024
TOKEN_MAX_AGE = timedelta(hours=1)
#: Files of abandoned previews are removed at the next upload to the same edition after this long.
KEEP_FILES = timedelta(days=1)
#: A confirm holds its upload by renaming the record to `<token>.lock`. A claim older than this belongs to a worker
#: that died mid-import (gunicorn kills a request far sooner): the upload is released for another try, and the
#: import, rolled back with the dead worker's transaction, can be confirmed again.
STALE_CLAIM = timedelta(minutes=2)
#: The kinds of the "excel" group we can read; .xls and .ods are stored by the upload layer, then refused.
READABLE = ("xlsx", "csv")
_TOKEN = re.compile(r"[0-9a-f]{32}")


class ImportForm(Form):
    file = FileField(
        _l("Spreadsheet file"),
        description=_l("Excel (.xlsx) or CSV (UTF-8), at most 10 MB, one row per author."),
        render_kw={"accept": ".xlsx,.csv"},
    )
    check = SubmitField(_l("Check the file"))


def _contest(contest_id: int, **_kwargs) -> Contest:
    contest = db.session.get(Contest, contest_id)
    if contest is None:
        abort(404)
    return contest


def _folder(contest: Contest) -> str:
    return f"imports/{contest.id}"


# --- the stored file and its record ----------------------------------------------------------------------


def _meta_path(contest: Contest, token: str) -> Path:
    return upload_dir(_folder(contest)) / f"{token}.json"


def _write_meta(path: Path, meta: dict) -> None:
    partial = path.with_name(path.name + ".part")
    partial.write_text(json.dumps(meta), encoding="utf-8")
    os.replace(partial, path)


def _read_meta(contest: Contest, token: str) -> dict:
    """The record of an upload of this edition by this account; 404 for anything else."""
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        abort(404)
    path = _meta_path(contest, token)
    claim = path.with_name(f"{token}.lock")
    _release_stale_claim(path, claim)
    try:  # while a confirm holds the upload, its record is the claim
        meta = json.loads((path if path.exists() else claim).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        abort(404)
    if not isinstance(meta, dict) or meta.get("contest_id") != contest.id or meta.get("user_id") != current_user.id:
        abort(404)
    if meta.get("done"):
        return meta
    if meta.get("kind") not in READABLE or not STORED_NAME.fullmatch(_stored_name(token, meta)):
        abort(404)
    return meta


def _stored_name(token: str, meta: dict) -> str:
    return token + KINDS[meta["kind"]].extensions[0]


def _release_stale_claim(path: Path, claim: Path) -> None:
    """Give the upload back when the worker that claimed it died (its claim outlived any request)."""
    with suppress(OSError):
        if not path.exists() and time.time() - claim.stat().st_ctime > STALE_CLAIM.total_seconds():
            os.rename(claim, path)


def _expired(meta: dict) -> bool:
    try:
        uploaded = datetime.fromisoformat(meta["uploaded_at"])
    except (KeyError, TypeError, ValueError):
        return True
    return not (timedelta(0) <= utcnow() - uploaded <= TOKEN_MAX_AGE)


def _forget(contest: Contest, token: str, meta: dict) -> None:
    delete_stored(_folder(contest), _stored_name(token, meta))
    with suppress(FileNotFoundError):
        _meta_path(contest, token).unlink()


def _sweep(contest: Contest) -> None:
    """Remove the files of previews nobody confirmed (and the records of done imports) after KEEP_FILES."""
    limit = (utcnow() - KEEP_FILES).timestamp()
    for path in upload_dir(_folder(contest)).iterdir():
        stem = path.name.split(".", 1)[0]
        if _TOKEN.fullmatch(stem) and path.is_file():
            with suppress(OSError):
                if path.stat().st_mtime < limit:
                    path.unlink()


def _check(contest: Contest, token: str, meta: dict) -> ImportResult:
    path = upload_dir(_folder(contest)) / _stored_name(token, meta)
    return check_file(path, meta["kind"], contest)


# --- views ------------------------------------------------------------------------------------------------


def _render_form(contest: Contest, form: ImportForm, status: int = 200):
    return render_template(
        "competitions/manage/import.html",
        contest=contest,
        form=form,
        columns=columns_for(contest),
        required=set(required_columns(contest)),
    ), status


def _render_preview(contest: Contest, result: ImportResult, token: str, meta: dict, status: int = 200):
    return render_template(
        "competitions/manage/import_preview.html",
        contest=contest,
        result=result,
        token=token,
        file_name=meta.get("original_name", ""),
        confirm_form=ActionForm(),
        describe=problem_message,
        rows_label=rows_label,
    ), status


@bp.route("/manage/<int:contest_id>/import/template.xlsx")
@require("manage_contest", scope=_contest)
def import_template(contest_id: int):
    """An empty file with this edition's columns, and a sheet listing its fields and age groups."""
    contest = _contest(contest_id)
    name = _("Import template %(prefix)s-%(year)s.xlsx", prefix=contest.code_prefix, year=contest.year)
    return send_xlsx(template_workbook(contest), name)


@bp.route("/manage/<int:contest_id>/import", methods=["GET", "POST"])
@require("manage_contest", scope=_contest)
def import_entries(contest_id: int):
    """Upload a file of paper dossiers; it is checked and previewed, nothing is written yet."""
    contest = _contest(contest_id)
    form = ImportForm()
    if request.method == "GET":
        return _render_form(contest, form)
    if not form.validate_on_submit():
        return _render_form(contest, form, 400)
    upload = form.file.data
    if not upload or not upload.filename:
        form.file.errors.append(_("Choose a file to check."))
        return _render_form(contest, form, 400)
    _sweep(contest)
    try:
        stored = store_upload(upload, _folder(contest), expand_accepted(["excel"]), MAX_BYTES)
    except UploadError as exc:
        form.file.errors.append(str(exc))
        return _render_form(contest, form, 400)
    if stored.kind not in READABLE:
        delete_stored(_folder(contest), stored.stored_name)
        form.file.errors.append(
            _("This kind of file cannot be read: save it as Excel Workbook (.xlsx) or CSV UTF-8 (.csv).")
        )
        return _render_form(contest, form, 400)
    token = stored.stored_name.split(".", 1)[0]
    meta = {
        "contest_id": contest.id,
        "user_id": current_user.id,
        "uploaded_at": utcnow().isoformat(),
        "kind": stored.kind,
        "original_name": stored.original_name,
        "size": stored.size,
        "sha256": stored.sha256,
    }
    _write_meta(_meta_path(contest, token), meta)
    return _render_preview(contest, _check(contest, token, meta), token, meta)


def _after_import_url(contest: Contest) -> str:
    if "competitions.manage_entries" in current_app.view_functions:
        with suppress(BuildError):
            return url_for("competitions.manage_entries", contest_id=contest.id)
    return url_for("competitions.manage_index")


@bp.route("/manage/<int:contest_id>/import/<token>/confirm", methods=["POST"])
@require("manage_contest", scope=_contest)
def import_confirm(contest_id: int, token: str):
    """Check the stored file again and register every dossier, all or nothing."""
    contest = _contest(contest_id)
    meta = _read_meta(contest, token)
    if not ActionForm().validate_on_submit():
        abort(400)
    if meta.get("done"):
        flash(_("This file has already been imported."), "info")
        return redirect(_after_import_url(contest))
    if _expired(meta):
        _forget(contest, token, meta)
        flash(_("This preview has expired: upload the file again."), "warning")
        return redirect(url_for("competitions.import_entries", contest_id=contest.id))
    # Claim the upload: of two confirms sent together, only one renames the record.
    meta_path = _meta_path(contest, token)
    claim = meta_path.with_name(f"{token}.lock")
    try:
        os.rename(meta_path, claim)
        os.utime(claim)  # the claim's age is its own, not the upload's
    except FileNotFoundError:
        flash(_("This file is already being imported."), "info")
        return redirect(_after_import_url(contest))
    try:
        result = _check(contest, token, meta)
        if not result.ok:
            os.rename(claim, meta_path)
            return _render_preview(contest, result, token, meta, 400)
        codes = _register(contest, result)
        if codes is None:
            os.rename(claim, meta_path)
            return _render_preview(contest, result, token, meta, 400)
        record(
            "contest.import",
            contest,
            after={"file": meta.get("original_name"), "sha256": meta.get("sha256"), "entries": codes},
            summary=meta.get("original_name", ""),
        )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        with suppress(OSError):
            os.rename(claim, meta_path)
        raise
    delete_stored(_folder(contest), _stored_name(token, meta))
    _write_meta(meta_path, meta | {"done": True, "imported_at": utcnow().isoformat(), "entries": codes})
    with suppress(FileNotFoundError):
        claim.unlink()
    flash(ngettext("%(num)d entry imported.", "%(num)d entries imported.", len(codes)), "success")
    return redirect(_after_import_url(contest))


def _register(contest: Contest, result: ImportResult) -> dict[str, str] | None:
    """Register every dossier (dossier number -> entry code); on any refusal roll everything back, put the
    problems on their dossier and return None."""
    codes: dict[str, str] = {}
    for dossier in result.dossiers:
        try:
            entry = services.register_imported(contest, dossier.data, by=current_user)
        except EntryProblems as exc:
            db.session.rollback()
            for problem in exc.problems:
                rows, column = place_problem(problem, dossier)
                dossier.problems.append(
                    ImportProblem(problem.code, rows=rows, column=column, params=problem.params, rule=problem)
                )
            return None
        codes[dossier.number or str(dossier.rows[0])] = entry.code
    return codes
