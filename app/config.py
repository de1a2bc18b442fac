"""Configuration read from environment variables (see `.env.example`)."""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
INSTANCE_DIR = BASE_DIR / "instance"

#: The placeholder key shipped in `.env.example`; refused outside debug and testing.
DEFAULT_SECRET_KEYS = {"", "change-me", "dev", "dev-insecure-key"}


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Production-safe defaults; every value can be overridden from the environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'sangtao.sqlite3'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

    # Sessions and cookies: HttpOnly and SameSite always, Secure when served over HTTPS.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PREFERRED_URL_SCHEME = "https" if SESSION_COOKIE_SECURE else "http"
    # Number of reverse proxies in front of the app (for client address and scheme).
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

    #: The largest request (a video of an entry); each document type has its own, smaller limit.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(256 * 1024 * 1024)))
    #: All documents of one entry together.
    ENTRY_MAX_TOTAL_MB = int(os.environ.get("ENTRY_MAX_TOTAL_MB", "500"))
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    #: Prepared exports (`app.jobs`): one folder every instance mounts, as UPLOAD_DIR; not in backups.
    EXPORT_DIR = os.environ.get("EXPORT_DIR", str(INSTANCE_DIR / "exports"))
    #: "process": each export is built by a Python process of its own; "inline": in the request (tests).
    EXPORT_RUNNER = os.environ.get("EXPORT_RUNNER", "process")
    EXPORT_KEEP_HOURS = int(os.environ.get("EXPORT_KEEP_HOURS", "24"))
    #: A build writes a sign of life this often; six missed, and its export shows as stopped (its process died).
    EXPORT_HEARTBEAT_SECONDS = float(os.environ.get("EXPORT_HEARTBEAT_SECONDS", "10"))

    # Interface: Vietnamese first, English second; dates in Asia/Ho_Chi_Minh.
    LANGUAGES = ["vi", "en"]
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")

    # Mail: SMTP when MAIL_SERVER is set, otherwise the in-app outbox.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", True)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "sangtao <no-reply@localhost>")

    # Rate limits: in memory for one instance, Redis (redis://...) for several.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Counted over the last minute or hour, not per clock window: no burst of twice the limit across a boundary.
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    RESET_RATE_LIMIT = os.environ.get("RESET_RATE_LIMIT", "5 per minute;20 per hour")
    #: The public certificate verification page (a QR code scanned by anyone).
    VERIFY_RATE_LIMIT = os.environ.get("VERIFY_RATE_LIMIT", "30 per minute;300 per hour")

    PASSWORD_HASH_METHOD = "scrypt"
    PASSWORD_RESET_MAX_AGE = int(os.environ.get("PASSWORD_RESET_MAX_AGE", str(3600)))
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    DEBUG = False
    TESTING = False


class DevelopmentConfig(Config):
    DEBUG = True
    SECRET_KEY = os.environ.get("SECRET_KEY", "") or "dev-insecure-key"


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    # Limits stay on (tests lower them to see a 429); generous so that ordinary tests never meet them.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    LOGIN_RATE_LIMIT = "1000 per minute"
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast for tests; production keeps scrypt
    RESET_RATE_LIMIT = "1000 per minute"
    VERIFY_RATE_LIMIT = "1000 per minute"
    MAIL_SERVER = ""
    SERVER_NAME = None
    EXPORT_RUNNER = "inline"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": Config,
}
