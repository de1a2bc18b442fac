"""The data set's sizes and names, the bulk insert helper, and `locate`: what the measurements need, read back from
the generated database."""

from __future__ import annotations

import random
import secrets
import time
from dataclasses import dataclass, field

from sqlalchemy import func, insert, select, text

from app.accounts.models import User
from app.accounts.services import create_api_token
from app.extensions import db
from bench.assignment_bench import FAMILY, GIVEN, MIDDLE
from competitions.models import Contest, Entry
from events.models.events import Pass
from judging.models import Assignment, Round, Score, ScoreSheet

SEED = 20261129
BATCH = 5_000
YEAR = 2026
PROVINCES = 34
DISTRICTS = 20
FIELDS = 7
CRITERIA = (("Tính mới", 20), ("Tính sáng tạo", 20), ("Khả năng áp dụng", 20), ("Hiệu quả", 30), ("Trình bày", 10))
PROVINCE_NAMES = ["Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa"]
PROVINCE_NAMES += ["Nghệ An", "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh"]
PROVINCE_NAMES += ["Hưng Yên", "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi", "Gia Lai", "Khánh Hòa"]
PROVINCE_NAMES += ["Lâm Đồng", "Đắk Lắk", "TP. Hồ Chí Minh", "Đồng Nai", "Tây Ninh", "Cần Thơ", "Vĩnh Long"]
PROVINCE_NAMES += ["Đồng Tháp", "Cà Mau", "An Giang"]
WORDS = ["Giải pháp", "Hệ thống", "Thiết bị", "Mô hình", "Ứng dụng", "Quy trình", "Phần mềm", "Máy"]
TOPICS = ["tưới tiêu tự động", "xử lý rác thải", "quản lý học sinh", "sấy nông sản", "cảnh báo lũ", "phân loại hạt"]
TOPICS += ["tiết kiệm điện", "nuôi tôm", "dạy học STEM", "chăm sóc sức khỏe", "giao thông thông minh", "lọc nước"]


@dataclass
class Sizes:
    entries: int
    judges: int
    final_entries: int
    prelim_k: int = 3
    final_k: int = 5
    drafts: int = 0
    nominations: int = 0
    council: int = 15
    events: int = 20
    passes_per_event: int = 0

    @classmethod
    def at(cls, scale: float) -> Sizes:
        entries = max(40, round(50_000 * scale))
        judges = max(FIELDS * 5, round(1_000 * scale))
        return cls(
            entries=entries,
            judges=judges,
            final_entries=max(20, round(entries * 0.4)),
            drafts=max(10, round(4_000 * scale)),
            nominations=max(10, round(2_000 * scale)),
            events=20 if scale >= 0.05 else 3,
            passes_per_event=max(20, round(1_000 * scale)),
        )


@dataclass
class DataSet:
    """What the measurements need to find in the generated data (ids, tokens, counts)."""

    scale: float
    sizes: dict
    contest_id: int = 0
    prelim_round_id: int = 0
    final_round_id: int = 0
    field_ids: list[int] = field(default_factory=list)
    admin_id: int = 0
    drafts: list[tuple[int, int]] = field(default_factory=list)  # (assignment id, judge id)
    criterion_ids: list[int] = field(default_factory=list)
    criterion_max: list[int] = field(default_factory=list)
    event_id: int = 0
    pass_tokens: list[str] = field(default_factory=list)
    #: Every event's (id, live pass tokens), in id order: each round of scans checks in at another event.
    events: list[tuple[int, list[str]]] = field(default_factory=list)
    scan_token: str = ""
    counts: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)
    honors: str = "generated"


class Progress:
    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.start = time.perf_counter()
        self.step = self.start
        self.seconds: dict[str, float] = {}

    def __call__(self, label: str) -> None:
        now = time.perf_counter()
        self.seconds[label] = round(now - self.step, 3)
        self.step = now
        if not self.quiet:
            print(f"  [{now - self.start:7.1f} s] {label} ({self.seconds[label]:.1f} s)", flush=True)


def bulk(model, rows) -> int:
    """Insert `rows` (an iterable of dicts) in batches of BATCH; returns how many."""
    table = model.__table__
    batch, count = [], 0
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            db.session.execute(insert(table), batch)
            count += len(batch)
            batch = []
    if batch:
        db.session.execute(insert(table), batch)
        count += len(batch)
    return count


def person_name(rnd: random.Random) -> str:
    return f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}"


def reset_sequences() -> None:
    """PostgreSQL: after rows inserted with explicit ids, move each id sequence past them."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" in table.c and table.c.id.primary_key and table.c.id.autoincrement:
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
            )


def remaining_drafts(final_round_id: int) -> list[tuple[int, int]]:
    """The final round's sheets still drafts, as (assignment id, judge id): what the submit measure may submit."""
    return [
        (a, j)
        for a, j in db.session.execute(
            select(Assignment.id, Assignment.judge_id)
            .join(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
            .where(Assignment.round_id == final_round_id, ScoreSheet.status == "draft")
            .order_by(Assignment.id)
        )
    ]


def locate() -> DataSet:
    """The generated data set as the measurements need it, read back from the database (in an app context): the
    largest edition, its rounds, the final round's draft sheets still to submit, the first event's passes and a new
    API token of the check-in staff."""
    contest = db.session.scalars(
        select(Contest)
        .order_by(
            select(func.count(Entry.id)).where(Entry.contest_id == Contest.id).scalar_subquery().desc(), Contest.id
        )
        .limit(1)
    ).one()
    rounds = db.session.scalars(select(Round).where(Round.contest_id == contest.id).order_by(Round.position)).all()
    prelim, final = rounds[0], rounds[-1]
    data = DataSet(scale=0.0, sizes={}, contest_id=contest.id, prelim_round_id=prelim.id, final_round_id=final.id)
    data.field_ids = [f.id for f in contest.fields]
    data.admin_id = db.session.scalar(select(User.id).where(User.email == "quan.tri@example.vn"))
    data.criterion_ids = [c.id for c in final.criteria]
    data.criterion_max = [int(c.max_points) for c in final.criteria]
    data.drafts = remaining_drafts(final.id)
    by_event: dict[int, list[str]] = {}
    live = select(Pass.event_id, Pass.token).where(Pass.revoked_at.is_(None)).order_by(Pass.event_id, Pass.id)
    for event_id, token in db.session.execute(live):
        by_event.setdefault(event_id, []).append(token)
    data.events = sorted(by_event.items())
    data.event_id, data.pass_tokens = data.events[0]
    staff = db.session.scalar(select(User).where(User.email == "le.tan@example.vn"))
    _token, data.scan_token = create_api_token(staff, f"bench {secrets.token_hex(4)}")
    db.session.commit()
    data.counts = {
        "entries": db.session.scalar(select(func.count(Entry.id)).where(Entry.contest_id == contest.id)),
        "score_sheets": db.session.scalar(select(func.count(ScoreSheet.id))),
        "scores": db.session.scalar(select(func.count(Score.id))),
        "passes": db.session.scalar(select(func.count(Pass.id))),
    }
    return data
