"""What can be wrong with an import file, and how each problem is worded."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from competitions.eligibility import Problem
from competitions.messages import message

#: What each problem of the file (not of the contest's rules) says; `params` fill the placeholders.
FILE_MESSAGES = {
    "unreadable": _l("The file cannot be read as a spreadsheet: save it again as Excel (.xlsx) or CSV (UTF-8)."),
    "not_utf8": _l("The CSV file is not in UTF-8: save it again as “CSV UTF-8”."),
    "no_header": _l(
        "No header row was found: the first row must name the columns, e.g. “Mã hồ sơ”, “Tên giải pháp”, "
        "“Họ và tên tác giả”. Download the template."
    ),
    "no_rows": _l("The file has no dossier below its header."),
    "too_many_rows": _l("The file has more than %(max)s rows; split it into smaller files."),
    "missing_column": _l("The column “%(header)s” is missing."),
    "duplicate_column": _l("Two columns give “%(header)s” (%(first)s and %(second)s): keep only one."),
    "missing_dossier": _l("Give the dossier number (Mã hồ sơ)."),
    "bad_date": _l("“%(value)s” is not a date: write it as dd/mm/yyyy."),
    "bad_number": _l("“%(value)s” is not a number: write the share as 50 or 33,33."),
    "unknown_field": _l("Unknown field “%(value)s”: give its number (%(codes)s) or its name."),
    "unknown_age_group": _l("Unknown age group “%(value)s”: give one of %(names)s."),
    "unknown_gender": _l("Unknown gender “%(value)s”: write Nam, Nữ or Khác."),
    "unknown_role": _l("Unknown role “%(value)s”: write Tác giả or Người hướng dẫn."),
    "too_long": _l("Too long: at most %(max)s characters."),
    "bad_email": _l("“%(value)s” is not a valid email address."),
    "bad_phone": _l("“%(value)s” is not a valid phone number, e.g. 0912 345 678."),
    "title_mismatch": _l(
        "The rows of dossier %(dossier)s give different titles: “%(first)s” (row %(row)s) and “%(other)s”."
    ),
    "dossier_reused": _l(
        "Dossier number %(dossier)s is already used in row %(row)s for another entry (“%(title)s”): "
        "give each entry its own number."
    ),
    "rows_disagree": _l(
        "The rows of dossier %(dossier)s give different values here: “%(first)s” (row %(row)s) and “%(other)s”."
    ),
    "duplicate_in_file": _l(
        "Dossier %(other)s (row %(row)s) has the same title and lead author: check that it is not the same entry."
    ),
    "already_registered": _l(
        "An entry with this title and lead author is already registered in this edition (%(code)s)."
    ),
}


@dataclass
class ImportProblem:
    """What is wrong, where: `rows` are spreadsheet row numbers (empty: the whole file), `column` a column key.

    A problem of the contest's rules keeps its `eligibility.Problem` in `rule` (its message comes from
    `competitions.messages`); a warning does not block the import."""

    code: str
    rows: tuple[int, ...] = ()
    column: str | None = None
    params: dict = field(default_factory=dict)
    warning: bool = False
    rule: Problem | None = None


def problem_message(problem: ImportProblem) -> str:
    """The problem in the user's language."""
    if problem.rule is not None:
        return message(problem.rule)
    text = FILE_MESSAGES.get(problem.code)
    if text is None:
        return problem.code
    try:
        return str(text) % problem.params if problem.params else str(text)
    except (KeyError, TypeError, ValueError):
        return str(text)


class CellProblem(ValueError):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


class ImportFileError(ValueError):
    """The file as a whole cannot be read."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params
