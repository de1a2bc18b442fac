"""Test data for honors: a campaign of the province's Union (categories, the default checklist, the window open
from yesterday for a month), nominating bodies with their nominator accounts, dossiers in any status, and a council.

`make_honors(dossiers=..., council=...)` builds the whole picture in one call (see `Honors`); the smaller factories
build one thing each. Everything is committed."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.accounts.models import RoleGrant, User
from app.extensions import db
from app.timefmt import utcnow
from honors.models.campaigns import (
    DEFAULT_CHECKLIST,
    BodyNominator,
    Campaign,
    CampaignCategory,
    ChecklistAnswer,
    ChecklistItem,
    Dossier,
    NominatingBody,
)
from tests.competitions.factories import make_organisation
from tests.judging.factories import make_account

CATEGORIES = ("Khoa học tự nhiên", "Khoa học kỹ thuật và công nghệ", "Khoa học y, dược")
BODIES = ("Hội Y học tỉnh", "Hội Nông nghiệp và Phát triển nông thôn", "Hội Tin học tỉnh")
_seq = itertools.count(1)


def make_campaign(
    *,
    organisation=None,
    status: str = "nominating",
    opens_in_days: int = -1,
    closes_in_days: int = 30,
    default_quota: int | None = 3,
    name: str = "Tôn vinh trí thức tiêu biểu năm 2026",
    **extra,
) -> Campaign:
    """A campaign of `organisation` (a new provincial Union by default) with CATEGORIES and the default checklist,
    nominations open from `opens_in_days` to `closes_in_days` from now."""
    org = organisation or make_organisation()
    campaign = Campaign(
        organisation_id=org.id,
        name=name,
        occasion=extra.pop("occasion", "Ngày Khoa học và Công nghệ Việt Nam 18/5"),
        status=status,
        opens_at=utcnow() + timedelta(days=opens_in_days),
        closes_at=utcnow() + timedelta(days=closes_in_days),
        default_quota=default_quota,
        **extra,
    )
    campaign.categories = [CampaignCategory(name=n, position=i) for i, n in enumerate(CATEGORIES, start=1)]
    campaign.checklist = [
        ChecklistItem(text=t, required=r, position=i) for i, (t, r) in enumerate(DEFAULT_CHECKLIST, start=1)
    ]
    db.session.add(campaign)
    db.session.commit()
    return campaign


def make_body(campaign: Campaign, name: str | None = None, *, quota: int | None = None, parent=None):
    """A nominating body (a new organisation below the campaign's) and its nominator account: (body, user)."""
    org = make_organisation(name or f"Hội thành viên số {next(_seq)}", parent=parent or campaign.organisation)
    body = NominatingBody(campaign_id=campaign.id, organisation_id=org.id, quota=quota)
    db.session.add(body)
    db.session.commit()
    user = make_nominator(body)
    return body, user


def make_nominator(body: NominatingBody, name: str = "Cán bộ đề cử") -> User:
    """An account nominating for `body`: the nominator role scoped to the campaign and a BodyNominator row."""
    user = make_account("nominator", name=name, scope=("campaign", body.campaign_id))
    user.organisation_id = body.organisation_id
    db.session.add(BodyNominator(body_id=body.id, campaign_id=body.campaign_id, user_id=user.id))
    db.session.commit()
    return user


def make_dossier(
    body: NominatingBody,
    *,
    status: str = "submitted",
    full_name: str | None = None,
    created_by: User | None = None,
    answers: bool | None = True,
    **extra,
) -> Dossier:
    """A complete dossier of `body` in `status` (answers every checklist item `answers` unless None)."""
    campaign = body.campaign
    n = next(_seq)
    values = {
        "full_name": full_name or f"Nguyễn Văn Đề Cử {n}",
        "birth_date": date(1970, 5, 18),
        "gender": "male",
        "academic_title": "PGS",
        "degree": "TS",
        "position": "Trưởng khoa",
        "unit_name": "Bệnh viện Đa khoa tỉnh",
        "field": "Y học",
        "years_of_work": 20,
        "email": f"decu{n}@example.vn",
        "phone": "0912345678",
        "achievements": "Chủ nhiệm 3 đề tài cấp tỉnh\nỨng dụng kỹ thuật mổ nội soi",
        "publications": "Bài báo trên Tạp chí Y học Việt Nam",
        "confirmed_by": "Giám đốc Bệnh viện",
        "confirmed_on": date(2026, 3, 1),
        "category_id": campaign.categories[0].id if campaign.categories else None,
    }
    values.update(extra)
    dossier = Dossier(
        campaign_id=campaign.id, body_id=body.id, status=status, created_by_id=getattr(created_by, "id", None)
    )
    for key, value in values.items():
        setattr(dossier, key, value)
    if status != "draft":
        dossier.submitted_at = utcnow() - timedelta(days=1)
    if status == "withdrawn":
        dossier.withdrawn_at = utcnow()
    if status in ("eligible", "ineligible"):
        dossier.screened_at = utcnow()
        dossier.screening_reason = "" if status == "eligible" else "Chưa đủ 10 năm công tác"
    if answers is not None:
        dossier.answers = [ChecklistAnswer(item_id=item.id, answer=answers) for item in campaign.checklist]
    db.session.add(dossier)
    db.session.flush()
    dossier.refresh_derived()
    db.session.commit()
    return dossier


def make_council(campaign: Campaign, members: int = 5, *, chair: bool = True) -> list[User]:
    """`members` council accounts (council_member scoped to the campaign), the first one chair when `chair`."""
    made = [
        make_account(
            "council_member",
            name=f"Thành viên Hội đồng {i}",
            email=f"hd{i}@example.vn",
            scope=("campaign", campaign.id),
        )
        for i in range(1, members + 1)
    ]
    if chair and made:
        campaign.chair_id = made[0].id
        db.session.commit()
    return made


def make_campaign_organizer(campaign: Campaign) -> User:
    """An organizer scoped to the campaign's organising body."""
    return make_account("organizer", name="Ban Thư ký", scope=("organisation", campaign.organisation_id))


@dataclass
class Honors:
    """What `make_honors` built: a campaign, its organizer, bodies (with one nominator each), dossiers per body
    (in the statuses asked), and the council (members[0] is the chair)."""

    campaign: Campaign
    organizer: User
    bodies: list[NominatingBody] = field(default_factory=list)
    nominators: list[User] = field(default_factory=list)
    dossiers: list[Dossier] = field(default_factory=list)
    council: list[User] = field(default_factory=list)

    def eligible(self) -> list[Dossier]:
        return [d for d in self.dossiers if d.status == "eligible"]


def make_honors(
    dossiers: tuple[str, ...] | list[str] = ("eligible", "eligible", "eligible", "ineligible", "withdrawn"),
    *,
    council: int = 5,
    status: str = "screening",
    bodies: int = 2,
    **campaign_options,
) -> Honors:
    """A campaign in `status` with `bodies` bodies; dossier i (in the status `dossiers[i]`) goes to body
    i % bodies; a council of `council` members with a chair."""
    campaign_options.setdefault("default_quota", None)
    campaign = make_campaign(status=status, **campaign_options)
    honors = Honors(campaign=campaign, organizer=make_campaign_organizer(campaign))
    for i in range(bodies):
        body, user = make_body(campaign, BODIES[i] if i < len(BODIES) else None)
        honors.bodies.append(body)
        honors.nominators.append(user)
    for i, dossier_status in enumerate(dossiers):
        body = honors.bodies[i % bodies]
        honors.dossiers.append(make_dossier(body, status=dossier_status, created_by=honors.nominators[i % bodies]))
    honors.council = make_council(campaign, council) if council else []
    return honors


def grant(user: User, role: str, scope: tuple[str, int] | None = None) -> None:
    user.role_grants.append(
        RoleGrant(role=role, scope_type=scope[0] if scope else None, scope_id=scope[1] if scope else None)
    )
    db.session.commit()
