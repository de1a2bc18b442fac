"""The columns of an import file: their template headers, the other headers accepted, and how a header is
matched (without diacritics, case, punctuation or extra spaces)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.text import normalize_search


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    header: str  # the template's header (Vietnamese: the file format, never translated)
    aliases: tuple[str, ...] = ()  # other headers accepted, Vietnamese or English
    person: bool = False  # a column of the person (author or teacher) rather than of the entry
    max_length: int | None = None


COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(
        "dossier",
        "Mã hồ sơ",
        ("Số hồ sơ", "Mã số hồ sơ", "Số hiệu hồ sơ", "Dossier", "Dossier no", "Dossier number"),
    ),
    ColumnSpec(
        "title",
        "Tên giải pháp",
        (
            "Tên sản phẩm",
            "Tên giải pháp / Tên sản phẩm",
            "Tên giải pháp / sản phẩm",
            "Tên đề tài",
            "Tên sáng kiến",
            "Tên bài dự thi",
            "Title",
            "Entry title",
        ),
        max_length=300,
    ),
    ColumnSpec("field", "Lĩnh vực", ("Lĩnh vực dự thi", "Field")),
    ColumnSpec("age_group", "Nhóm tuổi / Cấp học", ("Nhóm tuổi", "Cấp học", "Bảng", "Age group", "School level")),
    ColumnSpec("summary", "Tóm tắt", ("Tóm tắt nội dung", "Mô tả tóm tắt", "Summary"), max_length=5000),
    ColumnSpec(
        "created_on", "Ngày tạo ra", ("Ngày tạo", "Thời gian tạo ra", "Created on", "Creation date", "Date created")
    ),
    ColumnSpec(
        "applied_on",
        "Ngày áp dụng",
        ("Ngày áp dụng lần đầu", "Thời gian áp dụng", "Applied on", "First applied on", "Date applied"),
    ),
    ColumnSpec(
        "entering_organisation",
        "Đơn vị dự thi",
        ("Tổ chức dự thi", "Cơ quan dự thi", "Entering organisation", "Entering organization"),
        max_length=255,
    ),
    ColumnSpec(
        "full_name",
        "Họ và tên tác giả",
        ("Họ tên tác giả", "Họ và tên", "Họ tên", "Tên tác giả", "Tác giả", "Full name", "Author", "Name"),
        person=True,
        max_length=120,
    ),
    ColumnSpec("role", "Vai trò", ("Role",), person=True),
    ColumnSpec("birth_date", "Ngày sinh", ("Ngày tháng năm sinh", "Birth date", "Date of birth"), person=True),
    ColumnSpec("gender", "Giới tính", ("Gender", "Sex"), person=True),
    ColumnSpec(
        "id_number",
        "Số CCCD",
        ("CCCD", "Số căn cước", "Số căn cước công dân", "Số CMND/CCCD", "Số định danh", "ID number", "Citizen ID"),
        person=True,
        max_length=20,
    ),
    ColumnSpec(
        "unit",
        "Đơn vị / Trường",
        ("Đơn vị", "Trường", "Đơn vị công tác", "Nơi công tác", "Unit", "School", "Unit or school"),
        person=True,
        max_length=255,
    ),
    ColumnSpec("address", "Địa chỉ", ("Address",), person=True, max_length=255),
    ColumnSpec(
        "phone", "Điện thoại", ("Số điện thoại", "SĐT", "ĐT", "Phone", "Phone number", "Telephone"), person=True
    ),
    ColumnSpec("email", "Email", ("E-mail", "Thư điện tử"), person=True, max_length=254),
    ColumnSpec(
        "share",
        "Tỷ lệ đóng góp (%)",
        ("Tỷ lệ đóng góp", "Tỉ lệ đóng góp", "Tỷ lệ", "Tỉ lệ", "Share", "Contribution", "Contribution share"),
        person=True,
    ),
    ColumnSpec("lead", "Chủ nhiệm", ("Tác giả chính", "Chủ nhiệm đề tài", "Lead", "Lead author"), person=True),
)
SPECS = {spec.key: spec for spec in COLUMNS}
ENTRY_KEYS = tuple(spec.key for spec in COLUMNS if not spec.person and spec.key != "dossier")
PERSON_KEYS = tuple(spec.key for spec in COLUMNS if spec.person)

_NOT_WORD = re.compile(r"[^\w]+")


def fold_header(text: str) -> str:
    """A header as compared: no diacritics, case or punctuation ("Tỷ lệ đóng góp (%)" -> "ty le dong gop")."""
    return " ".join(_NOT_WORD.sub(" ", normalize_search(text)).split())


HEADER_KEYS: dict[str, str] = {fold_header(name): spec.key for spec in COLUMNS for name in (spec.header, *spec.aliases)}


def columns_for(contest) -> list[ColumnSpec]:
    """The columns of this edition's template: the age group only when it has age groups, the role only when it
    allows guiding teachers; the title is "Tên sản phẩm" in a youth edition."""
    specs = []
    for spec in COLUMNS:
        if spec.key == "age_group" and not contest.age_groups:
            continue
        if spec.key == "role" and not contest.max_teachers:
            continue
        if spec.key == "title" and contest.is_youth:
            spec = ColumnSpec(spec.key, "Tên sản phẩm", spec.aliases, spec.person, spec.max_length)
        specs.append(spec)
    return specs


def required_columns(contest) -> tuple[str, ...]:
    keys = ["dossier", "title", "field", "full_name", "share"]
    if contest.is_youth:
        keys.append("birth_date")
        if contest.age_groups:
            keys.append("age_group")
    return tuple(keys)
