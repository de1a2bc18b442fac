"""Test data for certificates and the official summary: a judged contest with awards, an approving decision and a
publication recorded directly (as the awards and publication services would), an entry with two authors and a
guiding teacher, and an organisation dated in Bình Phước."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.orgs.models import AdministrativeUnit
from competitions.models import Contest, Entry, EntryPerson
from judging.models import Round
from results.models import Award, AwardDecision, Publication
from results.services.plans import plan_for
from tests.judging.factories import Judging
from tests.results.factories import make_judged

ORGANISATION = "Liên hiệp các hội KH&KT tỉnh Bình Phước"
SECOND_AUTHOR = "Nguyễn Thị Ánh Tuyết"
DECISION = "123/QĐ-LHH"


@dataclass
class Awarded:
    judging: Judging
    contest: Contest
    round: Round
    entries: list[Entry]
    awards: list[Award]
    decision: AwardDecision | None
    publication: Publication | None


def add_author(entry: Entry, name: str, *, role: str = "author", position: int = 1) -> EntryPerson:
    person = EntryPerson(entry_id=entry.id, role=role, position=position, full_name=name, unit="Trường THPT Đồng Xoài")
    db.session.add(person)
    db.session.flush()
    db.session.expire(entry, ["people"])
    return person


def award(contest: Contest, entry: Entry, code: str, name: str, rank: int | None, score: str | None, **extra) -> Award:
    made = Award(
        contest_id=contest.id,
        entry_id=entry.id,
        tier_code=code,
        tier_name=name,
        rank=rank,
        score=Decimal(score) if score is not None else None,
        **extra,
    )
    db.session.add(made)
    db.session.flush()
    return made


def decide(contest: Contest, number: str = DECISION, signed_on: date = date(2026, 5, 15)) -> AwardDecision:
    decision = AwardDecision(
        contest_id=contest.id, number=number, signed_on=signed_on, signer="Đặng Văn Hưởng", signer_title="Chủ tịch"
    )
    db.session.add(decision)
    db.session.flush()
    return decision


def place_in_binh_phuoc(contest: Contest) -> None:
    """The organising body sits in a ward of Bình Phước province: its documents are dated "Bình Phước, ngày..."."""
    ward = db.session.scalar(select(AdministrativeUnit).where(AdministrativeUnit.code == "25000"))
    if ward is None:  # a second edition in the same test
        province = AdministrativeUnit(code="70", name="Bình Phước", kind="tỉnh", level=1)
        db.session.add(province)
        db.session.flush()
        ward = AdministrativeUnit(code="25000", name="Tân Phú", kind="phường", level=3, parent_id=province.id)
        db.session.add(ward)
        db.session.flush()
    contest.organisation.admin_unit_id = ward.id
    contest.organisation.set_name(ORGANISATION)


def make_awarded(*, decision: bool = True, publication: bool = True) -> Awarded:
    """Three judged entries: entry 1 (two authors and a teacher) has the First prize, entry 2 the Second, entry 3
    nothing; the default plan; decision 123/QĐ-LHH; a first publication."""
    judging = make_judged({1: [[28, 28, 38], [27, 27, 37]], 2: [[20, 20, 30], [21, 20, 30]], 3: [[10, 10, 10]] * 2})
    contest = judging.contest
    first, second, _third = judging.entries
    add_author(first, SECOND_AUTHOR, position=1)
    add_author(first, "Cô Trần Thị Hướng Dẫn", role="teacher", position=0)
    plan_for(contest)
    place_in_binh_phuoc(contest)
    awards = [
        award(contest, first, "first", "Giải Nhất", 1, "93.50"),
        award(contest, second, "second", "Giải Nhì", 2, "70.50"),
    ]
    made_decision = decide(contest) if decision else None
    made_publication = None
    if publication:
        made_publication = Publication(
            contest_id=contest.id,
            version=1,
            payload="{}",
            content_hash="0" * 64,
            decision_id=made_decision.id if made_decision else None,
        )
        db.session.add(made_publication)
    db.session.commit()
    return Awarded(judging, contest, judging.round, judging.entries, awards, made_decision, made_publication)
