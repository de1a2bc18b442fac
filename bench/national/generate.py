"""The national-scale data set, inserted in bulk (SQLAlchemy Core, executemany in batches) into a fresh schema.

At scale 1: 34 provinces of 20 districts each (administrative units) and one organisation per province; the largest
edition with 50,000 entries (one author each) in 7 fields; 1,000 judges in 7 panels; a preliminary round (all
entries, 3 judges each: 150,000 submitted score sheets) and a final round (20,000 entries, 5 judges each:
100,000 score sheets, the last ones drafts that the submit benchmark submits), 5 criteria per sheet (1.25 M
scores); the final round's published results (a snapshot frozen by results.snapshot); 2,000 nominations of an
honoring campaign with its ballot (15 council members' votes); 20 events with 1,000 invitees and passes each.
Smaller scales shrink every count (never below a handful), for quick runs and the smoke test.
"""

from __future__ import annotations

import random
import time
from dataclasses import asdict
from decimal import Decimal

from app.accounts.models import RoleGrant, User
from app.extensions import db
from app.orgs.models import AdministrativeUnit, Organisation
from app.text import name_sort_string, normalize_search
from app.timefmt import utcnow
from bench.assignment_bench import KINDS
from bench.national.dataset import (
    BATCH,
    CRITERIA,
    DISTRICTS,
    FIELDS,
    PROVINCE_NAMES,
    PROVINCES,
    SEED,
    TOPICS,
    WORDS,
    YEAR,
    DataSet,
    Progress,
    Sizes,
    bulk,
    person_name,
    reset_sequences,
)
from bench.national.extras import make_events, make_honors, publish_results
from competitions.models import Contest, Entry, EntryPerson, Field
from judging.models import (
    Assignment,
    Panel,
    PanelField,
    PanelMember,
    Round,
    RoundEntry,
    RubricCriterion,
    Score,
    ScoreSheet,
)


def vacuum_analyze() -> None:
    """Planner statistics (and, on PostgreSQL, the visibility map) for the freshly loaded tables, as autovacuum would
    give a production database in the minutes after such a load: without them the planner ignores the indexes."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE" if db.engine.dialect.name == "postgresql" else "ANALYZE")


def generate(scale: float = 1.0, *, quiet: bool = False) -> DataSet:
    """Drop and create every table, then insert the data set (in an app context); returns what was made."""
    sizes = Sizes.at(scale)
    data = DataSet(scale=scale, sizes=asdict(sizes))
    rnd = random.Random(SEED)
    progress = Progress(quiet)
    db.session.remove()
    db.drop_all()
    db.create_all()
    progress("schema")

    # Places and organisations.
    units, districts = [], []
    for p in range(PROVINCES):
        pid = p + 1
        units.append({"id": pid, "code": f"P{pid:02d}", "name": PROVINCE_NAMES[p], "kind": "tỉnh", "level": 1})
        for d in range(DISTRICTS):
            did = PROVINCES + p * DISTRICTS + d + 1
            units.append(
                {
                    "id": did,
                    "code": f"P{pid:02d}D{d:02d}",
                    "name": f"Huyện {d + 1} {PROVINCE_NAMES[p]}",
                    "kind": "huyện",
                    "level": 2,
                    "parent_id": pid,
                }
            )
            districts.append((did, PROVINCE_NAMES[p]))
    bulk(AdministrativeUnit, units)
    orgs = [{"id": 1, "name": "Liên hiệp các hội Khoa học và Kỹ thuật Việt Nam", "kind": "union"}]
    for p in range(PROVINCES):
        name = f"Liên hiệp các hội KH&KT {PROVINCE_NAMES[p]}"
        orgs.append(
            {
                "id": p + 2,
                "name": name,
                "kind": "union",
                "parent_id": 1,
                "admin_unit_id": p + 1,
                "search_name": normalize_search(name),
            }
        )
    bulk(Organisation, orgs)

    # People: the admin (organizer of everything), judges, council members, check-in staff.
    admin = User(email="quan.tri@example.vn")
    admin.set_name("Quản Trị Hệ Thống")
    db.session.add(admin)
    db.session.flush()
    db.session.add(RoleGrant(user_id=admin.id, role="admin"))
    data.admin_id = admin.id
    judge_ids = list(range(10_001, 10_001 + sizes.judges))
    council_ids = list(range(30_001, 30_001 + sizes.council))
    users = []
    for uid in judge_ids + council_ids:
        name = person_name(rnd)
        users.append(
            {
                "id": uid,
                "email": f"u{uid}@example.vn",
                "full_name": name,
                "search_name": normalize_search(name),
                "sort_name": name_sort_string(name),
            }
        )
    bulk(User, users)
    progress(f"{len(units)} places, {len(orgs)} organisations, {len(users) + 1} accounts")

    # The largest edition: fields, entries with one author each.
    contest = Contest(
        organisation_id=1,
        kind="innovation",
        name="Hội thi Sáng tạo Kỹ thuật Toàn quốc",
        year=YEAR,
        code_prefix="ST",
        status="judging",
        entry_seq=sizes.entries,
    )
    db.session.add(contest)
    db.session.flush()
    data.contest_id = contest.id
    fields = [Field(contest_id=contest.id, name=f"Lĩnh vực {i + 1}", code=f"LV{i + 1}", position=i) for i in range(7)]
    db.session.add_all(fields)
    db.session.flush()
    data.field_ids = [f.id for f in fields]
    db.session.add(RoleGrant(user_id=admin.id, role="organizer", scope_type="contest", scope_id=contest.id))
    now = utcnow()
    entry_rows, people_rows = [], []
    for e in range(1, sizes.entries + 1):
        district, province = districts[rnd.randrange(len(districts))]
        name = person_name(rnd)
        unit = f"{rnd.choice(KINDS)} {province}"
        title = f"{rnd.choice(WORDS)} {rnd.choice(TOPICS)} tại {province}"
        code = f"ST-{e:05d}"
        entry_rows.append(
            {
                "id": e,
                "contest_id": contest.id,
                "seq": e,
                "code": code,
                "title": title,
                "status": "eligible",
                "source": "import",
                "field_id": data.field_ids[e % FIELDS],
                "unit_name": unit,
                "admin_unit_id": district,
                "lead_name": name,
                "submitted_at": now,
                "search_text": normalize_search(f"{code} {title} {name} {unit}"),
            }
        )
        people_rows.append(
            {
                "id": e,
                "entry_id": e,
                "role": "author",
                "full_name": name,
                "unit": unit,
                "is_lead": True,
                "admin_unit_id": district,
            }
        )
    bulk(Entry, entry_rows)
    bulk(EntryPerson, people_rows)
    progress(f"{sizes.entries:,} entries")

    # Panels (one per field) and their judges.
    panel_of_judge = {}
    for i, f in enumerate(fields):
        panel = Panel(contest_id=contest.id, name=f"Tiểu ban {f.name}")
        db.session.add(panel)
        db.session.flush()
        db.session.add(PanelField(panel_id=panel.id, contest_id=contest.id, field_id=f.id))
        members = judge_ids[i::FIELDS]
        bulk(PanelMember, ({"panel_id": panel.id, "user_id": j} for j in members))
        panel_of_judge.update(dict.fromkeys(members, i))
    bulk(
        RoleGrant, ({"user_id": j, "role": "judge", "scope_type": "contest", "scope_id": contest.id} for j in judge_ids)
    )
    judges_by_field = {i: judge_ids[i::FIELDS] for i in range(FIELDS)}

    # Two rounds, their rubrics, assignments, sheets and scores.
    def make_round(kind, name, position, k, status):
        round_ = Round(
            contest_id=contest.id, kind=kind, name=name, position=position, judges_per_entry=k, status=status
        )
        round_.criteria = [
            RubricCriterion(name=n, max_points=m, weight=1, step=Decimal("0.5"), position=i)
            for i, (n, m) in enumerate(CRITERIA)
        ]
        db.session.add(round_)
        db.session.flush()
        return round_

    prelim = make_round("preliminary", "Vòng sơ khảo", 0, sizes.prelim_k, "closed")
    final = make_round("final", "Vòng chung khảo", 1, sizes.final_k, "scoring")
    data.prelim_round_id, data.final_round_id = prelim.id, final.id
    data.criterion_ids = [c.id for c in final.criteria]
    data.criterion_max = [int(c.max_points) for c in final.criteria]
    next_id = {"assignment": 1, "score": 1}
    final_entries = sorted(rnd.sample(range(1, sizes.entries + 1), sizes.final_entries))
    total_sheets = sizes.entries * sizes.prelim_k + sizes.final_entries * sizes.final_k

    def fill(round_, entry_ids, k, drafts_from):
        criteria = [(c.id, int(c.max_points)) for c in round_.criteria]
        bulk(RoundEntry, ({"round_id": round_.id, "entry_id": e} for e in entry_ids))
        assignments, sheets, scores = [], [], []

        def flush():
            bulk(Assignment, assignments)
            bulk(ScoreSheet, sheets)
            bulk(Score, scores)
            assignments.clear(), sheets.clear(), scores.clear()

        for e in entry_ids:
            quality = rnd.random()
            for j in rnd.sample(judges_by_field[e % FIELDS], k):
                a = next_id["assignment"]
                next_id["assignment"] += 1
                draft = a >= drafts_from
                assignments.append({"id": a, "round_id": round_.id, "entry_id": e, "judge_id": j, "source": "auto"})
                values = [
                    Decimal(min(2 * m, max(0, round(2 * m * (quality + rnd.uniform(-0.2, 0.2)))))) / 2
                    for _cid, m in criteria
                ]
                sheets.append(
                    {
                        "id": a,
                        "assignment_id": a,
                        "status": "draft" if draft else "submitted",
                        "total": sum(values),
                        "submitted_at": None if draft else now,
                        "comment": "Giải pháp có tính thực tiễn." if rnd.random() < 0.3 else "",
                    }
                )
                for (cid, _m), v in zip(criteria, values, strict=True):
                    scores.append({"id": next_id["score"], "sheet_id": a, "criterion_id": cid, "value": v})
                    next_id["score"] += 1
                if draft:
                    data.drafts.append((a, j))
            if len(scores) >= 4 * BATCH:
                flush()
        flush()

    fill(prelim, range(1, sizes.entries + 1), sizes.prelim_k, drafts_from=total_sheets + 1)
    progress(f"preliminary round: {sizes.entries * sizes.prelim_k:,} score sheets")
    fill(final, final_entries, sizes.final_k, drafts_from=total_sheets - sizes.drafts + 1)
    progress(f"final round: {sizes.final_entries * sizes.final_k:,} score sheets ({sizes.drafts:,} drafts)")
    db.session.flush()
    publish_results(contest, final, rnd)
    progress("results published")

    make_events(data, sizes, rnd, now)
    progress(f"{sizes.events} events, {sizes.events * sizes.passes_per_event:,} passes")
    try:
        with db.session.begin_nested():
            make_honors(sizes, rnd, council_ids, now)
        progress(f"{sizes.nominations:,} nominations and their ballot")
    except Exception as error:  # the honors models are still settling: say so, keep the rest
        data.honors = f"skipped: {type(error).__name__}: {str(error).splitlines()[0][:200]}"
        progress("honors skipped")
    reset_sequences()
    db.session.commit()
    progress("committed")
    vacuum_analyze()
    progress("vacuumed and analysed")
    data.counts = {
        "entries": sizes.entries,
        "judges": sizes.judges,
        "score_sheets": total_sheets,
        "scores": total_sheets * len(CRITERIA),
        "nominations": sizes.nominations if data.honors == "generated" else 0,
        "events": sizes.events,
        "passes": sizes.events * sizes.passes_per_event,
    }
    data.seconds = progress.seconds
    data.seconds["total"] = round(time.perf_counter() - progress.start, 3)
    return data
