"""The scoring workbook of a round, read back with openpyxl and checked against the database; the CSV; formulas
neutralised; a bounded number of queries."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
from sqlalchemy import select

from app.extensions import db
from app.jobs.models import ExportJob
from judging import services as judging_services
from judging.models import Conflict, ScoreSheet
from judging.services.standings import round_standings
from results.models import Award
from tests.prepared import prepared
from tests.results.factories import make_judged

D = Decimal


def judged(**options):
    judging = make_judged(
        {1: [[28, 28, 38], [27, 27, 37]], 2: [[20, 20, 30], [10.5, 10, 10]], 3: [[10, 10, 10], [12, 10, 10]]},
        **options,
    )
    first = judging.entries[0]
    first.title = '=HYPERLINK("http://evil.example","bấm")'
    db.session.add(Award(contest_id=judging.contest.id, entry_id=first.id, tier_code="first", tier_name="Giải Nhất"))
    db.session.add(
        Conflict(
            contest_id=judging.contest.id,
            judge_id=judging.judges[1].id,
            entry_id=first.id,
            kind="family",
            source="judge",
            note="Anh em họ",
        )
    )
    sheet = judging.assignment(judging.judges[1], judging.entries[2]).sheet
    judging_services.reopen_sheet(sheet, "Nhập nhầm điểm", by=judging.organizer)
    db.session.commit()
    return judging


def download(client, judging, fmt="workbook"):
    return prepared(client, f"/results/manage/rounds/{judging.round.id}/{fmt}")


def test_the_workbook_holds_every_score_checked_against_the_database(login_as):
    judging = judged()
    response = download(login_as(judging.organizer), judging)
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert "private" in response.headers["Cache-Control"]
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    field_name = judging.contest.fields[0].name
    assert book.sheetnames == [field_name[:31].rstrip(), "Phiếu chấm", "Xung đột và mở lại phiếu", "Giải thưởng"]

    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "A3"  # caption, then the bold header, frozen
    header = [c.value for c in sheet[2]]
    criteria = judging.round.criteria
    assert header[:6] == ["Hạng", "Mã", "Bài dự thi", "Đơn vị", "Lĩnh vực", "Giám khảo"]
    assert header[6:9] == [f"{c.name} ({int(c.max_points)})" for c in criteria]
    assert header[9:] == ["Tổng điểm của giám khảo", "Điểm của bài", "Giám khảo chấm lệch nhau", "Giải"]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=3)]

    # every submitted sheet of the database, with its scores, is a row
    stored = {
        (s.assignment.entry.code, s.assignment.judge.full_name): s for s in db.session.scalars(select(ScoreSheet))
    }
    assert len(rows) == len(stored) == 6
    standings = round_standings(judging.round)
    for row in rows:
        sheet_ = stored[(row["Mã"], row["Giám khảo"])]
        values = {s.criterion_id: s.value for s in sheet_.scores}
        assert [D(str(row[h])) for h in header[6:9]] == [values[c.id] for c in criteria]
        if sheet_.status == "submitted":
            assert D(str(row["Tổng điểm của giám khảo"])) == sheet_.total
        else:  # the reopened sheet has no total
            assert row["Tổng điểm của giám khảo"] is None
        standing = standings.entries[sheet_.assignment.entry_id]
        assert D(str(row["Điểm của bài"])).quantize(D("0.01")) == standing.raw and row["Hạng"] == standing.rank
    # best first; the divergent entry (totals 70 and 30.5) is flagged; the award is on the winner's rows
    assert [r["Mã"] for r in rows][:2] == [judging.entries[0].code] * 2
    assert {r["Giám khảo chấm lệch nhau"] for r in rows if r["Mã"] == judging.entries[1].code} == {"Có"}
    assert {r["Giải"] for r in rows if r["Mã"] == judging.entries[0].code} == {"Giải Nhất"}
    # the formula-looking title is text, never a formula
    title_cell = sheet.cell(row=3, column=3)
    assert title_cell.data_type == "s" and title_cell.value.startswith("'=HYPERLINK")
    assert sheet.cell(row=3, column=10).number_format == "0.00"

    sheets_ = book["Phiếu chấm"]
    assert sheets_.max_row == 1 + 6
    events = [[c.value for c in row] for row in book["Xung đột và mở lại phiếu"].iter_rows(min_row=3)]
    kinds = sorted(e[0] for e in events)
    assert kinds == ["Gia đình", "Mở lại phiếu chấm"]
    reopened = next(e for e in events if e[0] == "Mở lại phiếu chấm")
    assert reopened[4] == "Nhập nhầm điểm" and reopened[7] == judging.organizer.email


def test_the_normalised_score_column_only_when_the_round_normalises(login_as):
    judging = judged()
    judging.round.normalise = True
    judging.round.min_sheets = 2
    db.session.commit()
    book = openpyxl.load_workbook(io.BytesIO(download(login_as(judging.organizer), judging).data))
    header = [c.value for c in book.worksheets[0][2]]
    assert "Điểm chuẩn hóa" in header


def test_the_csv_is_utf8_with_a_bom_and_neutralised(login_as):
    judging = judged()
    response = download(login_as(judging.organizer), judging, "scores-csv")
    assert response.status_code == 200 and response.data.startswith(b"\xef\xbb\xbf")
    text = response.data.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("Hạng,Mã,Bài dự thi,Đơn vị,Lĩnh vực,Giám khảo,")
    assert len(lines) == 1 + 6
    assert "'=HYPERLINK" in text and "Giám khảo Số 1" in text


def test_the_exports_page_lists_the_rounds(login_as):
    judging = judged()
    page = login_as(judging.organizer).get(f"/results/manage/{judging.contest.id}/exports")
    assert page.status_code == 200
    assert f'action="/results/manage/rounds/{judging.round.id}/workbook"'.encode() in page.data


def test_the_exports_page_lists_the_files_the_organizer_prepared_for_this_edition(login_as, make_user, count_queries):
    judging = judged()
    client = login_as(judging.organizer)
    page = f"/results/manage/{judging.contest.id}/exports"
    assert b"prepared-exports" not in client.get(page).data  # nothing prepared yet: no list
    with count_queries() as before:
        client.get(page)
    download(client, judging)
    download(client, judging, "scores-csv")
    elsewhere = ExportJob(  # another edition's round: not listed here
        kind="results.round_workbook", params={"round_id": judging.round.id + 1000},
        filename="Khác.xlsx", mimetype="text/csv", requested_by_id=judging.organizer.id, status="done",
    )  # fmt: skip
    db.session.add(elsewhere)
    db.session.commit()
    colleague = make_user("organizer", email="dongnghiep@example.vn")
    login_as(colleague).post(f"/results/manage/rounds/{judging.round.id}/workbook")  # a colleague's: not mine
    login_as(judging.organizer)
    with count_queries() as after:
        text = client.get(page).get_data(as_text=True)
    listed = text[text.index('data-testid="prepared-exports"') :]
    assert listed.count("/exports/") == 2 and listed.count("Sẵn sàng") == 2
    assert listed.index(".csv") < listed.index(".xlsx")  # newest first
    assert after.n == before.n  # the list is one query, with or without files


def test_a_bounded_number_of_queries_whatever_the_round_size(login_as, count_queries):
    counts = []
    for entries in (2, 8):
        judging = make_judged({n: [[20, 20, 30], [21, 20, 30]] for n in range(1, entries + 1)})
        client = login_as(judging.organizer)
        with count_queries() as counted:
            assert download(client, judging).status_code == 200
        counts.append(counted.n)
    assert counts[0] == counts[1], counts
