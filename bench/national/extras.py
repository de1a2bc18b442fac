"""The parts of the data set around the contest: the published results, the events with their passes, the honoring
campaign with its ballot (generate.py calls them in its transaction)."""

from __future__ import annotations

import random
import secrets
from datetime import datetime, timedelta
from decimal import Decimal

from app.accounts.models import RoleGrant, User
from app.accounts.services import create_api_token
from app.extensions import db
from app.orgs.models import Organisation
from app.text import name_sort_string, normalize_search
from app.timefmt import utcnow
from bench.assignment_bench import KINDS
from bench.national.dataset import PROVINCE_NAMES, PROVINCES, YEAR, DataSet, Sizes, bulk, person_name
from competitions.models import Contest, Entry
from events.models.events import Event, Invitee, Pass
from judging.models import Assignment, Round, ScoreSheet


def publish_results(contest: Contest, final: Round, rnd: random.Random) -> None:
    """A published version of the final round's standings, made the way publishing makes one: the snapshot built
    by results.snapshot from the entries' scores (mean of the judges' totals), ranked by results.ranking."""
    from sqlalchemy import func, select

    from results import ranking
    from results import snapshot as snap
    from results.models import Publication

    rows = db.session.execute(
        select(Assignment.entry_id, func.avg(ScoreSheet.total), func.count())
        .join(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(Assignment.round_id == final.id, ScoreSheet.status == "submitted")
        .group_by(Assignment.entry_id)
    ).all()
    scores = {e: Decimal(str(s)).quantize(Decimal("0.01")) for e, s, _n in rows}
    judges = {e: n for e, _s, n in rows}
    entries = {
        e.id: e
        for e in db.session.execute(select(Entry).where(Entry.id.in_(list(scores))).execution_options(yield_per=5000))
        .scalars()
        .all()
    }
    ranked = ranking.rank(ranking.Candidate(e, s, group=entries[e].field_id) for e, s in scores.items())
    tiers = [
        snap.TierInfo("first", "Giải Nhất", 0),
        snap.TierInfo("second", "Giải Nhì", 1),
        snap.TierInfo("third", "Giải Ba", 2),
    ]
    awards, infos = [], []
    for r in ranked:
        e = entries[r.entry_id]
        infos.append(
            snap.EntryInfo(
                id=e.id,
                code=e.code,
                title=e.title,
                field_id=e.field_id,
                age_group="",
                unit=e.unit_name,
                authors=(snap.AuthorInfo(e.lead_name, e.unit_name, ""),),
                score=r.score,
                raw=r.score,
                rank=r.rank,
                tied=r.tied,
                judges=judges[e.id],
            )
        )
        tier = 0 if r.rank <= 3 else 1 if r.rank <= 10 else 2 if r.rank <= 30 else None
        if tier is not None:
            awards.append(snap.AwardInfo(r.entry_id, tiers[tier].code, tiers[tier].name, rank=r.rank, score=r.score))
    organisation = db.session.get(Organisation, contest.organisation_id)
    results = snap.Results(
        contest=snap.ContestInfo(
            contest.id, contest.name, contest.kind, contest.year, None, contest.level, organisation.name
        ),
        round=snap.RoundInfo(final.id, final.name, final.kind, "mean", False, 5, Decimal(20)),
        scope="field",
        criteria=[snap.CriterionInfo(f"c{c.id}", c.name, c.max_points, c.position) for c in final.criteria],
        chain=[],
        judges=[],
        fields=[snap.FieldInfo(f.id, f.code, f.name, f.position) for f in contest.fields],
        entries=infos,
        tiers=tiers,
        awards=awards,
        decision=snap.DecisionInfo("123/QĐ-LHH", utcnow().date(), "Nguyễn Văn An", "Chủ tịch"),
    )
    published_at = utcnow().replace(microsecond=0)
    payload, digest = snap.freeze(snap.build(results, version=1, published_at=published_at))
    db.session.add(
        Publication(contest_id=contest.id, version=1, published_at=published_at, payload=payload, content_hash=digest)
    )
    db.session.flush()


def make_events(data: DataSet, sizes: Sizes, rnd: random.Random, now: datetime) -> None:
    staff = User(email="le.tan@example.vn")
    staff.set_name("Lễ Tân Cửa Chính")
    db.session.add(staff)
    db.session.flush()
    invitee_id = 0
    for n in range(sizes.events):
        event = Event(
            organisation_id=2 + n % PROVINCES,
            title=f"Lễ trao giải số {n + 1}",
            status="published",
            starts_at=now + timedelta(days=n),
            contest_id=data.contest_id,
        )
        db.session.add(event)
        db.session.flush()
        db.session.add(RoleGrant(user_id=staff.id, role="checkin", scope_type="event", scope_id=event.id))
        people, passes = [], []
        for _ in range(sizes.passes_per_event):
            invitee_id += 1
            name = person_name(rnd)
            unit = f"{rnd.choice(KINDS)} {rnd.choice(PROVINCE_NAMES)}"
            people.append(
                {
                    "id": invitee_id,
                    "event_id": event.id,
                    "full_name": name,
                    "unit": unit,
                    "search_name": normalize_search(f"{name} {unit}"),
                    "sort_name": name_sort_string(name),
                    "role": rnd.choice(("author", "winner", "judge", "guest")),
                    "dedupe_key": f"bench:{invitee_id}",
                    "status": "invited",
                    "invited_at": now,
                }
            )
            token = secrets.token_urlsafe(24)
            passes.append({"id": invitee_id, "token": token, "event_id": event.id, "invitee_id": invitee_id})
            if n == 0:
                data.pass_tokens.append(token)
        bulk(Invitee, people)
        bulk(Pass, passes)
        if n == 0:
            data.event_id = event.id
    _token, data.scan_token = create_api_token(staff, "bench")
    db.session.flush()


def make_honors(sizes: Sizes, rnd: random.Random, council_ids: list[int], now: datetime) -> None:
    from honors.models.ballots import Ballot, Vote
    from honors.models.campaigns import Campaign, Dossier, NominatingBody

    campaign = Campaign(organisation_id=1, status="closed", name=f"Tôn vinh trí thức khoa học và công nghệ {YEAR}")
    db.session.add(campaign)
    db.session.flush()
    bodies = []
    for p in range(PROVINCES):
        body = NominatingBody(campaign_id=campaign.id, organisation_id=p + 2)
        db.session.add(body)
        bodies.append(body)
    db.session.flush()
    dossiers = []
    for d in range(1, sizes.nominations + 1):
        name = person_name(rnd)
        dossiers.append(
            {
                "id": d,
                "campaign_id": campaign.id,
                "body_id": bodies[d % PROVINCES].id,
                "status": "eligible",
                "full_name": name,
                "unit_name": f"{rnd.choice(KINDS)} {rnd.choice(PROVINCE_NAMES)}",
                "submitted_at": now,
                "search_text": normalize_search(name),
                "sort_name": name_sort_string(name),
            }
        )
    bulk(Dossier, dossiers)
    ballot = Ballot(campaign_id=campaign.id, status="closed", member_count=len(council_ids))
    db.session.add(ballot)
    db.session.flush()
    bulk(
        Vote,
        (
            {
                "ballot_id": ballot.id,
                "dossier_id": d,
                "member_id": m,
                "choice": rnd.choice(("agree", "agree", "disagree", "abstain")),
            }
            for d in range(1, sizes.nominations + 1)
            for m in council_ids
        ),
    )
    bulk(
        RoleGrant,
        (
            {"user_id": m, "role": "council_member", "scope_type": "campaign", "scope_id": campaign.id}
            for m in council_ids
        ),
    )
