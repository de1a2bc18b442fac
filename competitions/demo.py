"""Demo data of the contests: a Technical Innovation and a Youth edition open for registration, with entries
in several fields and every screening status. The provincial Youth contest has two district rounds (child
editions run by the Bù Đăng and Đồng Xoài unions, each with its own organizer), open for registration, with a
handful of pupils' entries found eligible; the province's window for them to forward entries is open, three
entries per district.

Documents are real (small) PDF files whose properties name the entry's lead author, as an office program would:
blind judging strips them."""

from __future__ import annotations

import hashlib
import io
import random
import secrets
from datetime import date, timedelta
from decimal import Decimal

from flask import current_app
from pypdf import PdfWriter

from app.accounts.models import RoleGrant, User
from app.accounts.roles import CONTESTANT, ORGANIZER
from app.demo import DEMO_PASSWORD, vietnamese_name
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
#: The district rounds of the provincial Youth contest: organisation key -> (name, entry code prefix, the
#: district's administrative unit code, its schools, its entries' titles).
DISTRICT_ROUNDS = {
    "bu_dang": (
        "Cuộc thi Sáng tạo thanh thiếu niên nhi đồng huyện Bù Đăng năm {year}",
        "BDTN",
        "697",
        ["Trường THPT Bù Đăng", "Trường THCS Đức Liễu", "Trường Tiểu học Minh Hưng", "Trường THCS Nghĩa Trung"],
        [
            "Máy tách hạt điều mini cho gia đình",
            "Bình tưới cây tự động từ chai nhựa",
            "Ứng dụng nhắc lịch tiêm phòng cho bò",
            "Bộ đồ chơi học toán bằng gỗ tràm",
            "Đèn pin sạc bằng tay quay",
            "Mô hình cảnh báo sạt lở đất",
            "Hộp đựng bút gấp gọn từ lon nhôm",
        ],
    ),
    "dong_xoai": (
        "Cuộc thi Sáng tạo thanh thiếu niên nhi đồng thành phố Đồng Xoài năm {year}",
        "DXTN",
        "689",
        ["Trường THPT Đồng Xoài", "Trường THCS Tân Bình", "Trường Tiểu học Tân Xuân", "Trường THCS Tiến Thành"],
        [
            "Cây lau bảng tự làm sạch",
            "Phần mềm luyện viết chữ đẹp",
            "Máy đuổi chim bằng sóng âm cho vườn tiêu",
            "Xe lăn gấp gọn cho bạn khuyết tật",
            "Thùng ủ phân từ rác nhà bếp",
            "Kính cảnh báo ngủ gật khi học bài",
        ],
    ),
}
#: The Đồng Xoài round's organizer (the Bù Đăng one is the foundation's), listed by `flask demo-logins`.
DONG_XOAI_ORGANIZER = ("btc.dongxoai@sangtao.local", "Phan Thị Thanh Thảo")
DEMO_LOGINS = [(*DONG_XOAI_ORGANIZER, ORGANIZER, " (one district only)")]
#: How many entries each district round may forward to the province.
FORWARD_QUOTA = 3


def demo_pdf(title: str, author: str) -> bytes:
    """A one-page PDF whose properties name its author and title (what an office program writes)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)  # A4, in points
    writer.add_metadata({"/Title": title, "/Author": author, "/Creator": "Microsoft® Word 2019"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _open_window(contest: Contest) -> None:
    now = utcnow()
    contest.status = "open"
    contest.registration_opens_at = now - timedelta(days=45)
    contest.registration_closes_at = now + timedelta(days=40)


def demo_units(context: dict) -> list:
    """The administrative units the demo's people live in: the communes and wards of today (the former districts
    where the foundation seeded none)."""
    return [u for key, u in context["units"].items() if key.startswith("new_")] or list(context["units"].values())


def demo_author(rng: random.Random, share: Decimal, lead: bool, unit: str, birth: date, units) -> PersonInput:
    """An author of a demo entry: a Vietnamese name, an identity number, an address in one of `units`, a phone
    number (results' demo editions make theirs with it too)."""
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


def author_shares(n: int) -> list[Decimal]:
    """The contribution shares of `n` authors, in percent: equal, the last one taking the rounding (100 in all)."""
    base = (Decimal(100) / n).quantize(Decimal("0.01"))
    return [base] * (n - 1) + [Decimal(100) - base * (n - 1)]


def attach_documents(entry: Entry) -> None:
    """The entry's required documents, uploaded: a small PDF each (`demo_pdf`), named after its type."""
    folder = upload_dir(f"entries/{entry.id}")
    lead = entry.lead.full_name if entry.lead else ""
    for doc_type in entry.contest.document_types:
        if doc_type.required:
            stored = secrets.token_hex(16) + ".pdf"
            data = demo_pdf(f"{doc_type.name} – {entry.title}", lead)
            (folder / stored).write_bytes(data)
            entry.documents.append(
                EntryDocument(
                    document_type_id=doc_type.id,
                    original_name=f"{doc_type.name}.pdf",
                    stored_name=stored,
                    kind="pdf",
                    mimetype="application/pdf",
                    size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(),
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
            demo_author(
                rng,
                share,
                k == 0,
                unit,
                date(contest.year - rng.randint(8, 17), rng.randint(1, 12), rng.randint(1, 28))
                if youth
                else date(rng.randint(1965, 2000), rng.randint(1, 12), rng.randint(1, 28)),
                units,
            )
            for k, share in enumerate(author_shares(n))
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
        attach_documents(entry)
        services.submit_entry(entry)
        if status in ("eligible", "ineligible", "returned"):
            note = {
                "eligible": "",
                "ineligible": "Giải pháp đã đoạt giải ở hội thi trước.",
                "returned": "Bổ sung xác nhận áp dụng có chữ ký và con dấu của đơn vị.",
            }[status]
            services.screen_entry(entry, status, note, by=admin)


def _organizer(context: dict, org_key: str) -> User:
    """The Đồng Xoài round's organizer: an organizer of that union only, with the demo password."""
    email, name = DONG_XOAI_ORGANIZER
    user = User(email=email, phone="0913000689", organisation=context["organisations"][org_key])
    user.set_name(name)
    user.set_password(DEMO_PASSWORD)
    user.role_grants.append(RoleGrant(role=ORGANIZER, scope_type="organisation", scope_id=user.organisation.id))
    user.role_grants.append(RoleGrant(role=CONTESTANT))
    db.session.add(user)
    db.session.flush()
    return user


def _pupils(child: Contest, titles: list[str], schools: list[str], unit, owners, rng: random.Random, screener):
    """Pupils' entries of a district round: most found eligible by its organizer, one awaiting screening, one
    draft."""
    statuses = ["eligible"] * (len(titles) - 2) + ["submitted", "draft"]
    for i, (title, status) in enumerate(zip(titles, statuses, strict=True)):
        school = schools[i % len(schools)]
        n = rng.choice([1, 1, 2, 3])
        authors = tuple(
            demo_author(
                rng,
                share,
                k == 0,
                school,
                date(child.year - rng.randint(9, 16), rng.randint(1, 12), rng.randint(1, 28)),
                [unit],
            )
            for k, share in enumerate(author_shares(n))
        )
        data = EntryInput(
            title=title,
            summary="Sản phẩm do học sinh tự thiết kế và chế tạo, đã dùng thử tại trường và ở gia đình.",
            field_id=child.fields[i % len(child.fields)].id,
            age_group_id=child.age_groups[i % len(child.age_groups)].id,
            authors=authors,
            teachers=(PersonInput(full_name="Thầy " + vietnamese_name(rng), unit=school),),
        )
        entry = services.save_entry(None, child, data, owner=owners[i % len(owners)])
        if status == "draft":
            continue
        attach_documents(entry)
        services.submit_entry(entry)
        if status == "eligible":
            services.screen_entry(entry, "eligible", "", by=screener)


def _district_rounds(context: dict, youth: Contest, rng: random.Random, owners) -> dict[str, Contest]:
    """The provincial Youth contest's district rounds, created by the provincial organizer from the contest (its
    fields, age groups, documents and rules), open, with their pupils' entries; the province's forwarding window
    open with a quota per district."""
    orgs, accounts = context["organisations"], context["accounts"]
    organizer = accounts["organizer"]
    screeners = {"bu_dang": accounts["organizer_2"], "dong_xoai": _organizer(context, "dong_xoai")}
    now = utcnow().replace(microsecond=0)
    youth.forward_opens_at = now - timedelta(days=5)
    youth.forward_closes_at = now + timedelta(days=25)
    youth.forward_quota = FORWARD_QUOTA
    rounds = {}
    for key, (name, prefix, unit_code, schools, titles) in DISTRICT_ROUNDS.items():
        child = services.create_child_contest(
            youth, orgs[key].id, name=name.format(year=youth.year), code_prefix=prefix, by=organizer
        )
        _open_window(child)
        unit = context["units"].get(f"new_{unit_code}") or context["units"][unit_code]
        _pupils(child, titles, schools, unit, owners, rng, screeners[key])
        rounds[key] = child
    return rounds


def seed(context: dict) -> dict:
    """Both contests of the domain notes, open for registration, with entries in several fields; the Youth
    contest's two district rounds (see the module's docstring)."""
    rng = random.Random(2026)
    orgs, accounts = context["organisations"], context["accounts"]
    units = demo_units(context)
    organizer = accounts["organizer"]
    owners = [accounts["contestant"], *context["people"][:12]]
    year = utcnow().year
    with current_app.test_request_context():
        innovation = services.create_contest("innovation", orgs["union"].id, year, number=8)
        _open_window(innovation)
        youth = services.create_contest("youth", orgs["union"].id, year, number=15)
        _open_window(youth)
        db.session.flush()
        _entries(innovation, INNOVATION_TITLES, owners, rng, units, organizer, youth=False)
        _entries(youth, YOUTH_TITLES, owners, rng, units, organizer, youth=True)
        districts = _district_rounds(context, youth, rng, [*context["people"][12:24]])
    return context | {"contests": {"innovation": innovation, "youth": youth, "districts": districts}}
