"""Demo data of the honors package: the province's campaign for this year, screened, with its council (its ballot
is added by `honors.demo_ballot.seed_ballot` when that module exists), and a second campaign taking nominations
where the demo nominator (decu@sangtao.local, for the Informatics Association) has a dossier awaiting screening and
a draft to finish.

Rows are built directly (not through the services, which commit): the seeding command commits once at the end."""

from __future__ import annotations

import importlib
import importlib.util
import random
from datetime import date, timedelta

from app.accounts.models import RoleGrant, User
from app.accounts.roles import COUNCIL_MEMBER, NOMINATOR
from app.demo import DEMO_PASSWORD, vietnamese_name
from app.extensions import db
from app.timefmt import utcnow
from honors.models.campaigns import (
    DEFAULT_CATEGORIES,
    DEFAULT_CHECKLIST,
    BodyNominator,
    Campaign,
    CampaignCategory,
    ChecklistAnswer,
    ChecklistItem,
    Dossier,
    NominatingBody,
)

DEMO_LOGINS = [
    ("hoidong2@sangtao.local", "GS.TS. Nguyễn Văn Khánh", "council_member", " (this year's campaign only)"),
    ("decu.yhoc@sangtao.local", "Lý Thị Ngọc", "nominator", " (Medical Association)"),
]

FIELDS = {
    "Khoa học tự nhiên": ("Hóa học", "Trường THPT chuyên Quang Trung"),
    "Khoa học kỹ thuật và công nghệ": ("Công nghệ thông tin", "Sở Khoa học và Công nghệ tỉnh Bình Phước"),
    "Khoa học y, dược": ("Y học", "Bệnh viện Đa khoa tỉnh Bình Phước"),
    "Khoa học nông nghiệp": ("Nông học", "Trung tâm Khuyến nông tỉnh"),
    "Khoa học xã hội và nhân văn": ("Lịch sử", "Trường Chính trị tỉnh"),
}
ACHIEVEMENTS = [
    "Chủ nhiệm đề tài khoa học cấp tỉnh đã nghiệm thu, ứng dụng tại địa phương",
    "Tác giả giải pháp đạt giải Hội thi Sáng tạo kỹ thuật tỉnh",
    "Hướng dẫn học sinh đạt giải cuộc thi khoa học kỹ thuật cấp quốc gia",
    "Chuyển giao quy trình kỹ thuật cho nông dân trồng điều",
]
#: Each demo dossier's status in this year's campaign: all screened, ready for the council's ballot.
STATUSES = ["eligible"] * 9 + ["ineligible", "withdrawn"]


def _campaign(orgs, organizer: User, *, name: str, status: str, opens: int, closes: int) -> Campaign:
    campaign = Campaign(
        organisation_id=orgs["union"].id,
        name=name,
        occasion=f"Ngày Khoa học và Công nghệ Việt Nam 18/5/{utcnow().year}",
        description="Xét chọn, tôn vinh trí thức khoa học và công nghệ tiêu biểu có nhiều đóng góp cho tỉnh.",
        status=status,
        opens_at=utcnow() + timedelta(days=opens),
        closes_at=utcnow() + timedelta(days=closes),
        default_quota=4,
        honor_count=10,
        created_by_id=organizer.id,
    )
    campaign.categories = [CampaignCategory(name=n, position=i) for i, n in enumerate(DEFAULT_CATEGORIES, start=1)]
    campaign.checklist = [
        ChecklistItem(text=t, required=r, position=i) for i, (t, r) in enumerate(DEFAULT_CHECKLIST, start=1)
    ]
    db.session.add(campaign)
    db.session.flush()
    return campaign


def _nominator(user: User, body: NominatingBody) -> None:
    user.role_grants.append(RoleGrant(role=NOMINATOR, scope_type="campaign", scope_id=body.campaign_id))
    db.session.add(BodyNominator(body=body, campaign_id=body.campaign_id, user_id=user.id))


def _dossier(body: NominatingBody, status: str, rng: random.Random, by: User, screener: User, n: int) -> Dossier:
    campaign = body.campaign
    category = campaign.categories[n % len(campaign.categories)]
    field, unit = FIELDS.get(category.name, ("Khoa học", "Liên hiệp các Hội"))
    now = utcnow()
    dossier = Dossier(
        campaign=campaign,
        body=body,
        category=category,
        created_by_id=by.id,
        status=status,
        full_name=vietnamese_name(rng),
        birth_date=date(rng.randrange(1958, 1985), rng.randrange(1, 13), rng.randrange(1, 29)),
        gender=rng.choice(["female", "male"]),
        academic_title=rng.choice(["", "", "PGS", "GS"]),
        degree=rng.choice(["TS", "TS", "ThS", "TSKH"]),
        position=rng.choice(["Trưởng khoa", "Phó Giám đốc", "Giảng viên chính", "Trưởng phòng"]),
        unit_name=unit,
        field=field,
        years_of_work=rng.randrange(12, 35),
        email=f"ungvien{n:02d}@example.vn",
        phone=f"09{rng.randrange(10**7, 10**8)}",
        achievements="\n".join(rng.sample(ACHIEVEMENTS, 2)),
        publications=f"{rng.randrange(5, 40)} bài báo khoa học trong nước và quốc tế",
        patents="Bằng độc quyền giải pháp hữu ích" if n % 3 == 0 else "",
        awards="Bằng khen của Chủ tịch UBND tỉnh",
        confirmed_by="Thủ trưởng đơn vị",
        confirmed_on=date.today() - timedelta(days=40),
    )
    if dossier.degree not in ("TS", "TSKH"):
        dossier.academic_title = ""  # professors hold a doctorate
    dossier.answers = [ChecklistAnswer(item=item, answer=status != "ineligible" or n % 2 == 0)
                       for item in campaign.checklist]  # fmt: skip
    if status != "draft":
        dossier.submitted_at = now - timedelta(days=20 + n)
    if status == "withdrawn":
        dossier.withdrawn_at = now - timedelta(days=12)
        dossier.withdraw_reason = "Ứng viên xin rút vì đã được đề cử ở đợt tôn vinh cấp trung ương."
    if status in ("eligible", "ineligible"):
        dossier.screened_at = now - timedelta(days=5)
        dossier.screened_by_id = screener.id
        if status == "ineligible":
            dossier.screening_reason = "Chưa đủ 10 năm hoạt động khoa học và công nghệ theo xác nhận của đơn vị."
    dossier.refresh_derived()
    db.session.add(dossier)
    return dossier


def seed(context: dict) -> dict:
    rng = random.Random(518)
    orgs, accounts = context["organisations"], context["accounts"]
    organizer = accounts["organizer"]
    year = utcnow().year
    campaign = _campaign(
        orgs, organizer, name=f"Tôn vinh trí thức khoa học và công nghệ tiêu biểu năm {year}",
        status="screening", opens=-45, closes=-10,
    )  # fmt: skip
    keys = ["it_assoc", "med_assoc", "agri_assoc", "doste"]
    bodies = [NominatingBody(campaign=campaign, organisation_id=orgs[k].id) for k in keys]
    db.session.add_all(bodies)
    db.session.flush()
    medical = User(email="decu.yhoc@sangtao.local", organisation=orgs["med_assoc"])
    medical.set_name("Lý Thị Ngọc")
    medical.set_password(DEMO_PASSWORD)
    db.session.add(medical)
    db.session.flush()
    nominators = [accounts["nominator"], medical]
    _nominator(accounts["nominator"], bodies[0])
    _nominator(medical, bodies[1])
    dossiers = [
        _dossier(bodies[n % len(bodies)], status, rng, nominators[n % 2], organizer, n + 1)
        for n, status in enumerate(STATUSES)
    ]
    # The council: the demo council member (its chair) and four professors for this campaign only.
    members = [accounts["council_member"]]
    for i, name in enumerate(["GS.TS. Nguyễn Văn Khánh", *[vietnamese_name(rng) for _ in range(3)]], start=2):
        member = User(email=f"hoidong{i}@sangtao.local", organisation=orgs["union"])
        member.set_name(name)
        member.set_password(DEMO_PASSWORD)
        member.role_grants.append(RoleGrant(role=COUNCIL_MEMBER, scope_type="campaign", scope_id=campaign.id))
        members.append(member)
    db.session.add_all(members)
    accounts["council_member"].role_grants.append(
        RoleGrant(role=COUNCIL_MEMBER, scope_type="campaign", scope_id=campaign.id)
    )
    db.session.flush()
    campaign.chair_id = accounts["council_member"].id

    upcoming = _campaign(
        orgs, organizer, name=f"Tôn vinh nhà khoa học trẻ tiêu biểu năm {year}", status="nominating",
        opens=-3, closes=25,
    )  # fmt: skip
    open_body = NominatingBody(campaign=upcoming, organisation_id=orgs["it_assoc"].id, quota=2)
    db.session.add(open_body)
    db.session.flush()
    _nominator(accounts["nominator"], open_body)
    _dossier(open_body, "submitted", rng, accounts["nominator"], organizer, 40)
    _dossier(open_body, "draft", rng, accounts["nominator"], organizer, 41)
    db.session.flush()

    context = context | {"honors": {"campaign": campaign, "open_campaign": upcoming, "dossiers": dossiers,
                                    "council": members}}  # fmt: skip
    if importlib.util.find_spec("honors.demo_ballot") is not None:
        ballot = importlib.import_module("honors.demo_ballot")
        context = ballot.seed_ballot(context, campaign) or context
    return context
