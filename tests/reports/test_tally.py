"""The annual counts on a small hand-made year: entries from grouped rows, finalists and prizes from snapshots,
youth groups, localities under their successors, prizes to units, and the years' trend."""

from __future__ import annotations

from reports.classify import Unit
from reports.tally import Counts, Edition, EntryGroup, counts_row, published_entries, tally, trend

INNOVATION = Edition(1, "Hội thi Sáng tạo kỹ thuật 2025", "innovation", 2025, fields={10: "Cơ khí", 11: "Y, dược"})
YOUTH = Edition(
    2,
    "Cuộc thi Sáng tạo TTNNĐ 2025",
    "youth",
    2025,
    fields={20: "Đồ dùng học tập"},
    age_groups={30: "Nhi đồng", 31: "Thiếu niên"},
)
UNITS = {1: Unit(1, "Huyện Bù Đăng", 3), 2: Unit(2, "Huyện Bù Đốp", 3), 3: Unit(3, "Xã Bù Đăng")}

GROUPS = [
    EntryGroup(1, 10, None, "Công ty Cao su", 1, 3),
    EntryGroup(1, 11, None, "Bệnh viện tỉnh", 2, 2),
    EntryGroup(1, None, None, "", None, 1),
    EntryGroup(2, 20, 30, "Trường Tiểu học Tân Xuân", 1, 4),
    EntryGroup(2, 20, 31, "Trường THCS Tân Phú", 3, 5),
    EntryGroup(99, 10, None, "Not an edition of the year", 1, 100),
]
SNAPSHOT = {
    "fields": [{"id": 10, "name": "Cơ khí"}, {"id": 11, "name": "Y, dược"}],
    "entries": [
        {"id": 100, "field_id": 10, "age_group": "", "unit": "Công ty Cao su", "score": "88.50"},
        {"id": 101, "field_id": 10, "age_group": "", "unit": "Công ty Cao su", "score": "70.00"},
        {"id": 102, "field_id": 11, "age_group": "", "unit": "Bệnh viện tỉnh", "score": None},  # a prize by hand
    ],
    "awards": [
        {"entry_id": 100, "name": "Giải Nhất", "special": False},
        {"entry_id": 100, "name": "Tác giả trẻ nhất", "special": True},
        {"entry_id": 102, "name": "Giải Ba", "special": False},
        {"entry_id": None, "name": "Đơn vị có nhiều bài nhất", "special": True, "unit": "Công ty Cao su"},
    ],
}
ENTRY_UNITS = {100: 1, 101: 2, 102: None}


def year(successors=False):
    return tally({1: INNOVATION, 2: YOUTH}, GROUPS, {1: SNAPSHOT}, ENTRY_UNITS, UNITS, successors=successors)


def test_editions_count_submitted_entries_and_their_published_results():
    counts = year()
    assert counts_row(counts.contests[1]) == (6, 2, 2, 2)  # the unit's prize is a special prize of the edition
    assert counts_row(counts.contests[2]) == (9, 0, 0, 0)  # not published: no finalist, no prize
    assert 99 not in counts.contests
    assert counts_row(counts.total()) == (15, 2, 2, 2)


def test_fields_units_and_prizes():
    counts = year()
    assert counts_row(counts.fields[("innovation", "Cơ khí")]) == (3, 2, 1, 1)
    assert counts_row(counts.fields[("innovation", "Y, dược")]) == (2, 0, 1, 0)
    assert counts_row(counts.fields[("innovation", "")]) == (1, 0, 0, 0)
    assert counts_row(counts.units["Công ty Cao su"]) == (3, 2, 1, 2)
    assert dict(counts.prize_names) == {
        "Giải Nhất": 1,
        "Tác giả trẻ nhất": 1,
        "Giải Ba": 1,
        "Đơn vị có nhiều bài nhất": 1,
    }


def test_youth_groups_and_school_levels_count_youth_editions_only():
    counts = year()
    assert {k: v.entries for k, v in counts.age_groups.items()} == {"Nhi đồng": 4, "Thiếu niên": 5}
    assert {k: v.entries for k, v in counts.school_levels.items()} == {"primary": 4, "lower_secondary": 5}


def test_localities_as_they_were_or_under_their_successors():
    at_the_time = year()
    assert {k: v.entries for k, v in at_the_time.localities.items()} == {1: 7, 2: 2, None: 1, 3: 5}
    assert at_the_time.localities[1].prizes == 1 and at_the_time.localities[None].prizes == 1
    grouped = year(successors=True)
    assert {k: v.entries for k, v in grouped.localities.items()} == {3: 14, None: 1}
    assert counts_row(grouped.localities[3]) == (14, 2, 1, 1)


def test_published_entries_finalists_are_the_scored_ones():
    found = {e.id: e for e in published_entries(SNAPSHOT)}
    assert [found[i].finalist for i in (100, 101, 102)] == [True, True, False]
    assert (found[100].prizes, found[100].special) == (1, 1)


def test_trend_fills_the_years_between_with_zeros():
    years = trend([Edition(1, "A", "innovation", 2022), Edition(2, "B", "youth", 2025)], {1: 3, 2: 4}, {})
    assert list(years) == [2022, 2023, 2024, 2025]
    assert (years[2023].editions, years[2023].entries) == (0, 0)


def test_trend_adds_up_each_year():
    earlier = Edition(3, "Hội thi 2024", "innovation", 2024)
    years = trend([INNOVATION, YOUTH, earlier], {1: 6, 2: 9, 3: 4}, {1: SNAPSHOT})
    assert list(years) == [2024, 2025]
    assert (years[2025].editions, years[2025].entries, years[2025].finalists, years[2025].prizes) == (2, 15, 2, 2)
    assert (years[2024].editions, years[2024].entries, years[2024].prizes) == (1, 4, 0)


def test_counts_add():
    a = Counts(1, 2, 3, 4)
    a.add(Counts(1, 1, 1, 1))
    assert counts_row(a) == (2, 3, 4, 5)
    assert counts_row(None) == (0, 0, 0, 0)
