"""Operators' commands."""

from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.models import User
from app.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from app.extensions import db
from app.orgs.models import AdministrativeUnit, Organisation


def test_seed_demo_loads_one_login_per_role_and_bình_phước(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    users = {u.email: u for u in db.session.scalars(select(User))}
    for email, name, role, _org, _scope in DEMO_ACCOUNTS:
        assert users[email].full_name == name and users[email].has_role(role)
        assert users[email].check_password(DEMO_PASSWORD)
    assert len(users) >= 40
    districts = db.session.scalars(select(AdministrativeUnit).where(AdministrativeUnit.level == 2)).all()
    assert sorted(d.name for d in districts) == sorted(
        [
            "Đồng Xoài",
            "Bình Long",
            "Phước Long",
            "Chơn Thành",
            "Bù Đăng",
            "Bù Đốp",
            "Bù Gia Mập",
            "Đồng Phú",
            "Hớn Quản",
            "Lộc Ninh",
            "Phú Riềng",
        ]
    )
    assert all(d.valid_to.isoformat() == "2025-06-30" and d.successor is not None for d in districts)
    scoped = users["btc.budang@sangtao.local"]
    bu_dang = db.session.scalar(select(Organisation).where(Organisation.short_name == "LHH Bù Đăng"))
    dong_xoai = db.session.scalar(select(Organisation).where(Organisation.short_name == "LHH Đồng Xoài"))
    assert scoped.can("manage_contest", bu_dang) and not scoped.can("manage_contest", dong_xoai)

    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert again.exit_code == 0 and db.session.scalar(select(func.count(User.id))) == len(users)
    refused = runner.invoke(args=["seed-demo"])
    assert refused.exit_code != 0

    logins = runner.invoke(args=["demo-logins"]).output
    assert DEMO_PASSWORD in logins and all(email in logins for email, *_ in DEMO_ACCOUNTS)


def test_create_admin(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-admin",
            "--email",
            "Admin@Example.vn",
            "--name",
            "Ngô Thị Oanh",
            "--password",
            "Hoa-sen-nở-giữa-hồ-2026",
        ]
    )
    assert result.exit_code == 0, result.output
    admin = db.session.scalar(select(User).where(User.email == "admin@example.vn"))
    assert admin.can("manage_accounts") and admin.check_password("Hoa-sen-nở-giữa-hồ-2026")
    weak = runner.invoke(args=["create-admin", "--email", "b@example.vn", "--name", "B", "--password", "123456"])
    assert weak.exit_code != 0 and db.session.scalar(select(User).where(User.email == "b@example.vn")) is None


def test_tests_never_write_into_the_instance_folder(app):
    from app.config import INSTANCE_DIR

    assert not app.config["UPLOAD_DIR"].startswith(str(INSTANCE_DIR))
