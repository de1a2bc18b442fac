"""Search in the database the Vietnamese way: every word, without diacritics or case."""

from __future__ import annotations

from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute

from app.text import normalize_search


def where_matches(query: Select, column: InstrumentedAttribute, text: str | None) -> Select:
    """Keep the rows whose folded search column holds every word of `text` ("nguyen van an" finds
    "Nguyễn Văn Ân"). `column` must hold `normalize_search` of the searchable fields."""
    for word in normalize_search(text).split():
        query = query.where(column.contains(word, autoescape=True))
    return query
