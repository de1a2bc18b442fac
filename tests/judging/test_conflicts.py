"""Conflicts of interest found automatically (judging.conflicts): each rule by example, then hypothesis against a
plain judge-by-entry reference."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.text import normalize_search
from judging import conflicts as conflicts_module
from judging.conflicts import (
    CONFLICT_KINDS,
    GENERIC_UNITS,
    Conflict,
    EntryInfo,
    JudgeInfo,
    PersonInfo,
    detect,
    fold_unit,
)


@pytest.fixture(autouse=True)
def _app_context():
    """Pure rules: no application and no database (replaces tests/conftest.py's autouse fixture)."""
    yield


def kinds(found: list[Conflict]) -> set[tuple[int, int, str]]:
    return {(c.judge_id, c.entry_id, c.kind) for c in found}


def test_the_kinds():
    assert CONFLICT_KINDS == ("author", "same_unit", "family", "other")


def test_author_by_id_number_whatever_its_spacing():
    judge = JudgeInfo(1, "Trần Thị Bình", id_number="079 185 000 123")
    entry = EntryInfo(10, (PersonInfo("Trần T. Bình", id_number="079185000123"), PersonInfo("Lê Văn Cường")))
    assert detect([judge], [entry]) == [Conflict(1, 10, "author", "Trần T. Bình (ID number)")]


def test_author_by_email_whatever_its_case():
    judge = JudgeInfo(1, "Phạm Minh Đức", email="Duc.Pham@Example.VN ")
    entry = EntryInfo(10, (PersonInfo("Phạm M. Đức", email="duc.pham@example.vn"),))
    assert detect([judge], [entry]) == [Conflict(1, 10, "author", "Phạm M. Đức (email)")]


def test_empty_identifiers_never_match():
    judge = JudgeInfo(1, "Hoàng Văn Em", email=" ", id_number="--")
    entry = EntryInfo(10, (PersonInfo("Someone else", email="", id_number="n/a"),))
    assert detect([judge], [entry]) == []


def test_author_by_name_and_unit_when_there_is_nothing_else_to_compare():
    judge = JudgeInfo(1, "Nguyễn Văn An", units=("Trường THPT Bù Đăng",))
    entry = EntryInfo(10, (PersonInfo("nguyen  van an", unit="truong thpt bu dang"),))
    assert kinds(detect([judge], [entry])) == {(1, 10, "author"), (1, 10, "same_unit")}
    author = next(c for c in detect([judge], [entry]) if c.kind == "author")
    assert author.detail == "nguyen  van an (name and unit)"


def test_name_and_unit_also_count_when_only_one_side_has_an_identifier():
    judge = JudgeInfo(1, "Nguyễn Văn An", email="an@example.vn", units=("Trường THPT Bù Đăng",))
    entry = EntryInfo(10, (PersonInfo("Nguyễn Văn An", id_number="079000000001", unit="Trường THPT Bù Đăng"),))
    assert (1, 10, "author") in kinds(detect([judge], [entry]))


@pytest.mark.parametrize(
    ("judge_ids", "person_ids"),
    [
        ({"email": "an@example.vn"}, {"email": "an.nguyen@example.vn"}),
        ({"id_number": "079000000001"}, {"id_number": "079000000002"}),
        ({"email": "an@example.vn", "id_number": "1"}, {"email": "other@example.vn"}),
    ],
)
def test_different_identifiers_of_the_same_kind_mean_different_people(judge_ids, person_ids):
    judge = JudgeInfo(1, "Nguyễn Văn An", units=("Trường THPT Bù Đăng",), **judge_ids)
    entry = EntryInfo(10, (PersonInfo("Nguyễn Văn An", unit="Trường THPT Bù Đăng", **person_ids),))
    assert kinds(detect([judge], [entry])) == {(1, 10, "same_unit")}  # colleagues, not the author


def test_same_name_in_different_units_with_different_emails_is_no_conflict():
    judge = JudgeInfo(1, "Nguyễn Văn An", email="an.bd@example.vn", units=("Trường THPT Bù Đăng",))
    entry = EntryInfo(10, (PersonInfo("Nguyễn Văn An", email="an.dx@example.vn", unit="Trường THPT Đồng Xoài"),))
    assert detect([judge], [entry]) == []


def test_same_name_without_identifiers_in_different_units_is_no_conflict():
    judge = JudgeInfo(1, "Nguyễn Văn An", units=("Trường THPT Bù Đăng",))
    entry = EntryInfo(10, (PersonInfo("Nguyễn Văn An", unit="Trường THPT Lộc Ninh"), PersonInfo("Nguyễn Văn An")))
    assert detect([judge], [entry]) == []


def test_same_unit_whatever_the_diacritics_case_spacing_and_punctuation():
    judge = JudgeInfo(1, "Lý Thị Giang", units=("Trường THPT Bù Đăng",))
    entries = [
        EntryInfo(10, (PersonInfo("Võ Văn Hải", unit="truong thpt bu dang"),)),
        EntryInfo(11, (PersonInfo("Võ Văn Hải"),), units=("TRƯỜNG  THPT  BÙ-ĐĂNG.",)),
        EntryInfo(12, (PersonInfo("Võ Văn Hải", unit="Trường THCS Bù Đăng"),)),
    ]
    assert detect([judge], entries) == [
        Conflict(1, 10, "same_unit", "truong thpt bu dang (Võ Văn Hải)"),
        Conflict(1, 11, "same_unit", "TRƯỜNG  THPT  BÙ-ĐĂNG."),
    ]


def test_any_unit_of_the_judge_counts():
    judge = JudgeInfo(1, "Lý Thị Giang", units=("Sở Khoa học và Công nghệ", "Hội Tin học tỉnh"))
    entry = EntryInfo(10, (PersonInfo("Võ Văn Hải", unit="Hội tin học tỉnh"),))
    assert kinds(detect([judge], [entry])) == {(1, 10, "same_unit")}


@pytest.mark.parametrize("unit", ["", "   ", "Tự do", "tu do", "Không", "Cá nhân", "KHÔNG CÓ", "-", "x", "N/A"])
def test_generic_units_are_never_shared(unit):
    judge = JudgeInfo(1, "Lý Thị Giang", units=(unit,))
    entry = EntryInfo(10, (PersonInfo("Lý Thị Giang", unit=unit),), units=(unit,))
    assert detect([judge], [entry]) == []
    assert fold_unit(unit) == ""


def test_one_conflict_per_judge_entry_and_kind_naming_everyone_who_matched():
    judge = JudgeInfo(1, "Đặng Văn Khoa", email="khoa@example.vn", id_number="123", units=("Công ty Điện lực",))
    entry = EntryInfo(
        10,
        (
            PersonInfo("Đặng Văn Khoa", email="KHOA@example.vn", id_number="123", unit="Công ty Điện lực"),
            PersonInfo("Mai Thị Lan", unit="Công ty điện lực"),
        ),
        units=("Công ty Điện lực",),
    )
    assert detect([judge, judge], [entry]) == [
        Conflict(1, 10, "author", "Đặng Văn Khoa (ID number)"),
        Conflict(
            1,
            10,
            "same_unit",
            "Công ty Điện lực (Đặng Văn Khoa); Công ty điện lực (Mai Thị Lan); Công ty Điện lực",
        ),
    ]


def test_an_entry_given_twice_counts_once():
    judge = JudgeInfo(1, "Lý Thị Giang", email="giang@x.vn", units=("Sở Y tế",))
    entry = EntryInfo(10, (PersonInfo("Lý Thị Giang", email="giang@x.vn", unit="Sở Y tế"),))
    other = EntryInfo(10, (PersonInfo("Hồ Văn Nam", unit="Sở Y tế"),))
    assert detect([judge], [entry, EntryInfo(11, ()), entry, other]) == [
        Conflict(1, 10, "author", "Lý Thị Giang (email)"),
        Conflict(1, 10, "same_unit", "Sở Y tế (Lý Thị Giang); Sở Y tế (Hồ Văn Nam)"),
    ]


def test_conflicts_come_sorted_by_judge_entry_and_kind():
    judges = [JudgeInfo(2, "B", email="b@x.vn", units=("Unit X",)), JudgeInfo(1, "A", email="a@x.vn")]
    entries = [
        EntryInfo(20, (PersonInfo("A", email="a@x.vn"),)),
        EntryInfo(10, (PersonInfo("B", email="b@x.vn", unit="unit x"), PersonInfo("A", email="A@X.VN"))),
    ]
    assert [(c.judge_id, c.entry_id, c.kind) for c in detect(judges, entries)] == [
        (1, 10, "author"),
        (1, 20, "author"),
        (2, 10, "author"),
        (2, 10, "same_unit"),
    ]


def test_inputs_may_be_generators():
    judges = (JudgeInfo(i, f"J{i}", email=f"j{i}@x.vn") for i in range(3))
    entries = (EntryInfo(i, (PersonInfo("P", email=f"J{i}@x.vn"),)) for i in range(3))
    assert kinds(detect(judges, entries)) == {(i, i, "author") for i in range(3)}


def test_the_module_is_pure():
    tree = ast.parse(Path(conflicts_module.__file__).read_text(encoding="utf-8"))
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported <= {"__future__", "re", "collections.abc", "dataclasses", "app.text"}


# --- against a plain reference -------------------------------------------------------------------------------

NAMES = ["Nguyễn Văn An", "nguyen van an", "NGUYỄN VĂN ÂN", "Trần Thị Bình", "Lê Cường"]
EMAILS = ["", "", "an@x.vn", "AN@X.VN", "binh@x.vn"]
IDS = ["", "", "0791", "079 1", "0792"]
UNITS = ["", "Tự do", "Trường THPT Bù Đăng", "truong thpt bu dang", "Trường THCS Bù Đăng", "Sở Y tế", "SỞ Y-TẾ"]


def reference_unit(unit: str) -> str:
    folded = " ".join("".join(ch if ch.isalnum() else " " for ch in normalize_search(unit)).split())
    return "" if len(folded) < 2 or folded in GENERIC_UNITS else folded


def reference(judges: list[JudgeInfo], entries: list[EntryInfo]) -> set[tuple[int, int, str]]:
    """Every judge against every person of every entry, rule by rule."""

    def digits(s: str) -> str:
        return "".join(ch for ch in s if ch in "0123456789")

    found = set()
    for judge in judges:
        judge_units = {reference_unit(u) for u in judge.units} - {""}
        for entry in entries:
            for person in entry.people:
                same_id = digits(judge.id_number) and digits(judge.id_number) == digits(person.id_number)
                same_email = judge.email.strip() and judge.email.strip().lower() == person.email.strip().lower()
                comparable = (digits(judge.id_number) and digits(person.id_number)) or (
                    judge.email.strip() and person.email.strip()
                )
                same_name = normalize_search(judge.full_name) == normalize_search(person.full_name)
                unit = reference_unit(person.unit)
                if same_id or same_email or (not comparable and same_name and unit in judge_units):
                    found.add((judge.id, entry.id, "author"))
                if unit in judge_units:
                    found.add((judge.id, entry.id, "same_unit"))
            if judge_units & {reference_unit(u) for u in entry.units}:
                found.add((judge.id, entry.id, "same_unit"))
    return found


people = st.builds(
    PersonInfo,
    full_name=st.sampled_from(NAMES),
    email=st.sampled_from(EMAILS),
    id_number=st.sampled_from(IDS),
    unit=st.sampled_from(UNITS),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(NAMES),
            st.sampled_from(EMAILS),
            st.sampled_from(IDS),
            st.lists(st.sampled_from(UNITS), max_size=2),
        ),
        max_size=5,
    ),
    st.lists(st.tuples(st.lists(people, max_size=3), st.lists(st.sampled_from(UNITS), max_size=2)), max_size=6),
)
def test_detect_agrees_with_a_judge_by_entry_reference(judge_rows, entry_rows):
    judges = [
        JudgeInfo(i, name, email, id_number, tuple(units))
        for i, (name, email, id_number, units) in enumerate(judge_rows)
    ]
    entries = [EntryInfo(100 + i, tuple(ps), tuple(us)) for i, (ps, us) in enumerate(entry_rows)]
    found = detect(judges, entries)
    assert kinds(found) == reference(judges, entries)
    assert len(found) == len(kinds(found))
    assert all(c.detail for c in found)
