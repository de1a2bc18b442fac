"""Sign-up, login, logout, password change and reset, invitation: the real forms, end to end."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.accounts import services
from app.accounts.models import User
from app.audit.models import AuditEntry
from app.extensions import db
from tests.conftest import PASSWORD, outbox

GOOD = "Hoa-sen-nở-giữa-hồ-2026"


def signup(client, **overrides):
    data = {
        "full_name": "Trần Thị Ánh",
        "email": "anh.tran@example.vn",
        "phone": "0912 345 678",
        "password": GOOD,
        "confirm": GOOD,
    } | overrides
    return client.post("/account/signup", data=data)


def test_signup_creates_a_contestant_and_signs_in(client):
    response = signup(client)
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "anh.tran@example.vn"))
    assert user is not None and user.full_name == "Trần Thị Ánh" and user.phone == "0912345678"
    assert user.roles == ["contestant"]
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:")) and GOOD not in user.password_hash
    assert "Trần Thị Ánh" in client.get("/").get_data(as_text=True)
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.object_id == str(user.id))) == "account.signup"


def test_signup_refuses_bad_input_beside_each_field_and_keeps_what_was_typed(client, make_user):
    make_user(email="taken@example.vn")
    response = signup(
        client, full_name="Lê Văn Ước", email="TAKEN@example.vn", phone="12ab", password="123456", confirm="654321"
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count("invalid-feedback") >= 4  # email taken, phone, weak password, mismatch
    assert 'value="Lê Văn Ước"' in page and 'value="TAKEN@example.vn"' in page and 'value="12ab"' in page
    assert db.session.scalar(select(User).where(User.full_name == "Lê Văn Ước")) is None


def test_signup_messages_are_vietnamese(client):
    page = signup(client, full_name="", email="not-an-email").get_data(as_text=True)
    assert "Vui lòng" in page  # "Please fill in this field" / "Please enter a valid email" in Vietnamese


def test_signup_with_overlong_values_never_fails(client):
    response = signup(client, full_name="A" * 5000, email="a" * 300 + "@x.vn", phone="0" * 100)
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("invalid-feedback") >= 3


def test_login_and_logout(client, make_user):
    user = make_user("judge", email="giamkhao@example.vn")
    response = client.post("/account/login", data={"email": "GiamKhao@example.vn", "password": PASSWORD})
    assert response.status_code == 302
    assert db.session.get(User, user.id).last_login_at is not None
    assert "Nguyễn Văn An" in client.get("/").get_data(as_text=True)
    client.post("/account/logout")
    assert client.get("/account/").status_code == 302


def test_login_refuses_a_wrong_password_and_inactive_accounts_alike(client, make_user):
    make_user(email="a@example.vn")
    make_user(email="off@example.vn", active=False)
    for email, password in (
        ("a@example.vn", "wrong-password"),
        ("off@example.vn", PASSWORD),
        ("nobody@example.vn", PASSWORD),
    ):
        response = client.post("/account/login", data={"email": email, "password": password})
        assert response.status_code == 200
        assert "không đúng" in response.get_data(as_text=True)
    assert client.get("/account/").status_code == 302


def test_login_redirects_only_within_the_site(client, make_user):
    make_user(email="a@example.vn")
    data = {"email": "a@example.vn", "password": PASSWORD}
    assert client.post("/account/login?next=/account/tokens", data=data).headers["Location"] == "/account/tokens"
    client.post("/account/logout")
    assert client.post("/account/login?next=https://evil.example/", data=data).headers["Location"] == "/"


def test_protected_page_sends_to_login_and_back(client, make_user):
    response = client.get("/account/tokens")
    assert response.status_code == 302 and "/account/login?next=/account/tokens" in response.headers["Location"]


def test_change_password(client, make_user, login_as):
    user = make_user(email="a@example.vn")
    login_as(user)
    wrong = client.post("/account/password", data={"current": "nope", "password": GOOD, "confirm": GOOD})
    assert wrong.status_code == 200 and "invalid-feedback" in wrong.get_data(as_text=True)
    ok = client.post("/account/password", data={"current": PASSWORD, "password": GOOD, "confirm": GOOD})
    assert ok.status_code == 302
    assert db.session.get(User, user.id).check_password(GOOD)


def _link(message) -> str:
    return re.search(r"http://localhost(/account/\S+)", message.body).group(1)


def test_password_reset_link_is_mailed_expires_and_works_once(app, client, make_user):
    user = make_user(email="a@example.vn", full_name="Phạm Thị Dung")
    client.post("/account/reset", data={"email": "a@example.vn"})
    client.post("/account/reset", data={"email": "unknown@example.vn"})  # same answer, no mail
    messages = outbox()
    assert [m.recipient for m in messages] == ["a@example.vn"]
    assert messages[0].transport == "outbox" and "Phạm Thị Dung" in messages[0].body
    link = _link(messages[0])
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": GOOD, "confirm": GOOD})
    assert response.status_code == 302
    assert db.session.get(User, user.id).check_password(GOOD)
    # used once: the same link is now refused
    client.post("/account/logout")
    again = client.post(link, data={"password": "Another-Long-Passw0rd", "confirm": "Another-Long-Passw0rd"})
    assert again.status_code == 302 and "/account/reset" in again.headers["Location"]
    assert db.session.get(User, user.id).check_password(GOOD)


def test_password_reset_link_expires(app, make_user, monkeypatch):
    user = make_user(email="a@example.vn")
    with app.test_request_context():
        token = services.make_token(user)
        assert services.load_token(token).id == user.id
        monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE", -1)
        assert services.load_token(token) is None
        assert services.load_token(token + "x") is None


def test_login_and_reset_are_rate_limited_with_a_vietnamese_message(app, client, make_user, monkeypatch):
    make_user(email="a@example.vn")
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per minute")
    monkeypatch.setitem(app.config, "RESET_RATE_LIMIT", "2 per minute")
    codes = [
        client.post("/account/login", data={"email": "a@example.vn", "password": "x"}).status_code for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    blocked = client.post("/account/login", data={"email": "a@example.vn", "password": PASSWORD})
    assert blocked.status_code == 429 and "Bạn đã thử quá nhiều lần" in blocked.get_data(as_text=True)
    assert client.get("/account/login").status_code == 200  # only attempts are limited
    codes = [client.post("/account/reset", data={"email": "a@example.vn"}).status_code for _ in range(3)]
    assert codes == [302, 302, 429]


def test_invitation_lets_the_person_choose_a_password(client, make_user, login_as):
    admin = make_user("admin", email="admin@example.vn")
    login_as(admin)
    response = client.post(
        "/admin/accounts/new",
        data={
            "full_name": "Hồ Thị Uyên",
            "email": "uyen@example.vn",
            "phone": "",
            "organisation_id": "0",
            "role": "judge",
        },
    )
    assert response.status_code == 302
    invited = db.session.scalar(select(User).where(User.email == "uyen@example.vn"))
    assert invited.roles == ["judge"] and not invited.password_hash
    link = _link(outbox()[-1])
    assert "/account/invitation/" in link
    login_as(None)
    assert client.post(link, data={"password": GOOD, "confirm": GOOD}).status_code == 302
    assert db.session.get(User, invited.id).check_password(GOOD)
    assert client.post(link, data={"password": GOOD, "confirm": GOOD}).headers["Location"].endswith("/account/reset")


def test_profile_update_is_audited_and_sets_the_language(client, make_user, login_as):
    user = make_user(email="a@example.vn")
    login_as(user)
    response = client.post("/account/", data={"full_name": "  Đỗ   Thị Hạnh ", "phone": "0912.345.678", "locale": "en"})
    assert response.status_code == 302
    user = db.session.get(User, user.id)
    assert (user.full_name, user.phone, user.locale) == ("Đỗ Thị Hạnh", "0912345678", "en")
    assert user.search_name.startswith("do thi hanh")
    page = client.get("/").get_data(as_text=True)
    assert 'lang="en"' in page
    assert "Your details have been saved." in page  # the message said in the language just chosen
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "account.update"))
    assert entry.before["full_name"] == "Nguyễn Văn An" and entry.after["full_name"] == "Đỗ Thị Hạnh"
