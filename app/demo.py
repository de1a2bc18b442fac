"""Demo data of the foundation: Bình Phước's former units, the bodies around the Union, one login per role.

Later packages add their own demo data through `flask seed-demo`, which the CLI assembles.
"""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import select

from app.accounts.models import RoleGrant, User
from app.accounts.roles import ADMIN, CHECKIN, CONTESTANT, COUNCIL_MEMBER, JUDGE, NOMINATOR, ORGANIZER
from app.extensions import db
from app.orgs.models import AdministrativeUnit, Organisation, set_setting

DEMO_PASSWORD = "sangtao-demo-2026"
REFORM_END = date(2025, 6, 30)
REFORM_START = date(2025, 7, 1)

#: (code, name, kind) of Bình Phước's eleven district-level units before 1/7/2025.
BINH_PHUOC_UNITS = [
    ("689", "Đồng Xoài", "thành phố"),
    ("690", "Phước Long", "thị xã"),
    ("691", "Bình Long", "thị xã"),
    ("692", "Bù Gia Mập", "huyện"),
    ("693", "Lộc Ninh", "huyện"),
    ("694", "Bù Đốp", "huyện"),
    ("695", "Hớn Quản", "huyện"),
    ("696", "Đồng Phú", "huyện"),
    ("697", "Bù Đăng", "huyện"),
    ("698", "Chơn Thành", "thị xã"),
    ("699", "Phú Riềng", "huyện"),
]

#: (email, full name, role, organisation key or None, scope key or None): the logins `make run` prints.
DEMO_ACCOUNTS = [
    ("quantri@sangtao.local", "Nguyễn Thị Thu Hà", ADMIN, "union", None),
    ("bantochuc@sangtao.local", "Trần Văn Minh", ORGANIZER, "union", None),
    ("btc.budang@sangtao.local", "Lê Thị Hồng", ORGANIZER, "bu_dang", "bu_dang"),
    ("giamkhao@sangtao.local", "Phạm Quốc Hùng", JUDGE, "doste", None),
    ("decu@sangtao.local", "Võ Thanh Tùng", NOMINATOR, "it_assoc", None),
    ("hoidong@sangtao.local", "Đặng Thị Mai", COUNCIL_MEMBER, "union", None),
    ("letan@sangtao.local", "Huỳnh Văn Phúc", CHECKIN, "union", None),
    ("thisinh@sangtao.local", "Bùi Thị Lan", CONTESTANT, "quang_trung", None),
]

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Điểu",
    "Thị",
]
MIDDLE_M = ["Văn", "Minh", "Quốc", "Đức", "Hữu", "Thanh", "Công", "Xuân"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Mỹ", "Kim", "Bảo"]
GIVEN_M = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Hải",
    "Hiếu",
    "Khoa",
    "Long",
    "Nam",
    "Phong",
    "Quân",
    "Sơn",
    "Thắng",
    "Trí",
    "Tuấn",
    "Việt",
    "Ước",
]
GIVEN_F = [
    "Anh",
    "Châu",
    "Diễm",
    "Giang",
    "Hà",
    "Hạnh",
    "Hương",
    "Lan",
    "Linh",
    "Ngân",
    "Nhung",
    "Oanh",
    "Phương",
    "Thảo",
    "Trang",
    "Uyên",
    "Yến",
    "Ánh",
]


def vietnamese_name(rng: random.Random) -> str:
    female = rng.random() < 0.5
    family = rng.choice(FAMILY[:-1])
    middle = rng.choice(MIDDLE_F if female else MIDDLE_M)
    given = rng.choice(GIVEN_F if female else GIVEN_M)
    return f"{family} {middle} {given}"


def _units() -> dict[str, AdministrativeUnit]:
    dong_nai = AdministrativeUnit(code="75", name="Đồng Nai", kind="tỉnh", level=1)
    binh_phuoc = AdministrativeUnit(
        code="70", name="Bình Phước", kind="tỉnh", level=1, valid_to=REFORM_END, successor=dong_nai
    )
    units = {"dong_nai": dong_nai, "binh_phuoc": binh_phuoc}
    for code, name, kind in BINH_PHUOC_UNITS:
        # After the reform districts are gone; the demo links each to the ward or commune of the same name.
        new_kind = "xã" if kind == "huyện" else "phường"
        successor = AdministrativeUnit(
            code=f"75-{code}", name=name, kind=new_kind, level=3, parent=dong_nai, valid_from=REFORM_START
        )
        old = AdministrativeUnit(
            code=code, name=name, kind=kind, level=2, parent=binh_phuoc, valid_to=REFORM_END, successor=successor
        )
        units[code] = old
        units[f"new_{code}"] = successor
    db.session.add_all(units.values())
    return units


def _organisations(units: dict[str, AdministrativeUnit]) -> dict[str, Organisation]:
    def org(key, name, short, kind, parent=None, unit="binh_phuoc"):
        o = Organisation(kind=kind, parent=orgs.get(parent) if parent else None, admin_unit=units[unit])
        o.set_name(name, short)
        orgs[key] = o
        return o

    orgs: dict[str, Organisation] = {}
    org("union", "Liên hiệp các hội Khoa học và Kỹ thuật tỉnh Bình Phước", "Liên hiệp các Hội", "union")
    org("it_assoc", "Hội Tin học tỉnh Bình Phước", "Hội Tin học", "association", "union")
    org("med_assoc", "Hội Y học tỉnh Bình Phước", "Hội Y học", "association", "union")
    org("agri_assoc", "Hội Làm vườn tỉnh Bình Phước", "Hội Làm vườn", "association", "union")
    org("doste", "Sở Khoa học và Công nghệ tỉnh Bình Phước", "Sở KH&CN", "department")
    org("doet", "Sở Giáo dục và Đào tạo tỉnh Bình Phước", "Sở GD&ĐT", "department")
    org("youth_union", "Tỉnh Đoàn Bình Phước", "Tỉnh Đoàn", "department")
    org("bu_dang", "Liên hiệp hội huyện Bù Đăng", "LHH Bù Đăng", "locality_union", "union", "697")
    org("dong_xoai", "Liên hiệp hội thành phố Đồng Xoài", "LHH Đồng Xoài", "locality_union", "union", "689")
    org("quang_trung", "Trường THPT chuyên Quang Trung", "THPT chuyên Quang Trung", "school", "doet", "689")
    org("tan_phu", "Trường THCS Tân Phú", "THCS Tân Phú", "school", "doet", "696")
    org("bu_dang_school", "Trường THPT Bù Đăng", "THPT Bù Đăng", "school", "bu_dang", "697")
    org("rubber", "Công ty TNHH MTV Cao su Phú Riềng", "Cao su Phú Riềng", "enterprise", None, "699")
    db.session.add_all(orgs.values())
    return orgs


def seed(rng: random.Random | None = None, extra_people: int = 40) -> dict[str, object]:
    """Load the foundation's demo data; returns the records later seeders build on."""
    rng = rng or random.Random(2026)
    set_setting("org_name", "Liên hiệp các hội Khoa học và Kỹ thuật tỉnh Bình Phước")
    set_setting("org_short_name", "Liên hiệp các Hội Bình Phước")
    units = _units()
    orgs = _organisations(units)
    db.session.flush()
    accounts: dict[str, User] = {}
    for email, name, role, org_key, scope_key in DEMO_ACCOUNTS:
        user = User(email=email, phone=f"09{rng.randrange(10**7, 10**8)}", organisation=orgs[org_key])
        user.set_name(name)
        user.set_password(DEMO_PASSWORD)
        scope = orgs[scope_key] if scope_key else None
        user.role_grants.append(
            RoleGrant(role=role, scope_type="organisation" if scope else None, scope_id=scope.id if scope else None)
        )
        if role != CONTESTANT:
            user.role_grants.append(RoleGrant(role=CONTESTANT))
        accounts[role if role not in accounts else f"{role}_2"] = user
    schools = [orgs["quang_trung"], orgs["tan_phu"], orgs["bu_dang_school"], orgs["rubber"], orgs["doste"]]
    people = []
    for i in range(extra_people):
        user = User(
            email=f"nguoidung{i + 1:03d}@example.vn",
            phone=f"03{rng.randrange(10**7, 10**8)}",
            organisation=rng.choice(schools),
        )
        user.set_name(vietnamese_name(rng))
        user.set_password(DEMO_PASSWORD)
        user.role_grants.append(RoleGrant(role=CONTESTANT))
        people.append(user)
    db.session.add_all([*accounts.values(), *people])
    db.session.flush()
    return {"units": units, "organisations": orgs, "accounts": accounts, "people": people}


def has_data() -> bool:
    return db.session.scalar(select(User.id).limit(1)) is not None
