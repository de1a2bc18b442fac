"""Browser fixtures: the application served for real (CSRF on) and Debian's Chromium driven by Playwright.

Without a `chromium` executable the browser tests skip, except in CI (CI=true) where they fail: a CI run
that silently skipped them would prove nothing. Never run `playwright install`; Debian's build is used."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator

import pytest
from flask import Flask
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db

#: Every wait in a browser test is bounded by this (milliseconds): a broken page fails fast, never hangs.
TIMEOUT_MS = 10_000

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


class LiveServer:
    """The application on http://127.0.0.1:<free port>; `errors` lists the requests it answered with a 5xx."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.url = ""
        self.errors: list[str] = []

    def __call__(self, path: str = "/") -> str:
        return self.url + path

    def wsgi(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """The application, noting every server error (its error handler turns exceptions into 500 pages)."""

        def record_status(status: str, headers: list, exc_info=None):
            if status.startswith("5"):
                self.errors.append(f"{environ['REQUEST_METHOD']} {environ.get('PATH_INFO', '')} -> {status}")
            return start_response(status, headers, exc_info)

        return self.app(environ, record_status)


@pytest.fixture(scope="session")
def live_app(app: Flask, database_url: str) -> Iterator[Flask]:
    """A second application on the session's database (tables made by `app`), with real CSRF protection."""
    config = {key: value for key, value in app.config.items() if key.isupper()}
    config |= {"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": True, "SERVER_NAME": None}
    application = create_app(config)
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def _live_server(live_app: Flask) -> Iterator[LiveServer]:
    live = LiveServer(live_app)
    server = make_server("127.0.0.1", 0, live.wsgi, threaded=True)
    live.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield live
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def live_server(_live_server: LiveServer) -> Iterator[LiveServer]:
    """The served application; `live_server("/account/login")` is a full URL. A 5xx answer fails the test."""
    _live_server.errors.clear()
    yield _live_server
    errors = list(_live_server.errors)
    _live_server.errors.clear()
    if errors:
        pytest.fail(f"the live server answered with server errors: {errors}", pytrace=False)


def _tool_or_skip(name: str, message: str) -> str:
    """The path of a program a browser test needs: a skip on a laptop without it, a failure in CI (never a skip)."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def pdftoppm_path() -> str:
    """poppler-utils' pdftoppm, which renders a certificate's PDF to read its QR code (.ci/run installs it)."""
    return _tool_or_skip(
        "pdftoppm", "poppler-utils is needed to read a certificate's QR code (apt-get install poppler-utils)"
    )


@pytest.fixture(scope="session")
def chromium_path() -> str:
    return _tool_or_skip(
        "chromium", "Debian's chromium is not installed (apt-get install chromium); browser tests cannot run"
    )


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


class ConsoleErrors(list):
    """Console messages of type error (Chromium reports every CSP violation there, and every resource answered
    with an HTTP error) and uncaught page exceptions."""

    def watch(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.append(f"uncaught exception: {exc}"))

    def _console(self, msg) -> None:
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "")
        self.append(f"console error: {msg.text} (at {url or 'unknown'})")


@pytest.fixture
def console_errors() -> ConsoleErrors:
    """What went wrong in the browser during the test; a test asserts `console_errors == []`."""
    return ConsoleErrors()


@pytest.fixture
def new_page(browser, console_errors: ConsoleErrors) -> Iterator[Callable]:
    """`new_page(viewport={"width": 375, "height": 740})`: a page in a fresh context (own cookies)."""
    contexts = []

    def factory(**context_options):
        context = browser.new_context(**context_options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        console_errors.watch(page)
        return page

    yield factory
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable):
    """A desktop-sized page (1280x800)."""
    return new_page(viewport={"width": 1280, "height": 800})
