"""Prizes to a unit (the unit with most finalists by rule, or any unit by hand) and the exclusions rule awards
removed by hand leave: stored, kept by the database's rules, skipped when the proposal is stored again, lifted with
a reason."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.audit.models import AuditEntry
from app.extensions import db
from results.models import Award, AwardExclusion
from results.services import awards as service
from results.services.awards import AwardError
from results.services.review import review
from tests.results.factories import add_specials, make_judged, set_units

UNIT_A = "Trường THPT Đồng Xoài"
UNIT_B = "Công ty TNHH MTV Cao su Phú Riềng"


@pytest.fixture
def five():
    """Five entries of one field with distinct totals (94, 84, 74, 64, 30); three from UNIT_A, one from UNIT_B."""
    judging = make_judged(
        {1: [[28, 28, 38]], 2: [[25, 25, 34]], 3: [[22, 22, 30]], 4: [[19, 19, 26]], 5: [[10, 10, 10]]}
    )
    set_units(judging, UNIT_A, UNIT_B, UNIT_A, "", UNIT_A)
    return judging


def audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def unit_awards(contest) -> list[Award]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Award).where(Award.contest_id == contest.id, Award.entry_id.is_(None)).order_by(Award.id)
        )
    )


def rule_award(contest, entry_id: int, tier_code: str) -> Award:
    return db.session.scalar(
        select(Award).where(Award.contest_id == contest.id, Award.entry_id == entry_id, Award.tier_code == tier_code)
    )


# --- the unit's prize by rule -----------------------------------------------------------------------------------------


def test_the_unit_with_most_finalists_gets_the_prize_when_the_proposal_is_stored(five):
    tier = add_specials(five.contest, "unit_most_finalists")["unit_most_finalists"]
    prize = next(p for p in review(five.contest).specials if p.rule == "unit_most_finalists")
    assert prize.units == [(UNIT_A, 3)] and prize.unit_decided_by_rule == UNIT_A
    result = service.generate_awards(five.contest, by=five.organizer)
    db.session.commit()
    [award] = unit_awards(five.contest)
    assert (award.unit_name, award.tier_code, award.tier_name, award.special, award.source) == (
        UNIT_A,
        tier.code,
        tier.name,
        True,
        "rule",
    )
    assert award.entry is None and award.person_id is None and award.holder_label == UNIT_A
    assert tier.name not in result.undecided
    created = audit("awards.generate")[-1].after["created"]
    assert any(c["unit_name"] == UNIT_A and c["entry_id"] is None for c in created)

    # Stored again: the same award row, nothing created.
    again = service.generate_awards(five.contest, by=five.organizer)
    db.session.commit()
    assert [a.id for a in unit_awards(five.contest)] == [award.id] and again.created == 0

    # Another unit takes the lead: the rule's award moves.
    set_units(five, UNIT_B, UNIT_B, UNIT_A, UNIT_B, "")
    moved = service.generate_awards(five.contest, by=five.organizer)
    db.session.commit()
    assert [a.unit_name for a in unit_awards(five.contest)] == [UNIT_B]
    assert moved.removed >= 1 and moved.created >= 1


def test_units_sharing_the_most_entries_get_nothing_by_rule_and_one_is_given_by_hand(five):
    tier = add_specials(five.contest, "unit_most_finalists")["unit_most_finalists"]
    set_units(five, UNIT_A, UNIT_B, UNIT_A, UNIT_B, "")
    result = service.generate_awards(five.contest, by=five.organizer)
    db.session.commit()
    assert unit_awards(five.contest) == [] and tier.name in result.undecided

    award = service.give_award(five.contest, "", tier.code, "Biên bản họp Ban Tổ chức", unit=f"  {UNIT_B} ", by=None)
    db.session.commit()
    assert (award.unit_name, award.source, award.reason, award.entry_id) == (
        UNIT_B,
        "manual",
        "Biên bản họp Ban Tổ chức",
        None,
    )
    assert audit("award.create")[-1].after["unit_name"] == UNIT_B
    # Given by hand, the prize is left alone by the rule, even when one unit leads again.
    set_units(five, UNIT_A, UNIT_B, UNIT_A, "", "")
    service.generate_awards(five.contest, by=five.organizer)
    db.session.commit()
    assert [(a.unit_name, a.source) for a in unit_awards(five.contest)] == [(UNIT_B, "manual")]


@pytest.mark.parametrize(
    ("entry_code", "unit", "tier", "person", "code", "field"),
    [
        ("STKT-X", UNIT_A, "special", "", "entry_or_unit", "unit"),
        ("", "", "special", "", "entry_or_unit", "entry_code"),
        ("", UNIT_A, "first", "", "unit_for_special_only", "tier_code"),
        ("", UNIT_A, "nope", "", "tier_unknown", "tier_code"),
        ("", "x" * 256, "special", "", "unit_too_long", "unit"),
        ("", UNIT_A, "special", "Nguyễn Văn A", "person_for_special_only", "person"),
    ],
)
def test_a_unit_prize_by_hand_is_refused_with_the_field_at_fault(five, entry_code, unit, tier, person, code, field):
    special = add_specials(five.contest, "manual")["manual"]
    tier_code = special.code if tier == "special" else tier
    with pytest.raises(AwardError) as raised:
        service.give_award(five.contest, entry_code, tier_code, "Lý do", unit=unit, person_name=person, by=None)
    assert (raised.value.code, raised.value.field) == (code, field)
    assert unit_awards(five.contest) == []


def test_a_unit_holds_a_prize_once(five):
    special = add_specials(five.contest, "manual")["manual"]
    service.give_award(five.contest, "", special.code, "Lý do", unit=UNIT_A, by=None)
    db.session.commit()
    with pytest.raises(AwardError) as raised:
        service.give_award(five.contest, "", special.code, "Lý do khác", unit=f"{UNIT_A}  ", by=None)
    assert raised.value.code == "tier_taken"
    service.give_award(five.contest, "", special.code, "Lý do", unit=UNIT_B, by=None)  # another unit may
    db.session.commit()
    assert [a.unit_name for a in unit_awards(five.contest)] == [UNIT_A, UNIT_B]


@pytest.mark.parametrize(
    "values",
    [
        {"entry_id": None, "unit_name": "", "special": True},  # neither an entry nor a unit
        {"entry_id": "entry", "unit_name": UNIT_A, "special": True},  # both
        {"entry_id": None, "unit_name": UNIT_A, "special": False},  # a unit with a ranked tier
    ],
)
def test_the_database_refuses_an_award_naming_neither_or_both_or_a_ranked_unit(five, values):
    if values["entry_id"] == "entry":
        values = values | {"entry_id": five.entries[0].id}
    db.session.add(Award(contest_id=five.contest.id, tier_code="x", tier_name="X", source="manual", **values))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_database_refuses_the_same_prize_twice_to_a_unit(five):
    for _ in range(2):
        db.session.add(
            Award(
                contest_id=five.contest.id,
                unit_name=UNIT_A,
                tier_code="x",
                tier_name="X",
                special=True,
                source="manual",
            )
        )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


# --- exclusions -------------------------------------------------------------------------------------------------------


def test_a_rule_award_removed_by_hand_stays_removed_until_its_exclusion_is_lifted(five):
    contest = five.contest
    service.generate_awards(contest, by=None)
    db.session.commit()
    fifth = five.entries[4]
    award = rule_award(contest, fifth.id, "third")
    service.remove_award(award, "Giải pháp đã đoạt giải ở kỳ trước", by=five.organizer)
    db.session.commit()
    [exclusion] = db.session.scalars(select(AwardExclusion)).all()
    assert (exclusion.entry_id, exclusion.unit_name, exclusion.tier_code, exclusion.tier_name) == (
        fifth.id,
        "",
        "third",
        award.tier_name,
    )
    assert exclusion.created_by_id == five.organizer.id and exclusion.active

    again = service.generate_awards(contest, by=None)
    db.session.commit()
    assert rule_award(contest, fifth.id, "third") is None and again.excluded == 1 and again.created == 0
    data = review(contest)
    assert [x.id for x in data.active_exclusions] == [exclusion.id]

    with pytest.raises(AwardError) as raised:
        service.lift_exclusion(exclusion, "  ", by=five.organizer)
    assert raised.value.code == "reason_required" and exclusion.active
    service.lift_exclusion(exclusion, "Đã xác minh: giải trước là giải pháp khác", by=five.organizer)
    db.session.commit()
    assert not exclusion.active and exclusion.lift_reason == "Đã xác minh: giải trước là giải pháp khác"
    assert exclusion.lifted_by_id == five.organizer.id
    [entry] = audit("award_exclusion.lift")
    assert entry.object_id == str(exclusion.id) and entry.after["lift_reason"].startswith("Đã xác minh")
    with pytest.raises(AwardError) as raised:
        service.lift_exclusion(exclusion, "Lần nữa", by=five.organizer)
    assert raised.value.code == "already_lifted"

    back = service.generate_awards(contest, by=None)
    db.session.commit()
    assert rule_award(contest, fifth.id, "third") is not None and back.excluded == 0

    # Removed again: a new exclusion beside the lifted one.
    service.remove_award(rule_award(contest, fifth.id, "third"), "Lại bị loại", by=None)
    db.session.commit()
    assert [x.active for x in review(contest).exclusions] == [True, False]


def test_an_award_given_or_changed_by_hand_leaves_no_exclusion_when_removed(five):
    contest = five.contest
    special = add_specials(contest, "manual")["manual"]
    service.generate_awards(contest, by=None)
    given = service.give_award(contest, five.entries[3].code, special.code, "Sáng kiến hay", by=None)
    changed = service.change_award(rule_award(contest, five.entries[4].id, "third"), "second", "Lý do", by=None)
    db.session.commit()
    service.remove_award(given, "Nhầm", by=None)
    service.remove_award(changed, "Nhầm", by=None)
    db.session.commit()
    assert db.session.scalars(select(AwardExclusion)).all() == []
    assert audit("award.delete")[-1].after["exclusion_id"] is None


def test_a_removed_unit_prize_and_a_removed_person_prize_do_not_come_back(five):
    contest = five.contest
    tiers = add_specials(contest, "unit_most_finalists", "youngest_author")
    for entry, born in zip(five.entries, (1980, 1990, 1985, 1970, 1960), strict=True):
        for person in entry.authors:
            person.birth_date = date(born, 1, 1)
    db.session.commit()
    service.generate_awards(contest, by=None)
    db.session.commit()
    [unit] = unit_awards(contest)
    youngest = rule_award(contest, five.entries[1].id, tiers["youngest_author"].code)
    assert youngest is not None and youngest.person_id is not None
    service.remove_award(unit, "Đơn vị xin không nhận giải", by=None)
    service.remove_award(youngest, "Tác giả đã nhận giải này năm trước", by=None)
    db.session.commit()
    result = service.generate_awards(contest, by=None)
    db.session.commit()
    assert unit_awards(contest) == [] and rule_award(contest, five.entries[1].id, youngest.tier_code) is None
    assert result.excluded == 2 and set(result.undecided) == {t.name for t in tiers.values()}
    found = {(x.entry_id, x.unit_name, x.tier_code) for x in review(contest).active_exclusions}
    assert found == {
        (None, UNIT_A, tiers["unit_most_finalists"].code),
        (five.entries[1].id, "", tiers["youngest_author"].code),
    }


def test_the_database_keeps_one_exclusion_in_force_per_tier_and_entry(five):
    for _ in range(2):
        db.session.add(
            AwardExclusion(
                contest_id=five.contest.id,
                entry_id=five.entries[0].id,
                tier_code="first",
                tier_name="Giải Nhất",
                reason="x",
                lift_reason="",
            )
        )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    db.session.add(
        AwardExclusion(contest_id=five.contest.id, tier_code="first", tier_name="x", reason="x", lift_reason="")
    )
    with pytest.raises(IntegrityError):  # neither an entry nor a unit
        db.session.flush()
    db.session.rollback()
