"""Password strength rules (app/accounts/passwords.py)."""

from __future__ import annotations

import pytest

from app.accounts.passwords import COMMON, MAX_LENGTH, MIN_LENGTH, password_problems

GOOD = "Mùa thu Hà Nội lá vàng rơi"


@pytest.mark.parametrize(
    "password",
    [
        GOOD,
        "Mật-khẩu-thử-2026",
        "con mèo nhỏ ăn cá kho tộ",
        "correct horse battery staple",
        "x7#Kp2!qLm9z",
    ],
)
def test_good_passwords_have_no_problems(password):
    assert password_problems(password, email="nguyen.van.an@truong.edu.vn", full_name="Nguyễn Văn An") == []
    assert password_problems(password) == []


def test_length_limits():
    assert MIN_LENGTH == 10
    assert password_problems("Xk7#pQ2!mZ") == []  # exactly the minimum
    assert password_problems("Xk7#pQ2!m") == ["too_short"]
    assert password_problems("") == ["too_short", "repetitive"]
    long_ok = ("Lá vàng rơi " * 20)[:MAX_LENGTH]
    assert len(long_ok) == MAX_LENGTH
    assert password_problems(long_ok) == []
    assert password_problems(long_ok + "x") == ["too_long"]


def test_short_diacritics_count_as_characters():
    # "Bảy chữ ư" is 9 characters, even though it has many marks
    assert password_problems("Bảy chữ ư") == ["too_short"]
    assert password_problems("Bảy chữ ưa") == []


@pytest.mark.parametrize(
    "password",
    [
        "1234567890",
        "qwertyuiop",
        "password123",
        "Password123",
        "PASSWORD123!",  # trailing digits and punctuation are stripped before the check
        "password2026!!",
        "matkhau123",
        "Mật khẩu 123",  # folded: matkhau123
        "Mậtkhẩu123456",
        "Anh yêu em 123",
        "VIỆT NAM 2026!",
        "Sài Gòn 1975",
        "Hà Nội 1010...",
        "iloveyou@@@@",
    ],
)
def test_common_passwords(password):
    assert "common" in password_problems(password)


def test_common_list_is_folded_lowercase():
    assert all(word == word.lower() and word.isascii() and " " not in word for word in COMMON)


def test_common_word_inside_a_longer_phrase_is_fine():
    assert "common" not in password_problems("mùa thu hà nội đẹp lắm")
    assert "common" not in password_problems("password is not my password")


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("aaaaaaaaaaaa", ["repetitive"]),
        ("abababababab", ["repetitive"]),
        ("abcabcabcabc", ["repetitive"]),
        ("11111111", ["too_short", "common", "repetitive"]),
        ("8888888888888", ["repetitive"]),  # not the listed "88888888", and nothing left once digits are stripped
    ],
)
def test_repetitive_passwords(password, expected):
    assert password_problems(password) == expected


def test_four_distinct_characters_are_not_repetitive():
    assert password_problems("abcdabcdabcd") == []


def test_password_containing_the_email_local_part():
    email = "hoangminh@truong.edu.vn"
    assert password_problems("hoangminh2026!", email=email) == ["contains_email"]
    assert password_problems("Tôi là HoàngMinh ạ", email=email) == ["contains_email"]
    assert password_problems("Tôi là Hoàng Minh ạ", email=email) == ["contains_email"]  # spaces are ignored
    assert password_problems(GOOD, email=email) == []
    # only the local part counts: the domain is everybody's
    assert password_problems("truong.edu.vn!!", email=email) == []


def test_short_email_local_part_is_ignored():
    assert password_problems("annamxinh2026", email="an@example.vn") == []
    assert password_problems("annamxinh2026", email="anna@example.vn") == ["contains_email"]


def test_password_containing_the_name():
    name = "Nguyễn Văn An"
    assert password_problems("NguyenVanAn@2026", full_name=name) == ["contains_name"]
    assert password_problems("nguyễn văn an 2026", full_name=name) == ["contains_name"]
    assert password_problems("xin chào Nguyễn  Văn   An!", full_name=name) == ["contains_name"]
    assert password_problems("Trần Văn An 2026", full_name=name) == []
    assert password_problems(GOOD, full_name=name) == []


def test_short_names_are_ignored():
    assert password_problems("Lê Ý và mùa thu", full_name="Lê Ý") == []  # folded "ley" has 3 letters
    assert password_problems("Lê Yến và mùa thu", full_name="Lê Yến") == ["contains_name"]


def test_name_and_email_together():
    assert password_problems("nguyenvanan", email="nguyenvanan@example.vn", full_name="Nguyễn Văn An") == [
        "contains_email",
        "contains_name",
    ]


def test_every_problem_at_once_is_reported_in_order():
    assert password_problems("aaa" * 50, email="aaaa@x.vn", full_name="Aaa Aa") == [
        "too_long",
        "repetitive",
        "contains_email",
        "contains_name",
    ]
