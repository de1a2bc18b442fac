"""Password strength rules (pure): long enough, not common, not the account's own details."""

from __future__ import annotations

from app.text import normalize_search

MIN_LENGTH = 10
MAX_LENGTH = 128

#: Passwords seen most in breaches, plus local favourites; refused outright.
COMMON = frozenset(
    [
        "123456",
        "123456789",
        "12345678",
        "1234567890",
        "password",
        "password1",
        "password123",
        "qwerty",
        "qwerty123",
        "abc123",
        "111111",
        "123123",
        "1q2w3e4r",
        "1qaz2wsx",
        "iloveyou",
        "admin",
        "admin123",
        "welcome",
        "letmein",
        "monkey",
        "dragon",
        "sunshine",
        "princess",
        "matkhau",
        "matkhau123",
        "anhyeuem",
        "anhyeuem123",
        "emyeuanh",
        "vietnam",
        "vietnam123",
        "saigon",
        "hanoi",
        "0123456789",
        "88888888",
        "66666666",
        "11111111",
        "00000000",
        "12341234",
        "abcd1234",
        "abcdef123",
        "zxcvbnm",
        "qwertyuiop",
        "asdfghjkl",
    ]
)


def password_problems(password: str, *, email: str = "", full_name: str = "") -> list[str]:
    """Reasons (message keys) a password is too weak; empty when it is acceptable."""
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append("too_short")
    if len(password) > MAX_LENGTH:
        problems.append("too_long")
    folded = normalize_search(password).replace(" ", "")
    if folded in COMMON or folded.rstrip("0123456789!@#.") in COMMON:
        problems.append("common")
    if len(set(password)) < 4:
        problems.append("repetitive")
    local = normalize_search(email.split("@")[0]) if email else ""
    if local and len(local) >= 4 and local in folded:
        problems.append("contains_email")
    name = normalize_search(full_name).replace(" ", "")
    if name and len(name) >= 4 and name in folded:
        problems.append("contains_name")
    return problems
