"""Child editions of a multi-level contest: a school or district round that forwards its best entries to its
parent edition. A child is created from its parent (its fields, age groups, document types and criteria copied and
linked to the parent's), and takes the parent's rules (`INHERITABLE_RULES`) except those it overrides: the parent's
later changes reach the children that still inherit them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from app.audit.service import record, snapshot
from app.extensions import db
from competitions.models import AgeGroup, Contest, Criterion, DocumentType, Entry, Field
from competitions.services.contests import CONTEST_FIELDS, CONTEST_LISTS, FOLLOWED_LISTS, list_usage, unused_prefix

#: The rules a child edition takes from its parent unless it overrides them.
INHERITABLE_RULES = ("max_authors", "max_teachers", "lookback_date", "birth_from", "birth_to")
CHILD_FIELDS = ("parent_id", "inherits", "quota_at_parent")


def create_child_contest(
    parent: Contest, organisation_id: int, *, name: str | None = None, code_prefix: str | None = None, by
) -> Contest:
    """A child edition of `parent`, in draft, run by `organisation_id` (a district union, a school): same kind and
    year, the parent's rules (all inherited), its fields, age groups, document types and criteria copied and linked
    (`parent_id`) so that a forwarded entry finds its place in the parent. Registration windows are the child's own
    (left empty). Audited "contest.create_child"."""
    prefix = unused_prefix((code_prefix or parent.code_prefix).strip().upper()[:12] or parent.code_prefix, parent.year)
    child = Contest(
        kind=parent.kind,
        organisation_id=organisation_id,
        year=parent.year,
        number=None,
        name=(name or "").strip() or parent.name,
        level="school",
        code_prefix=prefix,
        description="",
        status="draft",
        parent_id=parent.id,
        inherits=list(INHERITABLE_RULES),
    )
    for rule in INHERITABLE_RULES:
        setattr(child, rule, getattr(parent, rule))
    child.fields = [
        Field(code=f.code, name=f.name, description=f.description, position=f.position, parent_id=f.id)
        for f in parent.fields
    ]
    child.age_groups = [AgeGroup(name=a.name, position=a.position, parent_id=a.id) for a in parent.age_groups]
    child.document_types = [
        DocumentType(
            name=d.name,
            description=d.description,
            required=d.required,
            accepted=d.accepted,
            max_mb=d.max_mb,
            position=d.position,
            parent_id=d.id,
        )
        for d in parent.document_types
    ]
    child.criteria = [
        Criterion(
            name=c.name,
            description=c.description,
            max_points=c.max_points,
            weight=c.weight,
            step=c.step,
            position=c.position,
        )
        for c in parent.criteria
    ]
    db.session.add(child)
    db.session.flush()
    record(
        "contest.create_child",
        child,
        after=snapshot(child, CONTEST_FIELDS) | snapshot(child, CHILD_FIELDS),
        summary=parent.name,
        actor=by,
    )
    return child


def propagate_rules(parent: Contest, names, *, by=None) -> list[Contest]:
    """Give the parent's current value of each rule in `names` to every child that inherits it (and on down to
    their own children); returns the editions changed. Called after the parent's settings change."""
    changed: list[Contest] = []
    names = [n for n in names if n in INHERITABLE_RULES]
    if not names:
        return changed
    for child in db.session.scalars(select(Contest).where(Contest.parent_id == parent.id).order_by(Contest.id)):
        before = snapshot(child, INHERITABLE_RULES)
        followed = [n for n in names if n in (child.inherits or [])]
        for name in followed:
            setattr(child, name, getattr(parent, name))
        if snapshot(child, INHERITABLE_RULES) != before:
            record("contest.inherit", child, before=before, after=snapshot(child, INHERITABLE_RULES), actor=by)
            changed.append(child)
        if followed:
            changed += propagate_rules(child, followed, by=by)
    return changed


def set_inherited(child: Contest, rule: str, inherited: bool, *, by=None) -> None:
    """Make a child follow its parent's `rule` again (its value reset to the parent's), or keep its own value
    (an override). Audited "contest.inherit"."""
    if rule not in INHERITABLE_RULES or child.parent is None:
        raise ValueError(rule)
    before = snapshot(child, (*INHERITABLE_RULES, "inherits"))
    inherits = [r for r in (child.inherits or []) if r != rule]
    if inherited:
        inherits.append(rule)
        setattr(child, rule, getattr(child.parent, rule))
    child.inherits = [r for r in INHERITABLE_RULES if r in inherits]
    after = snapshot(child, (*INHERITABLE_RULES, "inherits"))
    if after != before:
        record("contest.inherit", child, before=before, after=after, actor=by)
        propagate_rules(child, [rule], by=by)


def overridden(child: Contest, values: dict) -> list[str]:
    """The inheritable rules `values` (a settings form's) sets to something other than the parent's: a child's
    settings page marks them overridden."""
    if child.parent is None:
        return []
    return [r for r in INHERITABLE_RULES if r in values and values[r] != getattr(child.parent, r)]


# --- What a child's settings page shows ----------------------------------------------------------------------


@dataclass(frozen=True)
class RuleState:
    """One inheritable rule of a child edition: whether it follows the parent, its value and the parent's."""

    rule: str
    inherited: bool
    value: int | date | None
    parent_value: int | date | None


def inheritance(child: Contest) -> list[RuleState]:
    """Each inheritable rule of a child edition (empty for an edition without a parent), in `INHERITABLE_RULES`
    order: followed from the parent, or the child's own value (an override)."""
    parent = child.parent
    if parent is None:
        return []
    follows = set(child.inherits or [])
    return [RuleState(rule, rule in follows, getattr(child, rule), getattr(parent, rule)) for rule in INHERITABLE_RULES]


@dataclass(frozen=True)
class ChildRow:
    """A child edition as its parent's settings page lists it, with its entries (drafts left out)."""

    contest: Contest
    entries: int


def children_of(parent: Contest) -> list[ChildRow]:
    """The parent's child editions with their submitted entries counted, in two queries whatever their number."""
    children = list(db.session.scalars(select(Contest).where(Contest.parent_id == parent.id).order_by(Contest.id)))
    counts: dict[int, int] = {}
    if children:
        rows = db.session.execute(
            select(Entry.contest_id, func.count(Entry.id))
            .where(Entry.contest_id.in_([c.id for c in children]), Entry.status != "draft")
            .group_by(Entry.contest_id)
        )
        counts = {contest_id: int(n) for contest_id, n in rows}
    return [ChildRow(child, counts.get(child.id, 0)) for child in children]


# --- The parent's fields and age groups reach its children --------------------------------------------------


@dataclass(frozen=True)
class KeptRow:
    """A child's row whose parent row is gone, kept because the child's entries use it."""

    contest: Contest
    item: Field | AgeGroup
    entries: int


def propagate_list(parent: Contest, relation: str, *, by=None) -> list[KeptRow]:
    """Give the parent's fields or age groups (`FOLLOWED_LISTS`) to each child edition and on down: a parent row
    the child has no copy of is copied (linked by `parent_id`), copies take the parent row's name (and code and
    description) and order, and a copy whose parent row is gone is removed unless the child's entries use it: then
    it is kept at the end, unlinked, and returned. Each child changed is audited "contest.<relation>.update"."""
    if relation not in FOLLOWED_LISTS:
        raise ValueError(relation)
    model, columns = CONTEST_LISTS[relation]
    source = list(getattr(parent, relation))
    kept: list[KeptRow] = []
    for child in db.session.scalars(select(Contest).where(Contest.parent_id == parent.id).order_by(Contest.id)):
        current = list(getattr(child, relation))
        before = [snapshot(item, ("id", "parent_id", *columns)) for item in current]
        linked: dict[int, object] = {}
        for item in current:
            if item.parent_id is not None:
                linked.setdefault(item.parent_id, item)
        items = []
        for row in source:
            item = linked.get(row.id) or model(parent_id=row.id)
            for column in columns:
                setattr(item, column, getattr(row, column))
            items.append(item)
        taken = {id(item) for item in items}
        orphans = [item for item in current if id(item) not in taken]
        usage = list_usage(child, relation) if orphans else {}
        for item in orphans:
            if usage.get(item.id):
                item.parent_id = None
                items.append(item)
                kept.append(KeptRow(child, item, usage[item.id]))
        for position, item in enumerate(items):
            item.position = position
        setattr(child, relation, items)
        db.session.flush()
        after = [snapshot(item, ("id", "parent_id", *columns)) for item in items]
        if after != before:
            record(
                f"contest.{relation}.update",
                child,
                before={relation: before},
                after={relation: after},
                summary=parent.name,
                actor=by,
            )
        kept += propagate_list(child, relation, by=by)
    return kept


def detached_rows(parent: Contest, relation: str) -> list[KeptRow]:
    """The rows of the parent's children (one level down) that no longer follow a parent row, with the number of
    the child's entries using each: left in place because entries use them (`propagate_list`). Two queries."""
    model, _columns = CONTEST_LISTS[relation]
    items = list(
        db.session.scalars(
            select(model)
            .join(Contest, Contest.id == model.contest_id)
            .where(Contest.parent_id == parent.id, model.parent_id.is_(None))
            .options(contains_eager(model.contest))
            .order_by(model.contest_id, model.position)
        )
    )
    if not items:
        return []
    column = Entry.field_id if relation == "fields" else Entry.age_group_id
    counts = dict(
        db.session.execute(
            select(column, func.count(Entry.id)).where(column.in_([i.id for i in items])).group_by(column)
        ).all()
    )
    return [KeptRow(item.contest, item, int(counts.get(item.id, 0))) for item in items]
