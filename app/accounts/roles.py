"""Roles as named capabilities, optionally scoped to a record (an organisation, contest, campaign, event).

Pure rules with no Flask import. A grant with no scope holds everywhere; a scoped grant holds for a record
whose `access_scopes()` include that scope (a contest lists itself and its organising body with that body's
parents, so an organizer of a district union manages its own contests and no others).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

ADMIN = "admin"
ORGANIZER = "organizer"
JUDGE = "judge"
NOMINATOR = "nominator"
COUNCIL_MEMBER = "council_member"
CHECKIN = "checkin"
CONTESTANT = "contestant"

ROLES = (ADMIN, ORGANIZER, JUDGE, NOMINATOR, COUNCIL_MEMBER, CHECKIN, CONTESTANT)

#: What each role may do. Capability names are checked by `require` and `User.can`.
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    ADMIN: frozenset({"manage_accounts", "manage_settings", "manage_organisations", "view_audit", "read_outbox"}),
    ORGANIZER: frozenset({"manage_contest", "manage_campaign", "manage_event", "view_reports"}),
    JUDGE: frozenset({"judge"}),
    NOMINATOR: frozenset({"nominate"}),
    COUNCIL_MEMBER: frozenset({"vote"}),
    CHECKIN: frozenset({"checkin"}),
    CONTESTANT: frozenset({"submit_entry"}),
}

CAPABILITIES = frozenset().union(*ROLE_CAPABILITIES.values())

#: Kinds of record a grant may be scoped to; later domains add theirs here.
SCOPE_TYPES = ("organisation", "contest", "campaign", "event")

Scope = tuple[str, int]


class Scoped(Protocol):
    def access_scopes(self) -> Iterable[Scope]: ...


@dataclass(frozen=True)
class Grant:
    role: str
    scope_type: str | None = None
    scope_id: int | None = None

    @property
    def scope(self) -> Scope | None:
        if self.scope_type is None:
            return None
        return self.scope_type, self.scope_id  # type: ignore[return-value]

    @property
    def is_well_formed(self) -> bool:
        """Unscoped, or scoped to one record: never half (a type without an id holds nowhere)."""
        return (self.scope_type is None) == (self.scope_id is None)


def grants_allow(grants: Iterable[Grant], capability: str, scopes: Iterable[Scope] | None = None) -> bool:
    """Whether any grant gives `capability`.

    With `scopes` None the question is "anywhere" (a judge of one contest may open the judges' home page);
    with `scopes` given, a grant must be unscoped or scoped to one of them.
    """
    if capability not in CAPABILITIES:
        raise ValueError(f"unknown capability {capability!r}")
    wanted = None if scopes is None else set(scopes)
    for grant in grants:
        if capability not in ROLE_CAPABILITIES.get(grant.role, ()) or not grant.is_well_formed:
            continue
        if wanted is None or grant.scope is None or grant.scope in wanted:
            return True
    return False


def scopes_of(target: Scoped | Iterable[Scope] | None) -> list[Scope] | None:
    """The scopes a record lists, or the scopes given directly."""
    if target is None:
        return None
    if hasattr(target, "access_scopes"):
        return list(target.access_scopes())  # type: ignore[union-attr]
    return list(target)  # type: ignore[arg-type]
