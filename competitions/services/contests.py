"""Editions: created from a preset, their settings, status changes and editable lists."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from app.audit.service import record, snapshot
from app.extensions import db
from app.timefmt import utcnow
from competitions.models import (
    AgeGroup,
    Contest,
    Criterion,
    DocumentType,
    Entry,
    Field,
)
from competitions.presets import PRESETS

CONTEST_FIELDS = (
    "name",
    "number",
    "year",
    "level",
    "code_prefix",
    "description",
    "status",
    "period_start",
    "period_end",
    "registration_opens_at",
    "registration_closes_at",
    "lookback_date",
    "birth_from",
    "birth_to",
    "max_authors",
    "max_teachers",
    "organisation_id",
)


class TransitionError(ValueError):
    """A status change the rules do not allow (the view says so to the user)."""


# --- Contests ---------------------------------------------------------------------------------------------


def create_contest(
    kind: str, organisation_id: int, year: int, *, name: str | None = None, number: int | None = None
) -> Contest:
    """A new edition in draft, filled from the preset of its kind: fields, age groups, criteria, documents."""
    preset = PRESETS[kind]
    birth_from, birth_to = preset.birth_window(year)
    prefix = unused_prefix(preset.code_prefix, year)
    contest = Contest(
        kind=kind,
        organisation_id=organisation_id,
        year=year,
        number=number,
        name=name or f"{preset.name} năm {year}",
        code_prefix=prefix,
        status="draft",
        max_authors=preset.max_authors,
        max_teachers=preset.max_teachers,
        birth_from=birth_from,
        birth_to=birth_to,
        lookback_date=date(year - 3, 1, 1) if kind == "innovation" else None,
    )
    contest.fields = [Field(code=str(i + 1), name=n, position=i) for i, n in enumerate(preset.fields)]
    contest.age_groups = [AgeGroup(name=n, position=i) for i, n in enumerate(preset.age_groups)]
    contest.criteria = [
        Criterion(name=n, description=d, max_points=Decimal(p), position=i)
        for i, (n, d, p) in enumerate(preset.criteria)
    ]
    contest.document_types = [
        DocumentType(
            name=d.name,
            description=d.description,
            required=d.required,
            accepted=d.accepted,
            max_mb=d.max_mb,
            position=i,
        )
        for i, d in enumerate(preset.documents)
    ]
    db.session.add(contest)
    db.session.flush()
    record("contest.create", contest, after=snapshot(contest, CONTEST_FIELDS), summary=kind)
    return contest


def unused_prefix(prefix: str, year: int, exclude_id: int | None = None) -> str:
    """`prefix`, or `prefix2`, `prefix3`... when another edition of the same year already uses it (entry codes
    PREFIX-YEAR-NNNN are unique across the whole system)."""
    query = select(Contest.code_prefix).where(Contest.year == year)
    if exclude_id is not None:
        query = query.where(Contest.id != exclude_id)
    taken = set(db.session.scalars(query))
    candidate, n = prefix, 1
    while candidate in taken:
        n += 1
        candidate = f"{prefix}{n}"
    return candidate


def update_contest(contest: Contest, values: dict) -> None:
    """Change an edition's settings (audited when anything changed); the status changes only through
    `change_contest_status`. A child edition's rule changed here becomes its own (overridden); a parent's rule
    changed here reaches the children that inherit it (`children.propagate_rules`)."""
    from competitions.services.children import INHERITABLE_RULES, propagate_rules  # (children imports this module)

    before = snapshot(contest, CONTEST_FIELDS)
    for key, value in values.items():
        if key in CONTEST_FIELDS and key != "status":
            setattr(contest, key, value)
    after = snapshot(contest, CONTEST_FIELDS)
    if after != before:
        record("contest.update", contest, before=before, after=after)
        rules = [r for r in INHERITABLE_RULES if before.get(r) != after.get(r)]
        if contest.parent_id is not None and rules:  # a child's own value: an override from now on
            contest.inherits = [r for r in (contest.inherits or []) if r not in rules]
        propagate_rules(contest, rules)


# --- Setting up editions: settings with the description, status changes, the editable lists ---------------

#: The status an edition may move to from each status: one step forward, or one step back where it makes sense
#: (open -> draft while nobody has registered; closed -> open to extend registration; judging -> closed to go
#: back to screening; archived -> results to take an edition out of the archive).
CONTEST_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "draft": ("open",),
    "open": ("closed", "draft"),
    "closed": ("judging", "open"),
    "judging": ("results", "closed"),
    "results": ("archived",),
    "archived": ("results",),
}

#: The lists of an edition an organizer edits: relationship -> (model, the columns a row sets).
CONTEST_LISTS: dict[str, tuple[type, tuple[str, ...]]] = {
    "fields": (Field, ("code", "name", "description")),
    "age_groups": (AgeGroup, ("name",)),
    "document_types": (DocumentType, ("name", "description", "required", "accepted", "max_mb")),
    "criteria": (Criterion, ("name", "description", "max_points", "weight", "step")),
}


#: The lists a child edition takes from its parent and cannot change itself: a forwarded entry takes the parent's row
#: its own row is linked to (`parent_id`). The parent's changes reach its children (`children.propagate_list`).
FOLLOWED_LISTS = ("fields", "age_groups")


class ListFollowsParent(ValueError):
    """A child edition's fields and age groups are its parent's: they change in the parent edition only."""

    def __init__(self, relation: str):
        super().__init__(f"{relation} follow the parent edition")
        self.relation = relation


class ContestNotReady(TransitionError):
    """The status change is allowed in principle but the edition is not ready for it (`problems`: codes)."""

    def __init__(self, problems: list[str]):
        super().__init__(", ".join(problems))
        self.problems = problems


class ItemsInUse(ValueError):
    """Rows of a list that entries use and that cannot be removed: [(row, number of entries), ...]."""

    def __init__(self, items: list[tuple[object, int]]):
        super().__init__(", ".join(f"{getattr(item, 'name', item)} ({n})" for item, n in items))
        self.items = items


def contest_status_problems(contest: Contest, target: str, now: datetime | None = None) -> list[str]:
    """Why the edition cannot move to `target` now, as codes (empty: it can)."""
    if target not in CONTEST_TRANSITIONS.get(contest.status, ()):
        return ["not_allowed"]
    problems = []
    if target == "open":
        if not contest.fields:
            problems.append("no_fields")
        if contest.registration_opens_at is None or contest.registration_closes_at is None:
            problems.append("no_registration_window")
        elif contest.registration_closes_at <= (now or utcnow()):
            problems.append("closes_in_past")
        if contest.is_youth and not contest.age_groups:
            problems.append("no_age_groups")
        if contest.is_youth and (contest.birth_from is None or contest.birth_to is None):
            problems.append("no_birth_window")
    if (contest.status, target) == ("open", "draft") and db.session.scalar(
        db.select(db.func.count(Entry.id)).where(Entry.contest_id == contest.id)
    ):
        problems.append("has_entries")
    return problems


def change_contest_status(contest: Contest, target: str) -> None:
    """Move the edition to `target` (see CONTEST_TRANSITIONS); raises `ContestNotReady` saying why not."""
    problems = contest_status_problems(contest, target)
    if problems:
        raise ContestNotReady(problems)
    before = snapshot(contest, ("status",))
    contest.status = target
    record(
        "contest.status",
        contest,
        before=before,
        after=snapshot(contest, ("status",)),
        summary=f"{before['status']} → {target}",
    )


def list_usage(contest: Contest, relation: str) -> dict[int, int]:
    """How many entries use each row of a list (fields and age groups chosen, document types with a file)."""
    if relation == "fields":
        column = Entry.field_id
    elif relation == "age_groups":
        column = Entry.age_group_id
    elif relation == "document_types":
        from competitions.models import EntryDocument

        rows = db.session.execute(
            db.select(EntryDocument.document_type_id, db.func.count(db.func.distinct(EntryDocument.entry_id)))
            .join(Entry, Entry.id == EntryDocument.entry_id)
            .where(Entry.contest_id == contest.id, EntryDocument.document_type_id.is_not(None))
            .group_by(EntryDocument.document_type_id)
        )
        return {row_id: int(n) for row_id, n in rows}
    else:
        return {}
    rows = db.session.execute(
        db.select(column, db.func.count(Entry.id))
        .where(Entry.contest_id == contest.id, column.is_not(None))
        .group_by(column)
    )
    return {row_id: int(n) for row_id, n in rows}


def update_contest_list(contest: Contest, relation: str, rows: list[dict]) -> bool:
    """Replace one list of the edition (fields, age_groups, document_types, criteria) by `rows` in that order.

    A row with the "id" of an existing row updates it, one without adds a row, and existing rows left out are
    removed; raises `ItemsInUse` (changing nothing) when entries use a row left out. Records
    "contest.<relation>.update" with the list before and after; returns whether anything changed.

    A child edition's fields and age groups follow its parent's: changing them raises `ListFollowsParent`. A
    parent's changes to them reach its children (`children.propagate_list`: rows added, renamed, moved, and
    removed where the child's entries do not use them)."""
    if relation in FOLLOWED_LISTS and contest.parent_id is not None:
        raise ListFollowsParent(relation)
    model, columns = CONTEST_LISTS[relation]
    current = list(getattr(contest, relation))
    by_id = {item.id: item for item in current}
    kept: list[int] = []
    for values in rows:
        item_id = values.get("id")
        if item_id in by_id and item_id not in kept:
            kept.append(item_id)
    removed = [item for item in current if item.id not in kept]
    if removed:
        usage = list_usage(contest, relation)
        in_use = [(item, usage[item.id]) for item in removed if usage.get(item.id)]
        if in_use:
            raise ItemsInUse(in_use)
    before = [snapshot(item, ("id", *columns)) for item in current]
    taken: set[int] = set()
    items = []
    for position, values in enumerate(rows):
        item_id = values.get("id")
        item = by_id[item_id] if item_id in by_id and item_id not in taken else model()
        if item.id is not None:
            taken.add(item.id)
        for column in columns:
            setattr(item, column, values[column])
        item.position = position
        items.append(item)
    setattr(contest, relation, items)
    db.session.flush()
    after = [snapshot(item, ("id", *columns)) for item in items]
    if after == before:
        return False
    record(f"contest.{relation}.update", contest, before={relation: before}, after={relation: after})
    if relation in FOLLOWED_LISTS:
        from competitions.services.children import propagate_list  # (children imports this module)

        propagate_list(contest, relation)
    return True
