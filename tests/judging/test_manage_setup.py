"""Organizers set judging up: a contest's rounds (created from the presets' defaults), a round's settings
(validated beside each field, Vietnam time stored as UTC, judges per entry and blind judging fixed once opened),
its rubric (rows added, removed, loaded from a preset, locked once scored), its entries and status; sub-panels
(taken fields and judges, refusals beside the right field); conflicts of interest (filters, pages, found, added,
lifted with a reason). Every change is audited, pages cost the same number of queries whatever the data, and an
organizer of another body is refused."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.audit.labels import action_label, object_label
from app.audit.models import AuditEntry
from app.extensions import db
from competitions.models import Contest
from competitions.presets import PRESETS
from judging import services
from judging.models import Conflict, Panel, Round, RoundEntry
from judging.services import JudgingError
from tests.competitions.factories import make_contest, make_organisation
from tests.competitions.test_manage_contests import field_block
from tests.judging.factories import make_account, make_eligible_entry, make_judge, make_judging, score

# --- Helpers ----------------------------------------------------------------------------------------------


def as_user(client, login_as, user):
    login_as(user)
    with client.session_transaction() as session:
        session["lang"] = "en"  # the messages the tests read, whatever the Vietnamese catalogue says
    return client


def audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def settings_data(**overrides) -> dict:
    data = {
        "name": "Vòng sơ khảo",
        "judges_per_entry": "2",
        "method": "mean",
        "min_sheets": "5",
        "divergence_threshold": "20",
        "advance_top_n": "",
        "advance_min_score": "",
        "deadline": "",
    }
    return data | overrides


def rubric_data(rows: list[dict], action: str = "save") -> dict:
    data = {"action": action}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"rows-{i}-{key}"] = value
    return data


def row(name: str, points, weight="1", step="0.5", description="") -> dict:
    return {"name": name, "description": description, "max_points": str(points), "weight": weight, "step": step}


@pytest.fixture
def judging():
    return make_judging(entries=3, judges=2, status="setup", assign=False)


@pytest.fixture
def organizer(client, login_as, judging):
    return as_user(client, login_as, judging.organizer)


def more_entry(judging, field_index: int, n: int, **person):
    """One more eligible entry, registered while the edition is open again for a moment."""
    status, judging.contest.status = judging.contest.status, "open"
    db.session.commit()
    entry = make_eligible_entry(judging.contest, judging.owner, field_index, n, **person)
    judging.contest.status = status
    db.session.commit()
    return entry


def new_round(contest: Contest, kind: str = "preliminary", *, by) -> Round:
    round_ = services.create_round(contest, kind, by=by)
    db.session.commit()
    return round_


# --- A contest's judging: its rounds ------------------------------------------------------------------------


def test_contest_setup_pages_link_to_judging(organizer, judging):
    page = organizer.get(f"/contests/manage/{judging.contest.id}/settings").get_data(as_text=True)
    assert f'href="/judging/manage/{judging.contest.id}"' in page


def test_contest_page_lists_rounds_with_their_entries_and_sums_up_panels_and_conflicts(organizer, judging):
    final = new_round(judging.contest, "final", by=judging.organizer)
    conflict(judging, judging.judges[0], judging.entries[0])
    response = organizer.get(f"/judging/manage/{judging.contest.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Vòng sơ khảo" in page and "Vòng chung khảo" in page
    assert f'data-testid="entries-{judging.round.id}">3<' in page
    assert f'data-testid="entries-{final.id}">0<' in page
    assert "Tiểu ban Kỹ thuật" in page and "2 judges" in page
    # the panel judges the first field only: the others are warned about
    assert judging.contest.fields[1].name in page
    assert "1 in force" in page and "0 lifted" in page
    assert f'href="/judging/manage/{judging.contest.id}/panels"' in page
    assert f'href="/judging/manage/{judging.contest.id}/conflicts"' in page


def test_rounds_are_created_with_the_defaults_of_their_kind(organizer, judging):
    contest_id = judging.contest.id
    response = organizer.post(f"/judging/manage/{contest_id}/rounds/new", data={"kind": "final"})
    final = db.session.scalar(select(Round).where(Round.contest_id == contest_id, Round.kind == "final"))
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/judging/manage/rounds/{final.id}/settings"
    )
    assert (final.name, final.judges_per_entry, final.status, final.position) == ("Vòng chung khảo", 3, "setup", 1)
    assert [c.max_points for c in final.criteria] == [30, 30, 40]
    assert audit("round.create")[-1].object_id == str(final.id)

    page = organizer.post(
        f"/judging/manage/{contest_id}/rounds/new", data={"kind": "semifinal"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Choose a preliminary or a final round." in page
    assert db.session.scalar(select(Round.id).where(Round.kind == "semifinal")) is None


# --- A round's settings -------------------------------------------------------------------------------------


def test_round_settings_are_saved_in_vietnam_time_and_audited(organizer, judging):
    round_ = judging.round
    data = settings_data(
        name="Vòng sơ khảo cấp tỉnh",
        judges_per_entry="3",
        blind="y",
        method="trimmed",
        normalise="y",
        min_sheets="4",
        divergence_threshold="15,5",
        advance_top_n="10",
        advance_min_score="70",
        deadline="31/12/2026 17:00",
    )
    response = organizer.post(f"/judging/manage/rounds/{round_.id}/settings", data=data, follow_redirects=True)
    assert "The round&#39;s settings have been saved." in response.get_data(as_text=True)
    db.session.refresh(round_)
    assert round_.name == "Vòng sơ khảo cấp tỉnh"
    assert (round_.judges_per_entry, round_.blind, round_.method, round_.normalise, round_.min_sheets) == (
        3,
        True,
        "trimmed",
        True,
        4,
    )
    assert round_.divergence_threshold == Decimal("15.5")
    assert (round_.advance_top_n, round_.advance_min_score) == (10, Decimal(70))
    assert round_.deadline == datetime(2026, 12, 31, 10, 0)  # 17:00 in Hồ Chí Minh City is 10:00 UTC
    entry = audit("round.update")[-1]
    assert entry.before["judges_per_entry"] == 2 and entry.after["judges_per_entry"] == 3
    assert entry.after["deadline"] == "2026-12-31T10:00:00" and "kind" not in entry.after

    page = organizer.get(f"/judging/manage/rounds/{round_.id}/settings").get_data(as_text=True)
    assert field_block(page, "deadline").value == "31/12/2026 17:00"
    assert field_block(page, "divergence_threshold").value == "15,5"

    # the same values again: nothing changes, nothing is recorded
    page = organizer.post(f"/judging/manage/rounds/{round_.id}/settings", data=data, follow_redirects=True).get_data(
        as_text=True
    )
    assert "Nothing has changed." in page and len(audit("round.update")) == 1

    # a date alone means 23:59 that day
    organizer.post(f"/judging/manage/rounds/{round_.id}/settings", data=data | {"deadline": "15/01/2027"})
    db.session.refresh(round_)
    assert round_.deadline == datetime(2027, 1, 15, 16, 59)


def test_round_settings_refused_beside_each_field_keeping_what_was_typed(organizer, judging):
    round_ = judging.round
    data = settings_data(
        name="Vòng sơ khảo mới",
        judges_per_entry="0",
        min_sheets="1",
        divergence_threshold="abc",
        advance_top_n="-3",
        advance_min_score="1000,5",
        deadline="32/13/2026",
    )
    response = organizer.post(f"/judging/manage/rounds/{round_.id}/settings", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_block(page, "judges_per_entry").errors == ["Between 1 and 20."]
    assert field_block(page, "min_sheets").errors == ["Between 2 and 1000."]
    assert field_block(page, "divergence_threshold").errors == ["Please enter a number, e.g. 50 or 33,33."]
    assert field_block(page, "advance_top_n").errors == ["Between 1 and 100000."]
    assert field_block(page, "advance_min_score").errors == ["A number from 0 to 1000."]
    assert field_block(page, "deadline").errors == [
        "Please enter a date and time as dd/mm/yyyy hh:mm, e.g. 31/12/2026 17:00."
    ]
    assert field_block(page, "name").value == "Vòng sơ khảo mới"
    assert field_block(page, "divergence_threshold").value == "abc"
    assert field_block(page, "deadline").value == "32/13/2026"
    db.session.refresh(round_)
    assert round_.name == "Vòng sơ khảo" and not audit("round.update")

    page = organizer.post(
        f"/judging/manage/rounds/{round_.id}/settings", data=settings_data(name="  ", divergence_threshold="0")
    ).get_data(as_text=True)
    assert field_block(page, "name").errors == ["Please fill in this field."]
    assert field_block(page, "divergence_threshold").errors == ["A number above 0 and at most 1000."]


def test_judges_per_entry_and_blind_judging_are_fixed_once_the_round_is_opened(client, login_as):
    judging = make_judging(entries=2, judges=2, status="scoring")
    organizer = as_user(client, login_as, judging.organizer)
    round_ = judging.round
    url = f"/judging/manage/rounds/{round_.id}/settings"
    page = organizer.get(url).get_data(as_text=True)
    assert 'id="judges_per_entry" value="2" disabled' in page
    assert "Fixed once the round has been opened for scoring." in page

    # the disabled inputs send nothing: the other settings are saved, these stay
    data = settings_data(name="Sơ khảo đợt 1")
    del data["judges_per_entry"]
    response = organizer.post(url, data=data)
    assert response.status_code == 302
    db.session.refresh(round_)
    assert (round_.name, round_.judges_per_entry, round_.blind) == ("Sơ khảo đợt 1", 2, False)

    # sent anyway (a crafted request): refused beside the field
    response = organizer.post(url, data=settings_data(name="Sơ khảo đợt 2", judges_per_entry="3"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_block(page, "judges_per_entry").errors == [
        "The round has been opened for scoring: judges per entry and blind judging can no longer change."
    ]
    db.session.refresh(round_)
    assert (round_.name, round_.judges_per_entry) == ("Sơ khảo đợt 1", 2)


def test_update_round_checks_every_value_before_storing_any(judging):
    round_, by = judging.round, judging.organizer
    for name, value in [
        ("judges_per_entry", 0),
        ("judges_per_entry", 21),
        ("judges_per_entry", Decimal("2.5")),
        ("judges_per_entry", True),
        ("min_sheets", 1),
        ("divergence_threshold", Decimal(0)),
        ("divergence_threshold", Decimal("10.005")),
        ("divergence_threshold", None),
        ("advance_top_n", 0),
        ("advance_min_score", Decimal(-1)),
        ("advance_min_score", Decimal("NaN")),
        ("method", "best"),
        ("name", "   "),
        ("deadline", "tomorrow"),
        ("status", "closed"),
    ]:
        with pytest.raises(JudgingError) as refused:
            services.update_round(round_, {"name": "Đổi tên", name: value}, by=by)
        assert (refused.value.code, refused.value.detail) == ("bad_setting", name), (name, value)
    assert round_.name == "Vòng sơ khảo" and not audit("round.update")

    assert services.update_round(round_, {"advance_top_n": None, "advance_min_score": None}, by=by) == []
    changed = services.update_round(round_, {"divergence_threshold": "25", "name": " Vòng  1 "}, by=by)
    assert changed == ["name", "divergence_threshold"] and round_.name == "Vòng 1"
    assert len(audit("round.update")) == 1

    round_.status = "closed"
    with pytest.raises(JudgingError) as refused:
        services.update_round(round_, {"blind": True}, by=by)
    assert (refused.value.code, refused.value.detail) == ("round_started", "blind")
    assert services.update_round(round_, {"blind": False, "judges_per_entry": 2, "method": "median"}, by=by) == [
        "method"
    ]


# --- A round's rubric ---------------------------------------------------------------------------------------


def test_rubric_rows_are_added_removed_and_saved(organizer, judging):
    round_ = judging.round
    url = f"/judging/manage/rounds/{round_.id}/rubric"
    rows = [row(c.name, c.max_points, description=c.description) for c in round_.criteria]

    page = organizer.post(url, data=rubric_data(rows, "add")).get_data(as_text=True)
    assert 'data-testid="row-3"' in page and field_block(page, "rows-3-weight").value == "1"
    page = organizer.post(url, data=rubric_data(rows, "remove-1")).get_data(as_text=True)
    assert 'data-testid="row-2"' not in page
    assert field_block(page, "rows-1-name").value == rows[2]["name"]
    assert len(round_.criteria) == 3  # nothing stored yet

    new = [row("Tính mới", 40, step="1"), row("Hiệu quả", "60", weight="2", description="Lợi ích mang lại.")]
    response = organizer.post(url, data=rubric_data([*new, row("", "")]), follow_redirects=True)  # blank row ignored
    assert "The rubric has been saved." in response.get_data(as_text=True)
    db.session.refresh(round_)
    assert [(c.name, c.max_points, c.weight, c.step, c.description) for c in round_.criteria] == [
        ("Tính mới", 40, 1, 1, ""),
        ("Hiệu quả", 60, 2, Decimal("0.5"), "Lợi ích mang lại."),
    ]
    entry = audit("round.rubric")[-1]
    assert [c["name"] for c in entry.before["criteria"]] == [r["name"] for r in rows]
    assert [c["name"] for c in entry.after["criteria"]] == ["Tính mới", "Hiệu quả"]


@pytest.mark.parametrize(("kind", "points"), [("innovation", [30, 30, 40]), ("youth", [30, 20, 30, 20])])
def test_rubric_presets_are_loaded_on_the_page_then_saved(client, login_as, kind, points):
    contest = make_contest("youth" if kind == "innovation" else "innovation")  # the other contest's preset
    organizer_user = make_account("organizer", name="Trần Thị Tổ Chức")
    round_ = new_round(contest, by=organizer_user)
    organizer = as_user(client, login_as, organizer_user)
    url = f"/judging/manage/rounds/{round_.id}/rubric"
    before = [c.name for c in round_.criteria]

    page = organizer.post(url, data=rubric_data([], f"preset-{kind}")).get_data(as_text=True)
    preset = PRESETS[kind]
    for i, (name, description, max_points) in enumerate(preset.criteria):
        assert field_block(page, f"rows-{i}-name").value == name
        assert field_block(page, f"rows-{i}-max_points").value == str(max_points)
        assert field_block(page, f"rows-{i}-description").value == description
    assert "Total of the maximum points: 100" in page
    db.session.refresh(round_)
    assert [c.name for c in round_.criteria] == before  # on the page only

    rows = [row(name, p, description=d) for name, d, p in preset.criteria]
    organizer.post(url, data=rubric_data(rows))
    db.session.refresh(round_)
    assert [c.max_points for c in round_.criteria] == points
    assert [c.name for c in round_.criteria] == [name for name, _d, _p in preset.criteria]
    assert organizer.post(url, data=rubric_data([], "preset-unknown")).status_code == 400


def test_rubric_refused_beside_the_row_keeping_what_was_typed(organizer, judging):
    round_ = judging.round
    url = f"/judging/manage/rounds/{round_.id}/rubric"
    rows = [row("Tính mới", "abc"), row("", "30"), row("Hiệu quả", "30,25", step="0.5"), row("Áp dụng", "0")]
    response = organizer.post(url, data=rubric_data(rows))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_block(page, "rows-0-max_points").errors == ["Please enter a number, e.g. 50 or 33,33."]
    assert field_block(page, "rows-0-max_points").value == "abc"
    assert field_block(page, "rows-1-name").errors == ["Please fill in this field."]
    assert field_block(page, "rows-2-max_points").errors == ["The maximum must be a multiple of the step (0.5)."]
    assert field_block(page, "rows-3-max_points").errors == ["A number above 0 and at most 1000."]
    assert field_block(page, "rows-3-name").value == "Áp dụng"
    assert [c.max_points for c in round_.criteria] == [30, 30, 40] and not audit("round.rubric")

    page = organizer.post(url, data=rubric_data([row("", "")])).get_data(as_text=True)
    assert "A rubric needs at least one criterion." in page


def test_rubric_is_read_only_once_a_score_exists(client, login_as):
    judging = make_judging(entries=1, judges=1, status="scoring")
    score(judging, judging.judges[0], judging.entries[0], [20, 20, 30])
    organizer = as_user(client, login_as, judging.organizer)
    round_ = judging.round
    page = organizer.get(f"/judging/manage/rounds/{round_.id}/settings").get_data(as_text=True)
    assert 'data-testid="rubric-locked"' in page and 'data-testid="rubric-form"' not in page
    assert "Scores exist for this round: its rubric can no longer be changed." in page
    assert "Tính mới, tính sáng tạo" in page  # shown, read-only

    url = f"/judging/manage/rounds/{round_.id}/rubric"
    response = organizer.post(url, data=rubric_data([row("Một tiêu chí", 100)]), follow_redirects=True)
    assert "Scores exist for this round: its rubric can no longer be changed." in response.get_data(as_text=True)
    db.session.refresh(round_)
    assert [c.max_points for c in round_.criteria] == [30, 30, 40] and not audit("round.rubric")


# --- A round's entries and status ---------------------------------------------------------------------------


def test_eligible_entries_join_the_first_round_only(organizer, judging):
    contest = judging.contest
    more_entry(judging, 1, 4)
    url = f"/judging/manage/rounds/{judging.round.id}/entries/add"
    page = organizer.post(url, follow_redirects=True).get_data(as_text=True)
    assert "1 eligible entry has been added to the round." in page
    assert "4 entries in the round" in page
    page = organizer.post(url, follow_redirects=True).get_data(as_text=True)
    assert "Every eligible entry is in the round already." in page
    assert len(audit("round.add_entries")) == 2  # the factory's, then this one

    final = new_round(contest, "final", by=judging.organizer)
    page = organizer.post(f"/judging/manage/rounds/{final.id}/entries/add", follow_redirects=True).get_data(
        as_text=True
    )
    assert "The entries of this round are the ones advancing from the round before." in page
    assert not db.session.scalars(select(RoundEntry).where(RoundEntry.round_id == final.id)).all()
    assert 'data-testid="add-entries"' not in page and "advancing from “Vòng sơ khảo”" in page


def test_a_round_opens_with_a_rubric_and_entries_then_closes_and_reopens(organizer, judging):
    contest = judging.contest
    empty = new_round(contest, "final", by=judging.organizer)
    url = f"/judging/manage/rounds/{empty.id}/status"
    page = organizer.get(f"/judging/manage/rounds/{empty.id}/settings").get_data(as_text=True)
    assert 'data-testid="status-scoring" disabled' in page and "Add the round&#39;s entries first." in page
    page = organizer.post(url, data={"status": "scoring"}, follow_redirects=True).get_data(as_text=True)
    assert "Add the round&#39;s entries first." in page
    db.session.refresh(empty)
    assert empty.status == "setup"

    empty.criteria = []
    db.session.commit()
    with pytest.raises(JudgingError) as refused:
        services.change_round_status(empty, "scoring", by=judging.organizer)
    assert refused.value.detail == ["empty_rubric", "no_entries"]

    round_ = judging.round
    url = f"/judging/manage/rounds/{round_.id}/status"
    page = organizer.post(url, data={"status": "closed"}, follow_redirects=True).get_data(as_text=True)
    assert "This status change is not possible from the round&#39;s current status." in page
    page = organizer.post(url, data={"status": "scoring"}, follow_redirects=True).get_data(as_text=True)
    assert "The round has moved from “Being set up” to “Scoring”." in page
    organizer.post(url, data={"status": "closed"})
    organizer.post(url, data={"status": "scoring"})
    db.session.refresh(round_)
    assert round_.status == "scoring"
    assert [(e.before["status"], e.after["status"]) for e in audit("round.status")] == [
        ("setup", "scoring"),
        ("scoring", "closed"),
        ("closed", "scoring"),
    ]


# --- Sub-panels ---------------------------------------------------------------------------------------------


def test_panels_show_their_judges_head_and_fields_and_warn_of_fields_judged_by_none(organizer, judging):
    contest = judging.contest
    spare = make_judge(contest, 9, unit="Trường THPT Đồng Xoài")
    page = organizer.get(f"/judging/manage/{contest.id}/panels").get_data(as_text=True)
    assert "Tiểu ban Kỹ thuật" in page and contest.fields[0].name in page
    assert "gk1@example.vn" in page and "gk2@example.vn" in page
    assert page.count('data-testid="head"') == 1
    assert 'data-testid="uncovered"' in page and contest.fields[-1].name in page
    assert 'data-testid="unseated"' in page and spare.email in page


def panel_data(name: str, fields, members, head=None) -> dict:
    return {"name": name, "field_ids": [str(f) for f in fields], "member_ids": [str(m) for m in members]} | (
        {"head_id": str(head)} if head else {}
    )


def test_a_new_panel_offers_free_fields_and_judges_and_is_saved(organizer, judging):
    contest = judging.contest
    spare = make_judge(contest, 9, unit="Trường THPT Đồng Xoài")
    url = f"/judging/manage/{contest.id}/panels/new"
    page = organizer.get(url).get_data(as_text=True)
    taken = contest.fields[0]
    assert f'data-testid="taken-{taken.id}"' in page and "judged by Tiểu ban Kỹ thuật" in page
    assert re.search(rf'id="field-{taken.id}"\s+disabled', page)
    assert not re.search(rf'id="field-{contest.fields[1].id}"\s+disabled', page)
    assert f'data-testid="seated-{judging.judges[0].id}"' in page and "Trường THPT Đồng Xoài" in page

    fields = [contest.fields[1].id, contest.fields[2].id]
    response = organizer.post(url, data=panel_data("Tiểu ban Cơ khí", fields, [spare.id], spare.id))
    assert response.status_code == 302
    panel = db.session.scalar(select(Panel).where(Panel.name == "Tiểu ban Cơ khí"))
    assert (panel.field_ids, panel.member_ids, panel.head_id) == (fields, [spare.id], spare.id)
    assert audit("panel.create")[-1].object_id == str(panel.id)

    edit = f"/judging/manage/panels/{panel.id}/edit"
    page = organizer.get(edit).get_data(as_text=True)
    assert field_block(page, "name").value == "Tiểu ban Cơ khí"
    organizer.post(edit, data=panel_data("Tiểu ban Cơ khí - Xây dựng", fields[:1], [spare.id]))
    db.session.refresh(panel)
    assert (panel.name, panel.field_ids, panel.head_id) == ("Tiểu ban Cơ khí - Xây dựng", fields[:1], None)
    entry = audit("panel.update")[-1]
    assert entry.before["field_ids"] == fields and entry.after["field_ids"] == fields[:1]


def test_panel_refusals_are_said_beside_the_right_field(organizer, judging):
    contest = judging.contest
    spare = make_judge(contest, 9)
    contestant = make_account("contestant", name="Lê Văn Thí Sinh")
    url = f"/judging/manage/{contest.id}/panels/new"
    free = contest.fields[1].id

    cases = [
        (panel_data("  ", [free], [spare.id]), "name", "Please fill in this field."),
        (panel_data("B", [contest.fields[0].id], [spare.id]), "field_ids", "A field chosen is already judged"),
        (panel_data("B", [free], [judging.judges[1].id]), "member_ids", "A judge chosen already sits on another"),
        (panel_data("B", [free], [spare.id], judging.judges[0].id), "head_id", "The head of the sub-panel must be"),
        (panel_data("B", [free], [contestant.id]), "member_ids", "Not a valid choice."),
    ]
    for data, field, message in cases:
        response = organizer.post(url, data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 400, field
        errors = field_block(page, field).errors if field in ("name", "head_id") else _fieldset_errors(page, field)
        assert any(message in e for e in errors), (field, errors)
        # what was chosen stays chosen
        assert field == "name" or field_block(page, "name").value == "B"
        assert re.search(rf'id="field-{free}"\s+checked', page) or field == "field_ids"
        assert re.search(rf'id="member-{spare.id}"\s+checked', page) or field == "member_ids"
    # the judge's name is given with the refusal
    page = organizer.post(url, data=panel_data("B", [free], [judging.judges[1].id])).get_data(as_text=True)
    assert "(Giám khảo Số 2)" in page
    assert db.session.scalar(select(Panel).where(Panel.name == "B")) is None


def _fieldset_errors(page: str, fieldset_id: str) -> list[str]:
    start = page.index(f'<fieldset class="mb-3" id="{fieldset_id}">')
    block = page[start : page.index("</fieldset>", start)]
    return [part.split("</div>")[0].strip() for part in block.split('<div class="invalid-feedback d-block">')[1:]]


# --- Conflicts of interest ----------------------------------------------------------------------------------


def conflict(judging, judge, entry, kind="family", **extra) -> Conflict:
    found = Conflict(contest_id=judging.contest.id, judge_id=judge.id, entry_id=entry.id, kind=kind, **extra)
    db.session.add(found)
    db.session.commit()
    return found


def test_conflicts_are_listed_filtered_and_paged(organizer, judging):
    first, second = judging.judges
    conflict(judging, first, judging.entries[0], "family", note="Anh em ruột")
    lifted = conflict(
        judging,
        second,
        judging.entries[1],
        "same_unit",
        source="auto",
        lifted_at=datetime(2026, 3, 1, 2, 0),
        lifted_by_id=judging.organizer.id,
        lift_reason="Đã chuyển công tác",
    )
    url = f"/judging/manage/{judging.contest.id}/conflicts"
    page = organizer.get(url).get_data(as_text=True)
    assert "Anh em ruột" in page and judging.entries[0].code in page and "Giải pháp 1" in page
    assert f'data-conflict="{lifted.id}"' not in page  # in force only, by default

    page = organizer.get(url, query_string={"status": "lifted"}).get_data(as_text=True)
    assert f'data-testid="lifted-{lifted.id}"' in page and "Reason: Đã chuyển công tác" in page
    assert "01/03/2026 09:00" in page and "Trần Thị Tổ Chức" in page and "Anh em ruột" not in page
    page = organizer.get(url, query_string={"status": "all", "kind": "family"}).get_data(as_text=True)
    assert "Anh em ruột" in page and f'data-conflict="{lifted.id}"' not in page
    page = organizer.get(url, query_string={"status": "all", "judge": second.id}).get_data(as_text=True)
    assert f'data-conflict="{lifted.id}"' in page and "Anh em ruột" not in page
    page = organizer.get(url, query_string={"status": "nonsense", "kind": "x", "judge": "é"}).get_data(as_text=True)
    assert "Anh em ruột" in page  # unknown filters are ignored

    for n in range(4, 60):
        entry = more_entry(judging, 0, n)
        conflict(judging, first, entry, "other", note=f"Ghi chú {n}")
    page = organizer.get(url).get_data(as_text=True)
    assert page.count("data-conflict=") == 50 and "57 in all" in page
    page = organizer.get(url, query_string={"page": 2}).get_data(as_text=True)
    assert page.count("data-conflict=") == 7


def test_conflicts_are_found_from_authors_and_units(organizer, judging):
    contest = judging.contest
    judge = make_judge(contest, 9, unit="Trường THPT Đồng Xoài")
    services.save_panel(contest, "Tiểu ban Cơ khí", [contest.fields[1].id], [judge.id], None, by=judging.organizer)
    db.session.commit()
    more_entry(judging, 1, 10, unit="Trường THPT Đồng Xoài")
    url = f"/judging/manage/{contest.id}/conflicts/detect"
    page = organizer.post(url, follow_redirects=True).get_data(as_text=True)
    assert "1 new conflict of interest has been found." in page
    assert "Same unit or school" in page and "Found automatically" in page
    page = organizer.post(url, follow_redirects=True).get_data(as_text=True)
    assert "No new conflict of interest has been found." in page
    assert [e.summary for e in audit("conflicts.detect")] == ["1", "0"]


def test_organizers_add_a_conflict_by_entry_code(organizer, judging):
    contest = judging.contest
    judge, entry = judging.judges[0], judging.entries[1]
    url = f"/judging/manage/{contest.id}/conflicts/new"
    response = organizer.post(
        url, data={"judge_id": judge.id, "entry_code": entry.code.lower(), "kind": "family", "note": "Vợ tác giả"}
    )
    assert response.status_code == 302
    found = db.session.scalar(select(Conflict).where(Conflict.judge_id == judge.id, Conflict.entry_id == entry.id))
    assert (found.kind, found.source, found.note, found.created_by_id) == (
        "family",
        "organizer",
        "Vợ tác giả",
        judging.organizer.id,
    )
    assert audit("conflict.declare")[-1].object_id == str(found.id)


def test_an_added_conflict_warns_when_the_judge_still_has_the_entry(client, login_as):
    judging = make_judging(entries=1, judges=2, status="scoring")
    organizer = as_user(client, login_as, judging.organizer)
    judge, entry = judging.judges[0], judging.entries[0]
    page = organizer.post(
        f"/judging/manage/{judging.contest.id}/conflicts/new",
        data={"judge_id": judge.id, "entry_code": entry.code, "kind": "family", "note": ""},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "The conflict of interest has been recorded." in page
    assert f"Giám khảo Số 1 is still assigned {entry.code}" in page


def test_adding_a_conflict_is_refused_beside_the_field_keeping_what_was_typed(organizer, judging):
    contest = judging.contest
    outsider = make_judge(contest, 9)  # holds the role, sits on no sub-panel
    url = f"/judging/manage/{contest.id}/conflicts/new"
    response = organizer.post(url, data={"judge_id": "", "entry_code": "STKT-1999-0001", "kind": "other", "note": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_block(page, "judge_id").errors == ["Choose the judge."]
    assert field_block(page, "entry_code").errors == ["No entry of this contest has this code."]
    assert field_block(page, "entry_code").value == "STKT-1999-0001"
    assert field_block(page, "note").errors == ["Say what the conflict is."]

    page = organizer.post(
        url, data={"judge_id": outsider.id, "entry_code": judging.entries[0].code, "kind": "other", "note": "Bạn thân"}
    ).get_data(as_text=True)
    assert field_block(page, "judge_id").errors == ["Choose one of the judges of the contest's sub-panels."]
    assert field_block(page, "note").value == "Bạn thân"
    assert not db.session.scalars(select(Conflict)).all() and not audit("conflict.declare")


def test_a_conflict_is_lifted_only_with_a_reason(organizer, judging):
    found = conflict(judging, judging.judges[0], judging.entries[0])
    url = f"/judging/manage/conflicts/{found.id}/lift?kind=family"
    response = organizer.post(url, data={"reason": "   "})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Give the reason for lifting this conflict." in page
    assert f'<details open data-testid="lift-{found.id}">' in page
    db.session.refresh(found)
    assert found.active

    response = organizer.post(url, data={"reason": "Không còn quan hệ công tác"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/conflicts?kind=family")
    db.session.refresh(found)
    assert (found.active, found.lift_reason, found.lifted_by_id) == (
        False,
        "Không còn quan hệ công tác",
        judging.organizer.id,
    )
    assert audit("conflict.lift")[-1].summary == "Không còn quan hệ công tác"
    page = organizer.post(url, data={"reason": "Lần nữa"}, follow_redirects=True).get_data(as_text=True)
    assert "This conflict was lifted already." in page
    assert len(audit("conflict.lift")) == 1


# --- Audit labels, queries, access ---------------------------------------------------------------------------


def test_judging_actions_and_records_have_readable_labels(app):
    actions = [
        "round.create",
        "round.update",
        "round.rubric",
        "round.status",
        "round.add_entries",
        "panel.create",
        "panel.update",
        "conflicts.detect",
        "conflict.declare",
        "conflict.lift",
    ]
    with app.test_request_context():
        assert all(action_label(a) != a for a in actions)
        assert [object_label(t) for t in ("judging_rounds", "judging_panels", "judging_conflicts")] == [
            "Vòng chấm",
            "Tiểu ban",
            "Xung đột lợi ích",
        ]


def _grow(judging, n: int) -> None:
    """More entries, rounds, panels, judges and conflicts (in force and lifted)."""
    contest = judging.contest
    for i in range(n):
        entry = more_entry(judging, 1, 100 + i)
        db.session.add(RoundEntry(round_id=judging.round.id, entry_id=entry.id))
        judge = make_judge(contest, 100 + i, unit=f"Đơn vị {i}")
        services.save_panel(contest, f"Tiểu ban {i}", [contest.fields[2 + i].id], [judge.id], judge.id, by=None)
        conflict(judging, judge, entry, "other", note="x", created_by_id=judging.organizer.id)
        conflict(
            judging,
            judging.judges[0],
            entry,
            "family",
            lifted_at=datetime(2026, 1, 1),
            lifted_by_id=judging.organizer.id,
            lift_reason="r",
        )
        services.create_round(contest, "final", by=None)
    db.session.commit()


@pytest.mark.parametrize(
    "path",
    [
        "/judging/manage/{contest}",
        "/judging/manage/{contest}/panels",
        "/judging/manage/{contest}/conflicts?status=all",
        "/judging/manage/rounds/{round}/settings",
    ],
)
def test_pages_cost_the_same_queries_whatever_the_data(client, login_as, count_queries, path):
    counts = []
    for n in (1, 4):
        judging = make_judging(entries=2, judges=2, status="setup", assign=False)
        _grow(judging, n)
        organizer = as_user(client, login_as, judging.organizer)
        url = path.format(contest=judging.contest.id, round=judging.round.id)
        with count_queries() as counted:
            assert organizer.get(url).status_code == 200
        counts.append(counted.n)
        _clear()
    assert counts[0] == counts[1]


def _clear() -> None:
    from tests.conftest import _empty_tables

    db.session.remove()
    _empty_tables()


def test_an_organizer_of_another_body_is_refused(client, login_as, judging):
    other = make_organisation("Liên hiệp các hội KH&KT tỉnh Lạng Sơn")
    db.session.commit()
    outsider = make_account("organizer", name="Người Ngoài", scope=("organisation", other.id))
    local = make_account("organizer", name="Người Trong", scope=("organisation", judging.contest.organisation_id))
    found = conflict(judging, judging.judges[0], judging.entries[0])
    contest_id, round_id, panel_id = judging.contest.id, judging.round.id, judging.panel.id
    pages = [
        ("GET", f"/judging/manage/{contest_id}"),
        ("POST", f"/judging/manage/{contest_id}/rounds/new"),
        ("GET", f"/judging/manage/rounds/{round_id}/settings"),
        ("POST", f"/judging/manage/rounds/{round_id}/rubric"),
        ("POST", f"/judging/manage/rounds/{round_id}/status"),
        ("GET", f"/judging/manage/{contest_id}/panels"),
        ("GET", f"/judging/manage/panels/{panel_id}/edit"),
        ("GET", f"/judging/manage/{contest_id}/conflicts"),
        ("POST", f"/judging/manage/conflicts/{found.id}/lift"),
    ]
    as_user(client, login_as, outsider)
    for method, url in pages:
        assert client.open(url, method=method, data={"reason": "x"}).status_code == 403, url
    db.session.refresh(found)
    assert found.active
    as_user(client, login_as, local)
    for method, url in pages:
        if method == "GET":
            assert client.get(url).status_code == 200, url


def test_an_archived_edition_is_read_only(organizer, judging):
    judging.contest.status = "archived"
    db.session.commit()
    page = organizer.post(
        f"/judging/manage/{judging.contest.id}/rounds/new", data={"kind": "final"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "This edition is archived" in page and 'data-testid="new-final"' not in page
    assert db.session.scalar(select(Round.id).where(Round.kind == "final")) is None
