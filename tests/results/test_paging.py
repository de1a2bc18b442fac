"""A page of a list in memory, as the shared pager reads it (a field's ranking on the public results page)."""

from __future__ import annotations

from results.paging import page_of


def test_a_page_holds_its_slice_and_knows_its_neighbours():
    items = list(range(1, 251))
    first = page_of(items, 1, 100)
    assert (list(first.items)[:2], len(first.items), first.pages, first.total) == ([1, 2], 100, 3, 250)
    assert (first.has_prev, first.prev_num, first.has_next, first.next_num, first.first) == (False, None, True, 2, 1)
    last = page_of(items, 3, 100)
    assert (list(last.items), last.has_next, last.next_num, last.prev_num, last.first) == (
        list(range(201, 251)),
        False,
        None,
        2,
        201,
    )


def test_a_page_out_of_range_is_the_nearest_one_and_an_empty_list_has_one_page():
    assert page_of(list(range(10)), 99, 4).page == 3
    assert page_of(list(range(10)), -1, 4).page == 1
    empty = page_of([], 5, 100)
    assert (empty.page, empty.pages, list(empty.items), empty.has_next) == (1, 1, [], False)


def test_the_page_numbers_leave_out_the_middle_of_a_long_list():
    assert list(page_of(list(range(2000)), 10, 100).iter_pages()) == [1, 2, None, 8, 9, 10, 11, 12, None, 19, 20]
    assert list(page_of(list(range(300)), 2, 100).iter_pages()) == [1, 2, 3]
