"""Entries from a spreadsheet of paper dossiers collected by units and localities: reading the file, grouping
its rows into dossiers, and every problem found, before anything is written. No Flask views here; the views
(competitions/views/imports.py) store the file, show the preview and register the entries.

The file (XLSX, or CSV in UTF-8 with or without a byte order mark, comma-, semicolon- or tab-separated):

- one row per person: an entry with 3 authors takes 3 rows sharing the same "Mã hồ sơ" (the dossier number the
  unit gave); a blank "Mã hồ sơ" continues the dossier above (merged cells), and so does a blank entry column
  (title, field, ...), whose value is taken from the dossier's other rows;
- the header is the row, among the first 10 non-empty ones, that names the most known columns (at least two);
  row numbers are the spreadsheet's (the header usually is row 1, the first dossier row 2);
- headers are matched without diacritics, case, punctuation or extra spaces ("Ho va ten tac gia" is
  "Họ và tên tác giả"), with the alternatives of `COLUMNS` (English ones too); other columns are ignored and
  listed in the preview;
- columns (* required; ** required for a youth edition):

  ====================================  ==========================================================================
  Mã hồ sơ *                            the dossier number within the file
  Tên giải pháp / Tên sản phẩm *        the entry's title
  Lĩnh vực *                            the field, by its code ("1".."7") or its name ("1. Công nghệ ..." too)
  Nhóm tuổi / Cấp học **                youth: the age group by its name or the part in brackets ("THCS")
  Tóm tắt, Đơn vị dự thi                summary, entering organisation
  Ngày tạo ra, Ngày áp dụng             dates (innovation: at least one per dossier)
  Họ và tên tác giả *                   the person's full name
  Vai trò                               youth: Tác giả (default) or Người hướng dẫn (a guiding teacher)
  Ngày sinh **                          birth date
  Giới tính                             Nam, Nữ or Khác
  Số CCCD, Đơn vị / Trường, Địa chỉ     identity number, unit or school, address
  Điện thoại, Email                     checked like the online form
  Tỷ lệ đóng góp (%) *                  the author's share, see below
  Chủ nhiệm                             any mark ("x") for the lead author; none marked: the first author is lead
  ====================================  ==========================================================================

- dates: dd/mm/yyyy text (also d/m/yyyy, d-m-yyyy, d.m.yyyy and yyyy-mm-dd) or real Excel dates;
- shares: a number is a percentage ("60", "33,33", "33.33", "60%"), except an Excel number cell formatted as a
  percentage, which holds a fraction (0.6 shown as 60 % is 60); so 0.6 typed in a plain cell is 0.6 %;
- numbers Excel stripped of a leading zero are given it back: a 9-digit phone number, an 11-digit CCCD.

Every dossier is checked with the rules of an online submission (`services.problems_for(..., for_submit=True)`)
except the registration window; a title and lead author already registered in the edition, or twice in the
file, is a warning, which does not block the import.

One module per part: `columns` (the headers and how they are matched), `problems` (what can be wrong and its
wording), `reading` (the rows of an XLSX or CSV file), `values` (the Python value of one cell), `result` (the
dossiers found), `analysis` (grouping the rows and checking them) and `template` (the file to fill in). This
package re-exports what the views and the tests use. The views module is `competitions.views.imports`; never
`from competitions import imports` there (see competitions/__init__.py).
"""

from flask_babel import lazy_gettext as _l

from app.audit.labels import register_labels
from competitions.imports.analysis import analyse, check_file, existing_entries, place_problem
from competitions.imports.columns import columns_for, required_columns
from competitions.imports.problems import ImportFileError, ImportProblem, problem_message
from competitions.imports.reading import read_csv, read_xlsx
from competitions.imports.result import ImportResult
from competitions.imports.template import rows_label, template_workbook
from competitions.imports.values import Cell, parse_cell_date, parse_share

register_labels({"contest.import": _l("Imported entries from a file")})

__all__ = [
    "Cell",
    "ImportFileError",
    "ImportProblem",
    "ImportResult",
    "analyse",
    "check_file",
    "columns_for",
    "existing_entries",
    "parse_cell_date",
    "parse_share",
    "place_problem",
    "problem_message",
    "read_csv",
    "read_xlsx",
    "required_columns",
    "rows_label",
    "template_workbook",
]
