"""Vietnamese text rules: alphabetical order of people's names, and search folding.

Pure functions with no Flask import; every list of people and every search uses them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")

#: The Vietnamese alphabet, with the letters foreign names bring (f, j, w, z) in Latin order.
ALPHABET = tuple("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
_LETTER_RANK = {letter: i for i, letter in enumerate(ALPHABET)}

#: Combining marks that make a different letter (ă â ê ô ơ ư), not a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
#: Tones in dictionary order: level (none), grave (huyền), hook (hỏi), tilde (ngã), acute (sắc), dot (nặng).
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

_SPACES = re.compile(r"\s+")


def normalize_search(text: str | None) -> str:
    """Fold text for search: no diacritics, no case, single spaces ("Nguyễn  Văn Ân" -> "nguyen van an")."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    # no marks, and no control characters (PostgreSQL refuses NUL in text; none belongs in a search)
    stripped = "".join(
        ch if unicodedata.category(ch) != "Cc" else " " for ch in decomposed if unicodedata.category(ch) != "Mn"
    )
    return _SPACES.sub(" ", stripped.casefold()).strip()


@lru_cache(maxsize=4096)  # a few hundred distinct characters; sorting long lists calls it per character
def _char_key(ch: str) -> tuple[tuple[int, int], int]:
    """(letter rank, tone rank) of one character; non-letters sort before letters by code point."""
    if ch in ("đ", "Đ"):
        return (1, _LETTER_RANK["đ"]), 0
    decomposed = unicodedata.normalize("NFD", ch.lower())
    base, marks = decomposed[:1], decomposed[1:]
    letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in _LETTER_MARKS))
    tone = next((_TONE_RANK[m] for m in marks if m in _TONE_RANK), 0)
    rank = _LETTER_RANK.get(letter)
    if rank is None:
        return (0, ord(letter[:1] or " ")), tone
    return (1, rank), tone


def word_key(word: str) -> tuple:
    """Sort key of one word: letters first (đ after d, ư after u), tones only to break ties."""
    keys = [_char_key(ch) for ch in unicodedata.normalize("NFC", word)]
    return tuple(k[0] for k in keys), tuple(k[1] for k in keys)


def text_key(text: str) -> tuple:
    """Sort key of a text compared word by word in Vietnamese order (titles, units, places)."""
    return tuple(word_key(w) for w in (text or "").split()), text or ""


def name_key(full_name: str) -> tuple:
    """Sort key of a person's full name: given name first, then family and middle names.

    "Trần Văn Bình" sorts under "Bình", then "Trần Văn"; names equal in letters are ordered by their tones,
    and names equal in every way keep a stable order by the raw text.
    """
    words = (full_name or "").split()
    if not words:
        return ((), (), "")
    given, rest = words[-1], words[:-1]
    return word_key(given), tuple(word_key(w) for w in rest), full_name


def sort_people(items: Iterable[T], name: Callable[[T], str] = str) -> list[T]:  # type: ignore[assignment]
    """Sort people (or anything with a name) the Vietnamese way, see `name_key`."""
    return sorted(items, key=lambda item: name_key(name(item)))


def split_name(full_name: str) -> tuple[str, str]:
    """('family and middle names', 'given name') of a full name."""
    words = (full_name or "").split()
    if not words:
        return "", ""
    return " ".join(words[:-1]), words[-1]


def matches(query: str, fields: Sequence[str | None]) -> bool:
    """True when every word of the folded query occurs in one of the folded fields."""
    haystack = " ".join(normalize_search(f) for f in fields if f)
    return all(word in haystack for word in normalize_search(query).split())


def _encode_word(word: str) -> str:
    """Digits that sort, as plain strings, like `word_key`: letters (2 digits each), '00', then tones."""
    letters, tones = [], []
    for ch in unicodedata.normalize("NFC", word):
        (kind, rank), tone = _char_key(ch)
        if kind == 1:
            letters.append(f"{rank + 20:02d}")
        elif ch.isdigit() and ch.isascii():
            letters.append(f"{10 + int(ch):02d}")
        else:
            letters.append("01")
        tones.append(str(tone))
    return "".join(letters) + "00" + "".join(tones)


def name_sort_string(full_name: str) -> str:
    """`name_key` as a string of digits, stored in a column so that the database sorts and pages people
    in Vietnamese order (digits compare the same under every collation, SQLite's and PostgreSQL's)."""
    words = (full_name or "").split()
    if not words:
        return ""
    return "".join(_encode_word(w) + "00" for w in [words[-1], *words[:-1]])
