"""The template file an organizer downloads, and how rows are named in the preview."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _

from app.exports import Column, Sheet, write_xlsx
from competitions.imports.columns import columns_for

_TEXT = "@"  # an Excel text cell: dates typed dd/mm/yyyy stay as typed whatever the computer's locale


def template_sheets(contest) -> list[Sheet]:
    """An empty dossier sheet with this edition's headers, and a sheet listing its fields, age groups and the
    words some columns take."""
    text_columns = {"dossier", "created_on", "applied_on", "birth_date", "id_number", "phone"}
    columns = [
        Column(spec.key, spec.header, number_format=_TEXT if spec.key in text_columns else None)
        for spec in columns_for(contest)
    ]
    lists: list[tuple[str, str, str]] = [("Lĩnh vực", f.code, f.name) for f in contest.fields]
    lists += [("Nhóm tuổi / Cấp học", "", a.name) for a in contest.age_groups]
    lists += [("Giới tính", "", g) for g in ("Nam", "Nữ", "Khác")]
    if contest.max_teachers:
        lists += [("Vai trò", "", r) for r in ("Tác giả", "Người hướng dẫn")]
    lists += [("Chủ nhiệm", "", "x")]
    list_columns = [
        Column(lambda row: row[0], _("Column")),
        Column(lambda row: row[1], _("Code"), number_format=_TEXT),
        Column(lambda row: row[2], _("Value")),
    ]
    return [Sheet(_("Dossiers"), columns, []), Sheet(_("Lists"), list_columns, lists)]


def template_workbook(contest) -> bytes:
    return write_xlsx(template_sheets(contest))


def rows_label(rows: Iterable[int]) -> str:
    """ "5" or "5–7" or "5, 8" (spreadsheet row numbers)."""
    numbers = sorted(set(rows))
    if not numbers:
        return ""
    if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{numbers[0]}–{numbers[-1]}"
    return ", ".join(str(n) for n in numbers)
