"""Vietnamese name order and search folding (app/text.py): examples, then properties with hypothesis."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.text import (
    ALPHABET,
    matches,
    name_key,
    name_sort_string,
    normalize_search,
    sort_people,
    split_name,
    text_key,
    word_key,
)

#: The Vietnamese alphabet as schools teach it.
VIETNAMESE_ALPHABET = list("aăâbcdđeêghiklmnoôơpqrstuưvxy")
#: Tone marks in dictionary order: level (none), huyền, hỏi, ngã, sắc, nặng.
TONE_MARKS = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
VOWELS = "aăâeêioôơuưy"
CONSONANTS = "bcdđghklmnpqrstvx"

PROPERTY_SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def sign(a, b) -> int:
    return (a > b) - (a < b)


# --- strategies -------------------------------------------------------------------------------------------------


#: Every letter as typed in Vietnamese: a consonant, or a vowel carrying any of the six tones; both cases.
LETTERS = sorted(
    {
        letter
        for lower in [nfc(v + mark) for v in VOWELS for mark in TONE_MARKS] + list(CONSONANTS)
        for letter in (lower, lower.upper())
    }
)
vietnamese_letters = st.sampled_from(LETTERS)
vietnamese_words = st.lists(vietnamese_letters, min_size=1, max_size=6).map("".join)
vietnamese_names = st.lists(vietnamese_words, min_size=1, max_size=4).map(" ".join)
names_with_digits = st.lists(
    st.lists(st.one_of(vietnamese_letters, st.sampled_from("0123456789")), min_size=1, max_size=5).map("".join),
    min_size=1,
    max_size=3,
).map(" ".join)
#: Small alphabet so that hypothesis often draws names equal in letters, or equal outright.
tight_names = st.lists(
    st.lists(st.sampled_from(["a", "à", "á", "A", "ă", "đ", "d", "n", "h"]), min_size=1, max_size=3).map("".join),
    min_size=1,
    max_size=3,
).map(" ".join)


# --- alphabet and tones -----------------------------------------------------------------------------------------


def test_alphabet_contains_the_vietnamese_alphabet_in_order():
    positions = [ALPHABET.index(letter) for letter in VIETNAMESE_ALPHABET]
    assert positions == sorted(positions)


def test_single_letters_sort_in_vietnamese_alphabet_order():
    shuffled = list(reversed(VIETNAMESE_ALPHABET))
    assert sorted(shuffled, key=word_key) == VIETNAMESE_ALPHABET
    assert sorted((letter.upper() for letter in shuffled), key=word_key) == [
        letter.upper() for letter in VIETNAMESE_ALPHABET
    ]


@pytest.mark.parametrize(
    ("smaller", "larger"),
    [
        ("a", "ă"),
        ("ă", "â"),
        ("â", "b"),
        ("d", "đ"),
        ("đ", "e"),
        ("e", "ê"),
        ("ê", "g"),
        ("o", "ô"),
        ("ô", "ơ"),
        ("ơ", "p"),
        ("u", "ư"),
        ("ư", "v"),
        ("x", "y"),
        # đ is a letter of its own after every d-word, not a d with a mark
        ("Dung", "Đông"),
        ("Dy", "Đa"),
        ("Duy", "Đa"),
        ("Ư", "V"),
        ("Uyên", "Ưng"),
        ("Ông", "Ơn"),
        ("Ơn", "Phúc"),
        ("Ân", "Bảo"),
        # a shorter word that is a prefix sorts first
        ("An", "Anh"),
        ("Nh", "Nhi"),
        # letters decide before tones: the tone of an earlier letter doesn't beat a later letter
        ("Bà", "Bac"),
        ("Bạ", "Bac"),
        ("Hanh", "Hạnh"),
        ("Hàn", "Hao"),
        # tones break ties in order: level, huyền, hỏi, ngã, sắc, nặng
        ("Ba", "Bà"),
        ("Bà", "Bả"),
        ("Bả", "Bã"),
        ("Bã", "Bá"),
        ("Bá", "Bạ"),
        ("Ân", "Ấn"),
        ("Hưng", "Hứng"),
        # tones compare letter by letter, from the first
        ("Hoàn", "Hóan"),
    ],
)
def test_word_order(smaller, larger):
    assert word_key(smaller) < word_key(larger)
    assert word_key(larger) > word_key(smaller)
    assert sorted([larger, smaller], key=word_key) == [smaller, larger]


def test_tones_break_ties_in_dictionary_order():
    assert sorted(["Bạ", "Bá", "Bã", "Bả", "Bà", "Ba"], key=word_key) == ["Ba", "Bà", "Bả", "Bã", "Bá", "Bạ"]


@pytest.mark.parametrize("vowel", list(VOWELS))
def test_every_vowel_takes_the_six_tones_in_order(vowel):
    toned = [nfc(vowel + mark) for mark in TONE_MARKS]
    assert len(set(toned)) == 6
    assert all(len(word) == 1 for word in toned), "every toned vowel has a precomposed form"
    assert sorted([toned[i] for i in (3, 5, 0, 4, 1, 2)], key=word_key) == toned
    # the tone never moves a vowel away from its letter
    assert {word_key(word)[0] for word in toned} == {word_key(vowel)[0]}


def test_letters_with_two_marks_keep_letter_and_tone_apart():
    # ặ = a + breve (letter ă) + dot below (nặng); ờ = o + horn (letter ơ) + grave (huyền)
    assert word_key("ặ")[0] == word_key("ă")[0]
    assert word_key("ặ")[1] == (5,)
    assert word_key("ờ")[0] == word_key("ơ")[0]
    assert word_key("ờ")[1] == (1,)
    assert word_key("ự") > word_key("ụ")
    assert word_key("ự") < word_key("v")


@pytest.mark.parametrize("word", ["an", "AN", "An", "aN"])
def test_word_key_ignores_case(word):
    assert word_key(word) == word_key("an")


def test_word_key_ignores_case_of_marked_letters():
    assert word_key("ĐẶNG") == word_key("đặng") == word_key("Đặng")
    assert word_key("ƯỚC") == word_key("ước")


@pytest.mark.parametrize("word", ["Nguyễn", "Đặng", "Ưng", "Ặc", "Thuỷ", "Thủy", "Ngọc", "Ỷ"])
def test_word_key_is_the_same_for_decomposed_input(word):
    assert nfd(word) != word
    assert word_key(nfd(word)) == word_key(word)


# --- names ------------------------------------------------------------------------------------------------------

EXAMPLE = ["Trần Văn Bình", "Nguyễn Thị An", "Lê Văn Đức", "Phạm Thị Dung", "Võ Văn Ưng", "Hồ Thị Uyên"]
EXAMPLE_SORTED = ["Nguyễn Thị An", "Trần Văn Bình", "Phạm Thị Dung", "Lê Văn Đức", "Hồ Thị Uyên", "Võ Văn Ưng"]


def test_example_class_list_sorts_by_given_name():
    assert sort_people(EXAMPLE) == EXAMPLE_SORTED
    assert sort_people(reversed(EXAMPLE)) == EXAMPLE_SORTED


def test_sort_people_returns_a_new_list_and_leaves_the_input_alone():
    names = list(EXAMPLE)
    result = sort_people(names)
    assert names == EXAMPLE
    assert result is not names


def test_sort_people_accepts_any_iterable():
    assert sort_people(name for name in EXAMPLE) == EXAMPLE_SORTED
    assert sort_people(()) == []


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        # the given name decides first, however the family names compare
        ("Vũ Văn An", "An Văn Bình"),
        ("Trần An", "An Trần"),
        # same given name: family name next
        ("Lê Văn An", "Nguyễn Văn An"),
        ("Đặng Văn An", "Dương Văn Ân"),  # given name decides (An before Ân) before family (Dương before Đặng)
        # family name before middle name
        ("Lê Văn An", "Nguyễn Anh An"),
        # same family: middle name
        ("Nguyễn Thị An", "Nguyễn Văn An"),
        ("Nguyễn An", "Nguyễn Thị An"),
        # a name with nothing after the given name first
        ("An", "Lê An"),
        ("Lê An", "Lê Thị An"),
        # đ after d, ư after u in family names too
        ("Dương Văn An", "Đỗ Văn An"),
        ("Uông Văn An", "Ưng Văn An"),
        # the given name is compared as a whole word, tones included, before the family names:
        # everybody called Ba is listed before everybody called Bá
        ("Nguyễn Văn Ba", "Lê Văn Bá"),
        ("Võ Thị Bà", "Âu Thị Bả"),
        # same letters everywhere: tones of the family and middle names break the tie
        ("Lê Văn An", "Lê Vân An"),
        ("Le Van An", "Lê Văn An"),
    ],
)
def test_name_order(earlier, later):
    assert name_key(earlier) < name_key(later)
    assert name_sort_string(earlier) < name_sort_string(later)
    assert sort_people([later, earlier]) == [earlier, later]


def test_names_are_compared_case_insensitively():
    assert name_key("NGUYỄN VĂN ÂN")[:2] == name_key("nguyễn văn ân")[:2] == name_key("Nguyễn Văn Ân")[:2]
    assert name_sort_string("NGUYỄN VĂN ÂN") == name_sort_string("nguyễn văn ân")
    assert sort_people(["trần văn bình", "NGUYỄN THỊ AN"]) == ["NGUYỄN THỊ AN", "trần văn bình"]


def test_names_equal_but_for_case_keep_a_stable_order_by_raw_text():
    assert sort_people(["an", "An"]) == sort_people(["An", "an"]) == ["An", "an"]


def test_decomposed_name_sorts_like_the_composed_one():
    composed = "Nguyễn Thị Ánh Tuyết"
    decomposed = nfd(composed)
    assert decomposed != composed
    assert name_key(decomposed)[:2] == name_key(composed)[:2]
    assert name_sort_string(decomposed) == name_sort_string(composed)
    # Ánh, Tuấn, Tùng, (Lê Thị) Tuyết, (Nguyễn Thị Ánh) Tuyết, Tươi
    others = ["Trần Văn Tùng", "Lê Thị Tuyết", "Phạm Văn Tuấn", "Hồ Thị Tươi", "Võ Văn Ánh"]
    with_composed = sort_people([*others, composed])
    with_decomposed = sort_people([*others, decomposed])
    assert with_composed.index(composed) == with_decomposed.index(decomposed) == 4


def test_extra_spaces_do_not_change_the_order():
    assert name_key("  Nguyễn   Văn\tAn ")[:2] == name_key("Nguyễn Văn An")[:2]
    assert name_sort_string("  Nguyễn   Văn\tAn ") == name_sort_string("Nguyễn Văn An")


@pytest.mark.parametrize("blank", ["", None, "   "])
def test_blank_names_sort_first(blank):
    assert name_key(blank) == ((), (), "")
    assert name_sort_string(blank) == ""
    assert sort_people(["Lê An", blank, "A"], name=lambda n: n) == [blank, "A", "Lê An"]


@dataclass
class Person:
    full_name: str
    tag: int


def test_sort_people_with_a_name_function_is_stable_for_equal_names():
    people = [Person("Lê Văn Bình", 1), Person("Nguyễn An", 2), Person("Lê Văn Bình", 3), Person("Nguyễn An", 4)]
    ordered = sort_people(people, name=lambda p: p.full_name)
    assert [p.tag for p in ordered] == [2, 4, 1, 3]
    backwards = sort_people(reversed(people), name=lambda p: p.full_name)
    assert [p.tag for p in backwards] == [4, 2, 3, 1]


def test_sort_people_with_dicts():
    rows = [{"name": name} for name in EXAMPLE]
    assert [r["name"] for r in sort_people(rows, name=lambda r: r["name"])] == EXAMPLE_SORTED


@pytest.mark.parametrize(
    ("full_name", "expected"),
    [
        ("Trần Văn Bình", ("Trần Văn", "Bình")),
        ("  Nguyễn   Thị  Ánh Tuyết ", ("Nguyễn Thị Ánh", "Tuyết")),
        ("An", ("", "An")),
        ("", ("", "")),
        (None, ("", "")),
    ],
)
def test_split_name(full_name, expected):
    assert split_name(full_name) == expected


# --- name_sort_string -------------------------------------------------------------------------------------------


def test_name_sort_string_is_digits_only():
    value = name_sort_string("Nguyễn Thị Ánh Tuyết")
    assert value
    assert value.isascii()
    assert value.isdigit()


def test_name_sort_string_orders_the_example_like_sort_people():
    assert sorted(EXAMPLE, key=name_sort_string) == EXAMPLE_SORTED


def test_name_sort_string_orders_tones_like_word_key():
    tones = ["Ba", "Bà", "Bả", "Bã", "Bá", "Bạ"]
    assert sorted([tones[i] for i in (3, 5, 0, 4, 1, 2)], key=name_sort_string) == tones


def test_name_sort_string_digits_sort_before_letters_and_in_order():
    names = ["Lớp A", "Lớp 9", "Lớp 10", "Lớp 1"]
    assert sorted(names, key=name_sort_string) == sorted(names, key=lambda n: name_key(n)[:2])
    assert sorted(names, key=name_sort_string) == ["Lớp 1", "Lớp 10", "Lớp 9", "Lớp A"]


# --- text_key ---------------------------------------------------------------------------------------------------


def test_text_key_compares_word_by_word_in_written_order():
    units = ["Trường THPT Đống Đa", "Trường THPT Dương Xá", "Phường Ô Chợ Dừa", "Phường Ba Đình", "Quận Ba Đình"]
    assert sorted(units, key=text_key) == [
        "Phường Ba Đình",
        "Phường Ô Chợ Dừa",
        "Quận Ba Đình",
        "Trường THPT Dương Xá",
        "Trường THPT Đống Đa",
    ]


def test_text_key_a_word_ends_before_a_longer_word():
    # word by word: "Ba" < "Bac" decides, whatever follows
    assert text_key("Ba Đình") < text_key("Bac")
    assert text_key("Ba") < text_key("Ba Đình")


def test_text_key_case_and_normalization():
    assert text_key("QUẬN BA ĐÌNH")[0] == text_key("quận ba đình")[0]
    assert text_key(nfd("Quận Ba Đình"))[0] == text_key("Quận Ba Đình")[0]
    assert text_key("") == ((), "")
    assert text_key(None) == ((), "")


# --- search folding ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nguyễn  Văn ÂN", "nguyen van an"),
        ("Đặng", "dang"),
        ("đặng", "dang"),
        ("ĐẶNG THỊ ƯỚC", "dang thi uoc"),
        ("Hồ Chí Minh", "ho chi minh"),
        ("  Ơn\t\nTrời  ", "on troi"),
        ("Phường 10, Quận 3", "phuong 10, quan 3"),
        ("user@Example.VN", "user@example.vn"),
        ("", ""),
        (None, ""),
        ("   ", ""),
    ],
)
def test_normalize_search(text, folded):
    assert normalize_search(text) == folded


def test_normalize_search_treats_decomposed_input_alike():
    assert normalize_search(nfd("Nguyễn Văn Ấn Đặng")) == "nguyen van an dang"


def test_matches_every_query_word_somewhere_in_the_fields():
    fields = ["Nguyễn Văn Ân", "an.nguyen@truong.edu.vn", None]
    assert matches("ân", fields)
    assert matches("AN", fields)
    assert matches("nguyễn ân", fields)
    assert matches("nguyen truong", fields)  # words may come from different fields
    assert matches("  NGUYEN   van ", fields)
    assert matches("guy", fields)  # a word may be part of a longer word
    assert not matches("nguyen binh", fields)  # every word must occur
    assert not matches("tran", fields)


def test_matches_dang_and_dang():
    assert matches("dang", ["Đặng Thị Hoa"])
    assert matches("Đặng", ["Dang Thi Hoa"])
    assert not matches("dang", ["Dương Thị Hoa"])


def test_matches_with_an_empty_query_matches_everything():
    assert matches("", ["Nguyễn Văn An"])
    assert matches("   ", [])
    assert matches(None, [None])


def test_matches_with_no_fields():
    assert not matches("an", [])
    assert not matches("an", [None, ""])


# --- properties -------------------------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(vietnamese_names, vietnamese_names)
def test_sort_string_orders_like_name_key(a, b):
    assert sign(name_sort_string(a), name_sort_string(b)) == sign(name_key(a)[:2], name_key(b)[:2])


@PROPERTY_SETTINGS
@given(tight_names, tight_names)
def test_sort_string_orders_like_name_key_for_close_names(a, b):
    assert sign(name_sort_string(a), name_sort_string(b)) == sign(name_key(a)[:2], name_key(b)[:2])


@PROPERTY_SETTINGS
@given(names_with_digits, names_with_digits)
def test_sort_string_orders_like_name_key_with_digits(a, b):
    assert sign(name_sort_string(a), name_sort_string(b)) == sign(name_key(a)[:2], name_key(b)[:2])


@PROPERTY_SETTINGS
@given(vietnamese_names)
def test_decomposed_and_cased_names_have_the_same_key(name):
    for variant in (nfd(name), name.upper(), name.lower(), nfd(name.upper())):
        assert name_key(variant)[:2] == name_key(name)[:2]
        assert name_sort_string(variant) == name_sort_string(name)
        assert normalize_search(variant) == normalize_search(name)


@PROPERTY_SETTINGS
@given(vietnamese_names)
def test_name_key_puts_the_given_name_first(name):
    family, given_name = split_name(name)
    assert name_key(name)[0] == word_key(given_name)
    assert name_key(name)[1] == tuple(word_key(w) for w in family.split())


@PROPERTY_SETTINGS
@given(st.one_of(vietnamese_names, st.text()))
def test_normalize_search_is_idempotent(text):
    once = normalize_search(text)
    assert normalize_search(once) == once


@PROPERTY_SETTINGS
@given(vietnamese_names)
def test_normalize_search_of_vietnamese_is_plain_ascii(name):
    folded = normalize_search(name)
    assert folded.isascii()
    assert folded == folded.lower()
    assert folded.split() == [normalize_search(word) for word in name.split()]
    assert len(folded.replace(" ", "")) == len(nfc(name).replace(" ", ""))  # one letter for one letter
    assert matches(name, [name.upper()])
    assert matches(folded, [nfd(name)])


@PROPERTY_SETTINGS
@given(st.text())
def test_normalize_search_has_single_inner_spaces_only(text):
    folded = normalize_search(text)
    assert folded == folded.strip()
    assert "  " not in folded
    assert folded == " ".join(folded.split())


@PROPERTY_SETTINGS
@given(st.lists(st.one_of(vietnamese_names, tight_names), max_size=12))
def test_sort_people_is_idempotent_and_ordered(names):
    once = sort_people(names)
    assert sort_people(once) == once
    assert sorted(once) == sorted(names)  # same names, nothing lost or added
    keys = [name_key(n) for n in once]
    assert keys == sorted(keys)
    strings = [name_sort_string(n) for n in once]
    assert strings == sorted(strings)


@PROPERTY_SETTINGS
@given(st.lists(st.one_of(vietnamese_names, tight_names), max_size=12), st.randoms(use_true_random=False))
def test_sort_people_ignores_input_order(names, rnd):
    shuffled = list(names)
    rnd.shuffle(shuffled)
    assert sort_people(shuffled) == sort_people(names)


@PROPERTY_SETTINGS
@given(st.lists(st.one_of(vietnamese_names, tight_names), min_size=2, max_size=8))
def test_name_key_is_a_total_order_on_distinct_names(names):
    # two names get the same key only when they are the same text
    for a in names:
        for b in names:
            assert (name_key(a) == name_key(b)) == (a == b)
