"""Organizers' results pages: results with the working, the XLSX export, re-scoring by the whole sub-panel, and
advancement to the next round."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from judging import services
from judging.models import Assignment, Conflict, Round, RoundEntry, ScoreSheet
from judging.services import JudgingError
from judging.services import advancement as advancing
from tests.conftest import _empty_tables, outbox
from tests.judging.factories import make_judge, make_judging, score
from tests.judging.test_standings import second_field

D = Decimal


def html(response) -> str:
    return response.get_data(as_text=True)


def diverging(judging):
    """Entry 1: 50 and 80 (divergent); entry 2: 60 and 70; entry 3: 90 and 85 (the best)."""
    first, second = judging.judges[:2]
    a, b, c = judging.entries[:3]
    score(judging, first, a, [10, 10, 30])
    score(judging, second, a, [25, 25, 30])
    score(judging, first, b, [20, 20, 20])
    score(judging, second, b, [20, 20, 30])
    score(judging, first, c, [30, 25, 35])
    score(judging, second, c, [25, 25, 35])
    return a, b, c


# --- results -------------------------------------------------------------------------------------------------------


def test_results_show_each_judges_total_raw_score_rank_and_divergence(client, login_as):
    judging = make_judging(entries=3, judges=2)
    a, b, c = diverging(judging)
    login_as(judging.organizer)

    response = client.get(f"/judging/manage/rounds/{judging.round.id}/results")

    assert response.status_code == 200
    page = html(response)
    for judge in judging.judges:
        assert judge.full_name in page
    assert f'data-entry-id="{c.id}" data-rank="1" data-raw="87.50"' in page
    assert f'data-entry-id="{b.id}" data-rank="2" data-raw="65.00"' in page
    assert f'data-entry-id="{a.id}" data-rank="3" data-raw="65.00"' not in page  # a shares rank 2 with b
    assert f'data-entry-id="{a.id}" data-rank="2" data-raw="65.00"' in page
    assert page.count('data-testid="divergent-badge"') == 1
    assert 'data-total="50.00"' in page and 'data-total="80.00"' in page
    assert 'data-testid="normalised-heading"' not in page  # the round does not normalise
    assert 'data-testid="method-note"' in page and 'data-testid="normalise-note"' not in page
    assert page.count('data-testid="rescore-form"') == 1
    assert f'data-judge-id="{judging.judges[0].id}" data-count="3" data-normalised="0" data-why="off"' in page


def test_normalised_column_and_why_judges_are_not_normalised(client, login_as):
    judging = make_judging(entries=3, judges=2)
    judging.round.normalise = True
    judging.round.min_sheets = 3
    db.session.commit()
    diverging(judging)
    third = make_judge(judging.contest, 9)  # on no sheet: too few
    db.session.add(Assignment(round_id=judging.round.id, entry_id=judging.entries[0].id, judge_id=third.id))
    db.session.commit()
    login_as(judging.organizer)

    page = html(client.get(f"/judging/manage/rounds/{judging.round.id}/results"))

    assert 'data-testid="normalised-heading"' in page and 'data-testid="normalise-note"' in page
    assert page.count("data-normalised=") >= 3
    assert f'data-judge-id="{judging.judges[0].id}" data-count="3" data-normalised="1" data-why=""' in page
    assert f'data-judge-id="{third.id}" data-count="0" data-normalised="0" data-why="no_sheets"' in page


def test_filters_by_field_and_only_divergent(client, login_as):
    judging = make_judging(entries=3, judges=2)
    a, _b, _c = diverging(judging)
    made, people = second_field(judging, entries=1, judges=2)
    score(judging, people[0], made[0], [10, 10, 10])
    login_as(judging.organizer)
    url = f"/judging/manage/rounds/{judging.round.id}/results"

    both = html(client.get(url))
    assert both.count('data-testid="field-results"') == 2
    one = html(client.get(url, query_string={"field": judging.contest.fields[1].id}))
    assert one.count('data-testid="field-results"') == 1 and f'data-entry-id="{made[0].id}"' in one
    assert f'data-entry-id="{a.id}"' not in one
    only = html(client.get(url, query_string={"divergent": 1}))
    assert only.count("data-entry-id=") == 1 and f'data-entry-id="{a.id}"' in only


def test_results_export_to_xlsx(client, login_as):
    judging = make_judging(entries=3, judges=2)
    a, _b, c = diverging(judging)
    login_as(judging.organizer)

    response = client.get(f"/judging/manage/rounds/{judging.round.id}/results.xlsx")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert len(book.sheetnames) == 2  # one field, and the judges
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    header = rows[1]
    assert judging.judges[0].full_name in header and judging.judges[1].full_name in header
    by_code = {row[1]: row for row in rows[2:]}
    # rank, code, title, sub-panel, one column per judge, then the raw score
    assert by_code[c.code][0] == 1 and by_code[c.code][6] == pytest.approx(87.5)
    assert by_code[a.code][4:6] == (50, 80)
    judges = list(book.worksheets[1].iter_rows(values_only=True))
    assert {row[0] for row in judges[2:]} == {j.full_name for j in judging.judges}


def test_results_cost_the_same_number_of_queries_for_3_and_12_entries(client, login_as, count_queries):
    def measure(entries: int) -> tuple[int, int]:
        db.session.remove()
        _empty_tables()
        judging = make_judging(entries=entries, judges=3)
        for i, entry in enumerate(judging.entries):
            for j, judge in enumerate(judging.judges):
                score(judging, judge, entry, [10 + i % 5, 10 + j * 5, 20 + (i * j) % 7], submit=(i + j) % 4 != 0)
        login_as(judging.organizer)
        url = f"/judging/manage/rounds/{judging.round.id}"
        client.get(f"{url}/results")  # warm up
        with count_queries() as results:
            assert client.get(f"{url}/results").status_code == 200
        with count_queries() as advance:
            assert client.get(f"{url}/advance").status_code == 200
        return results.n, advance.n

    small, large = measure(3), measure(12)
    assert small == large and max(small) <= 12


# --- re-scoring ----------------------------------------------------------------------------------------------------


def rescore_setup():
    """Four judges on the sub-panel; entries judged by the first two; the fourth in conflict with the first entry."""
    judging = make_judging(entries=3, judges=4, assign=False)
    for entry in judging.entries:
        for judge in judging.judges[:2]:
            a = Assignment(round_id=judging.round.id, entry_id=entry.id, judge_id=judge.id, source="auto")
            db.session.add(a)
            judging.assignments[(judge.id, entry.id)] = a
    fourth = judging.judges[3]
    fourth.locale = "en"
    db.session.add(
        Conflict(contest_id=judging.contest.id, judge_id=fourth.id, entry_id=judging.entries[0].id, kind="family")
    )
    db.session.commit()
    return judging


def test_rescore_assigns_the_whole_panel_but_conflicted_judges_reopens_sheets_and_mails(app, monkeypatch):
    judging = rescore_setup()
    a, _b, _c = diverging(judging)
    first, second, third, fourth = judging.judges
    locales = {}
    real = advancing.send_templated

    def spy(recipient, locale, *args, **kwargs):
        locales[recipient] = locale
        return real(recipient, locale, *args, **kwargs)

    monkeypatch.setattr(advancing, "send_templated", spy)
    before = len(outbox())

    with app.test_request_context():
        result = services.request_rescore(judging.round, a, "Chênh lệch 30 điểm", by=judging.organizer)
    db.session.commit()

    assert result.added == [third.id]
    holders = dict(
        db.session.execute(
            select(Assignment.judge_id, Assignment.source).where(
                Assignment.round_id == judging.round.id, Assignment.entry_id == a.id
            )
        ).all()
    )
    assert holders == {first.id: "auto", second.id: "auto", third.id: "rescore"}
    sheets = [judging.assignment(j, a).sheet for j in (first, second)]
    assert [s.status for s in sheets] == ["draft", "draft"] and all(s.total is None for s in sheets)
    assert sorted(result.reopened) == sorted(s.id for s in sheets)
    place = db.session.scalar(
        select(RoundEntry).where(RoundEntry.round_id == judging.round.id, RoundEntry.entry_id == a.id)
    )
    assert place.rescore_requested_at is not None and place.rescore_requested_by_id == judging.organizer.id
    mails = outbox()[before:]
    assert sorted(m.recipient for m in mails) == sorted(j.email for j in (first, second, third))
    assert all("Chênh lệch 30 điểm" in m.body and a.code in m.body for m in mails)
    assert fourth.email not in locales and set(locales.values()) == {None}
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "entry.rescore"))
    assert audit.object_type == "entries" and audit.object_id == str(a.id)
    assert audit.after["added_judge_ids"] == [third.id] and audit.after["reason"] == "Chênh lệch 30 điểm"
    reopen_audits = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "sheet.reopen")).all()
    assert len(reopen_audits) == 2


def test_rescore_mails_each_judge_in_their_own_language(app, monkeypatch):
    judging = rescore_setup()
    a, _b, _c = diverging(judging)
    judging.judges[2].locale = "en"
    db.session.commit()
    locales = {}
    real = advancing.send_templated

    def spy(recipient, locale, *args, **kwargs):
        locales[recipient] = locale
        return real(recipient, locale, *args, **kwargs)

    monkeypatch.setattr(advancing, "send_templated", spy)
    with app.test_request_context():
        services.request_rescore(judging.round, a, "Lý do", by=judging.organizer)
    assert locales[judging.judges[2].email] == "en" and locales[judging.judges[0].email] is None


def test_rescore_is_refused_for_an_entry_that_is_not_divergent_or_without_reason(app):
    judging = rescore_setup()
    a, b, _c = diverging(judging)
    with app.test_request_context():
        with pytest.raises(JudgingError) as refused:
            services.request_rescore(judging.round, b, "Lý do", by=judging.organizer)
        assert refused.value.code == "not_divergent"
        with pytest.raises(JudgingError) as refused:
            services.request_rescore(judging.round, a, "  ", by=judging.organizer)
        assert refused.value.code == "reason_required"
        services.request_rescore(judging.round, a, "Lý do", by=judging.organizer)
        # A second request while the re-scoring is under way: the sheets are drafts again, nothing diverges.
        with pytest.raises(JudgingError) as refused:
            services.request_rescore(judging.round, a, "Lý do", by=judging.organizer)
        assert refused.value.code == "not_divergent"
        judging.round.status = "closed"
        with pytest.raises(JudgingError) as refused:
            services.request_rescore(judging.round, a, "Lý do", by=judging.organizer)
        assert refused.value.code == "round_not_scoring"


def test_rescore_from_the_results_page(client, login_as):
    judging = rescore_setup()
    a, _b, _c = diverging(judging)
    login_as(judging.organizer)
    url = f"/judging/manage/rounds/{judging.round.id}/entries/{a.id}/rescore"
    prefix = f"rescore-{a.id}-"

    empty = client.post(url, data={f"{prefix}reason": "   "})
    assert empty.status_code == 400
    assert "is-invalid" in html(empty) and f'id="{prefix}reason"' in html(empty)
    assert db.session.scalar(select(RoundEntry.rescore_requested_at).where(RoundEntry.entry_id == a.id)) is None

    sent = client.post(url, data={f"{prefix}reason": "Chênh lệch lớn"})
    assert sent.status_code == 302 and sent.headers["Location"].endswith(f"#entry-{a.id}")
    page = html(client.get(sent.headers["Location"]))
    assert 'data-testid="rescore-sent"' in page and judging.organizer.full_name in page

    again = client.post(url, data={f"{prefix}reason": "Lần nữa"})
    assert again.status_code == 400 and "Lần nữa" in html(again)  # what was typed is kept beside the refusal


def test_rescore_of_an_entry_of_another_round_is_refused(client, login_as):
    judging = rescore_setup()
    a, _b, _c = diverging(judging)
    other = services.create_round(judging.contest, "final", by=judging.organizer)
    other.status = "scoring"
    db.session.commit()
    login_as(judging.organizer)
    response = client.post(
        f"/judging/manage/rounds/{other.id}/entries/{a.id}/rescore", data={f"rescore-{a.id}-reason": "x"}
    )
    assert response.status_code == 400
    assert db.session.scalar(select(Assignment).where(Assignment.source == "rescore")) is None


# --- advancement ---------------------------------------------------------------------------------------------------


def advancing_round(top_n=1, min_score=None):
    judging = make_judging(entries=3, judges=2)
    judging.round.advance_top_n = top_n
    judging.round.advance_min_score = min_score
    db.session.commit()
    return judging, diverging(judging)


def test_advance_preview_proposes_by_the_rule_with_warnings(client, login_as):
    judging, (a, b, c) = advancing_round(top_n=1)
    sheet = judging.assignment(judging.judges[0], b).sheet
    services.reopen_sheet(sheet, "sửa", by=judging.organizer)
    db.session.commit()
    login_as(judging.organizer)

    page = html(client.get(f"/judging/manage/rounds/{judging.round.id}/advance"))

    assert f'data-entry-id="{c.id}" data-proposed="1"' in page
    assert f'data-entry-id="{a.id}" data-proposed="0"' in page
    assert f'value="{c.id}" id="advance-{c.id}" checked' in page
    assert f'value="{a.id}" id="advance-{a.id}">' in page
    assert 'data-testid="warning-missing"' in page and 'data-testid="warning-divergent"' in page
    assert 'data-testid="warning-open"' in page


def test_advance_confirm_writes_the_next_round_and_is_audited(client, login_as):
    judging, (_a, _b, c) = advancing_round(top_n=1)
    login_as(judging.organizer)
    url = f"/judging/manage/rounds/{judging.round.id}/advance"

    response = client.post(url, data={"entry_ids": [str(c.id)], "reason": ""})

    assert response.status_code == 302
    final = db.session.scalar(select(Round).where(Round.contest_id == judging.contest.id, Round.kind == "final"))
    assert final is not None and final.position > judging.round.position
    assert list(db.session.scalars(select(RoundEntry.entry_id).where(RoundEntry.round_id == final.id))) == [c.id]
    db.session.refresh(judging.round)
    assert judging.round.advanced_at is not None
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "round.advance"))
    assert audit.object_id == str(judging.round.id)
    assert audit.after["entry_ids"] == [c.id] and audit.after["proposed"] == [c.id] and audit.after["chosen"] == [c.id]
    assert audit.after["next_round_id"] == final.id
    page = html(client.get(url))
    assert 'data-testid="advanced-at"' in page and 'data-testid="already-advanced"' in page

    again = client.post(url, data={"entry_ids": [str(c.id)]})  # the same entry twice: refused, nothing added
    assert again.status_code == 400 and 'data-testid="entry-errors"' in html(again)
    assert (
        db.session.scalar(select(db.func.count()).select_from(RoundEntry).where(RoundEntry.round_id == final.id)) == 1
    )


def test_a_manual_change_needs_a_reason_beside_the_field(client, login_as):
    judging, (_a, b, c) = advancing_round(top_n=1)
    login_as(judging.organizer)
    url = f"/judging/manage/rounds/{judging.round.id}/advance"

    refused = client.post(url, data={"entry_ids": [str(c.id), str(b.id)], "reason": " "})

    assert refused.status_code == 400
    page = html(refused)
    assert 'id="reason"' in page and "is-invalid" in page
    assert f'value="{b.id}" id="advance-{b.id}" checked' in page  # the choice is kept
    assert db.session.scalar(select(Round).where(Round.kind == "final")) is None

    done = client.post(url, data={"entry_ids": [str(c.id), str(b.id)], "reason": "Bài 2 có tính ứng dụng cao"})
    assert done.status_code == 302
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "round.advance"))
    assert audit.after["proposed"] == [c.id] and audit.after["chosen"] == sorted([b.id, c.id])
    assert audit.after["reason"] == "Bài 2 có tính ứng dụng cao"


def test_advance_goes_to_the_existing_next_round_and_skips_entries_already_there(app):
    judging, (a, b, c) = advancing_round(top_n=2)
    final = services.create_round(judging.contest, "final", by=judging.organizer)
    db.session.add(RoundEntry(round_id=final.id, entry_id=c.id))
    db.session.commit()

    result = services.advance_entries(judging.round, [a.id, b.id, c.id], "", by=judging.organizer)
    db.session.commit()

    assert result.next_round.id == final.id and result.added == [a.id, b.id] and result.already == [c.id]
    assert db.session.scalar(select(db.func.count()).select_from(Round)) == 2
    ids = sorted(db.session.scalars(select(RoundEntry.entry_id).where(RoundEntry.round_id == final.id)))
    assert ids == sorted([a.id, b.id, c.id])


def test_advance_refuses_entries_not_in_the_round_nothing_and_the_last_round(app):
    judging, (a, _b, c) = advancing_round(top_n=1)
    with pytest.raises(JudgingError) as refused:
        services.advance_entries(judging.round, [c.id, 999_999], "lý do", by=judging.organizer)
    assert refused.value.code == "not_in_round" and refused.value.detail == [999_999]
    with pytest.raises(JudgingError) as refused:
        services.advance_entries(judging.round, [], "lý do", by=judging.organizer)
    assert refused.value.code == "nothing_chosen"
    with pytest.raises(JudgingError) as refused:
        services.advance_entries(judging.round, [a.id], "", by=judging.organizer)
    assert refused.value.code == "reason_required"
    judging.round.kind = "final"
    with pytest.raises(JudgingError) as refused:
        services.advance_entries(judging.round, [c.id], "", by=judging.organizer)
    assert refused.value.code == "last_round"
    assert db.session.scalar(select(db.func.count()).select_from(ScoreSheet)) == 6  # nothing else touched


def test_advance_uses_the_normalised_score_when_the_round_normalises():
    judging, (a, b, c) = advancing_round(top_n=None, min_score=D("68"))
    raw = services.round_standings(judging.round)
    assert services.proposed_advancing(judging.round, raw) == [c.id]  # raw: 65, 65, 87.5
    judging.round.normalise = True
    judging.round.min_sheets = 3
    db.session.commit()
    normalised = services.round_standings(judging.round)
    proposed = set(services.proposed_advancing(judging.round, normalised))
    # normalised: b lowest (65), a higher (its harsh judge gave it close to their mean), c highest (87.5)
    assert normalised.entries[b.id].normalised == D(65) and normalised.entries[a.id].normalised > D(68)
    assert proposed == {a.id, c.id}
