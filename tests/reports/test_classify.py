"""School levels read from school names, and localities under the units that succeeded them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.classify import Unit, locality_key, school_level, successor_of


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("Trường Tiểu học Tân Xuân", "primary"),
        ("Trường TH Minh Hưng", "primary"),
        ("Trường THCS Tân Phú", "lower_secondary"),
        ("TRƯỜNG TRUNG HỌC CƠ SỞ ĐỨC LIỄU", "lower_secondary"),
        ("Trường THPT chuyên Quang Trung", "upper_secondary"),
        ("Trường Trung học phổ thông Đồng Xoài", "upper_secondary"),
        ("Trường TH&THCS Minh Hưng", "multi"),
        ("Trường THCS-THPT Nguyễn Khuyến", "multi"),
        ("Công ty TNHH MTV Cao su Phú Riềng", "other"),
        ("Trường Mầm non Họa Mi", "other"),
        ("", "other"),
        (None, "other"),
    ],
)
def test_school_level_from_the_name(name, level):
    assert school_level(name) == level


@given(st.text(max_size=60))
def test_school_level_is_always_a_known_level(name):
    assert school_level(name) in ("primary", "lower_secondary", "upper_secondary", "multi", "other")


def test_successors_are_followed_to_the_unit_that_stands_now():
    units = {
        1: Unit(1, "Huyện Bù Đăng", successor_id=3),
        2: Unit(2, "Huyện Bù Đốp", successor_id=3),
        3: Unit(3, "Xã Bù Đăng", successor_id=None),
        4: Unit(4, "Tỉnh Bình Phước", successor_id=5),
        5: Unit(5, "Tỉnh Đồng Nai"),
    }
    assert successor_of(units, 1) == successor_of(units, 2) == 3
    assert successor_of(units, 4) == 5
    assert locality_key(units, 1, successors=False) == 1
    assert locality_key(units, 1, successors=True) == 3
    assert locality_key(units, None, successors=True) is None


@given(st.dictionaries(st.integers(1, 8), st.one_of(st.none(), st.integers(1, 10)), min_size=1))
def test_following_successors_ends_even_on_loops_and_missing_units(links):
    units = {i: Unit(i, f"Đơn vị {i}", successor) for i, successor in links.items()}
    for unit_id in units:
        found = successor_of(units, unit_id)
        assert found in units
        # the chain from `unit_id` reaches `found` by successor links
        chain, current = [unit_id], unit_id
        while current != found and len(chain) <= len(units) + 1:
            current = units[current].successor_id
            chain.append(current)
        assert chain[-1] == found
