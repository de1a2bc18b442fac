"""Hostile input on every form, as every role: generated values posted to each form route the role may use.

For each role, the pages it may open (the access matrix's GET rows) are read and their forms collected (action,
method, field names, file inputs); then hypothesis draws values for every field (long, empty, formula-like,
HTML, SQL, NUL bytes, odd Unicode, numbers and dates out of range, several values for one name) and sends them to
every POST route the role may use, and to every search form. No answer may be a server error (in testing,
Flask raises instead, so the exception fails the test with its route) and no body may show a stack trace.
Routes no form points at get values for the names the project's forms use most.
"""

from __future__ import annotations

import io
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.access import ANON, OK
from tests.conftest import ROLES_FOR_MATRIX
from tests.test_access_matrix import MATRIX, PACKAGE_ACCESS, base_targets

HOSTILE = [
    "",
    " ",
    "=1+1",
    "+SUM(A1:A9)",
    "-2+3",
    "@cmd",
    '\t=HYPERLINK("http://x")',
    "<script>alert(1)</script>",
    "' OR '1'='1",
    '"; DROP TABLE users; --',
    "\x00",
    "a\x00b",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓ Đặng Thị Ánh Tuyết",
    "\u202eevil",
    "../../etc/passwd",
    "0",
    "-1",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "3.14159",
    "31/02/2026",
    "29/02/2025",
    "01/01/0001",
    "9999-12-31",
    "2026-13-45T25:61",
    "on",
    "x" * 2100,
]

#: Files and API answers hold no form: not read (some are slow to make: bulk PDFs, workbooks).
DOWNLOADS = (".pdf", ".zip", ".xlsx", ".csv", ".png", ".svg", ".json")

FILE_NAMES = ["a.pdf", "x.exe", "", "ảnh.jpg", "../../a.docx", "a" * 300 + ".pdf"]

#: Names used by many of the project's forms, for POST routes that no page's form points at.
COMMON_NAMES = ["reason", "note", "comment", "name", "title", "status", "choice", "ids", "entry_ids", "action"]

value = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=60),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=2).map(str),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
)


class Forms(HTMLParser):
    """The forms of a page: (method, action, names, file names)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"method": (a.get("method") or "get").upper(), "action": a.get("action"), "names": [], "files": []}
            )
        elif tag in ("input", "select", "textarea", "button") and self.forms and a.get("name"):
            kind = (a.get("type") or "").lower()
            self.forms[-1]["files" if kind == "file" else "names"].append(a["name"])


def _rows_for(role: str) -> tuple[list[str], list[str]]:
    gets = [
        url
        for method, url, expected in MATRIX
        if method == "GET" and expected[role] == OK and not url.endswith(DOWNLOADS) and "/api/" not in url
    ]
    posts = [url for method, url, expected in MATRIX if method == "POST" and expected[role] == OK]
    return gets, posts


def _check(response, where: str) -> None:
    assert response.status_code < 500, where
    body = response.get_data(as_text=True) if response.mimetype.startswith(("text/", "application/json")) else ""
    assert "Traceback (most recent call last)" not in body, where


@pytest.mark.parametrize("role", [ANON, *ROLES_FOR_MATRIX])
def test_no_form_input_breaks_a_page(app, client, make_user, login_as, role):
    import importlib

    targets = base_targets(app, make_user)
    for module in PACKAGE_ACCESS:
        targets |= importlib.import_module(module).make_targets()
    user = make_user(role, email=f"{role}@example.vn") if role != ANON else None
    gets, posts = _rows_for(role)

    # Read every page the role may open and collect its forms.
    forms: list[dict] = []
    for url in gets:
        login_as(user)
        path = url.format(**targets)
        response = client.get(path)
        _check(response, f"GET {path}")
        if response.mimetype == "text/html":
            parser = Forms()
            parser.feed(response.get_data(as_text=True))
            for form in parser.forms:
                form["page"] = path
                form["action"] = urlsplit(form["action"] or path).path
            forms += parser.forms
    searches = [f for f in forms if f["method"] == "GET" and f["names"]]
    post_urls = [url.format(**targets) for url in posts if "logout" not in url]
    by_action: dict[str, dict] = {}
    for form in forms:
        if form["method"] == "POST":
            by_action.setdefault(form["action"], form)

    def send_all(pick, pick_file, pick_page) -> None:
        """Post to every form route and run every search once, with values from `pick(name)`."""
        for path in post_urls:
            form = by_action.get(path) or {"names": COMMON_NAMES, "files": []}
            payload: dict[str, object] = {name: pick(name) for name in form["names"]}
            payload |= {name: pick_file(name) for name in form["files"]}
            login_as(user)
            _check(client.post(path, data=payload, content_type="multipart/form-data"), f"POST {path} {payload!r:.300}")
        for form in searches:
            query = {name: pick(name) for name in form["names"]} | {"page": pick_page()}
            login_as(user)
            _check(client.get(form["action"], query_string=query), f"GET {form['action']} {query!r:.300}")

    # First every hostile value in turn (so NUL bytes, formulas and overlong text surely reach every route)...
    turn = iter(range(10**9))
    send_all(
        lambda _name: HOSTILE[next(turn) % len(HOSTILE)],
        lambda _name: (io.BytesIO(b"%PDF-1.4 not really"), "b\x00o.pdf"),
        lambda: "-1",
    )

    # ...then what hypothesis draws: values, several values for one name, files of any bytes and name.
    @settings(max_examples=2, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def fuzz(data):
        send_all(
            lambda name: data.draw(st.one_of(value, st.lists(value, min_size=2, max_size=3)), label=name),
            lambda name: (io.BytesIO(data.draw(st.binary(max_size=2048))), data.draw(st.sampled_from(FILE_NAMES))),
            lambda: data.draw(st.sampled_from(["-1", "0", "999999", "x"])),
        )

    fuzz()
    found = [path for path in post_urls if path in by_action]
    assert role != ANON or found, "anonymous visitors have forms too (sign-up, login, reset)"
