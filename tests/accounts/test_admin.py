"""Administrators manage accounts and roles; every change lands in the audit log."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import RoleGrant, User
from app.audit.models import AuditEntry
from app.extensions import db
from app.orgs.models import Organisation


def _org(name: str, parent: Organisation | None = None) -> Organisation:
    org = Organisation(kind="locality_union", parent=parent)
    org.set_name(name)
    db.session.add(org)
    db.session.commit()
    return org


def test_accounts_list_is_in_vietnamese_order_and_searches_without_diacritics(client, make_user, login_as):
    admin = make_user("admin", email="admin@example.vn", full_name="Quản Trị Viên")
    for i, name in enumerate(
        ["Trần Văn Bình", "Nguyễn Thị An", "Lê Văn Đức", "Phạm Thị Dung", "Võ Văn Ưng", "Hồ Thị Uyên", "Nguyễn Văn Ân"]
    ):
        make_user("contestant", email=f"p{i}@example.vn", full_name=name)
    login_as(admin)
    page = client.get("/admin/accounts/").get_data(as_text=True).split("<tbody>")[1]
    order = [
        "Nguyễn Thị An",
        "Nguyễn Văn Ân",
        "Trần Văn Bình",
        "Phạm Thị Dung",
        "Lê Văn Đức",
        "Hồ Thị Uyên",
        "Võ Văn Ưng",
        "Quản Trị Viên",
    ]
    positions = [page.index(name) for name in order]
    assert positions == sorted(positions)
    found = client.get("/admin/accounts/?q=nguyen van an").get_data(as_text=True)
    assert "Nguyễn Văn Ân" in found and "Nguyễn Thị An" not in found and "Trần Văn Bình" not in found
    judges = client.get("/admin/accounts/?role=admin").get_data(as_text=True)
    assert "Quản Trị Viên" in judges and "Trần Văn Bình" not in judges


def test_accounts_list_costs_a_bounded_number_of_queries(client, make_user, login_as, count_queries):
    admin = make_user("admin", email="admin@example.vn")
    login_as(admin)
    org = _org("Liên hiệp hội huyện Bù Đăng")
    make_user("judge", email="x0@example.vn", organisation_id=org.id)
    with count_queries() as few:
        client.get("/admin/accounts/")
    for i in range(1, 40):
        make_user("judge", "contestant", email=f"x{i}@example.vn", organisation_id=org.id)
    with count_queries() as many:
        client.get("/admin/accounts/")
    assert many.n == few.n, many.statements


def test_grant_and_revoke_roles_scoped_to_an_organisation(client, make_user, login_as):
    admin = make_user("admin", email="admin@example.vn")
    person = make_user("contestant", email="p@example.vn")
    district = _org("Liên hiệp hội huyện Bù Đăng")
    login_as(admin)
    client.post(f"/admin/accounts/{person.id}/roles", data={"role": "organizer", "organisation_id": district.id})
    client.post(f"/admin/accounts/{person.id}/roles", data={"role": "organizer", "organisation_id": district.id})
    person = db.session.get(User, person.id)
    grants = [g for g in person.role_grants if g.role == "organizer"]
    assert len(grants) == 1 and (grants[0].scope_type, grants[0].scope_id) == ("organisation", district.id)
    assert person.can("manage_contest", district) and person.can("manage_contest")
    other = _org("Liên hiệp hội thành phố Đồng Xoài")
    assert not person.can("manage_contest", other)
    detail = client.get(f"/admin/accounts/{person.id}").get_data(as_text=True)
    assert "Liên hiệp hội huyện Bù Đăng" in detail

    client.post(f"/admin/accounts/{person.id}/roles/{grants[0].id}/revoke")
    assert db.session.scalar(select(RoleGrant).where(RoleGrant.role == "organizer")) is None
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("role.%"))).all()
    assert [e.action for e in entries] == ["role.grant", "role.revoke"]
    assert entries[0].actor_id == admin.id and entries[0].after["scope_id"] == district.id
    assert entries[1].before["role"] == "organizer"


def test_an_organizer_of_a_parent_body_reaches_its_children(make_user):
    province = _org("Liên hiệp các Hội tỉnh")
    district = _org("Liên hiệp hội huyện Bù Đăng", parent=province)
    organizer = make_user("organizer", scope=("organisation", province.id))
    district_organizer = make_user("organizer", scope=("organisation", district.id))
    assert organizer.can("manage_contest", district)
    assert not district_organizer.can("manage_contest", province)


def test_admin_cannot_lock_themself_out(client, make_user, login_as):
    admin = make_user("admin", email="admin@example.vn")
    login_as(admin)
    grant = admin.role_grants[0]
    client.post(f"/admin/accounts/{admin.id}/roles/{grant.id}/revoke")
    client.post(f"/admin/accounts/{admin.id}/status")
    admin = db.session.get(User, admin.id)
    assert admin.has_role("admin") and admin.is_active_account


def test_deactivate_and_reactivate_an_account(client, make_user, login_as):
    admin = make_user("admin", email="admin@example.vn")
    person = make_user("judge", email="p@example.vn")
    login_as(admin)
    client.post(f"/admin/accounts/{person.id}/status")
    assert not db.session.get(User, person.id).is_active_account
    login_as(person)
    assert client.get("/account/").status_code == 302  # a deactivated account is signed out
    login_as(admin)
    client.post(f"/admin/accounts/{person.id}/status")
    assert db.session.get(User, person.id).is_active_account
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == str(person.id))).all()
    assert actions == ["account.deactivate", "account.activate"]


def test_create_account_refuses_a_duplicate_email_and_keeps_the_input(client, make_user, login_as):
    login_as(make_user("admin", email="admin@example.vn"))
    make_user(email="taken@example.vn")
    response = client.post(
        "/admin/accounts/new",
        data={
            "full_name": "Đỗ Thị Hạnh",
            "email": "Taken@example.vn",
            "phone": "0912345678",
            "organisation_id": "0",
            "role": "judge",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "invalid-feedback" in page and 'value="Đỗ Thị Hạnh"' in page


def test_audit_log_filters(client, make_user, login_as):
    admin = make_user("admin", email="admin@example.vn")
    person = make_user("contestant", email="p@example.vn", full_name="Bùi Thị Lan")
    login_as(admin)
    client.post(f"/admin/accounts/{person.id}/roles", data={"role": "judge", "organisation_id": "0"})
    client.post(f"/admin/accounts/{person.id}/status")
    everything = client.get("/admin/audit/").get_data(as_text=True)
    assert 'title="role.grant">Cấp vai trò<' in everything and 'title="account.deactivate"' in everything
    only = client.get("/admin/audit/?action=role.grant").get_data(as_text=True)
    assert 'title="role.grant"' in only and 'title="account.deactivate"' not in only
    by_record = client.get(f"/admin/audit/?object_type=users&object_id={person.id}").get_data(as_text=True)
    assert by_record.count('<td title="') == 2
    bad_date = client.get("/admin/audit/?date_from=32/13/2026")
    assert bad_date.status_code == 200 and "is-invalid" in bad_date.get_data(as_text=True)
    future = client.get("/admin/audit/?date_from=01/01/2099").get_data(as_text=True)
    assert 'title="role.grant"' not in future
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "account.deactivate"))
    detail = client.get(f"/admin/audit/{entry.id}").get_data(as_text=True)
    assert "is_active_account" in detail and "Bùi Thị Lan" in detail


def test_wtforms_own_messages_are_vietnamese_too(client, make_user, login_as):
    admin = make_user("admin", email="admin@example.vn")
    person = make_user(email="p@example.vn")
    login_as(admin)
    response = client.post(f"/admin/accounts/{person.id}/roles", data={"role": "emperor", "organisation_id": "x"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Lựa chọn không hợp lệ" in page
    assert not db.session.get(User, person.id).role_grants
