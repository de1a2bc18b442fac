"""Child editions of a multi-level contest: a school or district round that forwards its best entries to its
parent edition. A child is created from its parent (its fields, age groups, document types and criteria copied and
linked to the parent's), and takes the parent's rules (`INHERITABLE_RULES`) except those it overrides: the parent's
later changes reach the children that still inherit them."""

from __future__ import annotations

from sqlalchemy import select

from app.audit.service import record, snapshot
from app.extensions import db
from competitions.models import AgeGroup, Contest, Criterion, DocumentType, Field
from competitions.services.contests import CONTEST_FIELDS, unused_prefix

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
