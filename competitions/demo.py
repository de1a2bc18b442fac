"""Demo data of the contests: a Technical Innovation and a Youth edition open for registration, with entries
in several fields and every screening status, and a district youth round run by the Bù Đăng union."""

from __future__ import annotations

import random
import secrets
from datetime import date, timedelta
from decimal import Decimal

from flask import current_app

from app.demo import vietnamese_name
from app.extensions import db
from app.timefmt import utcnow
from app.uploads import upload_dir
from competitions import services
from competitions.models import Contest, Entry, EntryDocument
from competitions.services import EntryInput, PersonInput

INNOVATION_TITLES = [
    "Máy gieo hạt điều tự động theo hàng",
    "Hệ thống tưới nhỏ giọt điều khiển qua điện thoại",
    "Phần mềm quản lý hồ sơ một cửa cấp xã",
    "Thiết bị cảnh báo cháy rừng dùng cảm biến khói",
    "Quy trình ủ phân hữu cơ từ vỏ hạt điều",
    "Máy bóc vỏ hạt điều bán tự động",
    "Ứng dụng theo dõi sức khỏe người cao tuổi",
    "Giải pháp tiết kiệm điện cho trạm bơm",
    "Bộ dụng cụ thí nghiệm vật lý tự chế",
    "Hệ thống xử lý nước thải chăn nuôi heo quy mô hộ",
    "Robot hỗ trợ cạo mủ cao su",
    "Cải tiến lò sấy tiêu bằng năng lượng mặt trời",
    "Phần mềm tra cứu thuốc cho trạm y tế xã",
    "Thiết bị đo độ ẩm đất giá rẻ",
    "Mô hình nuôi cá lồng trên hồ thủy lợi",
    "Giải pháp số hóa sổ hộ nghèo",
]
YOUTH_TITLES = [
    "Hộp bút đa năng từ vỏ chai nhựa",
    "Ứng dụng học bảng cửu chương",
    "Thùng rác tự đóng mở",
    "Đồ chơi xếp hình từ tre",
    "Máy lọc nước mini cho lớp học",
    "Đèn học tự tắt khi vắng người",
    "Chậu cây tự tưới",
    "Phần mềm luyện phát âm tiếng Anh",
    "Mô hình nhà chống lũ",
    "Quạt năng lượng mặt trời cho mũ bảo hiểm",
    "Bảng chữ cái nổi cho bạn khiếm thị",
    "Gậy dò đường cảm biến",
]
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _open_window(contest: Contest) -> None:
    now = utcnow()
    contest.status = "open"
    contest.registration_opens_at = now - timedelta(days=45)
    contest.registration_closes_at = now + timedelta(days=40)


def _author(rng: random.Random, share: Decimal, lead: bool, unit: str, birth: date, units) -> PersonInput:
    return PersonInput(
        full_name=vietnamese_name(rng),
        birth_date=birth,
        gender=rng.choice(["male", "female"]),
        id_number=f"0700{rng.randrange(10**7, 10**8)}",
        unit=unit,
        address=f"Tổ {rng.randint(1, 12)}, ấp {rng.randint(1, 6)}",
        admin_unit_id=rng.choice(units).id,
        phone=f"09{rng.randrange(10**7, 10**8)}",
        share=share,
        is_lead=lead,
    )


def _shares(n: int) -> list[Decimal]:
    base = (Decimal(100) / n).quantize(Decimal("0.01"))
    return [base] * (n - 1) + [Decimal(100) - base * (n - 1)]


def _documents(entry: Entry) -> None:
    folder = upload_dir(f"entries/{entry.id}")
    for doc_type in entry.contest.document_types:
        if doc_type.required:
            stored = secrets.token_hex(16) + ".pdf"
            (folder / stored).write_bytes(PDF)
            entry.documents.append(
                EntryDocument(
                    document_type_id=doc_type.id,
                    original_name=f"{doc_type.name}.pdf",
                    stored_name=stored,
                    kind="pdf",
                    mimetype="application/pdf",
                    size=len(PDF),
                    sha256="0" * 64,
                )
            )
    db.session.flush()


def _entries(contest: Contest, titles: list[str], owners, rng: random.Random, units, admin, youth: bool) -> None:
    statuses = ["eligible", "eligible", "submitted", "submitted", "returned", "ineligible", "draft"]
    schools = [
        "Trường THPT chuyên Quang Trung",
        "Trường THCS Tân Phú",
        "Trường THPT Bù Đăng",
        "Công ty TNHH MTV Cao su Phú Riềng",
        "Trung tâm Y tế huyện Lộc Ninh",
        "Hợp tác xã Điều Bù Gia Mập",
    ]
    for i, title in enumerate(titles):
        n = rng.choice([1, 1, 2, 2, 3]) if not youth else rng.choice([1, 2, 2, 3])
        unit = rng.choice(schools[:3] if youth else schools)
        authors = tuple(
            _author(
                rng,
                share,
                k == 0,
                unit,
                date(contest.year - rng.randint(8, 17), rng.randint(1, 12), rng.randint(1, 28))
                if youth
                else date(rng.randint(1965, 2000), rng.randint(1, 12), rng.randint(1, 28)),
                units,
            )
            for k, share in enumerate(_shares(n))
        )
        data = EntryInput(
            title=title,
            summary="Mô tả tóm tắt giải pháp: mục tiêu, cách làm và hiệu quả đạt được.",
            field_id=contest.fields[i % len(contest.fields)].id,
            age_group_id=contest.age_groups[i % len(contest.age_groups)].id if youth else None,
            created_on=None if youth else utcnow().date() - timedelta(days=rng.randint(60, 700)),
            authors=authors,
            teachers=(PersonInput(full_name="Cô " + vietnamese_name(rng), unit=unit),) if youth else (),
        )
        owner = owners[i % len(owners)]
        entry = services.save_entry(None, contest, data, owner=owner)
        status = statuses[i % len(statuses)]
        if status == "draft":
            continue
        _documents(entry)
        services.submit_entry(entry)
        if status in ("eligible", "ineligible", "returned"):
            note = {
                "eligible": "",
                "ineligible": "Giải pháp đã đoạt giải ở hội thi trước.",
                "returned": "Bổ sung xác nhận áp dụng có chữ ký và con dấu của đơn vị.",
            }[status]
            services.screen_entry(entry, status, note, by=admin)


def seed(context: dict) -> dict:
    """Both contests of the domain notes, open for registration, with entries in several fields."""
    rng = random.Random(2026)
    orgs, accounts = context["organisations"], context["accounts"]
    units = [u for key, u in context["units"].items() if key.startswith("new_")] or list(context["units"].values())
    organizer = accounts["organizer"]
    owners = [accounts["contestant"], *context["people"][:12]]
    year = utcnow().year
    with current_app.test_request_context():
        innovation = services.create_contest("innovation", orgs["union"].id, year, number=8)
        _open_window(innovation)
        youth = services.create_contest("youth", orgs["union"].id, year, number=15)
        _open_window(youth)
        district = services.create_contest(
            "youth",
            orgs["bu_dang"].id,
            year,
            name=f"Cuộc thi Sáng tạo thanh thiếu niên nhi đồng huyện Bù Đăng năm {year}",
        )
        district.level = "school"
        district.code_prefix = "BDTN"
        _open_window(district)
        db.session.flush()
        _entries(innovation, INNOVATION_TITLES, owners, rng, units, organizer, youth=False)
        _entries(youth, YOUTH_TITLES, owners, rng, units, organizer, youth=True)
        _entries(district, YOUTH_TITLES[:5], owners[5:], rng, units, accounts["organizer_2"], youth=True)
    return context | {"contests": {"innovation": innovation, "youth": youth, "district": district}}
