"""Search in the database the Vietnamese way: every word, without diacritics or case."""

from __future__ import annotations

from sqlalchemy import Select, bindparam
from sqlalchemy.orm import InstrumentedAttribute

from app.text import normalize_search

#: LIKE's escape character (`_escaped` escapes it, % and _ with it, as `autoescape=True` does).
ESCAPE = "/"


def search_words(text: str | None) -> list[str]:
    """The words a search looks for: `text` folded (no diacritics, no case) and split."""
    return normalize_search(text).split()


def where_matches(query: Select, column: InstrumentedAttribute, text: str | None, *, name: str = "") -> Select:
    """Keep the rows whose folded search column holds every word of `text` ("nguyen van an" finds
    "Nguyễn Văn Ân"). `column` must hold `normalize_search` of the searchable fields.

    With a `name`, the words are bound as `<name>_0`, `<name>_1`... (see `match_values`), so that a statement
    built once for a number of words can be run again with other words of that number."""
    for i, word in enumerate(search_words(text)):
        if name:
            query = query.where(column.contains(bindparam(f"{name}_{i}", _escaped(word)), escape=ESCAPE))
        else:
            query = query.where(column.contains(word, autoescape=True))
    return query


def match_values(text: str | None, name: str) -> dict[str, str]:
    """The values of the words `where_matches(..., name=name)` binds, for `text`."""
    return {f"{name}_{i}": _escaped(word) for i, word in enumerate(search_words(text))}


def _escaped(word: str) -> str:
    """`word` as literal text in a LIKE pattern: the escape character, % and _ escaped."""
    return word.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")
