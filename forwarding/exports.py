"""The delegation package for the level outside this system (the national contest): its registration sheet as
XLSX (one row per entry: number, code, title, field, the authors' details, province, provincial award and score),
and the dossiers' documents in one ZIP with a manifest (one ZIP per entry too).

In a ZIP each document is "<No.>_<code>/<NN>_<document type in ASCII>.<ext>" (the number as in the sheet, the
documents numbered in the order of the edition's document types), and `manifest.csv` (UTF-8 with a byte order mark)
lists per document the file, the entry's code, the document type, its original name, its size and SHA-256 worked
out from the bytes written. A document whose file is missing on the server is listed with an empty file name."""

from __future__ import annotations

import hashlib
import re
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask import Response, send_file
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app.exports import Column, Sheet, ascii_filename, content_disposition, write_csv, write_xlsx
from app.extensions import db
from app.orgs.models import AdministrativeUnit
from app.templating import decimal_text, percent
from app.uploads import stored_path
from competitions.models import Contest, Entry, EntryDocument
from forwarding.models import Forward
from forwarding.services.lower import LowerResult, lower_results

CHUNK = 64 * 1024
#: Kept in memory up to this size, then on disk.
SPOOL_BYTES = 16 * 1024 * 1024
MANIFEST_COLUMNS = ("file", "entry_code", "document_type", "original_name", "size", "sha256")
_NOT_WORD = re.compile(r"[^A-Za-z0-9]+")


@dataclass(frozen=True)
class DelegationRow:
    """One entry of the registration sheet."""

    number: int
    entry: Entry
    province: str
    result: LowerResult


def provinces_of(entries: Iterable[Entry]) -> dict[int, str]:
    """Entry id -> the province (level-1 unit) of its lead author's locality, "" when unknown. A query per level
    of units at most (three)."""
    entries = list(entries)
    units: dict[int, AdministrativeUnit] = {}
    wanted = {e.admin_unit_id for e in entries if e.admin_unit_id is not None}
    for _level in range(4):
        wanted -= units.keys()
        if not wanted:
            break
        found = db.session.scalars(select(AdministrativeUnit).where(AdministrativeUnit.id.in_(wanted))).all()
        units |= {u.id: u for u in found}
        wanted = {u.parent_id for u in found if u.parent_id is not None}

    def province(unit_id: int | None) -> str:
        seen = 0
        unit = units.get(unit_id) if unit_id is not None else None
        while unit is not None and seen < 5:
            if unit.level == 1:
                return unit.full_name
            unit = units.get(unit.parent_id) if unit.parent_id is not None else None
            seen += 1
        return ""

    return {e.id: province(e.admin_unit_id) for e in entries}


def delegation_rows(contest: Contest, forwards: Sequence[Forward]) -> list[DelegationRow]:
    """The sheet's rows in the delegation's order, numbered from 1, each with the entry's current result in the
    edition (else the one kept when it was added)."""
    entries = [f.entry for f in forwards]
    results = lower_results(contest) if entries else {}
    provinces = provinces_of(entries)
    rows = []
    for number, forward in enumerate(forwards, start=1):
        kept = forward.lower_result or {}
        result = results.get(forward.entry_id) or LowerResult(
            rank=kept.get("rank"), score=kept.get("score"), award=kept.get("award") or "", round=kept.get("round") or ""
        )
        rows.append(DelegationRow(number, forward.entry, provinces.get(forward.entry_id, ""), result))
    return rows


def _people(row: DelegationRow, text) -> str:
    return "; ".join(text(p) for p in row.entry.authors)


def registration_sheet(contest: Contest, forwards: Sequence[Forward], level: str) -> bytes:
    """The national registration sheet: headers in the interface's language, text cells neutralised."""
    rows = delegation_rows(contest, forwards)
    columns = [
        Column("number", _("No.")),
        Column(lambda r: r.entry.code or "", _("Code")),
        Column(lambda r: r.entry.title, _("Title of the solution")),
        Column(lambda r: r.entry.field.name if r.entry.field else "", _("Field")),
    ]
    if contest.is_youth:
        columns.append(Column(lambda r: r.entry.age_group.name if r.entry.age_group else "", _("Age group")))
    columns += [
        Column(lambda r: _people(r, lambda p: p.full_name), _("Authors")),
        Column(lambda r: _people(r, lambda p: str(p.birth_date.year) if p.birth_date else ""), _("Year of birth")),
        Column(lambda r: _people(r, lambda p: p.unit), _("Unit or school")),
        Column(lambda r: _people(r, lambda p: p.address), _("Address")),
        Column(lambda r: _people(r, lambda p: p.phone), _("Phone")),
        Column(lambda r: _people(r, lambda p: p.email), _("Email")),
        Column(lambda r: _people(r, lambda p: percent(p.share) if p.share is not None else ""), _("Share (%)")),
    ]
    if contest.is_youth:
        columns.append(
            Column(lambda r: "; ".join(f"{p.full_name} ({p.unit})" for p in r.entry.teachers), _("Guiding teachers"))
        )
    columns += [
        Column(lambda r: r.entry.entering_organisation, _("Entering organisation")),
        Column("province", _("Province")),
        Column(lambda r: r.result.award, _("Provincial award")),
        Column(lambda r: decimal_text(r.result.score) if r.result.score is not None else "", _("Score")),
    ]
    caption = ngettext(
        "%(contest)s → %(level)s: %(num)d entry",
        "%(contest)s → %(level)s: %(num)d entries",
        len(rows),
        contest=contest.name,
        level=level,
    )
    return write_xlsx([Sheet(_("Registration"), columns, rows, caption=caption)])


# --- The dossiers ----------------------------------------------------------------------------------------------


def ascii_part(text: str, fallback: str = "tai_lieu") -> str:
    """A name part in plain ASCII letters, digits and underscores ("Đơn đăng ký" -> "Don_dang_ky")."""
    return _NOT_WORD.sub("_", ascii_filename(text or "")).strip("_")[:60] or fallback


def entry_folder(number: int, code: str | None, width: int = 2) -> str:
    return f"{number:0{width}d}_{ascii_part(code or '', 'entry')}"


def _ordered_documents(contest: Contest, entry: Entry) -> list[EntryDocument]:
    positions = {d.id: d.position for d in contest.document_types}
    return sorted(entry.documents, key=lambda d: (positions.get(d.document_type_id, 10**6), d.id))


def _extension(document: EntryDocument) -> str:
    _stem, dot, ext = document.stored_name.rpartition(".")
    return ext.lower() if dot else "bin"


def write_dossiers(archive: zipfile.ZipFile, contest: Contest, numbered: Sequence[tuple[int, Entry]]) -> list[dict]:
    """Write each entry's documents into `archive` (see the module's notes); returns the manifest's rows."""
    width = max(2, len(str(max((n for n, _e in numbered), default=1))))
    manifest = []
    for number, entry in numbered:
        folder = entry_folder(number, entry.code, width)
        for nn, document in enumerate(_ordered_documents(contest, entry), start=1):
            type_name = document.document_type.name if document.document_type is not None else ""
            name = f"{folder}/{nn:02d}_{ascii_part(type_name)}.{_extension(document)}"
            row = {
                "file": name,
                "entry_code": entry.code or "",
                "document_type": type_name,
                "original_name": document.original_name,
                "size": "",
                "sha256": "",
            }
            try:
                path = stored_path(f"entries/{entry.id}", document.stored_name)
                source = path.open("rb")
            except (ValueError, OSError):
                row["file"] = ""
                manifest.append(row)
                continue
            digest, size = hashlib.sha256(), 0
            with source, archive.open(name, "w", force_zip64=True) as target:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    target.write(chunk)
            row["size"], row["sha256"] = size, digest.hexdigest()
            manifest.append(row)
    return manifest


def dossiers_zip(contest: Contest, numbered: Sequence[tuple[int, Entry]]):
    """The documents of the numbered entries and their manifest in one ZIP, as a file object at its start."""
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (handed to the response)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        manifest = write_dossiers(archive, contest, numbered)
        columns = [Column(key, key) for key in MANIFEST_COLUMNS]
        archive.writestr("manifest.csv", write_csv(columns, manifest))
    out.seek(0)
    return out


def send_zip(fileobj, filename: str) -> Response:
    """A ZIP download; never kept by the browser or a proxy (dossiers hold personal data)."""
    response = send_file(fileobj, mimetype="application/zip", as_attachment=True, download_name=filename)
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response
