"""The pure rules of events: who is the same person, pass tokens, capacity, the waiting list, the window."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from events import rules


def test_the_same_email_is_the_same_person_whatever_the_name_or_case():
    a = rules.dedupe_key("Nguyễn Văn An", "An.Nguyen@Example.vn ")
    b = rules.dedupe_key("NGUYEN VAN AN", "an.nguyen@example.vn", date(1990, 1, 1), "Khác")
    assert a == b == "email:an.nguyen@example.vn"


def test_without_email_the_name_with_birth_date_else_unit_tells_people_apart():
    born = date(1985, 5, 18)
    assert rules.dedupe_key("Nguyễn Văn An", birth_date=born) == rules.dedupe_key("nguyen  van AN", birth_date=born)
    assert rules.dedupe_key("Nguyễn Văn An", birth_date=born) != rules.dedupe_key(
        "Nguyễn Văn An", birth_date=date(1990, 1, 1)
    )
    assert rules.dedupe_key("Nguyễn Văn An", unit="Trường A") != rules.dedupe_key("Nguyễn Văn An", unit="Trường B")
    assert rules.dedupe_key("Nguyễn Văn An", unit="Trường Bù Đăng") == rules.dedupe_key(
        "Nguyen Van An", unit="truong bu dang"
    )


def test_tokens_carry_at_least_128_random_bits_and_never_repeat():
    tokens = [rules.new_token() for _ in range(5000)]
    assert len(set(tokens)) == len(tokens)
    alphabet = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert all(len(t) == 32 and set(t) <= alphabet for t in tokens)
    assert rules.TOKEN_BYTES * 8 >= 128
    # every position uses the whole alphabet: the characters are spread (no fixed prefix, no counter)
    counts = Counter("".join(tokens))
    assert len(counts) == 64
    entropy = -sum(n / sum(counts.values()) * math.log2(n / sum(counts.values())) for n in counts.values())
    assert entropy > 5.9  # of a maximum of 6 bits a character


def test_a_scan_gives_back_the_token_of_a_url_or_a_bare_token():
    token = rules.new_token()
    assert rules.token_from_scan(token) == token
    assert rules.token_from_scan(f"  https://sangtao.vn/events/pass/{token}\n") == token
    assert rules.token_from_scan(f"http://127.0.0.1/events/pass/{token}/?utm=x#top") == token
    assert rules.token_from_scan("not a token") is None
    assert rules.token_from_scan("") is None
    assert rules.token_from_scan("https://sangtao.vn/events/") is None


@given(st.text(min_size=1, max_size=60))
def test_whatever_is_scanned_yields_a_token_or_nothing(text):
    found = rules.token_from_scan(text)
    assert found is None or rules.TOKEN_PATTERN.match(found)


@given(st.one_of(st.none(), st.integers(0, 500)), st.integers(0, 600), st.integers(0, 600))
def test_promotion_never_overfills_and_never_leaves_a_free_place_with_people_waiting(capacity, holding, waiting):
    n = rules.to_promote(capacity, holding, waiting)
    assert 0 <= n <= waiting
    if capacity is None:
        assert n == waiting
    else:
        assert holding + n <= max(capacity, holding)
        assert n == waiting or holding + n >= capacity


def test_admission_and_places_left():
    assert rules.admits(None, 10_000)
    assert rules.admits(3, 2) and not rules.admits(3, 3)
    assert rules.places_left(3, 5) == 0 and rules.places_left(None, 5) is None


@given(st.lists(st.one_of(st.none(), st.integers(1, 50)), max_size=30))
def test_renumbering_keeps_the_order_and_closes_the_gaps(positions):
    numbers = rules.renumber(positions)
    assert sorted(numbers) == list(range(1, len(positions) + 1))
    for i in range(len(positions)):
        for j in range(len(positions)):
            if positions[i] is not None and positions[j] is not None and positions[i] < positions[j]:
                assert numbers[i] < numbers[j]
            if positions[i] is not None and positions[j] is None:
                assert numbers[i] < numbers[j]


def test_the_registration_window():
    now = datetime(2026, 5, 18, 8, 0)
    hour = timedelta(hours=1)
    assert rules.Window(None, None).state(now) == "open"
    assert rules.Window(now + hour, None).state(now) == "not_yet"
    assert rules.Window(now - hour, now).state(now) == "closed"
    assert rules.Window(now - hour, now + hour).state(now) == "open"


def test_question_moves():
    assert rules.question_may_move("new", "routed")
    assert rules.question_may_move("routed", "routed")  # routed again to another department
    assert rules.question_may_move("answered", "answered")  # an answer corrected
    assert not rules.question_may_move("answered", "routed")
    assert not rules.question_may_move("withdrawn", "answered")
