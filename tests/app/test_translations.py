"""The Vietnamese catalogue covers every string of the code, keeps every placeholder, and the interface switches
between Vietnamese (the default) and English.

When `test_every_string_is_translated` fails, a string was added or changed without its translation:
run `flask translate update`, translate the empty entries of translations/vi/LC_MESSAGES/messages.po,
then `flask translate compile`.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
VI_PO = ROOT / "translations" / "vi" / "LC_MESSAGES" / "messages.po"

#: One %-conversion of Python's printf-style formatting: %(name)s, %d, %5.2f, %%.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[hlL]?[diouxXeEfFgGcrsa%]")


def _load(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The strings the code wraps today, extracted afresh (the same command as `flask translate extract`)."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    command = [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l"]
    done = subprocess.run(
        [*command, "--no-location", "-o", str(pot), "."], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"pybabel extract failed:\n{done.stderr}"
    return _load(pot)


@pytest.fixture(scope="module")
def vietnamese() -> Catalog:
    assert VI_PO.exists(), f"{VI_PO.relative_to(ROOT)} is missing; create it with `flask translate init vi`"
    return _load(VI_PO, "vi")


def _ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, list | tuple) else [message.id]


def _strings(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, list | tuple) else [message.string]


def _placeholders(text: str) -> tuple[Counter, int]:
    """The %-conversions of a text, and how many stray '%' signs remain (each would break `text % values`)."""
    found = PLACEHOLDER.findall(text)
    return Counter(found), PLACEHOLDER.sub("", text).count("%")


def test_every_string_is_translated(extracted: Catalog, vietnamese: Catalog) -> None:
    assert not vietnamese.fuzzy, "the catalogue's header is marked fuzzy: pybabel compile would skip the whole file"
    problems = []
    for message in extracted:
        if not message.id:
            continue
        entry = vietnamese.get(message.id, message.context)
        if entry is None:
            problems.append(f"missing:      {_ids(message)[0]!r}")
        elif entry.fuzzy:
            problems.append(f"fuzzy:        {_ids(message)[0]!r}")
        elif not all(s.strip() for s in _strings(entry)):
            problems.append(f"untranslated: {_ids(message)[0]!r}")
    assert not problems, (
        f"{len(problems)} string(s) of the code lack a Vietnamese translation in {VI_PO.relative_to(ROOT)}.\n"
        "Run `flask translate update`, translate the entries below, then `flask translate compile`:\n  "
        + "\n  ".join(problems)
    )


def test_translations_keep_their_placeholders(vietnamese: Catalog) -> None:
    problems = []
    for message in vietnamese:
        if not message.id:
            continue
        # Vietnamese has a single plural form, used for every number: it follows the plural msgid.
        expected = _placeholders(_ids(message)[-1])
        for text in _strings(message):
            if text and _placeholders(text) != expected:
                problems.append(f"{_ids(message)[-1]!r}\n    -> {text!r}")
    assert not problems, "translations whose %-placeholders differ from their msgid:\n  " + "\n  ".join(problems)


def test_vietnamese_catalogue_declares_one_plural_form(vietnamese: Catalog) -> None:
    assert vietnamese.num_plurals == 1
    assert str(vietnamese.locale) == "vi"


def test_interface_is_vietnamese_by_default_and_english_on_request(client) -> None:
    page = client.get("/account/login").get_data(as_text=True)
    assert 'lang="vi"' in page
    assert "Đăng nhập" in page
    assert "Quên mật khẩu?" in page
    assert "Forgot your password?" not in page

    # Form messages are lazy strings: they follow the language of the request too.
    errors = client.post("/account/login", data={}).get_data(as_text=True)
    assert "Vui lòng nhập thông tin này." in errors

    response = client.post("/lang?next=/account/login", data={"lang": "en"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/login")

    page = client.get("/account/login").get_data(as_text=True)
    assert 'lang="en"' in page
    assert "Log in" in page
    assert "Forgot your password?" in page
    assert "Đăng nhập" not in page

    response = client.post("/lang", data={"lang": "vi"}, follow_redirects=True)
    assert "Đăng nhập" in response.get_data(as_text=True)


def test_templates_follow_a_language_changed_or_forced_within_a_request(app) -> None:
    """The templates' translations are looked up once per request, yet follow `refresh()` (a language chosen)
    and `force_locale` (a mail in its recipient's language), as Flask-Babel's own lookups do."""
    from flask import render_template_string, session
    from flask_babel import force_locale, refresh

    page = "{{ _('Entries') }}|{{ ngettext('%(num)d entry', '%(num)d entries', 2) }}"
    with app.test_request_context("/"):
        assert render_template_string(page) == "Bài dự thi|2 bài dự thi"
        with force_locale("en"):
            assert render_template_string(page) == "Entries|2 entries"
        assert render_template_string(page) == "Bài dự thi|2 bài dự thi"
        session["lang"] = "en"
        assert render_template_string(page) == "Bài dự thi|2 bài dự thi"  # the request's language, kept
        refresh()
        assert render_template_string(page) == "Entries|2 entries"
