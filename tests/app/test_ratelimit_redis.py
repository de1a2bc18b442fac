"""Several instances share their rate limits through Redis (RATELIMIT_STORAGE_URI=redis://...)."""

from __future__ import annotations

import os
import uuid

import pytest

from app import create_app
from tests.conftest import IsolatedClient

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def instances(database_url):
    if not _redis_available():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {REDIS_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    from app.extensions import limiter

    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "TESTING": True,
        "SECRET_KEY": "k" * 32,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        "LOGIN_RATE_LIMIT": "3 per minute",
    }
    apps = [create_app(config), create_app(config)]
    for application in apps:
        application.test_client_class = IsolatedClient
    yield [application.test_client() for application in apps], config["RATELIMIT_KEY_PREFIX"]
    limiter.init_app(create_app({"SQLALCHEMY_DATABASE_URI": database_url} | _restore()))


def _restore() -> dict:
    from tests.conftest import settings_for_tests

    return settings_for_tests()


def test_login_attempts_are_counted_across_instances(instances):
    import redis

    (first, second), prefix = instances
    data = {"email": "a@example.vn", "password": "wrong"}
    codes = [client.post("/account/login", data=data).status_code for client in (first, second, first, second)]
    assert codes == [200, 200, 200, 429]
    store = redis.Redis.from_url(REDIS_URL)
    keys = store.keys(f"*{prefix}*")
    assert keys, "the counts live in Redis, where every instance reads them"
    store.delete(*keys)
