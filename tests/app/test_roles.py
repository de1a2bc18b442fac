"""Roles as capabilities, optionally scoped (app/accounts/roles.py)."""

from __future__ import annotations

import itertools

import pytest

from app.accounts.roles import (
    ADMIN,
    CAPABILITIES,
    CHECKIN,
    CONTESTANT,
    COUNCIL_MEMBER,
    JUDGE,
    NOMINATOR,
    ORGANIZER,
    ROLE_CAPABILITIES,
    ROLES,
    SCOPE_TYPES,
    Grant,
    grants_allow,
    scopes_of,
)

ROLE_X_CAPABILITY = list(itertools.product(ROLES, sorted(CAPABILITIES)))
CONTEST_7 = ("contest", 7)


def test_every_role_has_capabilities_and_every_capability_a_role():
    assert set(ROLE_CAPABILITIES) == set(ROLES)
    assert len(ROLES) == len(set(ROLES)) == 7
    assert all(ROLE_CAPABILITIES[role] for role in ROLES)
    assert frozenset().union(*ROLE_CAPABILITIES.values()) == CAPABILITIES


def test_known_capabilities_of_each_role():
    assert {"manage_accounts", "manage_settings", "view_audit"} <= ROLE_CAPABILITIES[ADMIN]
    assert "manage_contest" in ROLE_CAPABILITIES[ORGANIZER]
    assert ROLE_CAPABILITIES[JUDGE] == {"judge"}
    assert ROLE_CAPABILITIES[NOMINATOR] == {"nominate"}
    assert ROLE_CAPABILITIES[COUNCIL_MEMBER] == {"vote"}
    assert ROLE_CAPABILITIES[CHECKIN] == {"checkin"}
    assert ROLE_CAPABILITIES[CONTESTANT] == {"submit_entry"}


# --- the full matrix: a grant gives its own role's capabilities and nothing else -------------------------------


@pytest.mark.parametrize(("role", "capability"), ROLE_X_CAPABILITY)
def test_unscoped_grant_matrix(role, capability):
    expected = capability in ROLE_CAPABILITIES[role]
    grants = [Grant(role)]
    assert grants_allow(grants, capability) is expected
    assert grants_allow(grants, capability, [CONTEST_7]) is expected
    assert grants_allow(grants, capability, [("organisation", 1), ("campaign", 2)]) is expected
    assert grants_allow(grants, capability, []) is expected


@pytest.mark.parametrize(("role", "capability"), ROLE_X_CAPABILITY)
def test_scoped_grant_matrix(role, capability):
    own = capability in ROLE_CAPABILITIES[role]
    grants = [Grant(role, *CONTEST_7)]
    assert grants_allow(grants, capability) is own  # "anywhere"
    assert grants_allow(grants, capability, [CONTEST_7]) is own
    assert grants_allow(grants, capability, [("organisation", 3), CONTEST_7]) is own
    assert grants_allow(grants, capability, [("contest", 8)]) is False
    assert grants_allow(grants, capability, [("organisation", 7)]) is False  # same id, other kind of record
    assert grants_allow(grants, capability, []) is False


@pytest.mark.parametrize("role", ROLES)
def test_every_other_role_together_never_gives_a_roles_capability(role):
    others = [Grant(r) for r in ROLES if r != role]
    for capability in ROLE_CAPABILITIES[role]:
        assert not grants_allow(others, capability)
        assert grants_allow([*others, Grant(role)], capability)


# --- scopes -----------------------------------------------------------------------------------------------------


def test_unscoped_grant_holds_everywhere():
    grants = [Grant(ORGANIZER)]
    for scope_type in SCOPE_TYPES:
        assert grants_allow(grants, "manage_contest", [(scope_type, 12345)])


def test_scoped_grant_holds_for_records_listing_its_scope():
    # an organizer of district union 3 manages a contest of that union, whose scopes list the union's parents
    grants = [Grant(ORGANIZER, "organisation", 3)]
    contest_of_union = [("contest", 5), ("organisation", 3), ("organisation", 1)]
    contest_of_parent = [("contest", 6), ("organisation", 1)]
    assert grants_allow(grants, "manage_contest", contest_of_union)
    assert not grants_allow(grants, "manage_contest", contest_of_parent)
    assert grants_allow(grants, "manage_contest")  # somewhere, so the organizer's pages open


def test_any_of_several_grants_suffices():
    grants = [Grant(JUDGE, "contest", 1), Grant(JUDGE, "contest", 2), Grant(NOMINATOR, "campaign", 9)]
    assert grants_allow(grants, "judge", [("contest", 2)])
    assert grants_allow(grants, "judge", [("contest", 1)])
    assert not grants_allow(grants, "judge", [("contest", 3)])
    assert not grants_allow(grants, "judge", [("campaign", 9)])  # the nominator's scope gives no judging
    assert grants_allow(grants, "nominate", [("campaign", 9)])
    assert not grants_allow(grants, "nominate", [("contest", 1)])


def test_scoped_and_unscoped_grants_of_different_roles_do_not_mix():
    grants = [Grant(CONTESTANT), Grant(JUDGE, "contest", 1)]
    assert grants_allow(grants, "submit_entry", [("contest", 99)])
    assert not grants_allow(grants, "judge", [("contest", 99)])


def test_admin_is_not_everything():
    grants = [Grant(ADMIN)]
    for capability in CAPABILITIES - ROLE_CAPABILITIES[ADMIN]:
        assert not grants_allow(grants, capability)


def test_no_grants_allow_nothing():
    for capability in CAPABILITIES:
        assert not grants_allow([], capability)
        assert not grants_allow([], capability, [CONTEST_7])


def test_unknown_role_gives_nothing():
    grants = [Grant("superuser"), Grant("Admin"), Grant("")]
    for capability in CAPABILITIES:
        assert not grants_allow(grants, capability)


@pytest.mark.parametrize("capability", ["", "fly", "Judge", "judge ", "admin", "organizer", "manage_contests"])
def test_unknown_capability_raises(capability):
    with pytest.raises(ValueError, match="unknown capability"):
        grants_allow([Grant(ADMIN), Grant(ORGANIZER), Grant(JUDGE)], capability)
    with pytest.raises(ValueError):
        grants_allow([], capability)
    with pytest.raises(ValueError):
        grants_allow([Grant(JUDGE)], capability, [CONTEST_7])


def test_grants_and_scopes_may_be_generators():
    grants = (g for g in [Grant(CONTESTANT), Grant(JUDGE, "contest", 1)])
    assert grants_allow(grants, "judge", (s for s in [("contest", 1)]))
    assert not grants_allow((g for g in [Grant(JUDGE, "contest", 1)]), "judge", (s for s in [("contest", 2)]))


def test_grant_scope():
    assert Grant(JUDGE).scope is None
    assert Grant(JUDGE, "contest", 7).scope == CONTEST_7
    assert Grant(JUDGE, "contest", 7) == Grant(JUDGE, "contest", 7)
    assert len({Grant(JUDGE, "contest", 7), Grant(JUDGE, "contest", 7), Grant(JUDGE)}) == 2


# --- scopes_of --------------------------------------------------------------------------------------------------


class _Contest:
    def __init__(self, contest_id: int, organisation_ids: list[int]):
        self.id = contest_id
        self.organisation_ids = organisation_ids

    def access_scopes(self):
        yield ("contest", self.id)
        for org_id in self.organisation_ids:
            yield ("organisation", org_id)


def test_scopes_of_a_record_lists_its_access_scopes():
    assert scopes_of(_Contest(5, [3, 1])) == [("contest", 5), ("organisation", 3), ("organisation", 1)]


def test_scopes_of_given_scopes_and_none():
    assert scopes_of(None) is None
    assert scopes_of([CONTEST_7]) == [CONTEST_7]
    assert scopes_of(s for s in [CONTEST_7]) == [CONTEST_7]
    assert scopes_of([]) == []


def test_scopes_of_feeds_grants_allow():
    grants = [Grant(ORGANIZER, "organisation", 3)]
    assert grants_allow(grants, "manage_contest", scopes_of(_Contest(5, [3, 1])))
    assert not grants_allow(grants, "manage_contest", scopes_of(_Contest(6, [1])))
    assert grants_allow(grants, "manage_contest", scopes_of(None))


def test_a_half_scoped_grant_holds_nowhere():
    from app.accounts.roles import Grant, grants_allow

    half = Grant("organizer", "contest", None)
    assert not grants_allow([half], "manage_contest")
    assert not grants_allow([half], "manage_contest", [("contest", 1)])


def test_the_database_refuses_a_half_scoped_grant(make_user):
    import pytest
    from sqlalchemy.exc import IntegrityError

    from app.accounts.models import RoleGrant
    from app.extensions import db

    user = make_user()
    db.session.add(RoleGrant(user_id=user.id, role="judge", scope_type="contest", scope_id=None))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
