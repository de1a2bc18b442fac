"""The annual report on generated data: each table against an independent count (straight SQL over the entries,
plain JSON over the latest published payloads), the XLSX read back, the PDF's text, the organizers' scope, and a
bounded number of queries whatever the data size."""

from __future__ import annotations

import io
import json
import random
import shutil
import subprocess
from collections import Counter

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook
from sqlalchemy import text

from app.extensions import db
from reports.classify import school_level
from reports.sources import AnnualContext, annual_tables
from tests.reports.factories import add_entries, publish_random


def tables_for(app, user, year=2025, successors=False, locale="en"):
    """The report's tables by key, labels in `locale` (English: the labels the tests name)."""
    with app.test_request_context(), force_locale(locale):
        return {t.key: t for t in annual_tables(AnnualContext(user, year, successors))}


def rows_by_label(table, label_columns=1):
    """{label (or tuple of labels): (entries, finalists, prizes, special)} of a table's rows."""
    out = {}
    for row in table.rows:
        key = row[0] if label_columns == 1 else tuple(row[:label_columns])
        out[key] = tuple(row[-4:])
    return out


# --- independent counts --------------------------------------------------------------------------------------------

SUBMITTED = "e.status IN ('submitted', 'returned', 'eligible', 'ineligible') AND e.submitted_at IS NOT NULL"


def sql_rows(query: str, **params) -> list:
    return list(db.session.execute(text(query), params))


def latest_payloads(year: int) -> dict[int, dict]:
    """The latest published payload of each edition of the year, read as plain JSON."""
    rows = sql_rows(
        "SELECT p.contest_id, p.version, p.payload FROM result_publications p JOIN contests c ON c.id = p.contest_id "
        "WHERE c.year = :year",
        year=year,
    )
    latest: dict[int, tuple[int, str]] = {}
    for contest_id, version, payload in rows:
        if contest_id not in latest or version > latest[contest_id][0]:
            latest[contest_id] = (version, payload)
    return {cid: json.loads(payload) for cid, (_v, payload) in latest.items()}


def published_counts(year: int, key_of) -> Counter:
    """(key, "finalists"|"prizes"|"special") counts over the latest payloads; `key_of(payload, entry)`."""
    counts: Counter = Counter()
    for payload in latest_payloads(year).values():
        entries = {e["id"]: e for e in payload["entries"]}
        for e in entries.values():
            if e["score"] is not None:
                counts[(key_of(payload, e), "finalists")] += 1
        for a in payload["awards"]:
            if a["entry_id"] is None:
                continue
            counts[(key_of(payload, entries[a["entry_id"]]), "special" if a["special"] else "prizes")] += 1
    return counts


def test_fields_table_matches_an_independent_count(app, world, make_user):
    tables = tables_for(app, make_user("organizer"))
    got = rows_by_label(tables["fields"], 2)
    entries = Counter(
        {
            (kind, name): n
            for kind, name, n in sql_rows(
                "SELECT c.kind, f.name, COUNT(*) FROM entries e JOIN contests c ON c.id = e.contest_id "
                f"JOIN contest_fields f ON f.id = e.field_id WHERE c.year = 2025 AND {SUBMITTED} "
                "GROUP BY c.kind, f.name"
            )
        }
    )
    published = published_counts(
        2025,
        lambda p, e: (p["contest"]["kind"], next(f["name"] for f in p["fields"] if f["id"] == e["field_id"])),
    )
    kinds = {"Technical Innovation Contest": "innovation", "Youth and Children's Creativity Contest": "youth"}
    assert got, "the fields table is empty"
    for (kind_label, name), (n_entries, finalists, prizes, special) in got.items():
        key = (kinds[kind_label], name)
        assert n_entries == entries[key], key
        assert (finalists, prizes, special) == (
            published[(key, "finalists")],
            published[(key, "prizes")],
            published[(key, "special")],
        ), key
    assert sum(r[0] for r in got.values()) == sum(entries.values())


def test_contests_table_counts_each_edition_and_the_latest_version_only(app, world, make_user):
    table = tables_for(app, make_user("organizer"))["contests"]
    by_name = {row[0]: row for row in table.rows}
    assert set(by_name) == {c.name for k, c in world.contests.items() if k != "earlier"}
    payloads = latest_payloads(2025)
    for contest in (c for k, c in world.contests.items() if k != "earlier"):
        row = by_name[contest.name]
        expected_entries = sql_rows(
            f"SELECT COUNT(*) FROM entries e WHERE e.contest_id = :cid AND {SUBMITTED}", cid=contest.id
        )[0][0]
        payload = payloads.get(contest.id)
        finalists = sum(1 for e in payload["entries"] if e["score"] is not None) if payload else 0
        prizes = sum(1 for a in payload["awards"] if not a["special"]) if payload else 0
        special = sum(1 for a in payload["awards"] if a["special"]) if payload else 0  # units' prizes included
        assert row[-4:] == (expected_entries, finalists, prizes, special), contest.name
        assert ("Version 2" if payload else "Not published") == row[4]
    assert table.total[-4:] == tuple(sum(r[i] for r in table.rows) for i in range(-4, 0))


def test_units_localities_and_youth_tables_match_independent_counts(app, world, make_user):
    tables = tables_for(app, make_user("organizer"))
    units = Counter(
        dict(
            sql_rows(
                "SELECT e.unit_name, COUNT(*) FROM entries e JOIN contests c ON c.id = e.contest_id "
                f"WHERE c.year = 2025 AND {SUBMITTED} GROUP BY e.unit_name"
            )
        )
    )
    assert {k: v[0] for k, v in rows_by_label(tables["units"]).items()} == dict(units)
    unit_prizes = published_counts(2025, lambda p, e: e["unit"])
    for unit, (_n, finalists, prizes, _special) in rows_by_label(tables["units"]).items():
        assert (finalists, prizes) == (unit_prizes[(unit, "finalists")], unit_prizes[(unit, "prizes")])

    labels = {u.id: u.label for u in world.units.values()}
    localities = Counter()
    for unit_id, n in sql_rows(
        "SELECT e.admin_unit_id, COUNT(*) FROM entries e JOIN contests c ON c.id = e.contest_id "
        f"WHERE c.year = 2025 AND {SUBMITTED} GROUP BY e.admin_unit_id"
    ):
        localities[labels.get(unit_id, "Not recorded")] += n
    assert {k: v[0] for k, v in rows_by_label(tables["localities"]).items()} == dict(localities)

    youth = sql_rows(
        "SELECT a.name, e.unit_name, COUNT(*) FROM entries e JOIN contests c ON c.id = e.contest_id "
        "JOIN contest_age_groups a ON a.id = e.age_group_id "
        f"WHERE c.year = 2025 AND c.kind = 'youth' AND {SUBMITTED} GROUP BY a.name, e.unit_name"
    )
    by_group, by_level = Counter(), Counter()
    for group, unit, n in youth:
        by_group[group] += n
        by_level[school_level(unit)] += n
    assert {k: v[0] for k, v in rows_by_label(tables["age_groups"]).items()} == dict(by_group)
    levels = {
        "Primary school": "primary",
        "Lower secondary school": "lower_secondary",
        "Upper secondary school": "upper_secondary",
        "School of several levels": "multi",
        "Other unit or not stated": "other",
    }
    assert {levels[k]: v[0] for k, v in rows_by_label(tables["school_levels"]).items()} == dict(by_level)


def test_localities_grouped_under_their_successors(app, world, make_user):
    organizer = make_user("organizer")
    by_time = rows_by_label(tables_for(app, organizer)["localities"])
    grouped = rows_by_label(tables_for(app, organizer, successors=True)["localities"])
    units = world.units
    old = [units["old_a"].label, units["old_b"].label]
    assert not any(label in grouped for label in old)
    merged = tuple(
        sum(by_time.get(label, (0, 0, 0, 0))[i] for label in [*old, units["merged"].label]) for i in range(4)
    )
    assert grouped[units["merged"].label] == merged
    assert sum(v[0] for v in grouped.values()) == sum(v[0] for v in by_time.values())


def test_trend_counts_every_year(app, world, make_user):
    trend = tables_for(app, make_user("organizer"))["trend"]
    years = {row[0]: row for row in trend.rows}
    assert set(years) == {"2024", "2025"}
    for year in (2024, 2025):
        entries = sql_rows(
            f"SELECT COUNT(*) FROM entries e JOIN contests c ON c.id = e.contest_id WHERE c.year = :y AND {SUBMITTED}",
            y=year,
        )[0][0]
        payloads = latest_payloads(year).values()
        finalists = sum(1 for p in payloads for e in p["entries"] if e["score"] is not None)
        prizes = sum(1 for p in payloads for a in p["awards"] if not a["special"])
        editions = sql_rows("SELECT COUNT(*) FROM contests WHERE year = :y", y=year)[0][0]
        assert years[str(year)][1:] == (editions, entries, finalists, prizes)
    assert trend.chart is not None and trend.chart.kind == "line"
    earlier = tables_for(app, make_user("organizer", email="btc.2024@example.vn"), year=2024)["trend"]
    assert [row[0] for row in earlier.rows] == ["2024"]  # a report compares with earlier years, not later ones


def test_a_district_organizer_sees_only_its_editions(app, world, make_user):
    district = make_user("organizer", email="btc.huyen@example.vn", scope=("organisation", world.district.id))
    tables = tables_for(app, district)
    assert [row[0] for row in tables["contests"].rows] == [world.contests["district"].name]
    entries = sql_rows(
        f"SELECT COUNT(*) FROM entries e WHERE e.contest_id = :cid AND {SUBMITTED}",
        cid=world.contests["district"].id,
    )[0][0]
    assert tables["contests"].total[-4] == entries
    assert [row[0] for row in tables["trend"].rows] == ["2025"]


# --- pages and downloads -------------------------------------------------------------------------------------------


def test_the_page_shows_every_table_with_its_note_and_chart(client, login_as, world, make_user):
    login_as(make_user("organizer"))
    response = client.get("/reports/annual/2025")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for key in ("contests", "fields", "units", "localities", "age_groups", "school_levels", "prizes", "trend"):
        assert f'data-testid="table-{key}"' in html
    assert html.count("<svg") >= 6
    assert world.contests["innovation"].name in html
    assert f"/results/{world.contests['innovation'].id}" in html  # a published edition links to its results


def test_the_index_redirects_to_the_latest_year_or_the_year_asked(client, login_as, world, make_user):
    login_as(make_user("organizer"))
    assert client.get("/reports/annual/").headers["Location"].endswith("/reports/annual/2025")
    location = client.get("/reports/annual/?year=2024&successors=1").headers["Location"]
    assert location.endswith("/reports/annual/2024?successors=1")
    assert client.get("/reports/annual/1200").status_code == 404


def test_the_xlsx_has_one_sheet_per_table_with_its_note(app, client, login_as, world, make_user):
    organizer = make_user("organizer")
    login_as(organizer)
    response = client.get("/reports/annual/2025.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    tables = tables_for(app, organizer, locale="vi")
    assert len(book.worksheets) == len(tables)
    for sheet, table in zip(book.worksheets, tables.values(), strict=True):
        assert sheet.cell(1, 1).value == table.note
        assert [c.value for c in sheet[2]] == list(table.headers)
        values = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
        expected = [list(r) for r in table.rows] + ([list(table.total)] if table.total else [])
        assert values == [[None if v == "" else v for v in row] for row in expected]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_the_pdf_has_the_headings_and_figures(app, client, login_as, world, make_user, tmp_path):
    organizer = make_user("organizer")
    login_as(organizer)
    response = client.get("/reports/annual/2025.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.data)
    words = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout
    tables = tables_for(app, organizer, locale="vi")
    assert "2025" in words
    for table in tables.values():
        assert table.title.split(",")[0] in " ".join(words.split()), table.title
    total = tables["contests"].total
    assert str(total[-4]) in words
    assert world.contests["innovation"].name.split()[0] in words
    assert "Bù Đăng" in words  # diacritics survive (a locality's name, in a table and a chart)


# --- bounded queries -----------------------------------------------------------------------------------------------


def test_the_report_costs_the_same_queries_whatever_the_data_size(client, login_as, world, make_user, count_queries):
    login_as(make_user("organizer"))
    with count_queries() as small:
        assert client.get("/reports/annual/2025").status_code == 200
    rng = random.Random(3)
    for key in ("innovation", "youth", "district"):
        add_entries(world, key, 15, rng)
    publish_random(world, "innovation", rng)
    publish_random(world, "district", rng)
    with count_queries() as large:
        assert client.get("/reports/annual/2025").status_code == 200
    assert large.n == small.n, (small.n, large.n)
    assert small.n <= 24  # contests 8, honors 3, events 3, and the page's own (session, user, settings)


def test_a_year_without_records_shows_empty_tables_and_downloads(app, client, login_as, make_user):
    organizer = make_user("organizer")
    login_as(organizer)
    tables = tables_for(app, organizer, year=2030)
    assert len(tables) == 15  # contests 8, honors 4, events 3
    html = client.get("/reports/annual/2030").get_data(as_text=True)
    assert html.count('data-testid="empty"') == len(tables)
    book = load_workbook(io.BytesIO(client.get("/reports/annual/2030.xlsx").data))
    assert len(book.worksheets) == len(tables) and book.worksheets[0].max_row == 2  # the note and the header
    pdf = client.get("/reports/annual/2030.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
