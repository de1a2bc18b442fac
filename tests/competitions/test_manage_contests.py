"""Organizers set up contest editions: a new edition from each preset, its settings (validated beside each field,
Vietnam time stored as UTC), its lists (add, remove, reorder; used rows kept), its status, the audit log, the
scoping of district and provincial organizers, and a manage index whose cost does not grow with the editions."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.timefmt import utcnow
from competitions.models import Contest, Entry
from tests.app.test_bad_input import HOSTILE
from tests.competitions.factories import make_contest, make_entry, make_organisation

# --- Helpers ----------------------------------------------------------------------------------------------


class _FieldBlock(HTMLParser):
    """The block the `field` macro renders around the element with `id`: its errors and the value shown."""

    CONTAINERS = ("div", "fieldset")

    def __init__(self, element_id: str):
        super().__init__()
        self.element_id = element_id
        self.stack: list[str] = []
        self.block_depth: int | None = None
        self.error_depth: int | None = None
        self.done = False
        self.errors: list[str] = []
        self.value: str | None = None
        self.in_textarea = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        css = (attributes.get("class") or "").split()
        if tag in self.CONTAINERS:
            self.stack.append(" ".join(css))
            if self.block_depth is not None and not self.done and "invalid-feedback" in css:
                self.error_depth = len(self.stack)
                self.errors.append("")
        if attributes.get("id") == self.element_id and self.block_depth is None:
            for depth in range(len(self.stack), 0, -1):
                if "mb-3" in self.stack[depth - 1].split():
                    self.block_depth = depth
                    break
            self.value = attributes.get("value")
            self.in_textarea = tag == "textarea"
            if self.in_textarea:
                self.value = ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.in_textarea = False
        if tag in self.CONTAINERS and self.stack:
            if self.error_depth == len(self.stack):
                self.error_depth = None
            if self.block_depth == len(self.stack):
                self.done = True
            self.stack.pop()

    def handle_data(self, data):
        if self.error_depth is not None and not self.done:
            self.errors[-1] += data
        if self.in_textarea:
            self.value += data


def field_block(page: str, element_id: str) -> _FieldBlock:
    parser = _FieldBlock(element_id)
    parser.feed(page)
    assert parser.block_depth is not None, f"no field #{element_id} on the page"
    parser.errors = [e.strip() for e in parser.errors]
    if parser.value is not None:
        parser.value = parser.value.removeprefix("\r\n").removeprefix("\n")  # a textarea's first newline
    return parser


def as_organizer(client, login_as, user):
    login_as(user)
    with client.session_transaction() as session:
        session["lang"] = "en"  # the messages the tests read, whatever the Vietnamese catalogue says
    return client


@pytest.fixture
def union():
    org = make_organisation("Liên hiệp các hội KH&KT tỉnh Bình Phước")
    db.session.commit()
    return org


@pytest.fixture
def organizer(client, login_as, make_user):
    return as_organizer(client, login_as, make_user("organizer", email="btc@example.vn"))


def audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def settings_data(contest: Contest, **overrides) -> dict:
    data = {
        "name": contest.name,
        "number": "10",
        "year": str(contest.year),
        "level": "provincial",
        "code_prefix": contest.code_prefix,
        "description": "Hội thi lần thứ 10.",
        "period_start": "01/01/2026",
        "period_end": "31/12/2027",
        "registration_opens_at": "01/02/2026 08:00",
        "registration_closes_at": "31/12/2026 23:59",
        "lookback_date": "01/01/2023",
        "birth_from": "31/07/2008",
        "birth_to": "31/07/2020",
        "max_authors": "5",
        "max_teachers": "2",
    }
    return data | overrides


def list_data(rows: list[dict], action: str = "save") -> dict:
    data = {"action": action}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"rows-{i}-{key}"] = value
    return data


def field_rows(contest: Contest) -> list[dict]:
    return [{"id": str(f.id), "code": f.code, "name": f.name, "description": f.description} for f in contest.fields]


# --- A new edition from each preset -----------------------------------------------------------------------


def test_a_new_technical_innovation_edition_starts_from_its_preset(organizer, union):
    response = organizer.post(
        "/contests/manage/new",
        data={"kind": "innovation", "organisation_id": str(union.id), "year": "2026", "number": "10", "name": ""},
    )
    contest = db.session.scalar(select(Contest))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/contests/manage/{contest.id}/settings")
    assert contest.kind == "innovation" and contest.status == "draft" and contest.number == 10
    assert contest.organisation_id == union.id and contest.year == 2026
    assert len(contest.fields) == 7 and contest.fields[6].name.startswith("Cải cách hành chính")
    assert [c.max_points for c in contest.criteria] == [Decimal(30), Decimal(30), Decimal(40)]
    assert contest.age_groups == [] and len(contest.document_types) == 5
    assert contest.lookback_date == date(2023, 1, 1) and contest.birth_from is None
    created = audit("contest.create")
    assert len(created) == 1 and created[0].object_id == str(contest.id) and created[0].actor_label == "btc@example.vn"


def test_a_new_youth_edition_starts_from_its_preset_with_the_birth_window_of_its_year(organizer, union):
    response = organizer.post(
        "/contests/manage/new",
        data={"kind": "youth", "organisation_id": str(union.id), "year": "2026", "name": "Cuộc thi STTTNNĐ lần 20"},
    )
    assert response.status_code == 302
    contest = db.session.scalar(select(Contest))
    assert contest.name == "Cuộc thi STTTNNĐ lần 20" and contest.kind == "youth"
    assert len(contest.fields) == 5 and len(contest.age_groups) == 3
    assert [c.max_points for c in contest.criteria] == [Decimal(30), Decimal(20), Decimal(30), Decimal(20)]
    assert (contest.max_authors, contest.max_teachers) == (5, 2)
    assert (contest.birth_from, contest.birth_to) == (date(2008, 7, 31), date(2020, 7, 31))
    page = organizer.get(response.headers["Location"]).get_data(as_text=True)
    assert field_block(page, "birth_from").value == "31/07/2008"
    assert field_block(page, "birth_to").value == "31/07/2020"


def test_the_new_edition_form_says_what_is_missing_beside_each_field(organizer, union):
    response = organizer.post("/contests/manage/new", data={"kind": "", "organisation_id": "", "year": "1999"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose the organising body." in field_block(page, "organisation_id").errors
    assert "A year between 2000 and 2100." in field_block(page, "year").errors
    assert field_block(page, "year").value == "1999"
    assert db.session.scalar(select(Contest)) is None


# --- Settings ---------------------------------------------------------------------------------------------


def test_settings_are_saved_with_vietnam_time_stored_as_utc_and_audited(organizer, union):
    contest = make_contest("innovation", organisation=union, status="draft", year=2026)
    response = organizer.post(
        f"/contests/manage/{contest.id}/settings",
        data=settings_data(contest, code_prefix="stkt", level="national", registration_closes_at="31/12/2026 23:59"),
    )
    assert response.status_code == 302
    db.session.refresh(contest)
    assert contest.registration_closes_at == datetime(2026, 12, 31, 16, 59)
    assert contest.registration_opens_at == datetime(2026, 2, 1, 1, 0)
    assert contest.code_prefix == "STKT" and contest.level == "national" and contest.number == 10
    assert contest.description == "Hội thi lần thứ 10." and contest.period_end == date(2027, 12, 31)
    page = organizer.get(f"/contests/manage/{contest.id}/settings").get_data(as_text=True)
    assert field_block(page, "registration_closes_at").value == "31/12/2026 23:59"
    assert field_block(page, "registration_opens_at").value == "01/02/2026 08:00"
    updated = audit("contest.update")
    assert len(updated) == 1
    assert updated[0].before["registration_closes_at"] != updated[0].after["registration_closes_at"]
    assert updated[0].after["registration_closes_at"] == "2026-12-31T16:59:00"
    assert updated[0].after["description"] == "Hội thi lần thứ 10." and updated[0].before["level"] == "provincial"


def test_a_closing_date_without_a_time_means_the_end_of_that_day_in_vietnam(organizer, union):
    contest = make_contest("innovation", organisation=union, status="draft", year=2026)
    data = settings_data(contest, registration_opens_at="01/02/2026", registration_closes_at="30/04/2026")
    assert organizer.post(f"/contests/manage/{contest.id}/settings", data=data).status_code == 302
    db.session.refresh(contest)
    assert contest.registration_opens_at == datetime(2026, 1, 31, 17, 0)  # 00:00 in Vietnam
    assert contest.registration_closes_at == datetime(2026, 4, 30, 16, 59)  # 23:59 in Vietnam


SETTINGS_ERRORS = [
    ("registration_closes_at", "01/02/2026 07:59", "Registration must close after it opens."),
    ("registration_closes_at", "01/02/2026 08:00", "Registration must close after it opens."),
    ("registration_opens_at", "32/01/2026 08:00", "Please enter a date and time as dd/mm/yyyy hh:mm"),
    ("period_end", "31/12/2025", "The period must end after it starts."),
    ("period_start", "2026/31/01", "Please enter a date as dd/mm/yyyy."),
    ("birth_to", "30/07/2008", "This date must not be before the first birth date."),
    ("max_authors", "0", "Between 1 and 50."),
    ("max_authors", "51", "Between 1 and 50."),
    ("max_teachers", "11", "Between 0 and 10."),
    ("max_teachers", "-1", "Between 0 and 10."),
    ("code_prefix", "ST-KT", "2 to 10 letters A to Z or digits"),
    ("code_prefix", "S", "2 to 10 letters A to Z or digits"),
    ("code_prefix", "ABCDEFGHIJK", "2 to 10 letters A to Z or digits"),
    ("code_prefix", "SÁNG", "2 to 10 letters A to Z or digits"),
    ("name", "", "Please fill in this field."),
    ("year", "1999", "A year between 2000 and 2100."),
]


@pytest.mark.parametrize(("name", "typed", "message"), SETTINGS_ERRORS, ids=[f"{c[0]}={c[1]}" for c in SETTINGS_ERRORS])
def test_every_settings_error_shows_beside_its_field_and_keeps_what_was_typed(organizer, union, name, typed, message):
    contest = make_contest("youth", organisation=union, status="draft", year=2026)
    before = (contest.name, contest.code_prefix, contest.max_authors, contest.registration_closes_at)
    data = settings_data(contest, description="Giữ nguyên điều đã gõ") | {name: typed}
    response = organizer.post(f"/contests/manage/{contest.id}/settings", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    block = field_block(page, name)
    assert any(message in error for error in block.errors), block.errors
    if name != "code_prefix" or typed == typed.upper():
        assert block.value == typed or (block.value is None and typed == "")
    assert field_block(page, "description").value == "Giữ nguyên điều đã gõ"
    others = [n for n in ("name", "year", "max_authors", "period_end", "registration_closes_at") if n != name]
    assert all(not field_block(page, other).errors for other in others)
    db.session.refresh(contest)
    assert (contest.name, contest.code_prefix, contest.max_authors, contest.registration_closes_at) == before
    assert audit("contest.update") == []


def test_a_prefix_another_edition_of_the_year_uses_is_refused(organizer, union):
    first = make_contest("innovation", organisation=union, year=2026)
    second = make_contest("youth", organisation=union, year=2026)
    response = organizer.post(
        f"/contests/manage/{second.id}/settings", data=settings_data(second, code_prefix=first.code_prefix)
    )
    assert response.status_code == 400
    errors = field_block(response.get_data(as_text=True), "code_prefix").errors
    assert any("entry codes would clash" in e and first.name in e for e in errors)
    next_year = settings_data(second, code_prefix=first.code_prefix, year="2027")
    assert organizer.post(f"/contests/manage/{second.id}/settings", data=next_year).status_code == 302


def test_settings_of_an_innovation_edition_leave_the_youth_birth_window_alone(organizer, union):
    contest = make_contest("innovation", organisation=union, year=2026)
    page = organizer.get(f"/contests/manage/{contest.id}/settings").get_data(as_text=True)
    assert 'id="lookback_date"' in page and 'id="birth_from"' not in page
    response = organizer.post(f"/contests/manage/{contest.id}/settings", data=settings_data(contest))
    assert response.status_code == 302
    db.session.refresh(contest)
    assert contest.birth_from is None and contest.lookback_date == date(2023, 1, 1)


# --- The lists --------------------------------------------------------------------------------------------


def test_adding_a_row_keeps_what_was_typed_and_saving_stores_the_new_field(organizer, union):
    contest = make_contest("innovation", organisation=union)
    rows = field_rows(contest)
    rows[0]["name"] = "Công nghệ thông tin và chuyển đổi số"  # typed, not saved yet
    page = organizer.post(f"/contests/manage/{contest.id}/fields", data=list_data(rows, "add")).get_data(as_text=True)
    assert field_block(page, "rows-0-name").value == "Công nghệ thông tin và chuyển đổi số"
    assert field_block(page, "rows-7-name").value == ""
    db.session.refresh(contest)
    assert contest.fields[0].name == "Công nghệ thông tin, điện tử, viễn thông"  # nothing stored yet

    rows.append({"id": "", "code": "8", "name": "Du lịch, dịch vụ", "description": "Mới năm nay"})
    response = organizer.post(f"/contests/manage/{contest.id}/fields", data=list_data(rows))
    assert response.status_code == 302
    db.session.refresh(contest)
    assert [f.name for f in contest.fields][-1] == "Du lịch, dịch vụ" and len(contest.fields) == 8
    assert contest.fields[0].name == "Công nghệ thông tin và chuyển đổi số"
    assert [f.position for f in contest.fields] == list(range(8))
    changed = audit("contest.fields.update")
    assert len(changed) == 1 and len(changed[0].before["fields"]) == 7 and len(changed[0].after["fields"]) == 8


def test_an_empty_added_row_is_ignored_and_a_half_filled_one_is_refused_beside_its_field(organizer, union):
    contest = make_contest("innovation", organisation=union)
    rows = [*field_rows(contest), {"id": "", "code": "", "name": "", "description": ""}]
    assert organizer.post(f"/contests/manage/{contest.id}/fields", data=list_data(rows)).status_code == 302
    db.session.refresh(contest)
    assert len(contest.fields) == 7 and audit("contest.fields.update") == []  # nothing changed

    rows[-1] = {"id": "", "code": "8", "name": "", "description": "Chưa đặt tên"}
    response = organizer.post(f"/contests/manage/{contest.id}/fields", data=list_data(rows))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Please fill in this field." in field_block(page, "rows-7-name").errors
    assert field_block(page, "rows-7-description").value == "Chưa đặt tên"


def test_rows_move_up_and_down_and_the_order_is_saved(organizer, union):
    contest = make_contest("innovation", organisation=union)
    names = [f.name for f in contest.fields]
    rows = field_rows(contest)
    page = organizer.post(f"/contests/manage/{contest.id}/fields", data=list_data(rows, "up-2")).get_data(as_text=True)
    assert field_block(page, "rows-1-name").value == names[2] and field_block(page, "rows-2-name").value == names[1]
    page = organizer.post(f"/contests/manage/{contest.id}/fields", data=list_data(rows, "down-0")).get_data(
        as_text=True
    )
    assert field_block(page, "rows-0-name").value == names[1] and field_block(page, "rows-1-name").value == names[0]

    moved = [rows[6], *rows[:6]]
    assert organizer.post(f"/contests/manage/{contest.id}/fields", data=list_data(moved)).status_code == 302
    db.session.refresh(contest)
    assert [f.name for f in contest.fields] == [names[6], *names[:6]]
    assert [f.id for f in contest.fields] == [int(r["id"]) for r in moved]  # the same rows, moved


def test_an_unused_field_is_removed(organizer, union):
    contest = make_contest("innovation", organisation=union)
    rows = field_rows(contest)
    page = organizer.post(f"/contests/manage/{contest.id}/fields", data=list_data(rows, "remove-3")).get_data(
        as_text=True
    )
    assert 'id="rows-6-name"' not in page and field_block(page, "rows-3-name").value == rows[4]["name"]
    removed_id = int(rows[3]["id"])
    del rows[3]
    assert organizer.post(f"/contests/manage/{contest.id}/fields", data=list_data(rows)).status_code == 302
    db.session.refresh(contest)
    assert removed_id not in [f.id for f in contest.fields] and len(contest.fields) == 6
    change = audit("contest.fields.update")[0]
    assert removed_id in [f["id"] for f in change.before["fields"]]
    assert removed_id not in [f["id"] for f in change.after["fields"]]


def test_a_field_entries_use_cannot_be_removed_and_the_page_says_which_and_how_many(organizer, union):
    contest = make_contest("innovation", organisation=union)
    for title in ("Máy bóc vỏ hạt điều", "Máy sấy tiêu"):
        make_entry(contest, title=title, field_id=contest.fields[0].id)
    rows = field_rows(contest)
    response = organizer.post(f"/contests/manage/{contest.id}/fields", data=list_data(rows, "remove-0"))
    page = response.get_data(as_text=True)
    assert "is the field of 2 entries: it cannot be removed" in page and rows[0]["name"] in page
    assert field_block(page, "rows-0-name").value == rows[0]["name"]  # the row stays

    response = organizer.post(f"/contests/manage/{contest.id}/fields", data=list_data(rows[1:]))  # a forged save
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert f"“{rows[0]['name']}” is the field of 2 entries: it cannot be removed." in page
    db.session.refresh(contest)
    assert len(contest.fields) == 7 and audit("contest.fields.update") == []
    assert all(e.field_id == contest.fields[0].id for e in db.session.scalars(select(Entry)))


def test_a_document_type_with_files_cannot_be_removed(organizer, union):
    contest = make_contest("innovation", organisation=union)
    make_entry(contest, submit=True)  # a file for every required document
    used = next(d for d in contest.document_types if d.required)
    rows = [
        {"id": str(d.id), "name": d.name, "description": d.description, "max_mb": str(d.max_mb)}
        | ({"required": "y"} if d.required else {})
        for d in contest.document_types
        if d.id != used.id
    ]
    data = list_data(rows)
    for i, d in enumerate(d for d in contest.document_types if d.id != used.id):
        data[f"rows-{i}-accepted"] = d.accepted_groups
    response = organizer.post(f"/contests/manage/{contest.id}/documents", data=data)
    assert response.status_code == 409
    assert f"1 entry has a file for “{used.name}”: it cannot be removed." in response.get_data(as_text=True)


def test_document_rows_check_the_kinds_and_the_size_limit_beside_each_field(organizer, union):
    contest = make_contest("youth", organisation=union)
    rows = [
        {"id": "", "name": "Sơ đồ mạch điện", "description": "", "max_mb": "0"},
        {"id": "", "name": "Mã nguồn", "description": "", "max_mb": "501", "required": "y", "accepted": "zip"},
    ]
    response = organizer.post(f"/contests/manage/{contest.id}/documents", data=list_data(rows))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Between 1 and 500 MB." in field_block(page, "rows-0-max_mb").errors
    assert "Tick at least one kind of file." in field_block(page, "rows-0-accepted-0").errors
    assert "Between 1 and 500 MB." in field_block(page, "rows-1-max_mb").errors
    assert field_block(page, "rows-1-max_mb").value == "501"
    assert '<input checked class="form-check-input" id="rows-1-accepted-7"' in page  # "zip" stays ticked
    assert '<input checked class="form-check-input" id="rows-1-required"' in page

    rows[0] |= {"max_mb": "25", "accepted": ["pdf", "image"]}
    rows[1] |= {"max_mb": "500"}
    data = list_data(rows)
    data["rows-0-accepted"] = ["image", "pdf"]
    assert organizer.post(f"/contests/manage/{contest.id}/documents", data=data).status_code == 302
    db.session.refresh(contest)
    assert [(d.name, d.accepted, d.max_mb, d.required) for d in contest.document_types] == [
        ("Sơ đồ mạch điện", "pdf,image", 25, False),
        ("Mã nguồn", "zip", 500, True),
    ]
    assert len(audit("contest.document_types.update")) == 1


def test_criteria_show_their_total_and_check_points_weight_and_step(organizer, union):
    contest = make_contest("innovation", organisation=union)
    page = organizer.get(f"/contests/manage/{contest.id}/criteria").get_data(as_text=True)
    assert "Total of the maximum points: 100" in page
    rows = [
        {
            "id": str(c.id),
            "name": c.name,
            "description": c.description,
            "max_points": "30",
            "weight": "1",
            "step": "0.5",
        }
        for c in contest.criteria
    ]
    rows[2] |= {"max_points": "40,25"}
    rows.append({"id": "", "name": "Trình bày", "description": "", "max_points": "0", "weight": "1,5", "step": "1"})
    response = organizer.post(f"/contests/manage/{contest.id}/criteria", data=list_data(rows))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The maximum must be a multiple of the step (0.5)." in field_block(page, "rows-2-max_points").errors
    assert field_block(page, "rows-2-max_points").value == "40,25"
    assert any("A number above 0" in e for e in field_block(page, "rows-3-max_points").errors)

    rows[2] |= {"max_points": "30"}
    rows[3] |= {"max_points": "10"}
    response = organizer.post(f"/contests/manage/{contest.id}/criteria", data=list_data(rows, "add"))
    assert "Total of the maximum points: 100" in response.get_data(as_text=True)
    assert organizer.post(f"/contests/manage/{contest.id}/criteria", data=list_data(rows)).status_code == 302
    db.session.refresh(contest)
    assert [(c.max_points, c.weight, c.step) for c in contest.criteria][-1] == (
        Decimal(10),
        Decimal("1.5"),
        Decimal(1),
    )
    assert "Total of the maximum points: 100" in organizer.get(f"/contests/manage/{contest.id}/criteria").get_data(
        as_text=True
    )
    assert len(audit("contest.criteria.update")) == 1


def test_age_groups_belong_to_youth_editions(organizer, union):
    innovation = make_contest("innovation", organisation=union)
    youth = make_contest("youth", organisation=union)
    assert organizer.get(f"/contests/manage/{innovation.id}/age-groups").status_code == 404
    rows = [{"id": str(a.id), "name": a.name} for a in youth.age_groups]
    rows[0]["name"] = "Tiểu học"
    rows.append({"id": "", "name": "Sinh viên"})
    assert organizer.post(f"/contests/manage/{youth.id}/age-groups", data=list_data(rows)).status_code == 302
    db.session.refresh(youth)
    assert [a.name for a in youth.age_groups] == ["Tiểu học", "Thiếu niên (THCS)", "Thanh niên (THPT)", "Sinh viên"]
    make_entry(youth, age_group_id=youth.age_groups[2].id)
    response = organizer.post(f"/contests/manage/{youth.id}/age-groups", data=list_data(rows[:2], "save"))
    assert response.status_code == 409
    assert "“Thanh niên (THPT)” is the age group of 1 entry: it cannot be removed." in response.get_data(as_text=True)


# --- Status -------------------------------------------------------------------------------------------------


def test_an_edition_opens_only_when_ready_and_every_change_is_audited(organizer, union):
    contest = make_contest("innovation", organisation=union, status="draft")
    contest.registration_opens_at = contest.registration_closes_at = None
    db.session.commit()
    url = f"/contests/manage/{contest.id}/status"
    refused = organizer.post(url, data={"status": "open"}, follow_redirects=True)
    assert "Set when registration opens and closes first." in refused.get_data(as_text=True)
    db.session.refresh(contest)
    assert contest.status == "draft" and audit("contest.status") == []

    contest.registration_opens_at = utcnow() - timedelta(days=1)
    contest.registration_closes_at = utcnow() + timedelta(days=30)
    db.session.commit()
    for target in ("open", "closed", "open", "closed", "judging", "results", "archived", "results"):
        assert organizer.post(url, data={"status": target}).status_code == 302
        db.session.refresh(contest)
        assert contest.status == target
    changes = audit("contest.status")
    assert [(c.before["status"], c.after["status"]) for c in changes] == [
        ("draft", "open"),
        ("open", "closed"),
        ("closed", "open"),
        ("open", "closed"),
        ("closed", "judging"),
        ("judging", "results"),
        ("results", "archived"),
        ("archived", "results"),
    ]


def test_status_steps_cannot_be_skipped_and_an_edition_with_entries_stays_out_of_preparation(organizer, union):
    contest = make_contest("innovation", organisation=union, status="open")
    url = f"/contests/manage/{contest.id}/status"
    page = organizer.post(url, data={"status": "results"}, follow_redirects=True).get_data(as_text=True)
    assert "This status change is not possible" in page
    make_entry(contest)
    page = organizer.post(url, data={"status": "draft"}, follow_redirects=True).get_data(as_text=True)
    assert "Entries are already registered" in page
    db.session.refresh(contest)
    assert contest.status == "open" and audit("contest.status") == []


def test_reopening_needs_a_closing_time_still_ahead(organizer, union):
    contest = make_contest("youth", organisation=union, status="closed", opens_in_days=-30, closes_in_days=-1)
    url = f"/contests/manage/{contest.id}/status"
    page = organizer.get(f"/contests/manage/{contest.id}/settings").get_data(as_text=True)
    assert "The registration closing time has passed" in page  # said beside the disabled button
    organizer.post(url, data={"status": "open"})
    db.session.refresh(contest)
    assert contest.status == "closed"
    later = (utcnow() + timedelta(days=10) + timedelta(hours=7)).strftime("%d/%m/%Y 17:00")
    opens = (utcnow() - timedelta(days=30) + timedelta(hours=7)).strftime("%d/%m/%Y 08:00")
    data = settings_data(contest, year=str(contest.year), registration_opens_at=opens, registration_closes_at=later)
    data |= {"birth_from": contest.birth_from.strftime("%d/%m/%Y"), "birth_to": contest.birth_to.strftime("%d/%m/%Y")}
    assert organizer.post(f"/contests/manage/{contest.id}/settings", data=data).status_code == 302
    organizer.post(url, data={"status": "open"})
    db.session.refresh(contest)
    assert contest.status == "open"


def test_an_archived_edition_cannot_be_changed(organizer, union):
    contest = make_contest("innovation", organisation=union, status="archived")
    response = organizer.post(f"/contests/manage/{contest.id}/settings", data=settings_data(contest, name="Đổi tên"))
    assert response.status_code == 302
    response = organizer.post(f"/contests/manage/{contest.id}/fields", data=list_data(field_rows(contest)[1:]))
    assert response.status_code == 302
    db.session.refresh(contest)
    assert contest.name != "Đổi tên" and len(contest.fields) == 7
    assert audit("contest.update") == [] and audit("contest.fields.update") == []


# --- Scoping ------------------------------------------------------------------------------------------------


@pytest.fixture
def bodies():
    province = make_organisation("Liên hiệp các hội KH&KT tỉnh Bình Phước")
    bu_dang = make_organisation("Liên hiệp hội huyện Bù Đăng", parent=province)
    loc_ninh = make_organisation("Liên hiệp hội huyện Lộc Ninh", parent=province)
    school = make_organisation("Trường THCS Đức Liễu", parent=bu_dang)
    db.session.commit()
    return {
        "province": make_contest("innovation", organisation=province),
        "bu_dang": make_contest("youth", organisation=bu_dang),
        "loc_ninh": make_contest("youth", organisation=loc_ninh),
        "school": make_contest("youth", organisation=school),
        "orgs": (province, bu_dang, loc_ninh, school),
    }


def test_a_district_organizer_manages_only_their_district_and_the_bodies_below(client, login_as, make_user, bodies):
    province, bu_dang, loc_ninh, school = bodies["orgs"]
    as_organizer(client, login_as, make_user("organizer", scope=("organisation", bu_dang.id)))
    page = client.get("/contests/manage/").get_data(as_text=True)
    assert f'data-contest="{bodies["bu_dang"].id}"' in page and f'data-contest="{bodies["school"].id}"' in page
    assert f'data-contest="{bodies["loc_ninh"].id}"' not in page
    assert f'data-contest="{bodies["province"].id}"' not in page
    for name in ("bu_dang", "school"):
        assert client.get(f"/contests/manage/{bodies[name].id}/settings").status_code == 200
    for name in ("loc_ninh", "province"):
        contest = bodies[name]
        for url in ("settings", "fields", "documents", "criteria"):
            assert client.get(f"/contests/manage/{contest.id}/{url}").status_code == 404
        assert client.post(f"/contests/manage/{contest.id}/status", data={"status": "closed"}).status_code == 404
        assert client.post(f"/contests/manage/{contest.id}/settings", data=settings_data(contest)).status_code == 404
    db.session.refresh(bodies["loc_ninh"])
    assert bodies["loc_ninh"].status == "open"

    new_page = client.get("/contests/manage/new").get_data(as_text=True)
    assert f'value="{bu_dang.id}"' in new_page and f'value="{school.id}"' in new_page
    assert f'value="{loc_ninh.id}"' not in new_page and f'value="{province.id}"' not in new_page
    response = client.post(
        "/contests/manage/new", data={"kind": "youth", "organisation_id": str(loc_ninh.id), "year": "2026"}
    )
    assert response.status_code == 400
    assert (
        "Choose one of the bodies you organise contests for."
        in field_block(response.get_data(as_text=True), "organisation_id").errors
    )
    assert db.session.scalar(select(Contest).where(Contest.organisation_id == loc_ninh.id, Contest.year == 2026)) in (
        bodies["loc_ninh"],
        None,
    )
    assert len(list(db.session.scalars(select(Contest)))) == 4


def test_a_provincial_organizer_manages_every_district_below(client, login_as, make_user, bodies):
    province = bodies["orgs"][0]
    as_organizer(client, login_as, make_user("organizer", scope=("organisation", province.id)))
    page = client.get("/contests/manage/").get_data(as_text=True)
    for name in ("province", "bu_dang", "loc_ninh", "school"):
        assert f'data-contest="{bodies[name].id}"' in page
        assert client.get(f"/contests/manage/{bodies[name].id}/criteria").status_code == 200


def test_accounts_that_organize_nothing_are_refused(client, login_as, make_user, bodies):
    contest = bodies["bu_dang"]
    for role in ("judge", "contestant", "admin"):
        login_as(make_user(role))
        assert client.get("/contests/manage/").status_code == 403
        assert client.get(f"/contests/manage/{contest.id}/settings").status_code == 403
        assert client.post(f"/contests/manage/{contest.id}/status", data={"status": "closed"}).status_code == 403
    login_as(make_user("organizer"))
    assert client.get("/contests/manage/999999/settings").status_code == 404


# --- The manage index -------------------------------------------------------------------------------------


def test_the_index_shows_each_edition_with_its_window_and_entries_by_status(organizer, union):
    contest = make_contest("innovation", organisation=union, year=2026)
    contest.registration_closes_at = datetime(2026, 12, 31, 16, 59)
    db.session.commit()
    make_entry(contest, submit=True)
    make_entry(contest, submit=True, title="Hệ thống tưới tiết kiệm")
    make_entry(contest, title="Bản nháp")
    empty = make_contest("youth", organisation=union, status="draft")
    page = organizer.get("/contests/manage/").get_data(as_text=True)
    assert "31/12/2026 23:59" in page
    counts = page.split(f'data-testid="counts-{contest.id}"')[1].split("</td>")[0]
    assert "<strong>3</strong>" in counts and "Submitted: 2" in counts and "Draft: 1" in counts
    assert '<span class="text-muted">0</span>' in page.split(f'data-testid="counts-{empty.id}"')[1].split("</td>")[0]
    assert f"/contests/manage/{contest.id}/settings" in page and "/contests/manage/new" in page


def test_the_index_costs_the_same_number_of_queries_for_2_and_12_editions(client, login_as, make_user, count_queries):
    province = make_organisation("Liên hiệp các hội KH&KT tỉnh Bình Phước")
    district = make_organisation("Liên hiệp hội huyện Bù Đăng", parent=province)
    db.session.commit()
    as_organizer(client, login_as, make_user("organizer", scope=("organisation", province.id)))

    def cost() -> int:
        with count_queries() as counted:
            assert client.get("/contests/manage/").status_code == 200
        return counted.n

    for i in range(2):
        make_entry(make_contest("youth" if i else "innovation", organisation=district if i else province), submit=True)
    few = cost()
    for i in range(10):
        contest = make_contest("youth" if i % 2 else "innovation", organisation=district if i % 3 else province)
        make_entry(contest)
    many = cost()
    page = client.get("/contests/manage/").get_data(as_text=True)
    assert page.count("data-contest=") == 12
    assert many == few


# --- Hostile input ----------------------------------------------------------------------------------------

SETUP_FORMS = {
    "settings": ("name", "year", "code_prefix", "registration_opens_at", "registration_closes_at", "max_teachers"),
    "fields": ("action", "rows-0-id", "rows-0-code", "rows-0-name", "rows-1-id"),
    "criteria": ("action", "rows-0-id", "rows-0-name", "rows-0-max_points", "rows-0-weight", "rows-0-step"),
    "documents": ("action", "rows-0-id", "rows-0-name", "rows-0-accepted", "rows-0-max_mb"),
    "status": ("status",),
}
TRICKY = ["31/12/0001 00:00", "01/01/9999 23:59", "1e30", "NaN", "-0", "remove-0", "up-1", "down-0", "add", "99:99"]


@pytest.mark.parametrize("page", sorted(SETUP_FORMS))
def test_set_up_forms_never_fail_on_bad_input(page, organizer, union):
    contest = make_contest("youth", organisation=union)
    values = st.one_of(HOSTILE, st.sampled_from(TRICKY), st.just("9" * 400))

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.fixed_dictionaries(dict.fromkeys(SETUP_FORMS[page], values)))
    def check(data):
        response = organizer.post(f"/contests/manage/{contest.id}/{page}", data=data)
        assert response.status_code < 500, data

    check()


def test_row_numbers_and_ids_that_are_not_plain_digits_are_ignored(organizer, union):
    contest = make_contest("innovation", organisation=union)
    forged = {"rows-²-name": "x", "rows-0-id": "١", "rows-99999999-name": "y"}
    data = list_data(field_rows(contest), "remove-²") | forged
    assert organizer.post(f"/contests/manage/{contest.id}/fields", data=data).status_code == 200
    data["action"] = "save"
    assert organizer.post(f"/contests/manage/{contest.id}/fields", data=data).status_code in (302, 400, 409)
