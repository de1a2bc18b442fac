"""Demo history: earlier editions, finished, so that the annual report has earlier years to compare with (its
trend over four years: this one, the two before, and the Technical Innovation edition of four years ago; the one of
two years ago is `results.demo`'s).

Each edition goes the way a real one went, through the services: registration (entries submitted, most screened
eligible, one not eligible, one returned), a final round judged by a three-judge council (every sheet submitted),
awards by the plan (overall quotas 1/2/3/4), the approving decision, the published results, and the edition
archived. The dates of the time are then written on the records (registration window, submission times), as the
services stamp "now". An edition whose registration opened before the 2025 reform has its authors in Bình Phước's
former districts; one after it, in the communes and wards that succeeded them, so that grouping localities under
their successors shows both.

Called by `flask seed-demo` after `results.demo`; an edition of a year and kind already there is left alone. About
fifty entries, a few seconds."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask import current_app
from flask_login import login_user
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.roles import JUDGE
from app.accounts.services import grant_role
from app.demo import DEMO_PASSWORD, REFORM_START, vietnamese_name
from app.extensions import db
from app.timefmt import utcnow
from competitions import services as competitions
from competitions.demo import INNOVATION_TITLES, YOUTH_TITLES, attach_documents, author_shares
from competitions.models import Contest, Entry
from competitions.services import EntryInput, PersonInput
from judging import services as judging
from judging.models import Assignment, Round
from results.services import awards as award_services
from results.services import publication
from results.services.plan_edit import update_plan
from results.services.plans import plan_for

#: (years before the current editions, kind, edition number, entries, decision number, decision day and month,
#: season of registration: "spring" March to June, "autumn" August to September)
EDITIONS = [
    (4, "innovation", 6, 16, "215/QĐ-LHH", (22, 11), "spring"),
    (2, "youth", 13, 14, "198/QĐ-LHH", (30, 10), "autumn"),
    (1, "youth", 14, 15, "241/QĐ-LHH", (14, 11), "autumn"),
]
SEASONS = {"spring": ((3, 1), (6, 30)), "autumn": ((8, 1), (9, 30))}
#: The council that judged the earlier editions (accounts with the demo password, judges of those editions only).
COUNCIL = [
    ("hoidong.gk1@sangtao.local", "Trịnh Văn Lộc"),
    ("hoidong.gk2@sangtao.local", "Mai Thị Bích Thủy"),
    ("hoidong.gk3@sangtao.local", "Cao Minh Triết"),
]
QUOTAS = (1, 2, 3, 4)
SCHOOLS = [
    "Trường THPT chuyên Quang Trung",
    "Trường THCS Tân Phú",
    "Trường Tiểu học Tân Xuân",
    "Trường THPT Bù Đăng",
    "Trường THCS Đức Liễu",
    "Trường Tiểu học Minh Hưng",
]
UNITS = [
    "Công ty TNHH MTV Cao su Phú Riềng",
    "Trung tâm Y tế huyện Lộc Ninh",
    "Hợp tác xã Điều Bù Gia Mập",
    "Sở Khoa học và Công nghệ tỉnh Bình Phước",
    "Trường THPT chuyên Quang Trung",
    "Bệnh viện Đa khoa tỉnh Bình Phước",
]


def _council(context: dict) -> list[User]:
    found = []
    for email, name in COUNCIL:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, organisation=context["organisations"].get("doste"))
            user.set_name(name)
            user.set_password(DEMO_PASSWORD)
            db.session.add(user)
            db.session.flush()
        found.append(user)
    return found


def _entries(contest: Contest, count: int, units, owners, rng: random.Random, organizer) -> list[Entry]:
    """`count` entries submitted; all eligible but one not eligible and one returned for changes."""
    youth = contest.is_youth
    titles = YOUTH_TITLES if youth else INNOVATION_TITLES
    made = []
    for i in range(count):
        unit = rng.choice(SCHOOLS if youth else UNITS)
        n = rng.choice([1, 1, 2, 3])
        place = rng.choice(units)
        authors = tuple(
            PersonInput(
                full_name=vietnamese_name(rng),
                birth_date=date(contest.year - rng.randint(9, 16), rng.randint(1, 12), rng.randint(1, 28))
                if youth
                else date(rng.randint(1965, 1998), rng.randint(1, 12), rng.randint(1, 28)),
                gender=rng.choice(["male", "female"]),
                unit=unit,
                admin_unit_id=place.id,
                share=share,
                is_lead=k == 0,
            )
            for k, share in enumerate(author_shares(n))
        )
        title = titles[i % len(titles)] + ("" if i < len(titles) else f" (mẫu {i // len(titles) + 1})")
        data = EntryInput(
            title=title,
            summary="Giải pháp đã áp dụng thực tế, có số liệu trước và sau khi áp dụng.",
            field_id=contest.fields[i % len(contest.fields)].id,
            age_group_id=contest.age_groups[i % len(contest.age_groups)].id if youth else None,
            created_on=None if youth else date(contest.year - 1, rng.randint(1, 12), rng.randint(1, 28)),
            authors=authors,
            teachers=(PersonInput(full_name="Cô " + vietnamese_name(rng), unit=unit),) if youth else (),
        )
        entry = competitions.save_entry(None, contest, data, owner=owners[i % len(owners)])
        attach_documents(entry)
        competitions.submit_entry(entry)
        decision = "ineligible" if i == count - 1 else "returned" if i == count - 2 else "eligible"
        note = {"eligible": "", "ineligible": "Giải pháp đã đoạt giải ở hội thi trước.", "returned": "Thiếu xác nhận."}
        competitions.screen_entry(entry, decision, note[decision], by=organizer)
        made.append(entry)
    return made


def _judge(round_: Round, council: list[User], rng: random.Random) -> None:
    """Every assignment's sheet submitted: scores around each entry's quality, a little noise per judge."""
    assignments = list(
        db.session.scalars(
            select(Assignment).where(Assignment.round_id == round_.id).order_by(Assignment.entry_id, Assignment.id)
        )
    )
    quality = {a.entry_id: rng.uniform(0.55, 0.92) for a in assignments}
    for a in assignments:
        values = {}
        for c in round_.criteria:
            raw = Decimal(str(quality[a.entry_id] * float(c.max_points) + rng.uniform(-1.2, 1.2)))
            step = c.spec().step
            values[c.id] = max(Decimal(0), min(c.max_points, (raw / step).to_integral_value() * step))
        sheet = judging.sheet_for(a)
        problems = judging.save_sheet(sheet, values, "", by=a.judge)
        if problems:
            raise ValueError(f"demo scores refused: {problems}")
        judging.submit_sheet(sheet, by=a.judge)


def _edition(context: dict, spec: tuple, council: list[User], rng: random.Random) -> Contest:
    years_ago, kind, number, count, decision_number, (day, month), season = spec
    year = utcnow().year - years_ago
    (open_month, open_day), (close_month, close_day) = SEASONS[season]
    opens, closes = datetime(year, open_month, open_day, 1, 0), datetime(year, close_month, close_day, 10, 0)
    reformed = opens.date() >= REFORM_START
    orgs, accounts = context["organisations"], context["accounts"]
    organizer, admin = accounts["organizer"], accounts["admin"]
    units = [u for key, u in context["units"].items() if key.startswith("new_" if reformed else "6")]
    now = utcnow().replace(microsecond=0)
    contest = competitions.create_contest(kind, orgs["union"].id, year, number=number)
    contest.registration_opens_at = now - timedelta(days=1)
    contest.registration_closes_at = now + timedelta(days=1)
    competitions.change_contest_status(contest, "open")
    owners = [accounts["contestant"], *context["people"][24:36]]
    entries = _entries(contest, count, units, owners, rng, organizer)
    # The registration of the time, each entry submitted within it.
    contest.registration_opens_at, contest.registration_closes_at = opens, closes
    for i, entry in enumerate(entries):
        entry.submitted_at = opens + timedelta(days=10 + 3 * i, hours=rng.randint(0, 12))
    competitions.change_contest_status(contest, "closed")
    competitions.change_contest_status(contest, "judging")

    for judge in council:
        grant_role(judge, JUDGE, by=admin, scope_type="contest", scope_id=contest.id)
    judging.save_panel(
        contest,
        "Hội đồng giám khảo",
        [f.id for f in contest.fields],
        [j.id for j in council],
        council[0].id,
        by=organizer,
    )
    round_ = judging.create_round(contest, "final", by=organizer)
    judging.update_round(round_, {"judges_per_entry": len(council)}, by=organizer)
    judging.add_eligible_entries(round_, by=organizer)
    judging.change_round_status(round_, "scoring", by=organizer)
    judging.save_assignment(round_, judging.plan_assignment(round_), by=organizer)
    _judge(round_, council, rng)
    judging.change_round_status(round_, "closed", by=organizer)

    plan = plan_for(contest)
    tiers = [
        {"id": t.id, "name": t.name, "quota": quota, "min_score": None, "points": None}
        for t, quota in zip([t for t in plan.tiers if not t.special], QUOTAS, strict=False)
    ]
    update_plan(plan, {"round_id": None, "scope": "overall", "tiers": tiers, "specials": []}, by=organizer)
    award_services.generate_awards(contest, by=organizer)
    award_services.record_decision(
        contest,
        number=decision_number,
        signed_on=date(year, month, day),
        signer="Nguyễn Văn Hòa",
        signer_title="Chủ tịch Liên hiệp các hội Khoa học và Kỹ thuật tỉnh",
        by=organizer,
    )
    publication.publish(contest, "", by=organizer)
    competitions.change_contest_status(contest, "results")
    competitions.change_contest_status(contest, "archived")
    return contest


def seed(context: dict) -> dict:
    """The earlier editions, finished and published (see the module's docstring)."""
    this_year = utcnow().year
    held = set(db.session.execute(select(Contest.year, Contest.kind).where(Contest.parent_id.is_(None))).all())
    missing = [spec for spec in EDITIONS if (this_year - spec[0], spec[1]) not in held]
    if not missing:
        return context  # the history is there already
    rng = random.Random(2024)
    with current_app.test_request_context():
        login_user(context["accounts"]["organizer"])
        council = _council(context)
        history = [_edition(context, spec, council, rng) for spec in missing]
    db.session.flush()
    return context | {"history": history}
