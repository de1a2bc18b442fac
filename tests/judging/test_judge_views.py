"""The judges' pages (judging/views/judge.py): their assignments with progress, the score sheet (checks beside each
field, drafts, submission, a double submit, locking, a round that is not scoring), documents, blind rounds that
name nobody, and conflicts of interest declared by the judge."""

from __future__ import annotations

import io
import re
from datetime import datetime
from decimal import Decimal

import pytest
from flask import current_app
from flask_babel import gettext
from markupsafe import escape
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from app.audit.labels import action_label
from app.audit.models import AuditEntry
from app.extensions import db
from app.orgs.models import AdministrativeUnit
from app.uploads import stored_path
from judging import services
from judging.models import Assignment, Conflict, Round, ScoreSheet
from tests.conftest import outbox
from tests.judging.factories import make_eligible_entry, make_judging, score

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def said(message: str, **values) -> str:
    """A message in the default locale."""
    with current_app.test_request_context():
        return gettext(message, **values)


def text(message: str, **values) -> str:
    """A message as the page shows it (in the default locale, HTML-escaped)."""
    return str(escape(said(message, **values)))


def sheet_url(assignment: Assignment) -> str:
    return f"/judging/assignments/{assignment.id}"


def audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def scores_form(judging, values, *, comment: str = "", button: str = "save") -> dict[str, str]:
    data = {f"score_{c.id}": v for c, v in zip(judging.round.criteria, values, strict=True)}
    return data | {"comment": comment, button: "1"}


def add_entry(judging, n: int):
    """Another eligible entry of the contest (registration reopened for a moment: it is judging now)."""
    judging.contest.status = "open"
    entry = make_eligible_entry(judging.contest, judging.owner, 0, n)
    judging.contest.status = "judging"
    db.session.commit()
    return entry


def write_files(entry, content: bytes = PDF) -> None:
    """Put a file on disk for each document record of the entry (the factories make the records only)."""
    for document in entry.documents:
        stored_path(f"entries/{entry.id}", document.stored_name).write_bytes(content)


def identify(entry, n: int, unit: AdministrativeUnit) -> None:
    """Give entry number `n` an entering organisation, a locality, and its author personal details."""
    entry.entering_organisation = f"Công ty Cổ phần Điều số {n}"
    person = entry.authors[0]
    person.id_number = f"07908500{n:04d}"
    person.phone = f"09123{n:05d}"
    person.email = f"tacgia{n}@example.vn"
    person.address = f"Số {n} đường Phú Riềng Đỏ"
    person.admin_unit_id = unit.id
    entry.refresh_derived()
    db.session.commit()


@pytest.fixture
def locality():
    unit = AdministrativeUnit(code="707", name="Lộc Ninh", kind="huyện", level=2)
    db.session.add(unit)
    db.session.commit()
    return unit


def people_strings(entry, locality) -> list[str]:
    """What names or places the entry in a blind round: its authors, units, organisation, owner, locality."""
    strings = [entry.entering_organisation, entry.unit_name, entry.lead_name, entry.owner.full_name, locality.name]
    for p in entry.people:
        strings += [p.full_name, p.unit, p.email, p.phone, p.id_number, p.address]
    return [s for s in strings if s]


# --- my assignments --------------------------------------------------------------------------------------------


def test_my_assignments_lists_only_the_judges_own_by_round_with_progress(client, login_as):
    judging = make_judging(entries=3, judges=2)
    first, second = judging.judges
    a, b, c = judging.entries
    score(judging, first, a, [20, 20, 30])
    score(judging, first, b, [10, 10, 10], submit=False)
    judging.round.deadline = datetime(2026, 9, 30, 10, 0)  # 17:00 in Vietnam, the same day
    # A second round being set up, with an assignment for the same judge: not shown yet.
    hidden = Round(contest_id=judging.contest.id, kind="final", name="Vòng chung khảo", status="setup", position=1)
    db.session.add(hidden)
    db.session.flush()
    db.session.add(Assignment(round_id=hidden.id, entry_id=a.id, judge_id=first.id, source="manual"))
    # The other judge's entries are theirs: another entry assigned to the second judge only.
    d = add_entry(judging, 4)
    db.session.add(Assignment(round_id=judging.round.id, entry_id=d.id, judge_id=second.id, source="manual"))
    db.session.commit()

    html = login_as(first).get("/judging/").get_data(as_text=True)
    for entry in (a, b, c):
        assert entry.code in html and entry.title in html
    assert d.code not in html and "Giải pháp 4" not in html
    assert "Vòng chung khảo" not in html and f'data-testid="round-{hidden.id}"' not in html
    assert judging.contest.name in html and judging.contest.fields[0].name in html
    assert "30/09/2026" in html
    assert 'data-sheet-status="submitted"' in html and 'data-sheet-status="draft"' in html
    assert 'data-sheet-status="none"' in html
    progress = re.search(rf'data-testid="progress-{judging.round.id}">([^<]*)<', html).group(1)
    assert progress.strip() == said("%(done)d/%(total)d submitted", done=1, total=3)
    assert 'value="1" max="3"' in html

    html = login_as(second).get("/judging/").get_data(as_text=True)
    assert d.code in html
    assert said("%(done)d/%(total)d submitted", done=0, total=4) in html


def test_a_closed_round_stays_listed_and_a_judge_without_assignments_sees_none(client, login_as, make_user):
    judging = make_judging(entries=1, judges=1, status="closed")
    html = login_as(judging.judges[0]).get("/judging/").get_data(as_text=True)
    assert judging.entries[0].code in html
    lonely = make_user("judge", email="gk-khac@example.vn")
    html = login_as(lonely).get("/judging/").get_data(as_text=True)
    assert 'data-testid="no-assignments"' in html and judging.entries[0].code not in html


def test_my_assignments_costs_the_same_queries_for_3_and_12_entries(client, login_as, count_queries):
    judging = make_judging(entries=3, judges=1)
    judge = judging.judges[0]
    score(judging, judge, judging.entries[0], [20, 20, 30])
    score(judging, judge, judging.entries[1], [10, 10, 10], submit=False)
    login_as(judge)

    def measure() -> int:
        db.session.expire_all()
        with count_queries() as counted:
            response = client.get("/judging/")
        assert response.status_code == 200
        return counted.n

    few = measure()
    for n in range(4, 13):
        entry = add_entry(judging, n)
        assignment = Assignment(round_id=judging.round.id, entry_id=entry.id, judge_id=judge.id, source="manual")
        db.session.add(assignment)
        db.session.commit()
        judging.assignments[(judge.id, entry.id)] = assignment
        if n % 3 == 0:
            score(judging, judge, entry, [15, 15, 15], submit=n % 2 == 0)
    many = measure()
    assert few == many, (few, many)
    assert many <= 8, many
    assert "Giải pháp 12" in client.get("/judging/").get_data(as_text=True)


# --- the score sheet ---------------------------------------------------------------------------------------------


def test_the_sheet_shows_the_entry_and_each_criterion_with_its_range(client, login_as, locality):
    judging = make_judging(entries=1, judges=1)
    entry = judging.entries[0]
    identify(entry, 1, locality)
    write_files(entry)
    judge = judging.judges[0]
    html = login_as(judge).get(sheet_url(judging.assignment(judge, entry))).get_data(as_text=True)
    assert entry.code in html and entry.title in html and entry.summary in html
    assert judging.contest.fields[0].name in html
    for criterion in judging.round.criteria:
        assert str(escape(criterion.name)) in html
        assert text("0 – %(max)s, step %(step)s", max="30", step="0,5") in html
    assert html.count('inputmode="decimal"') == len(judging.round.criteria)
    # Not blind: the authors' names and units, and the entering organisation; never their personal details.
    assert "Tác giả 1" in html and "Đơn vị số 1" in html and "Công ty Cổ phần Điều số 1" in html
    person = entry.authors[0]
    for private in (person.id_number, person.phone, person.email, person.address, "18/05/1985", "Lê Văn Chủ"):
        assert private not in html, private
    for document in entry.documents:
        assert str(escape(document.original_name)) in html


def test_values_out_of_range_or_off_the_step_are_refused_beside_their_field_and_kept(client, login_as):
    judging = make_judging(entries=1, judges=1)
    judge, entry = judging.judges[0], judging.entries[0]
    novelty, applicability, effect = judging.round.criteria
    login_as(judge)
    response = client.post(
        sheet_url(judging.assignment(judge, entry)),
        data=scores_form(judging, ["12,3", "31", "abc"], comment="Ý tưởng hay, cần thử nghiệm thêm"),
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert text("Scores go in steps of %(step)s.", step="0,5") in html
    assert text("At most %(max)s points.", max="30") in html
    assert text("Please enter a number, e.g. 25 or 25,5.") in html
    for criterion, typed in ((novelty, "12,3"), (applicability, "31"), (effect, "abc")):
        assert re.search(rf'id="score_{criterion.id}"[^>]*value="{typed}"', html), typed
        assert f'data-testid="error-{criterion.id}"' in html
    assert "Ý tưởng hay, cần thử nghiệm thêm" in html
    assert db.session.scalar(select(func.count()).select_from(ScoreSheet)) == 0
    assert audit("sheet.save") == []


def test_a_draft_is_saved_with_comma_or_dot_then_submitted_and_locked(client, login_as):
    judging = make_judging(entries=1, judges=1)
    judge, entry = judging.judges[0], judging.entries[0]
    assignment = judging.assignment(judge, entry)
    novelty, applicability, effect = judging.round.criteria
    login_as(judge)

    response = client.post(sheet_url(assignment), data=scores_form(judging, ["25,5", "27.5", ""], comment="Khá"))
    assert response.status_code == 302 and response.headers["Location"].endswith(sheet_url(assignment))
    sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.assignment_id == assignment.id))
    assert sheet.status == "draft" and sheet.comment == "Khá"
    assert {s.criterion_id: s.value for s in sheet.scores} == {novelty.id: Decimal("25.5"), applicability.id: 27.5}
    html = client.get(sheet_url(assignment)).get_data(as_text=True)
    assert text("Your draft has been saved.") in html
    assert 'value="25,5"' in html and "53" in html  # the total so far

    # Submitting with a criterion left empty: the draft is kept, the missing score said beside its field.
    response = client.post(sheet_url(assignment), data=scores_form(judging, ["25,5", "27,5", ""], button="submit"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'data-testid="error-{effect.id}"' in html and text("Give a score.") in html
    assert db.session.get(ScoreSheet, sheet.id).status == "draft"

    response = client.post(sheet_url(assignment), data=scores_form(judging, ["25,5", "27,5", "35"], button="submit"))
    assert response.status_code == 302
    sheet = db.session.get(ScoreSheet, sheet.id)
    assert sheet.status == "submitted" and sheet.total == Decimal("88.00")
    html = client.get(sheet_url(assignment)).get_data(as_text=True)
    assert text("Your score sheet has been submitted.") in html
    assert 'data-testid="sheet-locked"' in html and "88" in html
    assert 'name="score_' not in html and "judging.declare_conflict" not in html
    assert f"/judging/assignments/{assignment.id}/conflict" not in html  # no conflict form once submitted
    # The submission wrote the scores typed with it: one entry, from the draft as stored to the sheet as submitted.
    (submitted,) = audit("sheet.submit")
    assert submitted.actor_id == judge.id and submitted.summary == "88.00"
    assert submitted.before["status"] == "draft" and str(effect.id) not in submitted.before["scores"]
    assert submitted.after["status"] == "submitted" and submitted.after["scores"][str(effect.id)] == "35"
    assert len(audit("sheet.save")) == 2  # the draft, then the draft kept when a score was missing
    assert action_label("sheet.submit") != "sheet.submit" and action_label("sheet.save") != "sheet.save"

    # Saving again is refused and changes nothing.
    response = client.post(sheet_url(assignment), data=scores_form(judging, ["1", "1", "1"]))
    assert response.status_code == 302
    assert text("This score sheet is submitted and locked; the organizers can reopen it.") in client.get(
        sheet_url(assignment)
    ).get_data(as_text=True)
    assert db.session.get(ScoreSheet, sheet.id).total == Decimal("88.00")


def test_a_second_submit_says_already_submitted_and_stores_nothing_more(client, login_as):
    judging = make_judging(entries=1, judges=1)
    judge, entry = judging.judges[0], judging.entries[0]
    assignment = judging.assignment(judge, entry)
    login_as(judge)
    form = scores_form(judging, ["20", "20", "30"], button="submit")
    assert client.post(sheet_url(assignment), data=form).status_code == 302
    again = client.post(sheet_url(assignment), data=scores_form(judging, ["30", "30", "40"], button="submit"))
    assert again.status_code == 302
    html = client.get(sheet_url(assignment)).get_data(as_text=True)
    assert text("This score sheet was already submitted.") in html
    sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.assignment_id == assignment.id))
    assert sheet.total == Decimal("70.00") and len(audit("sheet.submit")) == 1


def test_a_save_that_lost_a_race_with_another_window_says_so(client, login_as, monkeypatch):
    judging = make_judging(entries=1, judges=1)
    judge, entry = judging.judges[0], judging.entries[0]
    assignment = judging.assignment(judge, entry)

    def stale(*args, **kwargs):  # what the version column raises when another window wrote first
        raise StaleDataError("score_sheets: 0 rows matched")

    monkeypatch.setattr(services, "save_sheet", stale)
    login_as(judge)
    response = client.post(sheet_url(assignment), data=scores_form(judging, ["20", "20", "30"]))
    assert response.status_code == 302
    html = client.get(sheet_url(assignment)).get_data(as_text=True)
    assert text("The score sheet was changed in another window meanwhile: check it and save again.") in html
    assert db.session.scalar(select(func.count()).select_from(ScoreSheet)) == 0


def test_a_round_that_is_not_scoring_refuses_sheets_and_shows_them_read_only(client, login_as):
    judging = make_judging(entries=1, judges=1)
    judge, entry = judging.judges[0], judging.entries[0]
    assignment = judging.assignment(judge, entry)
    score(judging, judge, entry, [20, 20, 30], submit=False)
    judging.round.status = "closed"
    db.session.commit()
    login_as(judge)
    response = client.post(sheet_url(assignment), data=scores_form(judging, ["30", "30", "40"], button="submit"))
    assert response.status_code == 302
    html = client.get(sheet_url(assignment)).get_data(as_text=True)
    assert text("This round is not open for scoring: score sheets cannot be changed now.") in html
    assert 'data-testid="round-not-scoring"' in html and 'name="score_' not in html
    sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.assignment_id == assignment.id))
    assert sheet.status == "draft" and {s.value for s in sheet.scores} == {20, 30}

    judging.round.status = "setup"  # a round being set up does not exist for its judges
    db.session.commit()
    assert client.get(sheet_url(assignment)).status_code == 404
    assert client.get("/judging/").get_data(as_text=True).count(entry.code) == 0


@pytest.mark.parametrize(
    ("locale", "said_after"), [("en", "Your draft has been saved."), ("vi", "Đã lưu bản nháp phiếu chấm.")]
)
def test_the_message_after_a_save_is_in_the_judge_s_language_without_reading_the_account_again(
    client, login_as, count_queries, locale, said_after
):
    judging = make_judging(entries=1, judges=1)
    judge, entry = judging.judges[0], judging.entries[0]
    judge.locale = locale
    db.session.commit()
    url = sheet_url(judging.assignment(judge, entry))
    login_as(judge)
    with count_queries() as counted:
        response = client.post(url, data=scores_form(judging, ["10", "10", "10"]))
    assert response.status_code == 302
    # The language was settled from the account as read, before the save's commit expired it.
    assert sum("FROM users" in statement for statement in counted.statements) == 1
    assert said_after in client.get(url).get_data(as_text=True)


def test_a_submit_costs_the_same_few_queries_in_a_small_and_a_large_round(client, login_as, count_queries):
    """A submit reads the judge's account and assignment with its round, rubric, sheet and scores at once, then
    writes the scores typed and the submission in one transaction (on PostgreSQL one statement); nothing it does
    reads the rest of the round (other entries, sheets), nor the account again after the commit."""
    judging = make_judging(entries=2, judges=2)
    judge = judging.judges[0]
    login_as(judge)

    def submit(entry) -> int:
        assignment = judging.assignment(judge, entry)
        url, assignment_id = sheet_url(assignment), assignment.id
        assert client.post(url, data=scores_form(judging, ["10", "10", "10"])).status_code == 302  # a draft first
        form = scores_form(judging, ["20", "20,5", "30"], comment="Tốt", button="submit")
        db.session.expire_all()
        with count_queries() as counted:
            response = client.post(url, data=form)
        assert response.status_code == 302 and response.headers["Location"].endswith(url)
        sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.assignment_id == assignment_id))
        assert sheet.status == "submitted" and sheet.total == Decimal("70.50") and sheet.comment == "Tốt"
        reads = [s for s in counted.statements if s.lstrip().startswith("SELECT")]
        assert len(reads) == 2 and "FROM users" in reads[0] and "FROM judging_assignments" in reads[1], reads
        return counted.n

    small = submit(judging.entries[0])
    for n in range(3, 15):  # the round grows: 12 more entries, scored by both judges, most sheets submitted
        entry = add_entry(judging, n)
        for j in judging.judges:
            assignment = Assignment(round_id=judging.round.id, entry_id=entry.id, judge_id=j.id, source="manual")
            db.session.add(assignment)
            judging.assignments[(j.id, entry.id)] = assignment
        db.session.commit()
        for j in judging.judges:
            score(judging, j, entry, [15, 20, 25], submit=n % 4 != 0)
    large = submit(judging.entries[1])
    assert small == large, (small, large)
    # The account and its roles, the assignment; the sheet, its changed scores and the audit entry.
    assert large == (3 if db.engine.dialect.name == "postgresql" else 5), large
    submitted_by_factory = 2 * sum(1 for n in range(3, 15) if n % 4 != 0)
    assert len(audit("sheet.submit")) == 2 + submitted_by_factory  # each submit audited once


# --- documents and blind rounds ----------------------------------------------------------------------------------


def test_documents_are_served_to_the_assigned_judge_under_their_names(client, login_as):
    judging = make_judging(entries=1, judges=1)
    judge, entry = judging.judges[0], judging.entries[0]
    write_files(entry)
    document = entry.documents[0]
    response = login_as(judge).get(f"{sheet_url(judging.assignment(judge, entry))}/documents/{document.id}")
    assert response.status_code == 200 and response.data == PDF
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "filename*=UTF-8''" in disposition  # the original Vietnamese name
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def _pdf_with_author(author: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": author, "/Title": "Ban mo ta giai phap", "/Creator": author})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_blind_round_names_no_author_unit_or_place_on_pages_file_names_or_metadata(client, login_as, locality):
    judging = make_judging(entries=2, judges=1, blind=True)
    judge = judging.judges[0]
    entry = judging.entries[0]
    identify(entry, 1, locality)
    write_files(entry, _pdf_with_author("Nguyen Van Tacgia"))
    assignment = judging.assignment(judge, entry)
    secrets = people_strings(entry, locality)
    assert "Tác giả 1" in secrets and "Công ty Cổ phần Điều số 1" in secrets and "Lộc Ninh" in secrets
    login_as(judge)

    pages = [client.get("/judging/"), client.get(sheet_url(assignment))]
    for response in pages:
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and entry.code in html
        for secret in secrets:
            assert secret not in html and str(escape(secret)) not in html, secret
    html = pages[1].get_data(as_text=True)
    for n, document in enumerate(entry.documents, start=1):
        assert f"{entry.code}-tai-lieu-{n}.pdf" in html
        assert str(escape(document.original_name)) not in html
        response = client.get(f"{sheet_url(assignment)}/documents/{document.id}")
        assert response.status_code == 200
        disposition = response.headers["Content-Disposition"]
        assert disposition == f"attachment; filename={entry.code}-tai-lieu-{n}.pdf"
        for secret in secrets:
            assert secret not in disposition
        assert response.data.startswith(b"%PDF") and b"Tacgia" not in response.data
        assert response.headers["X-Content-Type-Options"] == "nosniff"

    # The same entry in a round that is not blind names its authors.
    judging.round.blind = False
    db.session.commit()
    assert "Tác giả 1" in client.get(sheet_url(assignment)).get_data(as_text=True)


def test_a_blind_round_never_serves_a_document_it_cannot_clean(client, login_as):
    judging = make_judging(entries=1, judges=1, blind=True)
    judge, entry = judging.judges[0], judging.entries[0]
    write_files(entry, "%PDF-1.4 not really a PDF, written by Tác giả 1".encode())
    assignment = judging.assignment(judge, entry)
    login_as(judge)
    response = client.get(f"{sheet_url(assignment)}/documents/{entry.documents[0].id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(sheet_url(assignment))
    html = client.get(sheet_url(assignment)).get_data(as_text=True)
    assert f"{entry.code}-tai-lieu-1.pdf" in html and "Tác giả 1" not in html
    assert "alert-warning" in html


# --- conflicts of interest declared by the judge -----------------------------------------------------------------


def test_declaring_a_conflict_removes_the_assignment_records_it_and_tells_the_organizers(client, login_as, make_user):
    judging = make_judging(entries=2, judges=2)
    judge, entry = judging.judges[0], judging.entries[0]
    assignment = judging.assignment(judge, entry)
    assignment_id = assignment.id
    score(judging, judge, entry, [10, 10, 10], submit=False)  # a draft goes with the assignment
    english = make_user("organizer", email="btc-en@example.vn", full_name="Phạm Văn Anh")
    english.locale = "en"
    make_user("organizer", email="ngoai@example.vn", scope=("organisation", 999_999))  # another body's organizer
    db.session.commit()
    login_as(judge)
    before = len(outbox())  # the entries' registration mails

    response = client.post(f"{sheet_url(assignment)}/conflict", data={"conflict-kind": "family", "conflict-note": ""})
    assert response.status_code == 302 and response.headers["Location"].endswith("/judging/")
    assert db.session.get(Assignment, assignment_id) is None
    assert db.session.scalar(select(func.count()).select_from(ScoreSheet)) == 0
    conflict = db.session.scalar(select(Conflict))
    assert (conflict.judge_id, conflict.entry_id) == (judge.id, entry.id)
    assert (conflict.kind, conflict.source) == ("family", "judge")
    assert [e.actor_id for e in audit("conflict.declare")] == [judge.id]
    assert [e.object_id for e in audit("assignment.delete")] == [str(assignment_id)]

    mails = outbox()[before:]
    assert sorted(m.recipient for m in mails) == ["btc-en@example.vn", "btc@example.vn"]
    by_recipient = {m.recipient: m for m in mails}
    english_mail = by_recipient["btc-en@example.vn"]
    assert entry.code in english_mail.subject and "Conflict of interest" in english_mail.subject
    assert judge.full_name in english_mail.body and "Family" in english_mail.body
    assert "Tác giả 1" not in english_mail.body
    assert entry.code in by_recipient["btc@example.vn"].body

    html = client.get("/judging/").get_data(as_text=True)
    assert f'/judging/assignments/{assignment_id}"' not in html and judging.entries[1].code in html
    assert client.get(f"/judging/assignments/{assignment_id}").status_code == 404


def test_a_conflict_of_kind_other_needs_a_note_and_a_submitted_sheet_needs_the_organizers(client, login_as):
    judging = make_judging(entries=2, judges=1)
    judge = judging.judges[0]
    first, second = (judging.assignment(judge, e) for e in judging.entries)
    login_as(judge)
    response = client.post(f"{sheet_url(first)}/conflict", data={"conflict-kind": "other", "conflict-note": " "})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert text("Say what links you to the entry.") in html and "<details" in html and " open" in html
    response = client.post(f"{sheet_url(first)}/conflict", data={"conflict-kind": "cousin"})
    assert response.status_code == 200 and text("Choose the kind of conflict.") in response.get_data(as_text=True)
    assert db.session.get(Assignment, first.id) is not None

    score(judging, judge, judging.entries[1], [20, 20, 30])
    response = client.post(f"{sheet_url(second)}/conflict", data={"conflict-kind": "same_unit"})
    assert response.status_code == 302
    html = client.get(sheet_url(second)).get_data(as_text=True)
    assert (
        text("You have already submitted your score sheet for this entry: ask the organizers to record the conflict.")
        in html
    )
    assert db.session.get(Assignment, second.id) is not None
    assert db.session.scalar(select(func.count()).select_from(Conflict)) == 0

    response = client.post(
        f"{sheet_url(first)}/conflict", data={"conflict-kind": "other", "conflict-note": "Tác giả là học trò cũ"}
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Conflict.note)) == "Tác giả là học trò cũ"
