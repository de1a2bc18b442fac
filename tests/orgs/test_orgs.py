"""Organisations, administrative units and the organisation's settings (name, short name, logo)."""

from __future__ import annotations

import io
from datetime import date

from PIL import Image
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.orgs.models import AdministrativeUnit, Organisation, descendant_ids, get_settings


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(buffer, "PNG")
    return buffer.getvalue()


def test_settings_change_the_name_on_every_page_and_are_audited(client, make_user, login_as):
    login_as(make_user("admin"))
    response = client.post(
        "/admin/settings",
        data={"org_name": "Liên hiệp các hội Khoa học và Kỹ thuật tỉnh Đồng Nai", "org_short_name": "LHH Đồng Nai"},
    )
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "LHH Đồng Nai" in page and "tỉnh Đồng Nai" in page
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "settings.update"))
    assert entry.after["org_short_name"] == "LHH Đồng Nai"


def test_logo_upload_checks_the_content_and_is_served_outside_static(client, make_user, login_as):
    login_as(make_user("admin"))
    base = {"org_name": "Liên hiệp các Hội", "org_short_name": "LHH"}
    fake = client.post(
        "/admin/settings",
        data=base | {"logo": (io.BytesIO(b"<svg onload=alert(1)>"), "logo.png")},
        content_type="multipart/form-data",
    )
    assert fake.status_code == 200 and "invalid-feedback" in fake.get_data(as_text=True)
    assert get_settings()["logo"] == ""
    ok = client.post(
        "/admin/settings",
        data=base | {"logo": (io.BytesIO(_png()), "Logo của tôi.png")},
        content_type="multipart/form-data",
    )
    assert ok.status_code == 302
    name = get_settings()["logo"]
    assert name.endswith(".png") and "tôi" not in name  # stored under a random name
    logo = client.get("/admin/settings/logo")
    assert logo.status_code == 200 and logo.mimetype == "image/png" and logo.data == _png()
    assert client.get(f"/static/{name}").status_code == 404
    assert 'src="/admin/settings/logo"' in client.get("/").get_data(as_text=True)


def test_create_and_edit_an_organisation(client, make_user, login_as):
    login_as(make_user("admin"))
    union = Organisation(kind="union")
    union.set_name("Liên hiệp các hội KH&KT tỉnh Bình Phước")
    db.session.add(union)
    db.session.commit()
    response = client.post(
        "/admin/organisations/new",
        data={
            "name": "Liên hiệp hội huyện Bù Đăng",
            "short_name": "LHH Bù Đăng",
            "kind": "locality_union",
            "parent_id": union.id,
            "admin_unit_id": 0,
            "email": "",
            "phone": "",
            "address": "",
            "is_active": "y",
        },
    )
    assert response.status_code == 302
    district = db.session.scalar(select(Organisation).where(Organisation.short_name == "LHH Bù Đăng"))
    assert district.parent_id == union.id
    found = client.get("/admin/organisations?q=bu dang").get_data(as_text=True)
    assert "Liên hiệp hội huyện Bù Đăng" in found and "Bình Phước</a>" not in found
    # a body cannot be placed under itself or under a body below it
    loop = client.post(
        f"/admin/organisations/{union.id}",
        data={
            "name": union.name,
            "short_name": "",
            "kind": "union",
            "parent_id": district.id,
            "admin_unit_id": 0,
            "is_active": "y",
        },
    )
    assert loop.status_code == 200 and "invalid-feedback" in loop.get_data(as_text=True)
    assert db.session.get(Organisation, union.id).parent_id is None
    assert descendant_ids(union.id) == {union.id, district.id}
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "organisations")).all()
    assert actions == ["organisation.create"]


def test_organisation_form_keeps_bad_input_beside_the_fields(client, make_user, login_as):
    login_as(make_user("admin"))
    response = client.post(
        "/admin/organisations/new",
        data={
            "name": "",
            "kind": "school",
            "parent_id": 0,
            "admin_unit_id": 0,
            "email": "khong-phai-email",
            "phone": "12",
            "address": "Số 1, đường Phú Riềng Đỏ",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page.count("invalid-feedback") == 3
    assert 'value="Số 1, đường Phú Riềng Đỏ"' in page and 'value="khong-phai-email"' in page


def test_units_keep_their_time_and_point_to_successors(client, make_user, login_as):
    dong_nai = AdministrativeUnit(code="75", name="Đồng Nai", kind="tỉnh", level=1)
    binh_phuoc = AdministrativeUnit(
        code="70", name="Bình Phước", kind="tỉnh", level=1, valid_to=date(2025, 6, 30), successor=dong_nai
    )
    bu_dang = AdministrativeUnit(
        code="697",
        name="Bù Đăng",
        kind="huyện",
        level=2,
        parent=binh_phuoc,
        valid_to=date(2025, 6, 30),
        successor=dong_nai,
    )
    db.session.add_all([dong_nai, binh_phuoc, bu_dang])
    db.session.commit()
    assert bu_dang.is_valid_on(date(2024, 5, 18)) and not bu_dang.is_valid_on(date(2025, 7, 1))
    assert bu_dang.current_successor().name == "Đồng Nai" and dong_nai.current_successor() is dong_nai
    login_as(make_user("admin"))
    page = client.get("/admin/units").get_data(as_text=True)
    assert "Huyện Bù Đăng" in page and "30/06/2025" in page and "Tỉnh Đồng Nai" in page
