"""Mail goes through SMTP when configured, otherwise into the outbox an administrator reads."""

from __future__ import annotations

import smtplib

import pytest

from app.extensions import db
from app.mail.service import send_mail
from tests.conftest import outbox


class FakeSMTP:
    sent: list = []
    fail = False

    def __init__(self, host, port, timeout=None):
        self.host, self.port = host, port

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self, context=None):
        self.tls = True

    def login(self, user, password):
        self.user = user

    def send_message(self, msg):
        if FakeSMTP.fail:
            raise smtplib.SMTPRecipientsRefused({msg["To"]: (550, b"no such user")})
        FakeSMTP.sent.append(msg)


@pytest.fixture
def smtp(app, monkeypatch):
    FakeSMTP.sent, FakeSMTP.fail = [], False
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.vn")
    monkeypatch.setitem(app.config, "MAIL_USERNAME", "sangtao")
    return FakeSMTP


def test_mail_goes_through_smtp_when_configured(app, smtp):
    with app.test_request_context():
        message = send_mail("an@example.vn", "Thư mời dự lễ trao giải", "Kính mời anh/chị…")
    db.session.commit()
    assert [m["To"] for m in smtp.sent] == ["an@example.vn"]
    assert smtp.sent[0]["Subject"] == "Thư mời dự lễ trao giải"
    assert "Kính mời anh/chị" in smtp.sent[0].get_content()
    assert message.transport == "smtp" and message.sent_at is not None and message.error == ""


def test_a_failed_delivery_is_kept_with_its_error(app, smtp):
    smtp.fail = True
    with app.test_request_context():
        message = send_mail("x@example.vn", "Chào", "Nội dung")
    db.session.commit()
    assert message.sent_at is None and "550" in message.error
    assert [m.recipient for m in outbox()] == ["x@example.vn"]


def test_without_smtp_the_administrator_reads_the_outbox(app, client, make_user, login_as):
    with app.test_request_context():
        send_mail("an@example.vn", "Đặt lại mật khẩu", "Mở liên kết sau để đặt lại mật khẩu")
    db.session.commit()
    login_as(make_user("admin"))
    listing = client.get("/admin/outbox/?q=an@example").get_data(as_text=True)
    assert "Đặt lại mật khẩu" in listing
    message = outbox()[0]
    assert "Mở liên kết sau" in client.get(f"/admin/outbox/{message.id}").get_data(as_text=True)


def test_mail_is_written_in_the_recipients_language(client, make_user, login_as):
    admin = make_user("admin", email="admin@example.vn")
    english = make_user(email="en@example.vn")
    english.locale = "en"
    db.session.commit()
    client.post("/lang", data={"lang": "en"})  # the person asking reads English...
    client.post("/account/reset", data={"email": "en@example.vn"})
    login_as(admin)
    client.post("/lang", data={"lang": "en"})  # the administrator browses in English too
    client.post(
        "/admin/accounts/new",
        data={
            "full_name": "Hồ Thị Uyên",
            "email": "uyen@example.vn",
            "phone": "",
            "organisation_id": "0",
            "role": "judge",
        },
    )
    reset, invitation = outbox()
    assert reset.subject == "Reset your sangtao password"  # ...and so does the recipient
    assert invitation.subject == "Tài khoản sangtao của bạn"
    assert "Xin chào Hồ Thị Uyên" in invitation.body  # a new account reads the default language
