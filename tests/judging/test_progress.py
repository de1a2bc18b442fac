"""The organizers' progress board (judging/services/progress.py, judging/views/manage_assign.py): counts per judge,
sub-panel and round checked against an independent count on generated data, bounded queries, reminders by mail
in each judge's language, and one score sheet: its view, and reopening it with a reason the judge is told."""

from __future__ import annotations

import html
import random
import re
from collections import Counter
from datetime import datetime
from decimal import Decimal

import pytest
from flask import url_for
from flask_babel import force_locale, gettext, ngettext
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.timefmt import format_datetime, local_to_utc
from judging import aggregation, services
from judging.messages import ERROR_MESSAGES
from judging.models import Assignment, RoundEntry, ScoreSheet
from tests.conftest import outbox
from tests.judging.factories import make_eligible_entry, make_judge, make_judging, score

# --- helpers -----------------------------------------------------------------------------------------------


def board_url(judging) -> str:
    return f"/judging/manage/rounds/{judging.round.id}/progress"


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def in_request(app, function):
    with app.test_request_context():
        return function()


def audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def mails_to(address: str) -> list:
    return [m for m in outbox() if m.recipient == address]


def add_entries(judging, field_index: int, numbers) -> list:
    """More eligible entries in the round (registration reopened for a moment: the contest is in judging)."""
    judging.contest.status = "open"
    made = [make_eligible_entry(judging.contest, judging.owner, field_index, n) for n in numbers]
    judging.contest.status = "judging"
    services.add_eligible_entries(judging.round, by=judging.organizer)
    db.session.commit()
    return made


def generated(seed: int, entries: int):
    """A round of `entries` entries over two fields: sub-panel A (field 1, three judges) and B (field 2, two
    judges), assigned automatically, and each sheet left not started, drafted or submitted at random, with
    random totals."""
    rng = random.Random(seed)
    judging = make_judging(entries=0, judges=3, assign=False)
    contest, organizer = judging.contest, judging.organizer
    second = [make_judge(contest, n) for n in (11, 12)]
    services.save_panel(contest, "Tiểu ban B", [contest.fields[1].id], [j.id for j in second], None, by=organizer)
    numbers = iter(range(1, 1000))
    for _ in range(entries):
        add_entries(judging, rng.choice([0, 1]), [next(numbers)])
    services.save_assignment(judging.round, services.plan_assignment(judging.round), by=organizer)
    for assignment in db.session.scalars(select(Assignment).order_by(Assignment.id)):
        state = rng.choice(["none", "draft", "submitted"])
        if state != "none":
            total = Decimal(rng.randrange(0, 201)) / 2 if state == "submitted" else None
            db.session.add(ScoreSheet(assignment=assignment, status=state, total=total))
    db.session.commit()
    return judging


def independent_counts(round_):
    """Counted in Python from every assignment: {judge: Counter(status)}, {entry: Counter(status)}, totals."""
    by_judge: dict[int, Counter] = {}
    by_entry: dict[int, Counter] = {}
    totals: dict[int, dict[int, Decimal]] = {}
    for a in db.session.scalars(select(Assignment).where(Assignment.round_id == round_.id)):
        status = a.sheet.status if a.sheet is not None else "none"
        by_judge.setdefault(a.judge_id, Counter())[status] += 1
        by_entry.setdefault(a.entry_id, Counter())[status] += 1
        if status == "submitted":
            totals.setdefault(a.entry_id, {})[a.judge_id] = a.sheet.total
    return by_judge, by_entry, totals


def page_rows(page: str, testid: str, key: str) -> dict[str, tuple[int, ...]]:
    pattern = (
        rf'data-testid="{testid}" data-{key}="(\w*)" data-expected="(\d+)"(?: data-not-started="(\d+)")?'
        r' data-draft="(\d+)" data-submitted="(\d+)"'
    )
    return {k: tuple(int(x) for x in rest if x != "") for k, *rest in re.findall(pattern, page)}


# --- counts --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 7, 2026])
def test_counts_match_an_independent_count(client, login_as, seed):
    judging = generated(seed, entries=14)
    round_ = judging.round
    round_.divergence_threshold = Decimal(30)
    db.session.commit()
    by_judge, by_entry, totals = independent_counts(round_)

    progress = services.round_progress(round_)
    rows = {row.judge.id: row for row in progress.judge_rows}
    assert set(rows) == set(by_judge) | {j.id for j in judging.judges}
    for judge_id, row in rows.items():
        expected = by_judge.get(judge_id, Counter())
        c = row.counts
        assert (c.expected, c.not_started, c.draft, c.submitted) == (
            expected.total(),
            expected["none"],
            expected["draft"],
            expected["submitted"],
        )
    everything = sum(by_judge.values(), Counter())
    c = progress.counts
    assert (c.expected, c.not_started, c.draft, c.submitted) == (
        everything.total(),
        everything["none"],
        everything["draft"],
        everything["submitted"],
    )
    for group in progress.panels:
        judges = [r.judge.id for r in group.judges]
        panel_total = sum((by_judge.get(j, Counter()) for j in judges), Counter())
        assert (group.counts.expected, group.counts.submitted) == (panel_total.total(), panel_total["submitted"])

    k = round_.judges_per_entry
    in_round = set(db.session.scalars(select(RoundEntry.entry_id).where(RoundEntry.round_id == round_.id)))
    behind = {
        e
        for e in in_round
        if by_entry.get(e, Counter())["submitted"] < by_entry.get(e, Counter()).total()
        or by_entry.get(e, Counter()).total() < k
    }
    assert {m.entry.id for m in progress.missing} == behind
    assert progress.missing_total == len(behind) and progress.entries_complete == progress.entries_total - len(behind)
    for m in progress.missing:
        assert (m.assigned, m.draft, m.submitted) == (
            by_entry[m.entry.id].total(),
            by_entry[m.entry.id]["draft"],
            by_entry[m.entry.id]["submitted"],
        )
        assert len(m.sheets) == m.assigned
    assert [m.submitted for m in progress.missing] == sorted(m.submitted for m in progress.missing)
    assert progress.divergent == len(aggregation.divergent(totals, Decimal(30)))

    # the page says the same
    login_as(judging.organizer)
    page = text(client.get(board_url(judging) + "?panel=all"))
    judge_rows = page_rows(page, "judge-progress", "judge")
    for judge_id, row in rows.items():
        c = row.counts
        assert judge_rows[str(judge_id)] == (c.expected, c.not_started, c.draft, c.submitted)
    total = progress.counts
    assert (
        f'data-testid="round-counts" data-expected="{total.expected}" data-not-started="{total.not_started}"'
        f' data-draft="{total.draft}" data-submitted="{total.submitted}"'
    ) in page
    panel_rows = page_rows(page, "panel-progress", "panel")
    assert panel_rows == {
        str(g.panel.id): (g.counts.expected, g.counts.draft, g.counts.submitted) for g in progress.panels
    }
    assert f'data-testid="divergent" data-count="{progress.divergent}"' in page
    missing_listed = re.findall(r'data-testid="missing-entry" data-entry="(\d+)"', page)
    assert {int(e) for e in missing_listed} == behind


def test_entries_without_judges_are_missing_and_the_list_is_bounded(client, login_as):
    judging = make_judging(entries=4, judges=2, assign=False)
    progress = services.round_progress(judging.round, limit=3)
    assert progress.entries_total == 4 and progress.missing_total == 4 and len(progress.missing) == 3
    assert all(m.assigned == 0 and m.short_of_judges for m in progress.missing)
    assert progress.counts.expected == 0
    login_as(judging.organizer)
    page = text(client.get(board_url(judging)))
    assert 'data-testid="missing-total" data-count="4"' in page


def test_the_board_costs_the_same_queries_for_few_or_many_entries(client, login_as, count_queries):
    judging = make_judging(entries=3, judges=2)
    score(judging, judging.judges[0], judging.entries[0], [20, 20, 30])
    score(judging, judging.judges[1], judging.entries[0], [5, 5, 5])
    score(judging, judging.judges[1], judging.entries[1], [5, 5, 5], submit=False)
    login_as(judging.organizer)

    def measure() -> int:
        db.session.expire_all()
        with count_queries() as counted:
            assert client.get(board_url(judging)).status_code == 200
        return counted.n

    few = measure()
    more = add_entries(judging, 0, range(10, 22))
    for entry in more:
        for judge in judging.judges:
            judging.assignments[(judge.id, entry.id)] = a = Assignment(
                round_id=judging.round.id, entry_id=entry.id, judge_id=judge.id, source="manual"
            )
            db.session.add(a)
    db.session.commit()
    for entry in more[:6]:
        score(judging, judging.judges[0], entry, [10, 10, 10])
        score(judging, judging.judges[1], entry, [10, 10, 10], submit=False)
    many = measure()
    assert few == many, (few, many)
    assert many <= 16, many


def test_the_results_link_is_offered_when_the_results_page_exists(client, login_as, app):
    judging = make_judging(entries=2, judges=2)
    score(judging, judging.judges[0], judging.entries[0], [30, 30, 40])
    score(judging, judging.judges[1], judging.entries[0], [5, 5, 5])
    login_as(judging.organizer)
    page = text(client.get(board_url(judging)))
    assert 'data-testid="divergent" data-count="1"' in page
    assert ('data-testid="results-link"' in page) == ("judging.round_results" in app.view_functions)


# --- reminders -----------------------------------------------------------------------------------------------


@pytest.fixture
def reminding(make_user):
    """Three judges, three entries each: judge 1 submitted all, judge 2 one of three (and a draft), judge 3
    (who reads English) none. Sheets due 30/06/2026 17:00 Vietnam time."""
    judging = make_judging(entries=3, judges=3)
    done, half, idle = judging.judges
    idle.locale = "en"
    for entry in judging.entries:
        score(judging, done, entry, [20, 20, 30])
    score(judging, half, judging.entries[0], [20, 20, 30])
    score(judging, half, judging.entries[1], [20, 20, 30], submit=False)
    judging.round.deadline = local_to_utc(datetime(2026, 6, 30, 17, 0))
    db.session.commit()
    return judging


def test_reminders_go_to_judges_with_missing_sheets_in_their_language(client, login_as, reminding, app):
    done, half, idle = reminding.judges
    before = len(outbox())
    login_as(reminding.organizer)
    response = client.post(f"/judging/manage/rounds/{reminding.round.id}/remind")
    assert response.status_code == 302 and response.headers["Location"].endswith(board_url(reminding))

    assert len(outbox()) == before + 2
    assert mails_to(done.email) == []
    (to_half,) = mails_to(half.email)
    (to_idle,) = mails_to(idle.email)
    for mail, locale, missing in ((to_half, "vi", 2), (to_idle, "en", 3)):
        with app.test_request_context(), force_locale(locale):
            greeting = gettext("Hello %(name)s,", name="")
            count = ngettext(
                "You still have %(num)d score sheet to submit in %(round)s of %(contest)s.",
                "You still have %(num)d score sheets to submit in %(round)s of %(contest)s.",
                missing,
                round=reminding.round.name,
                contest=reminding.contest.name,
            )
            due = gettext("Sheets are due by %(when)s (Vietnam time).", when="30/06/2026 17:00")
            subject = gettext("Reminder: score sheets to submit for %(round)s", round=reminding.round.name)
        assert mail.subject == subject
        assert mail.body.startswith(greeting.strip(", ")) and count in mail.body and due in mail.body
        assert "30/06/2026 17:00" in mail.body
    link = in_request(app, lambda: url_for("judging.my_assignments", _external=True))
    assert link in to_half.body and link in to_idle.body
    assert to_idle.body.startswith("Hello ")  # English for the judge who reads it
    assert to_half.body.startswith("Xin chào")  # the default language: Vietnamese

    db.session.refresh(reminding.round)
    assert reminding.round.reminded_at is not None
    (entry,) = audit("round.remind")
    assert sorted(entry.after["judges"]) == sorted([half.id, idle.id])
    assert entry.after["missing"] == {str(half.id): 2, str(idle.id): 3}
    page = text(client.get(board_url(reminding)))
    shown = re.search(r'data-testid="reminded-at">(.*?)</p>', page, re.S).group(1)
    assert format_datetime(reminding.round.reminded_at) in shown


def test_a_reminder_without_deadline_and_without_missing_sheets(client, login_as):
    judging = make_judging(entries=1, judges=2)
    first, second = judging.judges
    score(judging, first, judging.entries[0], [20, 20, 30])
    login_as(judging.organizer)
    before = len(outbox())
    client.post(f"/judging/manage/rounds/{judging.round.id}/remind")
    (mail,) = outbox()[before:]
    assert mail.recipient == second.email and "(Vietnam time)" not in mail.body and "giờ Việt Nam" not in mail.body

    score(judging, second, judging.entries[0], [20, 20, 30])
    before = len(outbox())
    client.post(f"/judging/manage/rounds/{judging.round.id}/remind")
    assert len(outbox()) == before and len(audit("round.remind")) == 1


# --- one sheet -----------------------------------------------------------------------------------------------


@pytest.fixture
def submitted(make_user):
    judging = make_judging(entries=1, judges=2, blind=True)
    judge = judging.judges[0]
    judge.locale = "en"
    sheet = score(judging, judge, judging.entries[0], ["25.5", 20, 30], comment="Giải pháp khả thi, chi phí thấp.")
    return judging, judge, sheet


def test_the_sheet_page_shows_scores_comment_and_status(client, login_as, submitted):
    judging, judge, sheet = submitted
    login_as(judging.organizer)
    page = text(client.get(f"/judging/manage/sheets/{sheet.id}"))
    values = re.findall(r'data-testid="sheet-score" data-criterion="(\d+)" data-value="([\d.]*)"', page)
    assert [(int(c), Decimal(v)) for c, v in values] == [
        (c.id, Decimal(v)) for c, v in zip(judging.round.criteria, ["25.5", "20", "30"], strict=True)
    ]
    assert "25,5" in page and "75,5" in page  # decimal comma
    assert "Giải pháp khả thi, chi phí thấp." in page and judge.full_name in page
    assert 'data-testid="sheet" data-status="submitted"' in page and 'data-testid="reopen-form"' in page
    entry = judging.entries[0]
    assert entry.lead_name in page  # a blind round hides nothing from organizers


def test_reopening_needs_a_reason_and_tells_the_judge(client, login_as, submitted, app):
    judging, judge, sheet = submitted
    login_as(judging.organizer)
    url = f"/judging/manage/sheets/{sheet.id}/reopen"

    response = client.post(url, data={"reason": "   "})
    assert response.status_code == 200
    page = text(response)
    assert in_request(app, lambda: gettext("Please fill in this field.")) in page
    db.session.refresh(sheet)
    assert sheet.status == "submitted" and mails_to(judge.email) == []

    reason = "Tiêu chí hiệu quả chấm chưa đúng thang điểm."
    response = client.post(url, data={"reason": reason})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/judging/manage/sheets/{sheet.id}")
    db.session.refresh(sheet)
    assert sheet.status == "draft" and sheet.total is None and len(sheet.scores) == 3
    assert sheet.reopened_by_id == judging.organizer.id
    (entry,) = audit("sheet.reopen")
    assert entry.summary == reason and entry.object_type == "score_sheets"
    (mail,) = mails_to(judge.email)
    assert reason in mail.body and judging.entries[0].code in mail.body
    assert in_request(app, lambda: url_for("judging.my_assignments", _external=True)) in mail.body
    assert mail.body.startswith("Hello ")  # in the judge's language
    assert judging.entries[0].code in mail.subject

    page = text(client.get(f"/judging/manage/sheets/{sheet.id}"))
    history = re.search(r'data-testid="sheet-history">(.*?)</ul>', page, re.S).group(1)
    assert reason in history and 'data-action="sheet.reopen"' in history and 'data-action="sheet.submit"' in history
    assert 'data-testid="reopen-form"' not in page  # a draft cannot be reopened

    # reopening a draft is refused with a message, nothing changes
    response = client.post(url, data={"reason": "Lần nữa"}, follow_redirects=True)
    assert in_request(app, lambda: str(ERROR_MESSAGES["sheet_not_submitted"])) in text(response)
    assert len(audit("sheet.reopen")) == 1 and len(mails_to(judge.email)) == 1


def test_judges_are_reminded_only_while_the_round_is_open_for_scoring(client, login_as, app):
    judging = make_judging(entries=1, judges=2, status="setup")
    login_as(judging.organizer)
    before = len(outbox())
    response = client.post(f"/judging/manage/rounds/{judging.round.id}/remind", follow_redirects=True)
    said = in_request(app, lambda: gettext("Judges can be reminded only while the round is open for scoring."))
    assert said in text(response) and 'data-testid="no-reminders"' in text(response)
    assert len(outbox()) == before and audit("round.remind") == []
    assert services.remind_judges(judging.round, by=judging.organizer) == 0


def test_a_sheet_is_reopened_only_while_its_round_is_open_for_scoring(client, login_as, submitted, app):
    judging, judge, sheet = submitted
    judging.round.status = "closed"
    db.session.commit()
    login_as(judging.organizer)
    page = text(client.get(f"/judging/manage/sheets/{sheet.id}"))
    assert 'data-testid="no-reopen"' in page and 'data-testid="reopen-form"' not in page
    response = client.post(f"/judging/manage/sheets/{sheet.id}/reopen", data={"reason": "Chấm lại"})
    assert response.status_code == 302
    db.session.refresh(sheet)
    assert sheet.status == "submitted" and audit("sheet.reopen") == [] and mails_to(judge.email) == []
