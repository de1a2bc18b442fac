"""State changes of the organizers' award review: the Board's tie decisions, storing the proposal as awards,
changing, giving and removing an award with a written reason, and the approving decision. Each change is audited
and flushed; the view commits once. The award plan is changed by `update_plan` (`results.services.plan_edit`,
re-exported here); what the awards page reads is in `results.services.review`.

Rules decided here (and tested in tests/results/test_award_services.py):

- **Storing the proposal** (`generate_awards`) writes the plan's proposal as awards with source "rule". Rule awards
  are updated in place (an entry that keeps its tier keeps its award row, so a certificate already issued for it
  stays linked), rule awards no longer proposed are deleted, and awards an organizer changed or gave by hand
  (source "manual") are kept: an entry holding a manual award of a ranked tier is left alone by the rule. Storing
  works before and after a publication: a publication is a frozen snapshot, so a changed award only reaches the
  public in the next version (a correction with a change note). A rule award *removed* by hand leaves an exclusion
  (`results.services.exclusions`): storing the proposal again skips that tier for that entry (or unit) until an
  organizer lifts the exclusion, with a reason.
- **Youngest and oldest author** are chosen among the authors of the *awarded* entries (entries holding an award of
  a ranked tier), by birth date; authors without a birth date are not counted. When one author is found, storing
  the proposal gives them the prize (a person prize: `Award.person_id`); when several share the birth date, or when
  an organizer gave that prize by hand, the rule gives nothing and the page lists the candidates for the Board.
- **The unit with most finalists** is the unit with most entries in the ranking round (`Entry.unit_name`). When one
  unit has the most, storing the proposal gives it the prize (an award with no entry and the unit's name); when
  several share the count, or an organizer gave the prize by hand, the rule gives nothing and the page lists the
  units for the Board. A prize to a unit can also be given by hand (`give_award` with `unit`).
- The candidates and the team ranking are computed from the stored ranked awards when any is stored, else from the
  proposal (`AwardBasis`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.audit.service import record
from app.extensions import db
from app.text import normalize_search
from competitions.models import Contest, Entry, EntryPerson
from results.models import Award
from results.services.award_common import (
    ERROR_CODES,
    REASON_MAX,
    UNIT_MAX,
    AwardError,
    actor_id,
    award_state,
    unit_name,
    written_reason,
)
from results.services.decisions import DECISION_FIELDS, decide_tie, record_decision
from results.services.exclusions import exclude, excluded, lift_exclusion
from results.services.plan_edit import PlanError, Problem, update_plan
from results.services.plans import plan_for, ranked_tiers
from results.services.review import AwardBasis, special_prizes, stored_awards
from results.services.scores import propose

__all__ = [
    "DECISION_FIELDS",
    "ERROR_CODES",
    "REASON_MAX",
    "AwardError",
    "GenerateResult",
    "PlanError",
    "Problem",
    "change_award",
    "decide_tie",
    "generate_awards",
    "give_award",
    "lift_exclusion",
    "record_decision",
    "remove_award",
    "update_plan",
]


# --- storing the proposal ---------------------------------------------------------------------------------------------


@dataclass
class GenerateResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    kept_manual: int = 0
    #: Rule awards not given because an organizer removed them by hand (an exclusion stands).
    excluded: int = 0
    #: Special prizes with a rule the rule could not give (no candidate, several, given by hand, or excluded).
    undecided: list[str] = field(default_factory=list)


def generate_awards(contest: Contest, *, by) -> GenerateResult:
    """Store the plan's proposal as awards (source "rule"): see the module's notes for what is kept and skipped.
    Audited "awards.generate" with what was created, changed and removed."""
    # Two organizers storing at once: the second waits here (PostgreSQL), then works on the first one's awards.
    db.session.execute(select(Contest.id).where(Contest.id == contest.id).with_for_update())
    proposal = propose(contest)
    plan = proposal.plan
    tiers = {t.code: t for t in plan.tiers}
    ranked_codes = [t.code for t in ranked_tiers(plan)]
    ranks = proposal.rank_of()
    skip = excluded(contest)
    result = GenerateResult()
    changes: dict[str, list] = {"created": [], "updated": [], "removed": []}
    stored = stored_awards(contest)
    manual_entries = {a.entry_id for a in stored if a.source == "manual" and not a.special}
    result.kept_manual = sum(1 for a in stored if a.source == "manual")
    wanted = {}
    for entry_id, code in proposal.allocation.awards.items():
        if entry_id in manual_entries:
            continue
        if skip.entry(entry_id, code):
            result.excluded += 1
            continue
        wanted[entry_id] = code

    def place(award: Award, entry_id: int, code: str) -> None:
        r = ranks.get(entry_id)
        values = {
            "tier_code": code,
            "tier_name": tiers[code].name,
            "special": False,
            "rank": r.rank if r else None,
            "score": r.score if r else None,
        }
        if all(getattr(award, k) == v for k, v in values.items()):
            result.unchanged += 1
            return
        before = award_state(award)
        for k, v in values.items():
            setattr(award, k, v)
        result.updated += 1
        changes["updated"].append({"before": before, "after": award_state(award)})

    def drop(award: Award) -> None:
        changes["removed"].append(award_state(award))
        db.session.delete(award)
        result.removed += 1

    def add(**values) -> None:
        award = Award(contest_id=contest.id, source="rule", reason="", created_by_id=actor_id(by), **values)
        db.session.add(award)
        result.created += 1
        changes["created"].append(award_state(award))

    for award in stored:
        if award.source != "rule" or award.special:
            continue
        if award.entry_id in wanted:
            place(award, award.entry_id, wanted.pop(award.entry_id))
        else:
            drop(award)
    db.session.flush()
    for entry_id, code in wanted.items():
        r = ranks.get(entry_id)
        add(
            entry_id=entry_id,
            tier_code=code,
            tier_name=tiers[code].name,
            special=False,
            rank=r.rank if r else None,
            score=r.score if r else None,
        )
    db.session.flush()

    # Special prizes by rule, among the awarded entries as now stored.
    stored = stored_awards(contest)
    basis = AwardBasis("stored", {a.entry_id: a.tier_code for a in stored if a.tier_code in ranked_codes})
    for prize in special_prizes(plan, proposal, stored, basis):
        code = prize.tier.code
        if prize.rule in ("youngest_author", "oldest_author"):
            chosen = prize.decided_by_rule
            if chosen is not None and skip.entry(chosen.entry_id, code):
                chosen = None
                result.excluded += 1
            target = (chosen.entry_id, chosen.person_id) if chosen is not None else None
            held = [(a, (a.entry_id, a.person_id)) for a in prize.stored]
        elif prize.rule == "unit_most_finalists":
            chosen = prize.unit_decided_by_rule
            if chosen is not None and skip.unit(chosen, code):
                chosen = None
                result.excluded += 1
            target = chosen
            held = [(a, a.unit_name if a.entry_id is None else None) for a in prize.stored]
        else:
            continue
        for award, key in held:
            if award.source != "rule":
                continue
            if target is not None and key == target:
                target = None  # already given
                result.unchanged += 1
                continue
            drop(award)
        db.session.flush()
        if chosen is None:
            result.undecided.append(prize.tier.name)
        if target is not None and prize.rule == "unit_most_finalists":
            add(entry_id=None, unit_name=target, tier_code=code, tier_name=prize.tier.name, special=True)
        elif target is not None:
            add(entry_id=target[0], person_id=target[1], tier_code=code, tier_name=prize.tier.name, special=True)
    db.session.flush()
    record(
        "awards.generate",
        contest,
        after={
            "round_id": proposal.round.id if proposal.round else None,
            "chain": proposal.chain,
            "created": changes["created"],
            "updated": changes["updated"],
            "removed": changes["removed"],
            "kept_manual": result.kept_manual,
            "excluded": result.excluded,
            "undecided": result.undecided,
        },
        actor=by,
    )
    return result


# --- changes by hand --------------------------------------------------------------------------------------------------


def change_award(award: Award, tier_code: str, reason: str, *, by) -> Award:
    """Move a ranked award to another ranked tier of the plan, with a written reason (audited "award.change");
    the award becomes "manual": storing the proposal again keeps it."""
    reason = written_reason(reason)
    plan = plan_for(award.contest)
    if award.special:
        raise AwardError("special_not_changed", "tier_code")
    tier = next((t for t in plan.tiers if t.code == tier_code), None)
    if tier is None:
        raise AwardError("tier_unknown", "tier_code")
    if tier.special:
        raise AwardError("tier_not_ranked", "tier_code")
    if tier.code == award.tier_code:
        raise AwardError("tier_unchanged", "tier_code")
    before = award_state(award)
    award.tier_code, award.tier_name = tier.code, tier.name
    award.source, award.reason = "manual", reason
    db.session.flush()
    record("award.change", award, before=before, after=award_state(award), actor=by)
    return award


def remove_award(award: Award, reason: str, *, by) -> None:
    """Delete an award, with a written reason (audited "award.delete" with what it was). A rule award removed this
    way leaves an exclusion (`results.services.exclusions`), so that storing the proposal again does not bring it
    back; an award given or changed by hand is simply gone."""
    reason = written_reason(reason)
    exclusion = exclude(award, reason, by=by) if award.source == "rule" else None
    after = {"reason": reason, "exclusion_id": exclusion.id if exclusion is not None else None}
    record("award.delete", award, before=award_state(award), after=after, actor=by)
    db.session.delete(award)
    db.session.flush()


def _person(entry: Entry, name: str) -> EntryPerson:
    folded = normalize_search(name)
    found = [p for p in entry.authors if normalize_search(p.full_name) == folded]
    if len(found) != 1:
        raise AwardError("person_unknown", "person")
    return found[0]


def _give_unit(contest: Contest, unit: str, tier_code: str, reason: str, entry_code: str, person_name: str, by):
    if (entry_code or "").strip():
        raise AwardError("entry_or_unit", "unit")
    if (person_name or "").strip():
        raise AwardError("person_for_special_only", "person")
    if len(unit) > UNIT_MAX:
        raise AwardError("unit_too_long", "unit")
    tier = next((t for t in plan_for(contest).tiers if t.code == tier_code), None)
    if tier is None:
        raise AwardError("tier_unknown", "tier_code")
    if not tier.special:
        raise AwardError("unit_for_special_only", "tier_code")
    taken = db.session.scalar(
        select(Award.id)
        .where(
            Award.contest_id == contest.id,
            Award.entry_id.is_(None),
            Award.unit_name == unit,
            Award.tier_code == tier.code,
        )
        .limit(1)
    )
    if taken is not None:
        raise AwardError("tier_taken", "tier_code")
    award = Award(
        contest_id=contest.id,
        entry_id=None,
        unit_name=unit,
        tier_code=tier.code,
        tier_name=tier.name,
        special=True,
        source="manual",
        reason=reason,
        created_by_id=actor_id(by),
    )
    db.session.add(award)
    db.session.flush()
    record("award.create", award, after=award_state(award), actor=by)
    return award


def give_award(
    contest: Contest,
    entry_code: str,
    tier_code: str,
    reason: str,
    *,
    person_name: str = "",
    unit: str = "",
    by,
) -> Award:
    """Give an award by hand (source "manual", with a written reason; audited "award.create"): a ranked tier to an
    entry that holds none, a special prize to an entry or, named, to one of its authors (a person prize), or a
    special prize to a unit named instead of an entry. The rank and score are the proposal's when the entry is
    ranked."""
    reason = written_reason(reason)
    unit = unit_name(unit)
    if unit:
        return _give_unit(contest, unit, tier_code, reason, entry_code, person_name, by)
    code = (entry_code or "").strip().upper()
    if not code:
        raise AwardError("entry_or_unit", "entry_code")
    entry = db.session.scalar(
        select(Entry).where(Entry.contest_id == contest.id, func.upper(Entry.code) == code).limit(1)
    )
    if entry is None:
        raise AwardError("entry_unknown", "entry_code")
    plan = plan_for(contest)
    tier = next((t for t in plan.tiers if t.code == tier_code), None)
    if tier is None:
        raise AwardError("tier_unknown", "tier_code")
    held = list(db.session.scalars(select(Award).where(Award.contest_id == contest.id, Award.entry_id == entry.id)))
    if any(a.tier_code == tier.code for a in held):
        raise AwardError("tier_taken", "tier_code")
    ranked_codes = {t.code for t in ranked_tiers(plan)}
    if not tier.special and any(a.tier_code in ranked_codes and not a.special for a in held):
        raise AwardError("entry_has_ranked_award", "tier_code")
    person = None
    if (person_name or "").strip():
        if not tier.special:
            raise AwardError("person_for_special_only", "person")
        person = _person(entry, person_name)
    rank = score = None
    if not tier.special:
        ranked = propose(contest).rank_of().get(entry.id)
        if ranked is not None:
            rank, score = ranked.rank, ranked.score
    award = Award(
        contest_id=contest.id,
        entry_id=entry.id,
        tier_code=tier.code,
        tier_name=tier.name,
        special=tier.special,
        rank=rank,
        score=score,
        source="manual",
        reason=reason,
        person_id=person.id if person else None,
        created_by_id=actor_id(by),
    )
    db.session.add(award)
    db.session.flush()
    record("award.create", award, after=award_state(award), actor=by)
    return award
