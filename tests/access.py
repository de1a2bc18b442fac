"""The vocabulary of the access matrix (tests/test_access_matrix.py): who gets what on a route."""

from __future__ import annotations

from tests.conftest import ROLES_FOR_MATRIX

ANON = "anonymous"
ALL = (ANON, *ROLES_FOR_MATRIX)
OK, LOGIN, REDIRECT = "ok", "login", "redirect"


def only(*roles: str, others=403) -> dict[str, object]:
    """Allowed for `roles`; anonymous visitors go to the login page; everyone else gets `others`."""
    return {r: (OK if r in roles else LOGIN if r == ANON else others) for r in ALL}


def everyone(outcome=OK) -> dict[str, object]:
    return dict.fromkeys(ALL, outcome)


def signed_in(outcome=OK) -> dict[str, object]:
    return {r: (LOGIN if r == ANON else outcome) for r in ALL}


ANON_ONLY = {r: (OK if r == ANON else REDIRECT) for r in ALL}
