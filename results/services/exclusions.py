"""Rule awards an organizer removed by hand (`AwardExclusion`): recorded when such an award is removed, skipped by
`generate_awards` while they stand, listed on the awards page, lifted with a reason. Each change is audited and
flushed; the view commits.

An exclusion is about a tier and an entry (or a unit), not an author: removing a youngest-author prize by hand
keeps the rule from giving that prize to an author of that entry again. Lifting one gives nothing back by itself:
the award returns when the proposal is stored again, if the rule still proposes it."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from app.audit.service import record
from app.extensions import db
from app.timefmt import utcnow
from competitions.models import Contest
from results.models import Award, AwardExclusion
from results.services.award_common import AwardError, actor_id, written_reason

__all__ = ["Excluded", "exclude", "excluded", "exclusions", "lift_exclusion"]

LIFT_FIELDS = ("contest_id", "entry_id", "unit_name", "tier_code", "reason", "lifted_at", "lift_reason")


@dataclass
class Excluded:
    """The exclusions in force, as `generate_awards` asks them: (entry id, tier) and (unit name, tier)."""

    entries: set[tuple[int, str]] = field(default_factory=set)
    units: set[tuple[str, str]] = field(default_factory=set)

    def entry(self, entry_id: int, tier_code: str) -> bool:
        return (entry_id, tier_code) in self.entries

    def unit(self, unit: str, tier_code: str) -> bool:
        return (unit, tier_code) in self.units


def excluded(contest: Contest) -> Excluded:
    """The edition's exclusions in force (one query)."""
    found = Excluded()
    rows = db.session.execute(
        select(AwardExclusion.entry_id, AwardExclusion.unit_name, AwardExclusion.tier_code).where(
            AwardExclusion.contest_id == contest.id, AwardExclusion.lifted_at.is_(None)
        )
    )
    for entry_id, unit, tier_code in rows:
        if entry_id is not None:
            found.entries.add((entry_id, tier_code))
        else:
            found.units.add((unit, tier_code))
    return found


def exclusions(contest: Contest) -> list[AwardExclusion]:
    """Every exclusion of the edition, those in force first, newest first, with their entries (two queries)."""
    rows = db.session.scalars(
        select(AwardExclusion)
        .where(AwardExclusion.contest_id == contest.id)
        .options(selectinload(AwardExclusion.entry))
        .order_by(AwardExclusion.lifted_at.is_not(None), AwardExclusion.id.desc())
    )
    return list(rows)


def exclude(award: Award, reason: str, *, by) -> AwardExclusion | None:
    """Record that `award` (a rule award being removed by hand) must not come back; None when an exclusion of the
    same tier and entry (or unit) already stands. Audited with the removal by the caller."""
    query = select(AwardExclusion.id).where(
        AwardExclusion.contest_id == award.contest_id,
        AwardExclusion.tier_code == award.tier_code,
        AwardExclusion.lifted_at.is_(None),
    )
    if award.entry_id is not None:
        query = query.where(AwardExclusion.entry_id == award.entry_id)
    else:
        query = query.where(AwardExclusion.entry_id.is_(None), AwardExclusion.unit_name == award.unit_name)
    if db.session.scalar(query.limit(1)) is not None:
        return None
    made = AwardExclusion(
        contest_id=award.contest_id,
        entry_id=award.entry_id,
        unit_name=award.unit_name if award.entry_id is None else "",
        tier_code=award.tier_code,
        tier_name=award.tier_name,
        reason=reason,
        created_by_id=actor_id(by),
        lift_reason="",
    )
    db.session.add(made)
    db.session.flush()
    return made


def lift_exclusion(exclusion: AwardExclusion, reason: str, *, by) -> AwardExclusion:
    """Lift an exclusion with a written reason (audited "award_exclusion.lift"): storing the proposal may give the
    award again. Refused when it was lifted already, also by someone else a moment ago."""
    reason = written_reason(reason)
    if exclusion.lifted_at is not None:
        raise AwardError("already_lifted", "reason")
    changed = db.session.execute(
        update(AwardExclusion)
        .where(AwardExclusion.id == exclusion.id, AwardExclusion.lifted_at.is_(None))
        .values(lifted_at=utcnow(), lifted_by_id=actor_id(by), lift_reason=reason)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        raise AwardError("already_lifted", "reason")
    db.session.refresh(exclusion)
    record(
        "award_exclusion.lift",
        exclusion,
        after={k: getattr(exclusion, k) for k in LIFT_FIELDS},
        summary=exclusion.tier_name,
        actor=by,
    )
    return exclusion
