"""`where_matches`: every folded word, LIKE's wildcards taken as text, with the words bound anonymously or by name
(a statement built once for a number of words, run again with other words)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.search import match_values, search_words, where_matches

NAMES = ["Giảm 100% phí", "Mã a_b", "Đường x/y", "Nguyễn Văn Ân", "Ab cd"]


@pytest.fixture
def people(app, make_user):
    return {name: make_user(full_name=name, email=f"nguoi{i}@example.vn").id for i, name in enumerate(NAMES)}


@pytest.mark.parametrize("named", [False, True])
@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("nguyen   VĂN an", ["Nguyễn Văn Ân"]),
        ("100%", ["Giảm 100% phí"]),
        ("%", ["Giảm 100% phí"]),  # a wildcard typed is the character itself
        ("a_b", ["Mã a_b"]),
        ("_", ["Mã a_b"]),
        ("x/y", ["Đường x/y"]),
        ("/", ["Đường x/y"]),
        ("ab giam", []),  # every word must match
    ],
)
def test_words_match_as_typed(people, named, text, found):
    query = where_matches(select(User.id), User.search_name, text, name="word" if named else "")
    assert sorted(db.session.scalars(query)) == sorted(people[name] for name in found)


def test_a_statement_built_for_two_words_runs_with_two_others(people):
    statement = where_matches(select(User.id), User.search_name, "w w", name="word")
    for text, found in [("nguyen an", ["Nguyễn Văn Ân"]), ("giam 100%", ["Giảm 100% phí"]), ("ab cd", ["Ab cd"])]:
        assert len(search_words(text)) == 2
        rows = db.session.scalars(statement, match_values(text, "word"))
        assert sorted(rows) == sorted(people[name] for name in found), text
