"""Test data for the reports: editions of two years with entries in every status, fields, age groups, units and
localities (two districts merged into one commune by the 2025 reform), and published results (an older version
and the latest, which alone counts)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.extensions import db
from app.orgs.models import AdministrativeUnit, Organisation
from app.timefmt import utcnow
from competitions.models import Contest, Entry
from results import snapshot as snap
from results.models import Publication
from tests.competitions.factories import author, make_contest, make_entry, make_organisation
from tests.judging.factories import make_account

STATUSES = ("draft", "submitted", "eligible", "eligible", "eligible", "ineligible", "returned", "withdrawn")
UNITS = (
    "Trường Tiểu học Tân Xuân",
    "Trường THCS Tân Phú",
    "Trường THPT chuyên Quang Trung",
    "Trường TH&THCS Minh Hưng",
    "Công ty Cao su Phú Riềng",
)


@dataclass
class World:
    province: Organisation
    district: Organisation
    units: dict[str, AdministrativeUnit]
    contests: dict[str, Contest]
    entries: dict[str, list[Entry]] = field(default_factory=dict)
    owner: object = None


def make_units() -> dict[str, AdministrativeUnit]:
    """Two old districts (to 30/06/2025) both succeeded by one new commune, and a commune never merged."""
    merged = AdministrativeUnit(code="t-new", name="Bù Đăng", kind="xã", level=3, valid_from=date(2025, 7, 1))
    old_a = AdministrativeUnit(
        code="t-697", name="Bù Đăng", kind="huyện", level=2, valid_to=date(2025, 6, 30), successor=merged
    )
    old_b = AdministrativeUnit(
        code="t-694", name="Bù Đốp", kind="huyện", level=2, valid_to=date(2025, 6, 30), successor=merged
    )
    plain = AdministrativeUnit(code="t-689", name="Đồng Xoài", kind="phường", level=3)
    units = {"old_a": old_a, "old_b": old_b, "merged": merged, "plain": plain}
    db.session.add_all(units.values())
    db.session.flush()
    return units


def make_world() -> World:
    province = make_organisation("Liên hiệp các hội KH&KT tỉnh")
    district = make_organisation("Liên hiệp hội huyện Bù Đăng", parent=province)
    units = make_units()
    contests = {
        "innovation": make_contest("innovation", organisation=province, year=2025),
        "youth": make_contest("youth", organisation=province, year=2025),
        "district": make_contest("youth", organisation=district, year=2025),
        "earlier": make_contest("innovation", organisation=province, year=2024),
    }
    contests["district"].name = "Cuộc thi Sáng tạo thanh thiếu niên nhi đồng huyện Bù Đăng năm 2025"
    owner = make_account("contestant", name="Lê Văn Chủ", email="chu.bao.cao@example.vn")
    db.session.commit()
    return World(province, district, units, contests, {k: [] for k in contests}, owner)


def add_entries(world: World, key: str, count: int, rng: random.Random) -> list[Entry]:
    """`count` entries of the edition in random fields, age groups, units, localities and statuses."""
    contest = world.contests[key]
    places = [*world.units.values(), None]
    made = []
    for _ in range(count):
        status = rng.choice(STATUSES)
        place = rng.choice(places)
        birth = date(contest.year - rng.randint(9, 16), 3, 3) if contest.is_youth else date(1980, 1, 1)
        entry = make_entry(
            contest,
            world.owner,
            submit=status != "draft",
            field_id=rng.choice(contest.fields).id,
            age_group_id=rng.choice(contest.age_groups).id if contest.is_youth else None,
            authors=[
                author("Phạm Thị Ánh", unit=rng.choice(UNITS), admin_unit_id=place.id if place else None, birth=birth)
            ],
        )
        if status != "draft":
            entry.status = status
        made.append(entry)
    db.session.commit()
    world.entries[key] += made
    return made


def publish(contest: Contest, finalists: list[Entry], awards: list[tuple[Entry | None, str, str, bool]], version: int):
    """A published version of the edition's results holding `finalists` (scored) and `awards` ((entry or None for
    a unit's prize, tier code, tier name, special)), built and frozen as results.snapshot does."""
    tiers = {(code, name, special) for _e, code, name, special in awards}
    awarded = [e for e, *_ in awards if e is not None and e not in finalists]
    entries = [
        snap.EntryInfo(
            id=e.id,
            code=e.code or "",
            title=e.title,
            field_id=e.field_id,
            age_group=e.age_group.name if e.age_group else "",
            unit=e.unit_name,
            score=Decimal(90 - i) if e in finalists else None,
            rank=i + 1 if e in finalists else None,
        )
        for i, e in enumerate([*finalists, *awarded])
    ]
    results = snap.Results(
        contest=snap.ContestInfo(contest.id, contest.name, contest.kind, contest.year, None, contest.level, "LHH"),
        round=snap.RoundInfo(1, "Vòng chung khảo", "final", "mean", False, 5, Decimal(20)),
        scope="field",
        criteria=[],
        chain=[snap.BOARD],
        judges=[],
        fields=[snap.FieldInfo(f.id, f.code, f.name, f.position) for f in contest.fields],
        entries=entries,
        tiers=[snap.TierInfo(code, name, i, special) for i, (code, name, special) in enumerate(sorted(tiers))],
        awards=[
            snap.AwardInfo(
                entry_id=e.id if e is not None else None,
                tier_code=code,
                tier_name=name,
                special=special,
                unit="" if e is not None else "Trường THCS Tân Phú",
            )
            for e, code, name, special in awards
        ],
        decision=snap.DecisionInfo("12/QĐ-LHH", date(contest.year, 11, 20), "Phạm Văn Ký"),
    )
    payload, digest = snap.freeze(snap.build(results, version=version, published_at=utcnow()))
    db.session.add(Publication(contest_id=contest.id, version=version, payload=payload, content_hash=digest))
    db.session.commit()


def publish_random(world: World, key: str, rng: random.Random) -> None:
    """Version 1 (everything a First prize: must not count), then version 2: a random half of the eligible entries
    as finalists, prizes among them, a special prize to one, and a special prize to a unit."""
    contest = world.contests[key]
    eligible = [e for e in world.entries[key] if e.status == "eligible"]
    version = 1 + (db.session.query(Publication).filter_by(contest_id=contest.id).count())
    if version == 1:
        publish(contest, eligible, [(e, "first", "Giải Nhất", False) for e in eligible], version)
        version = 2
    finalists = rng.sample(eligible, k=max(1, len(eligible) // 2)) if eligible else []
    tiers = [("first", "Giải Nhất"), ("second", "Giải Nhì"), ("third", "Giải Ba"), ("encouragement", "Khuyến khích")]
    awards = [(e, *rng.choice(tiers), False) for e in finalists if rng.random() < 0.6]
    if finalists:
        awards.append((finalists[0], "youngest", "Tác giả trẻ nhất", True))
    awards.append((None, "team", "Đơn vị có nhiều bài vào chung khảo", True))
    publish(contest, finalists, awards, version)
