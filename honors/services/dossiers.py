"""Dossiers: nominators draft, edit, upload evidence to, submit and withdraw them; organizers list and count them.

Each change commits once and writes the audit log on the dossier, or raises HonorsError (nothing written).
`nominees(campaign)` gives the eligible dossiers: what the council votes on (honors.services.ballots reads it).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager
from werkzeug.datastructures import FileStorage

from app.accounts.models import User
from app.audit.service import record, snapshot
from app.extensions import db
from app.forms import normalize_phone
from app.text import normalize_search
from app.timefmt import utcnow
from app.uploads import delete_stored, expand_accepted, store_upload
from honors.eligibility import Profile, Submission, can_edit, can_withdraw, quota_left, submit_problems
from honors.models.campaigns import (
    DOSSIER_STATUSES,
    UPLOAD_FOLDER,
    Campaign,
    ChecklistAnswer,
    Dossier,
    DossierFile,
    NominatingBody,
)
from honors.services.common import HonorsError

#: Evidence files: kinds accepted, the largest file, and the most a dossier's files may take together.
ACCEPTED_GROUPS = ("pdf", "word", "image")
MAX_FILE_MB = 10
MAX_TOTAL_MB = 50
MAX_FILES = 20


@dataclass
class DossierInput:
    """What the dossier form gives."""

    category_id: int | None = None
    full_name: str = ""
    birth_date: date | None = None
    gender: str = ""
    academic_title: str = ""
    degree: str = ""
    position: str = ""
    unit_name: str = ""
    field: str = ""
    years_of_work: int | None = None
    email: str = ""
    phone: str = ""
    achievements: str = ""
    publications: str = ""
    patents: str = ""
    awards: str = ""
    confirmed_by: str = ""
    confirmed_on: date | None = None


DOSSIER_FIELDS = tuple(f.name for f in fields(DossierInput))


def _apply(dossier: Dossier, data: DossierInput, answers: dict[int, tuple[bool | None, str]]) -> None:
    campaign = dossier.campaign
    if data.category_id is not None and data.category_id not in {c.id for c in campaign.categories}:
        raise HonorsError("category")
    for name in DOSSIER_FIELDS:
        setattr(dossier, name, getattr(data, name))
    dossier.phone = normalize_phone(dossier.phone)
    dossier.email = (dossier.email or "").strip().lower()
    items = {i.id for i in campaign.checklist}
    existing = {a.item_id: a for a in dossier.answers}
    for item_id, (answer, note) in answers.items():
        if item_id not in items:
            continue
        row = existing.get(item_id)
        if row is None:
            row = ChecklistAnswer(item_id=item_id)
            dossier.answers.append(row)
        row.answer, row.note = answer, note
    dossier.refresh_derived()


def create_dossier(
    body: NominatingBody, data: DossierInput, answers: dict[int, tuple[bool | None, str]], *, by: User
) -> Dossier:
    """A new draft of `body` (while the campaign takes nominations: "campaign_not_nominating" otherwise)."""
    campaign = body.campaign
    if campaign.status not in ("draft", "nominating"):
        raise HonorsError("campaign_not_nominating")
    dossier = Dossier(campaign=campaign, body=body, status="draft", created_by_id=by.id)
    db.session.add(dossier)
    _apply(dossier, data, answers)
    db.session.flush()
    record("honors.dossier.create", dossier, after=snapshot(dossier, DOSSIER_FIELDS), actor=by,
           summary=dossier.full_name)  # fmt: skip
    db.session.commit()
    return dossier


def update_dossier(
    dossier: Dossier, data: DossierInput, answers: dict[int, tuple[bool | None, str]], *, by: User
) -> None:
    if not can_edit(dossier.status, dossier.campaign.status):
        raise HonorsError("not_editable")
    before = snapshot(dossier, DOSSIER_FIELDS) | {"answers": _answers(dossier)}
    _apply(dossier, data, answers)
    after = snapshot(dossier, DOSSIER_FIELDS) | {"answers": _answers(dossier)}
    record("honors.dossier.update", dossier, before=before, after=after, actor=by, summary=dossier.full_name)
    db.session.commit()


def _answers(dossier: Dossier) -> dict:
    return {str(a.item_id): [a.answer, a.note] for a in dossier.answers}


def body_statuses(body: NominatingBody, *, excluding: int | None = None) -> tuple[str, ...]:
    """The statuses of the body's dossiers (one query), leaving out dossier `excluding`."""
    query = select(Dossier.status).where(Dossier.body_id == body.id)
    if excluding is not None:
        query = query.where(Dossier.id != excluding)
    return tuple(db.session.scalars(query))


def submission(dossier: Dossier, now: datetime | None = None) -> Submission:
    """What the rules weigh to let `dossier` be submitted at `now`."""
    campaign = dossier.campaign
    answers = {a.item_id: a.answer for a in dossier.answers}
    return Submission(
        campaign_status=campaign.status,
        opens_at=campaign.opens_at,
        closes_at=campaign.closes_at,
        now=now or utcnow(),
        dossier_status=dossier.status,
        quota=dossier.body.effective_quota,
        other_statuses=body_statuses(dossier.body, excluding=dossier.id),
        checklist=tuple((i.id, i.required) for i in campaign.checklist),
        answers=answers,
        profile=Profile(**{f: getattr(dossier, f) for f in Profile.__dataclass_fields__}),
    )


def submit_dossier(dossier: Dossier, *, by: User, now: datetime | None = None) -> None:
    """Submit a draft: within the window, within the body's quota, every required checklist item answered yes
    and the profile complete (HonorsError with every problem otherwise)."""
    now = now or utcnow()
    # The body's row is locked (PostgreSQL) so that two nominators of one body cannot both take its last place.
    db.session.execute(select(NominatingBody.id).where(NominatingBody.id == dossier.body_id).with_for_update())
    problems = submit_problems(submission(dossier, now))
    if problems:
        raise HonorsError(*problems)
    dossier.status = "submitted"
    dossier.submitted_at = now
    record("honors.dossier.submit", dossier, before={"status": "draft"}, after={"status": "submitted"}, actor=by,
           summary=dossier.full_name)  # fmt: skip
    db.session.commit()


def withdraw_dossier(dossier: Dossier, reason: str, *, by: User) -> None:
    """The body withdraws its dossier (the reason is kept); its place in the quota is free again."""
    if not can_withdraw(dossier.status, dossier.campaign.status):
        raise HonorsError("not_withdrawable")
    before = dossier.status
    dossier.status = "withdrawn"
    dossier.withdrawn_at = utcnow()
    dossier.withdraw_reason = reason.strip()
    record("honors.dossier.withdraw", dossier, before={"status": before},
           after={"status": "withdrawn", "reason": dossier.withdraw_reason}, actor=by,
           summary=dossier.full_name)  # fmt: skip
    db.session.commit()


# --- Evidence files ----------------------------------------------------------------------------------------------


def add_file(dossier: Dossier, upload: FileStorage, label: str, *, by: User) -> DossierFile:
    """Store an evidence file (checked by content: PDF, Word or image, at most MAX_FILE_MB and what is left of
    MAX_TOTAL_MB); UploadError refuses it, HonorsError when the dossier is no longer editable or full."""
    if not can_edit(dossier.status, dossier.campaign.status):
        raise HonorsError("not_editable")
    if len(dossier.files) >= MAX_FILES:
        raise HonorsError("too_many_files")
    room = MAX_TOTAL_MB * 1024 * 1024 - sum(f.size for f in dossier.files)
    if room <= 0:
        raise HonorsError("no_room")
    stored = store_upload(upload, UPLOAD_FOLDER, expand_accepted(ACCEPTED_GROUPS), min(MAX_FILE_MB * 1024 * 1024, room))
    row = DossierFile(
        label=label.strip(),
        original_name=stored.original_name,
        stored_name=stored.stored_name,
        kind=stored.kind,
        mimetype=stored.mimetype,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by_id=by.id,
    )
    dossier.files.append(row)
    record("honors.dossier.file_add", dossier, after={"file": row.original_name, "label": row.label,
           "size": row.size, "sha256": row.sha256}, actor=by, summary=dossier.full_name)  # fmt: skip
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        delete_stored(UPLOAD_FOLDER, stored.stored_name)
        raise
    return row


def delete_file(row: DossierFile, *, by: User) -> None:
    dossier = row.dossier
    if not can_edit(dossier.status, dossier.campaign.status):
        raise HonorsError("not_editable")
    record("honors.dossier.file_delete", dossier, before={"file": row.original_name, "sha256": row.sha256},
           actor=by, summary=dossier.full_name)  # fmt: skip
    dossier.files.remove(row)
    db.session.commit()
    delete_stored(UPLOAD_FOLDER, row.stored_name)


# --- Reading -----------------------------------------------------------------------------------------------------


def nominees(campaign: Campaign) -> list[Dossier]:
    """The campaign's eligible dossiers, by category then name: the list the council votes on (one query)."""
    from app.text import name_sort_string

    rows = list(
        db.session.scalars(select(Dossier).where(Dossier.campaign_id == campaign.id, Dossier.status == "eligible"))
    )
    order = {c.id: c.position for c in campaign.categories}
    return sorted(rows, key=lambda d: (order.get(d.category_id, 10**6), name_sort_string(d.full_name), d.id))


def status_counts(campaign: Campaign, body_id: int | None = None) -> dict[str, int]:
    """How many of the campaign's dossiers (of one body, when given) are in each status (one query)."""
    query = select(Dossier.status, func.count()).where(Dossier.campaign_id == campaign.id)
    if body_id is not None:
        query = query.where(Dossier.body_id == body_id)
    counts = dict.fromkeys(DOSSIER_STATUSES, 0)
    counts.update(dict(db.session.execute(query.group_by(Dossier.status)).all()))
    return counts


@dataclass(frozen=True)
class BodyUsage:
    body: NominatingBody
    counts: dict[str, int]
    quota: int | None
    left: int | None

    @property
    def used(self) -> int:
        return self.counts["submitted"] + self.counts["eligible"] + self.counts["ineligible"]


def body_usage(campaign: Campaign) -> list[BodyUsage]:
    """Per body of the campaign: its dossiers by status, its quota and the places left (two queries)."""
    rows = db.session.execute(
        select(Dossier.body_id, Dossier.status, func.count())
        .where(Dossier.campaign_id == campaign.id)
        .group_by(Dossier.body_id, Dossier.status)
    ).all()
    per_body: dict[int, dict[str, int]] = {}
    for body_id, status, n in rows:
        per_body.setdefault(body_id, dict.fromkeys(DOSSIER_STATUSES, 0))[status] = n
    usage = []
    for body in campaign.bodies:
        counts = per_body.get(body.id, dict.fromkeys(DOSSIER_STATUSES, 0))
        statuses = [s for s, n in counts.items() for _ in range(n)]
        usage.append(BodyUsage(body, counts, body.effective_quota, quota_left(body.effective_quota, statuses)))
    return usage


@dataclass(frozen=True)
class DossierFilters:
    status: str = ""
    body_id: int | None = None
    category_id: int | None = None
    q: str = ""


def dossier_query(campaign: Campaign, filters: DossierFilters, *, body_id: int | None = None):
    """The campaign's dossiers matching `filters` (of one body when `body_id`), in Vietnamese name order."""
    query = select(Dossier).where(Dossier.campaign_id == campaign.id)
    if body_id is not None:
        query = query.where(Dossier.body_id == body_id)
    if filters.status in DOSSIER_STATUSES:
        query = query.where(Dossier.status == filters.status)
    if filters.body_id is not None:
        query = query.where(Dossier.body_id == filters.body_id)
    if filters.category_id is not None:
        query = query.where(Dossier.category_id == filters.category_id)
    if filters.q.strip():
        query = query.where(Dossier.search_text.contains(normalize_search(filters.q), autoescape=True))
    return query.order_by(Dossier.sort_name, Dossier.id)


def nominator_bodies(user: User) -> list[NominatingBody]:
    """The bodies `user` nominates for, newest campaign first (one query; campaigns and organisations joined)."""
    from honors.models.campaigns import BodyNominator

    return list(
        db.session.scalars(
            select(NominatingBody)
            .join(BodyNominator, BodyNominator.body_id == NominatingBody.id)
            .join(Campaign, Campaign.id == NominatingBody.campaign_id)
            .where(BodyNominator.user_id == user.id)
            .options(contains_eager(NominatingBody.campaign))
            .order_by(Campaign.created_at.desc(), Campaign.id.desc())
        )
    )
