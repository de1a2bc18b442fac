"""What the delegation page reads at any size (a national edition holds tens of thousands of eligible entries):
the whole edition's figures per field, one page of its entries through the page's filters, the delegation's numbers
as in the registration sheet, and the edition's results remembered by the worker. A fixed number of queries whatever
the number of entries; the paging and filtering are the database's. Reads only."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import load_only

from app.extensions import db
from app.remembered import Remembered
from app.search import where_matches
from app.table_versions import versioned
from competitions.models import Contest, Entry, EntryDocument, Field
from forwarding.models import Forward
from forwarding.services.lower import SPECIAL_POSITION, LowerResult, lower_results
from results.models import Award, AwardPlan, AwardTier

#: Where an entry without a field sorts (after every field), as `delegation` and `delegation_candidates` do.
NO_FIELD = 10**6

#: What the page shows: every entry that may join the delegation or is in it, those in it, those not in it yet.
SHOWS = ("", "delegated", "candidates")


def _delegated(contest: Contest):
    """The forwards in force from `contest` to the outside level (a subquery: forward id and entry id)."""
    return (
        select(Forward.id.label("forward_id"), Forward.entry_id.label("entry_id"))
        .where(Forward.from_contest_id == contest.id, Forward.to_contest_id.is_(None), Forward.withdrawn_at.is_(None))
        .subquery("delegated")
    )


def _best_awards(contest: Contest):
    """Entry id -> the position of its best stored award in `contest` (a subquery), as `lower_results` counts it:
    a ranked tier's position, a special prize after every ranked tier, a tier the plan no longer has just before."""
    tier = and_(
        AwardTier.code == Award.tier_code,
        AwardTier.special.is_(False),
        AwardTier.plan_id == select(AwardPlan.id).where(AwardPlan.contest_id == contest.id).scalar_subquery(),
    )
    position = case(
        (Award.special.is_(True), SPECIAL_POSITION), else_=func.coalesce(AwardTier.position, SPECIAL_POSITION - 1)
    )
    return (
        select(Award.entry_id.label("entry_id"), func.min(position).label("position"))
        .select_from(Award)
        .outerjoin(AwardTier, tier)
        .where(Award.contest_id == contest.id, Award.entry_id.is_not(None))
        .group_by(Award.entry_id)
        .subquery("best_award")
    )


def _base(contest: Contest, delegated, best, *columns):
    """The entries the page lists: the edition's eligible entries and those in its delegation (whatever their
    status now: they can still be taken out), with their delegation forward and best award, if any."""
    return (
        select(*columns)
        .select_from(Entry)
        .outerjoin(delegated, delegated.c.entry_id == Entry.id)
        .outerjoin(best, best.c.entry_id == Entry.id)
        .where(Entry.contest_id == contest.id, or_(Entry.status == "eligible", delegated.c.forward_id.is_not(None)))
    )


@dataclass
class FieldCount:
    """A field's figures (`field` None: the entries of no field of the edition; the total): its entries that may
    join the delegation or are in it, those holding an award, and those in the delegation."""

    field: Field | None
    entries: int = 0
    awarded: int = 0
    delegated: int = 0

    @property
    def candidates(self) -> int:
        return self.entries - self.delegated


def field_counts(contest: Contest) -> tuple[list[FieldCount], FieldCount]:
    """Each field's figures, in the fields' order (entries of no field of the edition last, when there are any),
    and the whole edition's. One query."""
    delegated, best = _delegated(contest), _best_awards(contest)
    query = _base(
        contest,
        delegated,
        best,
        Entry.field_id,
        func.count(Entry.id),
        func.count(best.c.position),
        func.count(delegated.c.forward_id),
    ).group_by(Entry.field_id)
    by_field = {f.id: FieldCount(f) for f in sorted(contest.fields, key=lambda f: (f.position, f.id))}
    other = FieldCount(None)
    total = FieldCount(None)
    for field_id, entries, awarded, in_delegation in db.session.execute(query):
        row = by_field.get(field_id, other)
        for target in (row, total):
            target.entries += int(entries)
            target.awarded += int(awarded)
            target.delegated += int(in_delegation)
    rows = list(by_field.values()) + ([other] if other.entries else [])
    return rows, total


@dataclass(frozen=True)
class PageRow:
    """An entry of the page: its forward in the delegation (None when it is not in it) and the position of its best
    award (None without one)."""

    entry: Entry
    forward: Forward | None
    award_position: int | None

    @property
    def delegated(self) -> bool:
        return self.forward is not None


def page_columns() -> tuple:
    """What a row shows of an entry (any other column raises instead of loading entry by entry). Built when
    called: loader options built at import configure the mappers too early."""
    return (
        load_only(
            Entry.contest_id, Entry.code, Entry.title, Entry.field_id, Entry.status, Entry.lead_name, raiseload=True
        ),
    )


def entries_page(
    contest: Contest,
    *,
    field_id: int | None = None,
    show: str = "",
    q: str = "",
    awarded_up_to: int | None = None,
    awarded_only: bool = False,
    page: int = 1,
    per_page: int = 100,
) -> tuple[list[PageRow], int, int]:
    """One page of the entries the page lists, by field (in the fields' order), best award first, then code;
    filtered by field, by `show` ("delegated": in the delegation, "candidates": not in it yet), by a search of
    code, title or authors (without diacritics), and to the awarded entries (`awarded_only`, from the tier at
    position `awarded_up_to` up when given). Returns the rows, the number of entries matching and the page shown
    (out of range: the nearest). Three queries (the count, the rows, their forwards)."""
    delegated, best = _delegated(contest), _best_awards(contest)
    position = func.coalesce(Field.position, NO_FIELD)

    def filtered(query):
        if field_id is not None:
            query = query.where(Entry.field_id == field_id)
        if show == "delegated":
            query = query.where(delegated.c.forward_id.is_not(None))
        elif show == "candidates":
            query = query.where(delegated.c.forward_id.is_(None))
        if awarded_only or awarded_up_to is not None:
            query = query.where(best.c.position.is_not(None))
        if awarded_up_to is not None:
            query = query.where(best.c.position <= awarded_up_to)
        return where_matches(query, Entry.search_text, q)

    total = db.session.scalar(filtered(_base(contest, delegated, best, func.count(Entry.id)))) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    query = (
        filtered(_base(contest, delegated, best, Entry, delegated.c.forward_id, best.c.position))
        .outerjoin(Field, and_(Field.id == Entry.field_id, Field.contest_id == contest.id))
        .options(*page_columns())
        .order_by(
            position,
            best.c.position.is_(None),
            best.c.position,
            func.coalesce(Entry.code, ""),
            Entry.id,
        )
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    found = db.session.execute(query).all()
    forward_ids = [f for _e, f, _p in found if f is not None]
    forwards = {}
    if forward_ids:
        forwards = {
            f.id: f
            for f in db.session.scalars(
                select(Forward)
                .where(Forward.id.in_(forward_ids))
                .options(load_only(Forward.id, Forward.entry_id, Forward.lower_result, Forward.forwarded_at))
            )
        }
    rows = [PageRow(e, forwards.get(f) if f is not None else None, p) for e, f, p in found]
    return rows, total, page


def delegation_numbers(contest: Contest) -> dict[int, int]:
    """Forward id -> its number in the delegation, as the registration sheet and the dossiers' ZIP number them
    (by field, then code: `delegation`'s order). One query of three columns per forward."""
    positions = {f.id: f.position for f in contest.fields}
    rows = db.session.execute(
        select(Forward.id, Forward.entry_id, Entry.field_id, Entry.code)
        .join(Entry, Entry.id == Forward.entry_id)
        .where(Forward.from_contest_id == contest.id, Forward.to_contest_id.is_(None), Forward.withdrawn_at.is_(None))
    ).all()
    rows.sort(key=lambda r: (positions.get(r.field_id, NO_FIELD), r.code or "", r.entry_id))
    return {r.id: n for n, r in enumerate(rows, start=1)}


def document_counts(entry_ids) -> dict[int, int]:
    """Entry id -> its number of documents (one query)."""
    ids = list(entry_ids)
    if not ids:
        return {}
    return dict(
        db.session.execute(
            select(EntryDocument.entry_id, func.count(EntryDocument.id))
            .where(EntryDocument.entry_id.in_(ids))
            .group_by(EntryDocument.entry_id)
        ).all()
    )


# --- The edition's results, remembered --------------------------------------------------------------------------

#: The tables `lower_results` reads: the award plan, its tiers, the stored awards and the Board's tie decisions,
#: the rounds and their criteria, and what the ranking round's standings read (its entries, assignments and sheets -
#: a sheet's row is written whenever its scores are -, the entries', fields', age groups', panels' and judges' rows).
RESULT_TABLES = versioned(
    (
        "award_plans",
        "award_tiers",
        "awards",
        "tie_decisions",
        "judging_rounds",
        "rubric_criteria",
        "round_entries",
        "judging_assignments",
        "score_sheets",
        "entries",
        "users",
        "contest_fields",
        "contest_age_groups",
        "judging_panels",
        "judging_panel_fields",
    )
)

#: Results by key; a national edition's take a few MB, so only the few read last are kept.
RESULTS_KEPT = 4
_results: Remembered[dict[int, LowerResult]] = Remembered(RESULTS_KEPT)


def remembered_results(contest: Contest) -> dict[int, LowerResult]:
    """`lower_results(contest)` (seconds for a national edition), remembered by the worker under a key that
    changes whenever anything it reads does (PostgreSQL; worked out at every call elsewhere). Shared by every
    request of the worker: read it, never change it."""
    return _results.while_unchanged(RESULT_TABLES, contest.id, lambda: lower_results(contest))


def forget_results() -> None:
    """Forget every remembered result (tests)."""
    _results.clear()
