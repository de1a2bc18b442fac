"""Demo data of judging: the Technical Innovation edition's preliminary round, open for scoring.

Registration has closed and the edition is judging (the Youth contest and its district rounds stay open for
registration). The preliminary round is blind: judges see the documents under generic names and without the
authors' names their properties hold.

Two sub-panels share the fields (the first three, the rest) with the demo judge and four more judges of this
contest; conflicts of interest are found automatically (one judge works where some authors work) and one is
recorded by the organizers; the judges are assigned automatically; sheets are submitted (one entry's judges
disagree by more than the threshold), some are drafts, and the demo judge ("giamkhao") has a couple left to score.

Everything goes through the services, so the audit log tells the story as if the organizers had done it.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta
from decimal import Decimal

from flask import current_app
from flask_login import login_user
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.roles import JUDGE
from app.accounts.services import grant_role
from app.demo import DEMO_PASSWORD
from app.extensions import db
from app.timefmt import utcnow
from competitions import services as competitions
from competitions.models import Contest, Entry
from judging import services
from judging.conflicts import fold_unit
from judging.models import Assignment, Round

#: (email, full name, organisation key or None: the one some authors work at) of the contest's other judges,
#: the first two with the demo judge on the first sub-panel, the last two on the second.
JUDGES = [
    ("giamkhao2@sangtao.local", "Ngô Thanh Sơn", None),
    ("giamkhao3@sangtao.local", "Dương Thị Ngọc Hân", "it_assoc"),
    ("giamkhao4@sangtao.local", "Lý Văn Thành", "agri_assoc"),
    ("giamkhao5@sangtao.local", "Hồ Thị Kim Ngân", "med_assoc"),
]
#: What `flask demo-logins` prints after the foundation's logins: (email, full name, role, note).
DEMO_LOGINS = [(email, name, JUDGE, " (Technical Innovation contest only)") for email, name, _org in JUDGES]

PANEL_NAMES = (
    "Tiểu ban Kỹ thuật – Công nghệ",
    "Tiểu ban Nông nghiệp, Y dược, Giáo dục và Xã hội",
)
#: How many fields of the contest (in order) the first sub-panel judges; the second judges the rest.
FIRST_PANEL_FIELDS = 3
COMMENTS = [
    "Giải pháp có tính thực tiễn cao, đã áp dụng hiệu quả tại đơn vị.",
    "Cần bổ sung số liệu so sánh trước và sau khi áp dụng.",
    "Ý tưởng mới, chi phí thấp, dễ nhân rộng.",
    "Hồ sơ đầy đủ; hiệu quả kinh tế chưa được chứng minh rõ.",
    "",
]


def _step(value: float, spec) -> Decimal:
    """`value` to the criterion's step, within 0 and its maximum."""
    step = spec.step
    steps = Decimal(str(value)) / step
    return max(Decimal(0), min(spec.max_points, steps.to_integral_value() * step))


def _values(round_: Round, quality: float, rng: random.Random) -> dict[int, Decimal]:
    """Scores around `quality` (0 to 1) of each criterion's maximum, a little noise per criterion."""
    return {
        c.id: _step(quality * float(c.max_points) + rng.uniform(-1.5, 1.5), c.spec())
        for c in sorted(round_.criteria, key=lambda c: c.position)
    }


def _judges(context: dict, contest: Contest, entries: list[Entry], first_fields: set[int]) -> list[User]:
    """The contest's other judges (accounts with the demo password and the judge role for this contest only).

    The first works at the unit of some authors of the first sub-panel's entries (the fewest), so that conflicts
    of interest are found; the organisation is taken from the demo's own when one has that name."""
    orgs, admin = context["organisations"], context["accounts"]["admin"]
    entries_at: Counter[str] = Counter()  # folded unit -> how many of the first sub-panel's entries it has
    for entry in entries:
        if entry.field_id in first_fields:
            entries_at.update({fold_unit(p.unit) for p in entry.people} - {""})
    by_name = {fold_unit(o.name): o for o in orgs.values()}
    shared = sorted((n, unit) for unit, n in entries_at.items() if unit in by_name)
    judges = []
    for i, (email, name, org_key) in enumerate(JUDGES):
        organisation = orgs[org_key] if org_key else (by_name[shared[0][1]] if shared else orgs["rubber"])
        user = User(email=email, phone=f"09{81000000 + i * 1111}", organisation=organisation)
        user.set_name(name)
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        db.session.flush()
        grant_role(user, JUDGE, by=admin, scope_type="contest", scope_id=contest.id)
        judges.append(user)
    return judges


def _screen(contest: Contest, panels_fields: list[set[int]], organizer: User) -> None:
    """Make sure each sub-panel has at least two eligible entries, screening submitted ones (one stays submitted)."""
    entries = list(db.session.scalars(select(Entry).where(Entry.contest_id == contest.id).order_by(Entry.id)))
    waiting = [e for e in entries if e.status == "submitted"]
    for fields in panels_fields:
        eligible = sum(1 for e in entries if e.status == "eligible" and e.field_id in fields)
        for entry in [e for e in waiting if e.field_id in fields]:
            if eligible >= 2 or len(waiting) <= 1:
                break
            competitions.screen_entry(entry, "eligible", "", by=organizer)
            waiting.remove(entry)
            eligible += 1


def _sheets(round_: Round, demo_judge: User, others: list[User], rng: random.Random) -> None:
    """Submitted sheets, drafts, one divergent entry, and two sheets left for the demo judge."""
    assignments = list(
        db.session.scalars(
            select(Assignment).where(Assignment.round_id == round_.id).order_by(Assignment.entry_id, Assignment.id)
        )
    )
    quality = {a.entry_id: rng.uniform(0.5, 0.9) for a in assignments}
    by_entry: dict[int, list[Assignment]] = {}
    for a in assignments:
        by_entry.setdefault(a.entry_id, []).append(a)
    # The judges of one entry, none of them the demo judge, disagree: one finds it excellent, the other weak.
    divergent = next(
        (e for e, pair in by_entry.items() if len(pair) >= 2 and all(a.judge_id != demo_judge.id for a in pair)), None
    )
    harsh = {by_entry[divergent][-1].id} if divergent else set()

    mine = [a for a in assignments if a.judge_id == demo_judge.id]
    submitted_mine = max(1, len(mine) - 2) if len(mine) >= 2 else 0
    # A draft for the second and the fourth of the other judges: their last entry but the divergent one.
    drafts = {
        [a for a in assignments if a.judge_id == j.id and a.entry_id != divergent][-1].id
        for j in others[1::2]
        if any(a.judge_id == j.id and a.entry_id != divergent for a in assignments)
    }
    for a in assignments:
        judge = a.judge
        if judge.id == demo_judge.id:
            position = mine.index(a)
            if position > submitted_mine:
                continue  # not opened yet: left for the visitor
            submit = position < submitted_mine
        else:
            submit = a.id not in drafts
        level = quality[a.entry_id]
        if a.entry_id == divergent:
            level = 0.55 if a.id in harsh else 0.88
        values = _values(round_, level, rng)
        if not submit:  # a draft half done
            values = dict(list(values.items())[: max(1, len(values) - 1)])
        sheet = services.sheet_for(a)
        problems = services.save_sheet(sheet, values, rng.choice(COMMENTS), by=judge)
        if problems:
            raise ValueError(f"demo scores refused: {problems}")
        if submit:
            services.submit_sheet(sheet, by=judge)


def seed(context: dict) -> dict:
    """The Technical Innovation edition's preliminary round, scoring (see the module docstring)."""
    rng = random.Random(2026)
    contest: Contest = context["contests"]["innovation"]
    if db.session.scalar(select(Round.id).where(Round.contest_id == contest.id).limit(1)) is not None:
        return context  # judging already set up
    accounts = context["accounts"]
    organizer, demo_judge = accounts["organizer"], accounts["judge"]
    fields = [f.id for f in contest.fields]
    panels_fields = [set(fields[:FIRST_PANEL_FIELDS]), set(fields[FIRST_PANEL_FIELDS:])]
    with current_app.test_request_context():
        login_user(organizer)  # the contest's own services record the signed-in organizer
        competitions.update_contest(
            contest, {"registration_closes_at": utcnow().replace(microsecond=0) - timedelta(days=3)}
        )
        competitions.change_contest_status(contest, "closed")
        _screen(contest, panels_fields, organizer)
        competitions.change_contest_status(contest, "judging")
        eligible = list(
            db.session.scalars(
                select(Entry).where(Entry.contest_id == contest.id, Entry.status == "eligible").order_by(Entry.id)
            )
        )
        others = _judges(context, contest, eligible, panels_fields[0])
        members = [[demo_judge, *others[:2]], others[2:]]
        panels = [
            services.save_panel(contest, name, sorted(f), [m.id for m in people], people[0].id, by=organizer)
            for name, f, people in zip(PANEL_NAMES, panels_fields, members, strict=True)
        ]

        round_ = services.create_round(contest, "preliminary", by=organizer)
        services.add_eligible_entries(round_, by=organizer)
        services.update_round(
            round_, {"deadline": utcnow().replace(microsecond=0) + timedelta(days=10), "blind": True}, by=organizer
        )

        services.detect_conflicts(contest, by=organizer)
        conflicted = {entry_id for _judge, entry_id in services.active_conflicts(contest.id)}
        free = [e for e in eligible if e.field_id in panels_fields[0] and e.id not in conflicted]
        if free:
            services.declare_conflict(
                others[1], free[-1], "family", "Giám khảo là chị ruột của tác giả.", source="organizer", by=organizer
            )

        services.change_round_status(round_, "scoring", by=organizer)
        services.save_assignment(round_, services.plan_assignment(round_), by=organizer)
        _sheets(round_, demo_judge, others, rng)
    db.session.flush()
    return context | {"judging": {"round": round_, "panels": panels, "judges": others}}
