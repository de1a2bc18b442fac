"""Invitees: who is invited and from where (a contest's authors, finalists or winners, its judges, a campaign's
nominees, honorees or council, a guest list, one by one), one invitee and one pass per person; cancelling;
the list with its counts. Functions record the audit log and flush; the view commits once."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from importlib.util import find_spec

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.accounts.models import RoleGrant, User
from app.audit.service import record
from app.extensions import db
from app.text import normalize_search
from competitions.models import Contest, Entry
from events import rules
from events.models.events import Event, Invitee
from events.services import passes

#: Entry statuses whose authors count as "authors of all entries" (drafts and withdrawn entries do not).
ENTERED_STATUSES = ("submitted", "returned", "eligible", "ineligible")
#: The groups of people a contest or a campaign can bring, with the role they get at the event.
CONTEST_GROUPS = {"authors": "author", "finalists": "finalist", "winners": "winner", "judges": "judge"}
CAMPAIGN_GROUPS = {"nominees": "nominee", "honorees": "honoree", "council": "council_member"}


@dataclass
class PersonIn:
    """A person to invite, from any source."""

    full_name: str
    email: str = ""
    phone: str = ""
    unit: str = ""
    role: str = "guest"
    birth_date: date | None = None
    user_id: int | None = None
    source_ref: str = ""
    note: str = ""

    @property
    def key(self) -> str:
        return rules.dedupe_key(self.full_name, self.email, self.birth_date, self.unit)


@dataclass
class AddResult:
    added: list[Invitee] = field(default_factory=list)
    #: People already invited (or twice in what was given): the names, for the message.
    already: list[str] = field(default_factory=list)


def add_people(event: Event, people: list[PersonIn], *, source: str, by: User | None) -> AddResult:
    """Invite each person once: someone already an invitee of the event (same `dedupe_key`), or given twice, is
    not added again. Each new invitee is "invited" with a pass. Accounts with the same e-mail are linked."""
    existing = set(db.session.scalars(select(Invitee.dedupe_key).where(Invitee.event_id == event.id)))
    emails = {rules.normalise_email(p.email) for p in people if p.email and p.user_id is None}
    accounts = (
        dict(
            db.session.execute(select(func.lower(User.email), User.id).where(func.lower(User.email).in_(emails))).all()
        )
        if emails
        else {}
    )
    result = AddResult()
    for person in people:
        key = person.key
        if key in existing:
            result.already.append(person.full_name)
            continue
        existing.add(key)
        invitee = Invitee(
            event_id=event.id,
            email=rules.normalise_email(person.email),
            phone=person.phone,
            unit=person.unit,
            role=person.role,
            source=source,
            source_ref=person.source_ref[:64],
            birth_date=person.birth_date,
            user_id=person.user_id or accounts.get(rules.normalise_email(person.email)),
            dedupe_key=key,
            status="invited",
            note=person.note,
        )
        invitee.set_name(person.full_name)
        db.session.add(invitee)
        db.session.flush()
        passes.issue_pass(invitee, by=by)
        result.added.append(invitee)
    if result.added:
        record(
            "event.invitees_add",
            event,
            after={"source": source, "count": len(result.added), "already": len(result.already)},
            actor=by,
            summary=f"{source}: {len(result.added)}",
        )
    return result


def add_one(event: Event, person: PersonIn, *, by: User) -> Invitee | None:
    """Invite one person by hand; None when they are already invited."""
    result = add_people(event, [person], source="manual", by=by)
    return result.added[0] if result.added else None


def find_duplicate(event: Event, person: PersonIn) -> Invitee | None:
    return db.session.scalar(select(Invitee).where(Invitee.event_id == event.id, Invitee.dedupe_key == person.key))


# --- where people come from -----------------------------------------------------------------------------------


def contest_people(contest: Contest, group: str) -> list[PersonIn]:
    """The authors of the contest's entries ("authors"), of its finalists ("finalists": entries of a final round),
    of its award winners ("winners"), or its judges ("judges"), as people to invite (an author of several
    entries appears once per entry here; `add_people` keeps one)."""
    role = CONTEST_GROUPS[group]
    if group == "judges":
        return _judges(contest)
    if group == "winners":
        from results.models import Award

        entry_ids = select(Award.entry_id).where(Award.contest_id == contest.id)
    elif group == "finalists":
        from judging.models import Round, RoundEntry

        finals = select(Round.id).where(Round.contest_id == contest.id, Round.kind == "final")
        entry_ids = select(RoundEntry.entry_id).where(RoundEntry.round_id.in_(finals))
    else:
        entry_ids = select(Entry.id).where(Entry.contest_id == contest.id, Entry.status.in_(ENTERED_STATUSES))
    query = (
        select(Entry)
        .where(Entry.contest_id == contest.id, Entry.id.in_(entry_ids))
        .options(selectinload(Entry.people))
        .order_by(Entry.code, Entry.id)
    )
    people: list[PersonIn] = []
    for entry in db.session.scalars(query).unique():
        for author in entry.authors:
            people.append(
                PersonIn(
                    full_name=author.full_name,
                    email=author.email,
                    phone=author.phone,
                    unit=author.unit or entry.unit_name,
                    role=role,
                    birth_date=author.birth_date,
                    user_id=entry.owner_id if author.is_lead else None,
                    source_ref=f"entry:{entry.id}",
                )
            )
    return people


def _judges(contest: Contest) -> list[PersonIn]:
    """Members of the contest's sub-panels and accounts holding the judge role for this contest."""
    from judging.models import Panel, PanelMember

    members = (
        select(PanelMember.user_id).join(Panel, Panel.id == PanelMember.panel_id).where(Panel.contest_id == contest.id)
    )
    granted = select(RoleGrant.user_id).where(
        RoleGrant.role == "judge", RoleGrant.scope_type == "contest", RoleGrant.scope_id == contest.id
    )
    users = db.session.scalars(
        select(User).where(User.id.in_(members.union(granted))).order_by(User.sort_name, User.id)
    ).unique()
    return [_account_person(user, "judge", "judge") for user in users]


def _account_person(user: User, role: str, ref: str) -> PersonIn:
    return PersonIn(
        full_name=user.full_name,
        email=user.email,
        phone=user.phone,
        unit=user.organisation.name if user.organisation else "",
        role=role,
        user_id=user.id,
        source_ref=f"{ref}:{user.id}",
    )


def campaigns_available() -> bool:
    return find_spec("honors.models.campaigns") is not None


def campaign_people(campaign, group: str) -> list[PersonIn]:
    """A campaign's nominees (the eligible dossiers the council votes on), its honorees (the published honoree
    list) or its council members, as people to invite."""
    role = CAMPAIGN_GROUPS[group]
    if group == "council":
        granted = select(RoleGrant.user_id).where(
            RoleGrant.role == "council_member", RoleGrant.scope_type == "campaign", RoleGrant.scope_id == campaign.id
        )
        users = db.session.scalars(select(User).where(User.id.in_(granted)).order_by(User.sort_name, User.id))
        return [_account_person(user, role, "council") for user in users]
    if group == "honorees":
        return _honorees(campaign)
    from honors.services.dossiers import nominees

    return [_dossier_person(d, role) for d in nominees(campaign)]


def _dossier_person(dossier, role: str, *, full_name: str | None = None, unit: str | None = None) -> PersonIn:
    return PersonIn(
        full_name=full_name or dossier.full_name,
        email=dossier.email,
        phone=dossier.phone,
        unit=unit if unit is not None else dossier.unit_name,
        role=role,
        birth_date=dossier.birth_date,
        source_ref=f"dossier:{dossier.id}",
    )


def _honorees(campaign) -> list[PersonIn]:
    """The published honorees, with their dossier's contact details (two queries); none before publication."""
    from honors.models.campaigns import Dossier
    from honors.services.publication import honor_list

    published = honor_list(campaign)
    if published is None:
        return []
    ids = [h.dossier_id for h in published.honorees if h.dossier_id]
    dossiers = {d.id: d for d in db.session.scalars(select(Dossier).where(Dossier.id.in_(ids)))} if ids else {}
    people = []
    for honoree in published.honorees:
        dossier = dossiers.get(honoree.dossier_id)
        if dossier is not None:
            people.append(_dossier_person(dossier, "honoree", full_name=honoree.full_name, unit=honoree.unit_name))
        else:
            people.append(PersonIn(full_name=honoree.full_name, unit=honoree.unit_name, role="honoree"))
    return people


# --- changing an invitee --------------------------------------------------------------------------------------


def cancel(invitee: Invitee, *, by: User | None, reason: str = "") -> None:
    """Cancel an invitation or a registration: the pass is revoked and the place goes to the waiting list."""
    from events.services.registration import promote_waitlist

    before = invitee.status
    if before == "cancelled":
        return
    invitee.status = "cancelled"
    invitee.waitlist_position = None
    db.session.flush()
    passes.revoke_current(invitee, reason or "cancelled", by=by)
    record(
        "event.invitee_cancel",
        invitee,
        before={"status": before},
        after={"status": "cancelled", "reason": reason},
        actor=by,
        summary=invitee.full_name,
    )
    promote_waitlist(invitee.event, by=by)


# --- reading the list -------------------------------------------------------------------------------------------


@dataclass
class Counts:
    by_status: Counter
    by_role: Counter

    @property
    def holding(self) -> int:
        return self.by_status["invited"] + self.by_status["registered"]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def counts(event: Event) -> Counts:
    """Invitees by status, and those holding a place by role (one grouped query)."""
    rows = db.session.execute(
        select(Invitee.status, Invitee.role, func.count(Invitee.id))
        .where(Invitee.event_id == event.id)
        .group_by(Invitee.status, Invitee.role)
    )
    by_status: Counter = Counter()
    by_role: Counter = Counter()
    for status, role, n in rows:
        by_status[status] += n
        if status in ("invited", "registered"):
            by_role[role] += n
    return Counts(by_status, by_role)


def list_query(event: Event, *, q: str = "", role: str = "", status: str = ""):
    """The invitees of the event, filtered, in Vietnamese name order, their passes loaded (for paging)."""
    query = (
        select(Invitee)
        .where(Invitee.event_id == event.id)
        .options(selectinload(Invitee.passes))
        .order_by(Invitee.status == "waitlisted", Invitee.waitlist_position, Invitee.sort_name, Invitee.id)
    )
    if q:
        query = query.where(Invitee.search_name.contains(normalize_search(q), autoescape=True))
    if role:
        query = query.where(Invitee.role == role)
    if status:
        query = query.where(Invitee.status == status)
    return query
