"""Demo data of results: a finished edition, the Technical Innovation contest of two years ago.

Its ten entries were screened, scored in a preliminary round, eight of them sent on to the final round and scored
again by the three judges of its one council; the award plan (the default tiers and quotas per field, a prize for
the youngest author and one for the unit with most finalists) was stored as awards by its rules, approved by a
decision, and published (version 1). A correction followed: one award lowered by the Board, with its reason, and
version 2 published with a change note. Certificates were then issued to every author of every award and to the
unit holding its prize. The edition's status is "results".

The current editions are left as the other seeders made them (the current Technical Innovation edition's blind
preliminary round is still being scored). Everything goes through the services, so the rules hold and the audit
log tells the story.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask import current_app
from flask_login import login_user
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.roles import JUDGE
from app.accounts.services import grant_role
from app.extensions import db
from app.timefmt import utcnow
from competitions import services as competitions
from competitions.demo import attach_documents, author_shares, demo_author, demo_units
from competitions.models import Contest, Entry
from competitions.services import EntryInput
from judging import services as judging
from judging.models import Assignment, Round
from results.models import Award
from results.ranking import BOARD
from results.services import awards, publication
from results.services.certificates import issue_certificates
from results.services.plans import plan_for

#: How many years before the current editions the finished one was held, and its number.
YEARS_AGO = 2
NUMBER = 7

RUBBER = "Công ty TNHH MTV Cao su Phú Riềng"
HOSPITAL = "Trung tâm Y tế huyện Lộc Ninh"
CASHEW = "Hợp tác xã Điều Bù Gia Mập"
SCHOOL = "Trường THPT chuyên Quang Trung"
POWER = "Điện lực Đồng Xoài"


@dataclass(frozen=True)
class DemoEntry:
    title: str
    field: int  # index of the edition's field
    unit: str
    born: tuple[date, ...]  # one author per birth date, the first is the lead
    quality: float  # share of each criterion's maximum the judges give, about


ENTRIES = [
    DemoEntry(
        "Hệ thống giám sát vườn cây cao su qua cảm biến không dây",
        0,
        RUBBER,
        (date(1975, 3, 2), date(1988, 9, 21)),
        0.90,
    ),
    DemoEntry("Phần mềm đặt lịch khám bệnh trực tuyến cho tuyến huyện", 0, HOSPITAL, (date(1982, 11, 5),), 0.80),
    DemoEntry(
        "Bộ điều khiển tưới tự động dùng năng lượng mặt trời", 0, SCHOOL, (date(2002, 8, 14), date(1979, 4, 30)), 0.70
    ),
    DemoEntry("Ứng dụng bản đồ số phòng chống cháy rừng", 0, POWER, (date(1990, 1, 17),), 0.42),
    DemoEntry("Máy cạo mủ cao su cầm tay cải tiến", 1, RUBBER, (date(1968, 6, 9),), 0.88),
    DemoEntry("Thiết bị bóc vỏ hạt điều liên hoàn", 1, CASHEW, (date(1971, 2, 14), date(1985, 12, 1)), 0.78),
    DemoEntry("Xe đẩy vận chuyển mủ cao su trên địa hình dốc", 1, RUBBER, (date(1993, 7, 7),), 0.64),
    DemoEntry("Giải pháp giảm tổn thất điện năng trên lưới hạ thế", 1, POWER, (date(1980, 10, 10),), 0.40),
    DemoEntry("Quy trình ủ phân vi sinh từ vỏ hạt điều", 3, CASHEW, (date(1977, 5, 19),), 0.74),
    DemoEntry(
        "Xử lý nước thải sơ chế mủ cao su bằng chế phẩm sinh học",
        3,
        RUBBER,
        (date(1986, 8, 3), date(1991, 3, 28)),
        0.68,
    ),
]
#: The plan's quotas per field and minimum scores by tier (others: no limit).
QUOTAS = {"first": 1, "second": 1, "third": 1}
MINIMUMS = {"first": Decimal(80)}
#: How many entries (the best of the preliminary round) go on to the final round.
FINALISTS = 8
COUNCIL = "Hội đồng giám khảo"
#: The Board's correction after version 1: the entry (index in ENTRIES) whose award it lowers, and why.
CORRECTED = 6
CORRECTION = (
    "Theo Biên bản họp Ban Tổ chức: giải pháp mới áp dụng thử dưới 6 tháng, chưa đủ điều kiện nhận Giải Ba; "
    "điều chỉnh xuống Giải Khuyến khích."
)
DECISION = ("125/QĐ-LHH", "Phạm Văn Ký", "Chủ tịch Liên hiệp các hội Khoa học và Kỹ thuật tỉnh Bình Phước")


def _entries(contest: Contest, context: dict, rng: random.Random, organizer: User) -> list[Entry]:
    """The edition's entries, submitted with their documents and found eligible."""
    units = demo_units(context)
    owners = context["people"][24:34] or [context["accounts"]["contestant"]]
    made = []
    for i, spec in enumerate(ENTRIES):
        authors = tuple(
            demo_author(rng, share, k == 0, spec.unit, born, units)
            for k, (born, share) in enumerate(zip(spec.born, author_shares(len(spec.born)), strict=True))
        )
        data = EntryInput(
            title=spec.title,
            summary="Mô tả tóm tắt giải pháp: mục tiêu, cách làm và hiệu quả đạt được tại đơn vị.",
            field_id=contest.fields[spec.field].id,
            created_on=date(contest.year - 1, 1 + i, 10),
            authors=authors,
        )
        entry = competitions.save_entry(None, contest, data, owner=owners[i % len(owners)])
        attach_documents(entry)
        competitions.submit_entry(entry)
        competitions.screen_entry(entry, "eligible", "", by=organizer)
        made.append(entry)
    return made


def _score(round_: Round, quality: dict[int, float], rng: random.Random) -> None:
    """Every assigned judge scores and submits, around the entry's quality."""
    assignments = db.session.scalars(select(Assignment).where(Assignment.round_id == round_.id).order_by(Assignment.id))
    for assignment in assignments:
        values = {}
        for c in round_.criteria:
            spec = c.spec()
            raw = Decimal(str(quality[assignment.entry_id] * float(c.max_points) + rng.uniform(-1.5, 1.5)))
            values[c.id] = max(Decimal(0), min(spec.max_points, (raw / spec.step).to_integral_value() * spec.step))
        sheet = judging.sheet_for(assignment)
        problems = judging.save_sheet(sheet, values, "Hồ sơ đầy đủ, giải pháp đã được áp dụng.", by=assignment.judge)
        if problems:
            raise ValueError(f"demo scores refused: {problems}")
        judging.submit_sheet(sheet, by=assignment.judge)


def _judge_round(round_: Round, organizer: User, quality: dict[int, float], rng: random.Random) -> None:
    judging.change_round_status(round_, "scoring", by=organizer)
    judging.save_assignment(round_, judging.plan_assignment(round_), by=organizer)
    _score(round_, quality, rng)
    judging.change_round_status(round_, "closed", by=organizer)


def _judges(context: dict, contest: Contest) -> list[User]:
    """The demo judge (a judge everywhere) and two of the current edition's judges, given this edition too."""
    others = list(context.get("judging", {}).get("judges", []))[1:3]
    if len(others) < 2:  # judging's demo did not run: two more of the demo's people judge
        others = context["people"][34:36]
    admin = context["accounts"]["admin"]
    for user in others:
        grant_role(user, JUDGE, by=admin, scope_type="contest", scope_id=contest.id)
    return [context["accounts"]["judge"], *others]


def _plan(contest: Contest, organizer: User) -> None:
    """The default tiers, one of each per field (a First from 80 points: a field may have none) and any number of
    Encouragement prizes; a prize for the youngest author and one for the unit with most finalists."""
    plan = plan_for(contest)
    awards.update_plan(
        plan,
        {
            "round_id": None,
            "scope": "field",
            "tiers": [
                {
                    "id": t.id,
                    "name": t.name,
                    "quota": QUOTAS.get(t.code),
                    "min_score": MINIMUMS.get(t.code),
                    "points": None,
                }
                for t in plan.tiers
                if not t.special
            ],
            "specials": [
                {"id": None, "name": "Giải Tác giả trẻ tuổi nhất", "rule": "youngest_author"},
                {
                    "id": None,
                    "name": "Giải Đơn vị có nhiều giải pháp vào chung khảo nhất",
                    "rule": "unit_most_finalists",
                },
            ],
            "tie_break": [link for link in plan.tie_break if link != BOARD],
            "show_feedback": True,
        },
        by=organizer,
    )


def seed(context: dict) -> dict:
    """The finished edition of two years ago (see the module's docstring)."""
    contests = context.get("contests", {})
    current: Contest | None = contests.get("innovation")
    if current is None:
        return context
    year = current.year - YEARS_AGO
    existing = db.session.scalar(
        select(Contest).where(Contest.kind == "innovation", Contest.year == year, Contest.number == NUMBER)
    )
    if existing is not None:
        return context  # already seeded
    rng = random.Random(2024)
    accounts = context["accounts"]
    organizer = accounts["organizer"]
    now = utcnow().replace(microsecond=0)
    with current_app.test_request_context():
        login_user(organizer)  # the contest's own services record the signed-in organizer
        contest = competitions.create_contest("innovation", current.organisation_id, year, number=NUMBER)
        competitions.update_contest(
            contest,
            {"registration_opens_at": now - timedelta(days=30), "registration_closes_at": now + timedelta(days=1)},
        )
        competitions.change_contest_status(contest, "open")
        entries = _entries(contest, context, rng, organizer)
        competitions.update_contest(
            contest,
            {"registration_opens_at": datetime(year, 3, 1, 1), "registration_closes_at": datetime(year, 6, 30, 10)},
        )
        competitions.change_contest_status(contest, "closed")
        competitions.change_contest_status(contest, "judging")

        judges = _judges(context, contest)
        fields = sorted({contest.fields[spec.field].id for spec in ENTRIES})
        judging.save_panel(contest, COUNCIL, fields, [j.id for j in judges], judges[0].id, by=organizer)
        quality = {entry.id: spec.quality for entry, spec in zip(entries, ENTRIES, strict=True)}

        preliminary = judging.create_round(contest, "preliminary", by=organizer)
        judging.add_eligible_entries(preliminary, by=organizer)
        _judge_round(preliminary, organizer, quality, rng)
        best = sorted(entries, key=lambda e: -quality[e.id])[:FINALISTS]
        judging.advance_entries(
            preliminary, [e.id for e in best], "Hội đồng chọn 8 bài có điểm sơ khảo cao nhất.", by=organizer
        )
        final = judging.next_round(preliminary)
        _judge_round(final, organizer, quality, rng)

        _plan(contest, organizer)
        awards.generate_awards(contest, by=organizer)
        number, signer, title = DECISION
        awards.record_decision(
            contest, number=number, signed_on=date(year, 9, 15), signer=signer, signer_title=title, by=organizer
        )
        first = publication.publish(contest, "", by=organizer)
        corrected = db.session.scalar(
            select(Award).where(Award.entry_id == entries[CORRECTED].id, Award.special.is_(False))
        )
        if corrected is not None and corrected.tier_code != "encouragement":
            awards.change_award(corrected, "encouragement", CORRECTION, by=organizer)
        second = publication.publish(contest, f"{entries[CORRECTED].code}: {CORRECTION}", by=organizer)
        issue_certificates(contest, by=organizer)
        competitions.change_contest_status(contest, "results")
    db.session.flush()
    return context | {"results": {"contest": contest, "publications": [first, second]}}
