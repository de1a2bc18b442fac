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
  public in the next version (a correction with a change note). A rule award *removed* by hand has no record left
  and comes back when the proposal is stored again (the page says so).
- **Youngest and oldest author** are chosen among the authors of the *awarded* entries (entries holding an award of
  a ranked tier), by birth date; authors without a birth date are not counted. When one author is found, storing
  the proposal gives them the prize (a person prize: `Award.person_id`); when several share the birth date, or when
  an organizer gave that prize by hand, the rule gives nothing and the page lists the candidates for the Board.
- **The unit with most finalists** is the unit with most entries in the ranking round (`Entry.unit_name`); it is
  shown with its count, never stored: an award belongs to an entry and this prize belongs to a unit.
- The candidates and the team ranking are computed from the stored ranked awards when any is stored, else from the
  proposal (`AwardBasis`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from app.audit.service import record, snapshot
from app.extensions import db
from app.text import normalize_search
from competitions.models import Contest, Entry, EntryPerson
from results.models import Award, AwardDecision, TieDecision
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
    "record_decision",
    "remove_award",
    "update_plan",
]

REASON_MAX = 2000

#: Why a change was refused (`AwardError.code`; the plan's problems are in `plan_edit.ERROR_CODES`).
ERROR_CODES = (
    # awards
    "reason_required",  # a change, a gift, a removal or a Board decision needs a written reason
    "reason_too_long",  # at most REASON_MAX characters
    "tier_unknown",  # not a tier of the plan
    "tier_not_ranked",  # a ranked award can only move to a ranked tier
    "tier_unchanged",  # the award already has this tier
    "special_not_changed",  # a special prize is not moved to another tier: remove it and give another
    "entry_unknown",  # no entry of this edition has this code
    "tier_taken",  # the entry already holds this award
    "entry_has_ranked_award",  # the entry already holds a ranked award: change that one instead
    "person_unknown",  # no author of the entry has this name (or several have)
    "person_for_special_only",  # a ranked award goes to the whole entry, not to one author
    # Board decisions on ties
    "tie_too_small",  # a tie needs at least two entries
    "tie_repeated",  # an entry twice in the order
    "tie_foreign_entry",  # an entry of another edition
    # the approving decision
    "number_required",
    "number_too_long",
    "date_required",
    "signer_required",
    "signer_too_long",
    "signer_title_too_long",
)

AWARD_FIELDS = ("contest_id", "entry_id", "tier_code", "tier_name", "special", "rank", "score", "source", "reason")
DECISION_FIELDS = ("contest_id", "number", "signed_on", "signer", "signer_title")


class AwardError(Exception):
    """A change was refused; `code` is one of `ERROR_CODES`, `field` the form field it is about (if any)."""

    def __init__(self, code: str, field: str | None = None):
        if code not in ERROR_CODES:
            raise ValueError(f"unknown award error {code!r}")
        super().__init__(code)
        self.code = code
        self.field = field


def _actor_id(by) -> int | None:
    return getattr(by, "id", None)


def _reason(text: str | None) -> str:
    reason = (text or "").strip()
    if not reason:
        raise AwardError("reason_required", "reason")
    if len(reason) > REASON_MAX:
        raise AwardError("reason_too_long", "reason")
    return reason


# --- storing the proposal ---------------------------------------------------------------------------------------------


@dataclass
class GenerateResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    kept_manual: int = 0
    #: Special prizes with a rule the rule could not give (no candidate, several, or given by hand): their names.
    undecided: list[str] = field(default_factory=list)


def _award_state(award: Award) -> dict:
    return snapshot(award, AWARD_FIELDS) | {"person_id": award.person_id}


def generate_awards(contest: Contest, *, by) -> GenerateResult:
    """Store the plan's proposal as awards (source "rule"): see the module's notes for what is kept. Audited
    "awards.generate" with what was created, changed and removed."""
    # Two organizers storing at once: the second waits here (PostgreSQL), then works on the first one's awards.
    db.session.execute(select(Contest.id).where(Contest.id == contest.id).with_for_update())
    proposal = propose(contest)
    plan = proposal.plan
    tiers = {t.code: t for t in plan.tiers}
    ranked_codes = [t.code for t in ranked_tiers(plan)]
    ranks = proposal.rank_of()
    result = GenerateResult()
    changes: dict[str, list] = {"created": [], "updated": [], "removed": []}
    stored = stored_awards(contest)
    manual_entries = {a.entry_id for a in stored if a.source == "manual" and not a.special}
    result.kept_manual = sum(1 for a in stored if a.source == "manual")
    wanted = {e: code for e, code in proposal.allocation.awards.items() if e not in manual_entries}

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
        before = _award_state(award)
        for k, v in values.items():
            setattr(award, k, v)
        result.updated += 1
        changes["updated"].append({"before": before, "after": _award_state(award)})

    for award in stored:
        if award.source != "rule" or award.special:
            continue
        if award.entry_id in wanted:
            place(award, award.entry_id, wanted.pop(award.entry_id))
        else:
            changes["removed"].append(_award_state(award))
            db.session.delete(award)
            result.removed += 1
    db.session.flush()
    for entry_id, code in wanted.items():
        r = ranks.get(entry_id)
        award = Award(
            contest_id=contest.id,
            entry_id=entry_id,
            tier_code=code,
            tier_name=tiers[code].name,
            special=False,
            rank=r.rank if r else None,
            score=r.score if r else None,
            source="rule",
            reason="",
            created_by_id=_actor_id(by),
        )
        db.session.add(award)
        result.created += 1
        changes["created"].append(_award_state(award))
    db.session.flush()

    # Special prizes by rule, among the awarded entries as now stored.
    stored = stored_awards(contest)
    basis = AwardBasis("stored", {a.entry_id: a.tier_code for a in stored if a.tier_code in ranked_codes})
    for prize in special_prizes(plan, proposal, stored, basis):
        if prize.rule not in ("youngest_author", "oldest_author"):
            continue
        chosen = prize.decided_by_rule
        for award in prize.stored:
            if award.source != "rule":
                continue
            if chosen is not None and (award.entry_id, award.person_id) == (chosen.entry_id, chosen.person_id):
                chosen = None  # already given
                result.unchanged += 1
                continue
            changes["removed"].append(_award_state(award))
            db.session.delete(award)
            result.removed += 1
        db.session.flush()
        if prize.decided_by_rule is None:
            result.undecided.append(prize.tier.name)
        if chosen is not None:
            award = Award(
                contest_id=contest.id,
                entry_id=chosen.entry_id,
                tier_code=prize.tier.code,
                tier_name=prize.tier.name,
                special=True,
                person_id=chosen.person_id,
                source="rule",
                reason="",
                created_by_id=_actor_id(by),
            )
            db.session.add(award)
            result.created += 1
            changes["created"].append(_award_state(award))
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
            "undecided": result.undecided,
        },
        actor=by,
    )
    return result


# --- changes by hand --------------------------------------------------------------------------------------------------


def change_award(award: Award, tier_code: str, reason: str, *, by) -> Award:
    """Move a ranked award to another ranked tier of the plan, with a written reason (audited "award.change");
    the award becomes "manual": storing the proposal again keeps it."""
    reason = _reason(reason)
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
    before = _award_state(award)
    award.tier_code, award.tier_name = tier.code, tier.name
    award.source, award.reason = "manual", reason
    db.session.flush()
    record("award.change", award, before=before, after=_award_state(award), actor=by)
    return award


def remove_award(award: Award, reason: str, *, by) -> None:
    """Delete an award, with a written reason (audited "award.delete" with what it was). A rule award removed
    this way comes back if the proposal is stored again."""
    reason = _reason(reason)
    record("award.delete", award, before=_award_state(award), after={"reason": reason}, actor=by)
    db.session.delete(award)
    db.session.flush()


def _person(entry: Entry, name: str) -> EntryPerson:
    folded = normalize_search(name)
    found = [p for p in entry.authors if normalize_search(p.full_name) == folded]
    if len(found) != 1:
        raise AwardError("person_unknown", "person")
    return found[0]


def give_award(contest: Contest, entry_code: str, tier_code: str, reason: str, *, person_name: str = "", by) -> Award:
    """Give an award by hand (source "manual", with a written reason; audited "award.create"): a ranked tier to an
    entry that holds none, or a special prize to an entry or, named, to one of its authors (a person prize). The
    rank and score are the proposal's when the entry is ranked."""
    reason = _reason(reason)
    code = (entry_code or "").strip().upper()
    entry = db.session.scalar(
        select(Entry).where(Entry.contest_id == contest.id, func.upper(Entry.code) == code).limit(1)
    )
    if not code or entry is None:
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
        created_by_id=_actor_id(by),
    )
    db.session.add(award)
    db.session.flush()
    record("award.create", award, after=_award_state(award), actor=by)
    return award


# --- the Board's decision on a tie ------------------------------------------------------------------------------------


def decide_tie(contest: Contest, entry_ids: list[int], reason: str, *, by) -> TieDecision:
    """Record the Board's order for entries still tied after the criteria of the chain (first = ranked higher),
    with its reason (audited "tie.decide"). The latest decision about an entry wins (`scores.board_order`)."""
    reason = _reason(reason)
    ids = [int(i) for i in entry_ids]
    if len(ids) < 2:
        raise AwardError("tie_too_small")
    if len(set(ids)) != len(ids):
        raise AwardError("tie_repeated", "positions")
    found = set(db.session.scalars(select(Entry.id).where(Entry.contest_id == contest.id, Entry.id.in_(ids))))
    if found != set(ids):
        raise AwardError("tie_foreign_entry")
    decision = TieDecision(contest_id=contest.id, entry_ids=ids, reason=reason, decided_by_id=_actor_id(by))
    db.session.add(decision)
    db.session.flush()
    record("tie.decide", decision, after={"contest_id": contest.id, "entry_ids": ids, "reason": reason}, actor=by)
    return decision


# --- the approving decision -------------------------------------------------------------------------------------------


def record_decision(
    contest: Contest, *, number: str, signed_on: date | None, signer: str, signer_title: str = "", by
) -> AwardDecision:
    """Record the decision approving the awards (audited "award_decision.create"). A later decision (a correction)
    is a new record; the latest one is the one publication and certificates cite."""
    number, signer, signer_title = (number or "").strip(), (signer or "").strip(), (signer_title or "").strip()
    if not number:
        raise AwardError("number_required", "number")
    if len(number) > 64:
        raise AwardError("number_too_long", "number")
    if signed_on is None:
        raise AwardError("date_required", "signed_on")
    if not signer:
        raise AwardError("signer_required", "signer")
    if len(signer) > 120:
        raise AwardError("signer_too_long", "signer")
    if len(signer_title) > 160:
        raise AwardError("signer_title_too_long", "signer_title")
    decision = AwardDecision(
        contest_id=contest.id,
        number=number,
        signed_on=signed_on,
        signer=signer,
        signer_title=signer_title,
        created_by_id=_actor_id(by),
    )
    db.session.add(decision)
    db.session.flush()
    record("award_decision.create", decision, after=snapshot(decision, DECISION_FIELDS), actor=by)
    return decision
