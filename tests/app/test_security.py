"""Safety by default: secret key, CSRF, cookies, headers, error pages."""

from __future__ import annotations

import pytest

from app import create_app
from app.config import Config


def test_refuses_to_start_without_a_real_secret_key(monkeypatch):
    for key in ("", "change-me", "short"):
        monkeypatch.setattr(Config, "SECRET_KEY", key)
        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"} | {"SECRET_KEY": key})


def test_starts_with_a_real_secret_key():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x" * 40})
    assert not app.debug and not app.testing


def test_debug_without_a_key_gets_a_random_one_kept_outside_the_repository(tmp_path, monkeypatch):
    import app as app_package

    monkeypatch.setattr(app_package, "BASE_DIR", tmp_path)
    application = create_app("development")
    key_file = tmp_path / "instance" / "secret_key"
    assert application.config["SECRET_KEY"] == key_file.read_text() and len(key_file.read_text()) >= 40
    assert create_app("development").config["SECRET_KEY"] == key_file.read_text()  # the same key next time


@pytest.fixture
def csrf_client(app, database_url):
    protected = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "TESTING": True,
            "SECRET_KEY": "k" * 32,
            "WTF_CSRF_ENABLED": True,
            "RATELIMIT_ENABLED": False,
        }
    )
    from tests.conftest import IsolatedClient

    protected.test_client_class = IsolatedClient
    return protected.test_client()


def test_forms_refuse_a_post_without_the_csrf_token(csrf_client, make_user):
    make_user(email="a@example.vn")
    response = csrf_client.post("/account/login", data={"email": "a@example.vn", "password": "x"})
    assert response.status_code == 400
    assert "hết hạn" in response.get_data(as_text=True) or "expired" in response.get_data(as_text=True)
    assert csrf_client.post("/account/logout").status_code == 400


def test_every_page_form_carries_the_csrf_token(csrf_client):
    page = csrf_client.get("/account/login").get_data(as_text=True)
    assert page.count('name="csrf_token"') >= 2  # the login form and the language switch


def test_security_headers_and_a_csp_without_inline_code(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers.getlist("Cache-Control") == ["no-cache"]  # once each
    assert "Strict-Transport-Security" not in response.headers  # over HTTPS only
    page = response.get_data(as_text=True)
    assert "<script>" not in page and " style=" not in page and "onclick" not in page


def test_session_cookie_is_httponly_and_samesite(client, make_user):
    from tests.conftest import PASSWORD

    make_user(email="a@example.vn")
    response = client.post("/account/login", data={"email": "a@example.vn", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secure_cookies_behind_https(database_url):
    secure = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "TESTING": True,
            "SECRET_KEY": "k" * 32,
            "SESSION_COOKIE_SECURE": True,
        }
    )
    assert secure.config["SESSION_COOKIE_SECURE"] is True
    answer = secure.test_client().get("/", base_url="https://localhost")
    assert answer.headers.getlist("Strict-Transport-Security") == ["max-age=31536000; includeSubDomains"]


@pytest.mark.parametrize(
    ("url", "code", "words"),
    [
        ("/no-such-page", 404, "Không tìm thấy trang"),
        ("/admin/accounts/", 302, None),
    ],
)
def test_friendly_error_pages(client, url, code, words):
    response = client.get(url)
    assert response.status_code == code
    if words:
        assert words in response.get_data(as_text=True)


def test_403_page_is_friendly(client, make_user, login_as):
    login_as(make_user("contestant"))
    response = client.get("/admin/accounts/")
    assert response.status_code == 403 and "Không có quyền truy cập" in response.get_data(as_text=True)


def test_413_for_an_oversized_upload(client, make_user, login_as, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    login_as(make_user("admin"))
    response = client.post(
        "/admin/settings",
        data={"org_name": "X", "org_short_name": "X", "logo": (__import__("io").BytesIO(b"0" * 4096), "big.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413 and "Tệp quá lớn" in response.get_data(as_text=True)


def test_500_page_hides_the_error(app, client, monkeypatch):
    from app.main import views

    def boom():
        raise RuntimeError("secret detail")

    monkeypatch.setitem(app.view_functions, "main.index", boom)
    response = client.get("/")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "secret detail" not in page and "Đã xảy ra sự cố" in page
    assert views  # the module that was patched


def test_production_hashes_passwords_with_scrypt():
    from app.config import Config

    assert Config.PASSWORD_HASH_METHOD == "scrypt"
    application = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x" * 40})
    from app.accounts.models import User

    with application.app_context():
        user = User()
        user.set_password("Hoa-sen-nở-giữa-hồ-2026")
    assert user.password_hash.startswith("scrypt:") and user.check_password("Hoa-sen-nở-giữa-hồ-2026")


def test_a_nul_character_in_a_json_body_is_refused_before_any_view(client):
    response = client.post("/api/me", json={"nested": ["ok", {"k": "v\x00"}]})
    assert response.status_code == 400
    assert "ký tự rỗng" in response.json["error"]["message"]


def test_a_nul_character_is_dropped_from_query_strings(client, make_user, login_as):
    """The audit log's filters once met PostgreSQL with it (a server error); they now see the text without it."""
    login_as(make_user("admin", email="admin@example.vn", full_name="Quản Trị Viên"))
    response = client.get("/admin/audit/", query_string={"actor": "Quản\x00 Trị", "action": "\x00"})
    assert response.status_code == 200
    assert "\x00" not in response.get_data(as_text=True)


def test_text_without_nul_goes_through(client):
    assert client.get("/", query_string={"q": "Đặng Thị Ánh"}).status_code == 200
