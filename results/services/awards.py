"""State changes of the organizers' award review: the award plan, the Board's tie decisions, storing the proposal as
awards, changing, giving and removing an award with a written reason, and the approving decision. Each change is
audited and flushed; the view commits once. Also what the awards page and storing read: special-prize candidates
by rule and the team ranking of units.

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

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select, update

from app.audit.service import record, snapshot
from app.extensions import db
from app.text import normalize_search
from competitions.models import Contest, Entry, EntryPerson
from judging.models import Round
from results.models import PLAN_SCOPES, SPECIAL_RULES, Award, AwardDecision, AwardPlan, AwardTier, TieDecision
from results.ranking import BOARD
from results.services.plans import criterion_key, plan_for, ranked_tiers, ranking_round
from results.services.review import AwardBasis, special_prizes, stored_awards, tier_usage
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
MAX_TIERS = 20
MAX_QUOTA = 100_000
MAX_POINTS = 1000
MAX_MIN_SCORE = Decimal(1000)

#: Why a change was refused (`AwardError.code`, `Problem.code`).
ERROR_CODES = (
    # the plan
    "round_not_in_contest",  # the ranking round is not a round of this edition
    "scope_invalid",  # not one of PLAN_SCOPES (per age group: youth contests only)
    "no_tiers",  # the plan has no ranked tier
    "too_many_tiers",  # more than MAX_TIERS rows
    "name_required",  # a tier or special prize needs a name
    "name_too_long",  # at most 120 characters
    "name_taken",  # two tiers or prizes of the plan have the same name
    "quota_invalid",  # a quota is a whole number from 0 to MAX_QUOTA
    "min_score_invalid",  # a minimum score is from 0 to MAX_MIN_SCORE, to 0.01
    "points_invalid",  # team points are a whole number from 0 to MAX_POINTS
    "rule_invalid",  # not one of SPECIAL_RULES
    "rule_taken",  # two special prizes with the same rule (other than "by hand")
    "chain_unknown",  # a tie-break link that is not a criterion of the ranking round
    "chain_repeated",  # a criterion twice in the chain
    "tier_in_use",  # a tier being removed still has stored awards
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

PLAN_FIELDS = ("round_id", "scope", "tie_break", "show_feedback", "team_points")
TIER_FIELDS = ("code", "name", "position", "quota", "min_score", "special", "rule")
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


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a plan: the field ("round_id", "scope", "tie_break", "tiers", "specials"), the row of a
    list (None for the list as a whole or another field), the row's field ("name", "quota"...) and the code."""

    field: str
    code: str
    row: int | None = None
    column: str | None = None
    #: For "tier_in_use": the tier's name and its stored awards.
    name: str = ""
    count: int = 0


class PlanError(Exception):
    """A plan was refused: every problem found, to be shown beside its field."""

    def __init__(self, problems: list[Problem]):
        super().__init__(", ".join(p.code for p in problems))
        self.problems = problems


def _actor_id(by) -> int | None:
    return getattr(by, "id", None)


def _reason(text: str | None) -> str:
    reason = (text or "").strip()
    if not reason:
        raise AwardError("reason_required", "reason")
    if len(reason) > REASON_MAX:
        raise AwardError("reason_too_long", "reason")
    return reason


# --- the plan ---------------------------------------------------------------------------------------------------------


def _plan_state(plan: AwardPlan) -> dict:
    state = snapshot(plan, PLAN_FIELDS)
    state["tiers"] = [snapshot(t, TIER_FIELDS) for t in plan.tiers]
    return state


def _new_code(name: str, taken: set[str]) -> str:
    """A code for a new tier from its name ("Giải Tác giả nhỏ tuổi" -> "giai-tac-gia-nho-tuoi"), unique in the plan."""
    base = re.sub(r"[^a-z0-9]+", "-", normalize_search(name)).strip("-")[:32] or "tier"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    return code


def _round_of(contest: Contest, round_id: int | None) -> Round | None:
    if round_id is None:
        return ranking_round(contest)
    return db.session.get(Round, round_id)


def update_plan(plan: AwardPlan, values: dict, *, by) -> bool:
    """Change the edition's award plan; True when anything changed (audited "award_plan.update").

    `values`: "round_id" (a round of the edition, or None for its last round), "scope" (one of PLAN_SCOPES; per age
    group only for a youth contest), "tiers" (the ranked tiers, highest first: dicts of "id" (None for a new one),
    "name", "quota" (None: no limit), "min_score" (None: any), "points" (team points, youth contests)), "specials"
    (dicts of "id", "name", "rule"), "tie_break" (criterion keys of the ranking round's rubric in order; the Board
    always closes the chain), "show_feedback". Every problem is reported at once (`PlanError`); nothing changes
    then. A renamed tier renames its stored awards; a tier with stored awards cannot be removed."""
    contest = plan.contest
    problems: list[Problem] = []

    round_id = values.get("round_id")
    round_ = _round_of(contest, round_id)
    if round_id is not None and (round_ is None or round_.contest_id != contest.id):
        problems.append(Problem("round_id", "round_not_in_contest"))
        round_ = None

    scope = values.get("scope")
    if scope not in PLAN_SCOPES or (scope == "age_group" and not contest.is_youth):
        problems.append(Problem("scope", "scope_invalid"))

    tiers_in = list(values.get("tiers") or [])
    specials_in = list(values.get("specials") or [])
    if not tiers_in:
        problems.append(Problem("tiers", "no_tiers"))
    if len(tiers_in) + len(specials_in) > MAX_TIERS:
        problems.append(Problem("tiers", "too_many_tiers"))
    names: set[str] = set()
    for list_name, rows in (("tiers", tiers_in), ("specials", specials_in)):
        for i, row in enumerate(rows):
            name = (row.get("name") or "").strip()
            if not name:
                problems.append(Problem(list_name, "name_required", i, "name"))
            elif len(name) > 120:
                problems.append(Problem(list_name, "name_too_long", i, "name"))
            elif normalize_search(name) in names:
                problems.append(Problem(list_name, "name_taken", i, "name"))
            names.add(normalize_search(name))
    for i, row in enumerate(tiers_in):
        quota, minimum, points = row.get("quota"), row.get("min_score"), row.get("points")
        if quota is not None and not (isinstance(quota, int) and 0 <= quota <= MAX_QUOTA):
            problems.append(Problem("tiers", "quota_invalid", i, "quota"))
        if minimum is not None and not (
            isinstance(minimum, Decimal)
            and minimum.is_finite()
            and 0 <= minimum <= MAX_MIN_SCORE
            and minimum.as_tuple().exponent >= -2
        ):
            problems.append(Problem("tiers", "min_score_invalid", i, "min_score"))
        if points is not None and not (isinstance(points, int) and 0 <= points <= MAX_POINTS):
            problems.append(Problem("tiers", "points_invalid", i, "points"))
    ruled: set[str] = set()
    for i, row in enumerate(specials_in):
        rule = row.get("rule")
        if rule not in SPECIAL_RULES:
            problems.append(Problem("specials", "rule_invalid", i, "rule"))
        elif rule != "manual" and rule in ruled:
            problems.append(Problem("specials", "rule_taken", i, "rule"))
        ruled.add(rule)

    chain = [link for link in (values.get("tie_break") or []) if link != BOARD]
    keys = {criterion_key(c.id) for c in round_.criteria} if round_ is not None else set()
    if any(link not in keys for link in chain):
        problems.append(Problem("tie_break", "chain_unknown"))
    elif len(set(chain)) != len(chain):
        problems.append(Problem("tie_break", "chain_repeated"))

    existing = {t.id: t for t in plan.tiers}
    kept_ids = {row.get("id") for row in [*tiers_in, *specials_in] if row.get("id") in existing}
    usage = tier_usage(contest)
    for tier in plan.tiers:
        if tier.id not in kept_ids and usage.get(tier.code):
            problems.append(Problem("tiers", "tier_in_use", name=tier.name, count=usage[tier.code]))
    if problems:
        raise PlanError(problems)

    before = _plan_state(plan)
    renamed: dict[str, str] = {}
    plan.round_id = round_id
    plan.scope = scope
    plan.tie_break = [*chain, BOARD] if values.get("tie_break") is not None else []
    plan.show_feedback = bool(values.get("show_feedback"))
    # Codes of removed tiers are not reused: the new row would be inserted before the old one is deleted.
    taken = {t.code for t in plan.tiers}
    tiers: list[AwardTier] = []
    points: dict[str, int] = {}
    for position, (row, special) in enumerate([(r, False) for r in tiers_in] + [(r, True) for r in specials_in]):
        tier = existing.get(row.get("id"))
        name = row["name"].strip()
        if tier is None:
            tier = AwardTier(code=_new_code(name, taken))
            taken.add(tier.code)
        elif tier.name != name:
            renamed[tier.code] = name
        tier.name = name
        tier.position = position
        tier.special = special
        if special:
            tier.quota, tier.min_score, tier.rule = None, None, row["rule"]
        else:
            tier.quota, tier.min_score, tier.rule = row.get("quota"), row.get("min_score"), None
            if row.get("points") is not None:
                points[tier.code] = row["points"]
        tiers.append(tier)
    plan.tiers = tiers
    if contest.is_youth:
        plan.team_points = points or None
    db.session.flush()
    for code, name in renamed.items():
        db.session.execute(
            update(Award).where(Award.contest_id == contest.id, Award.tier_code == code).values(tier_name=name)
        )
    after = _plan_state(plan)
    if after == before:
        return False
    record("award_plan.update", plan, before=before, after=after, actor=by)
    return True


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
