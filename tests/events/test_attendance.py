"""Live counts, the attendance page and its exports (events/services/attendance.py and the organizers' views)."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from openpyxl import load_workbook

from app.timefmt import to_local
from events.services import attendance
from events.services import checkin as service
from tests.events.checkin_factories import make_door, scan, token_of
from tests.events.factories import make_event, make_invitee, make_organizer


def test_counts_by_role_leave_out_waitlisted_and_count_live_check_ins_only():
    door = make_door()
    make_invitee(door.event, "Trần Văn Cường", role="winner")
    make_invitee(door.event, "Lê Thị Dung", role="guest", with_pass=False, status="waitlisted", waitlist_position=1)
    scan(door.event, token_of(door.an), door.staff)
    undone = scan(door.event, token_of(door.binh), door.staff)
    service.undo_check_in(undone.check_in, by=door.staff, reason="Nhầm")
    counts = attendance.counts(door.event)
    assert (counts.invited, counts.checked_in) == (3, 1)
    assert [(r.role, r.invited, r.checked_in) for r in counts.by_role] == [("winner", 2, 1), ("judge", 1, 0)]


def test_the_counts_json_refreshes_the_pages(client, login_as):
    door = make_door()
    scan(door.event, token_of(door.an), door.staff)
    data = login_as(door.staff).get(f"/events/{door.event.id}/attendance/counts.json").get_json()
    assert data["invited"] == 2 and data["checked_in"] == 1
    assert {r["role"]: r["checked_in"] for r in data["by_role"]} == {"winner": 1, "judge": 0}


def test_the_attendance_page_is_for_organizers_and_costs_the_same_queries_whatever_the_size(
    client, login_as, count_queries
):
    door = make_door()
    organizer = make_organizer(door.event)
    assert login_as(door.staff).get(f"/events/{door.event.id}/attendance").status_code == 403
    assert (
        login_as(make_organizer(make_event(title="Khác"))).get(f"/events/{door.event.id}/attendance").status_code == 403
    )
    login_as(organizer)
    url = f"/events/{door.event.id}/attendance"

    def queries() -> int:
        with count_queries() as counted:
            assert client.get(url).status_code == 200
        return counted.n

    scan(door.event, token_of(door.an), door.staff)
    small = queries()
    for i in range(15):
        guest = make_invitee(door.event, f"Khách Mời {i}", role="guest" if i % 2 else "author")
        if i % 3 == 0:
            scan(door.event, token_of(guest), door.staff, offline=True)
    assert queries() == small
    page = client.get(url).get_data(as_text=True)
    assert "Nguyễn Văn Ân" in page and "Khách Mời 14" in page


def test_the_console_costs_the_same_queries_whatever_the_size(client, login_as, count_queries):
    door = make_door()
    login_as(door.staff)
    url = f"/events/{door.event.id}/checkin"

    def queries() -> int:
        with count_queries() as counted:
            assert client.get(url).status_code == 200
        return counted.n

    scan(door.event, token_of(door.an), door.staff)
    small = queries()
    for i in range(12):
        scan(door.event, token_of(make_invitee(door.event, f"Khách Mời {i}")), door.staff)
    assert queries() == small


def test_the_export_reads_back_in_xlsx_and_csv(client, login_as):
    door = make_door()
    scan(door.event, token_of(door.an), door.staff)
    make_invitee(door.event, '=HYPERLINK("x")', unit="+Đơn vị lạ")
    login_as(make_organizer(door.event))
    client.post("/lang", data={"lang": "en"})
    xlsx = client.get(f"/events/{door.event.id}/attendance.xlsx")
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx.mimetype
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header, body = rows[0], rows[1:]
    assert header[:5] == ["Full name", "Unit", "Role at the event", "Present", "Checked in at"]
    an = next(r for r in body if r[0] == "Nguyễn Văn Ân")
    assert an[1] == "Trường THPT Đồng Xoài" and an[5] == "Lễ tân Đỗ Thị Hoa" and an[6] == "cua-chinh"
    assert isinstance(an[4], datetime)
    check_in = attendance.attendance(door.event, only_checked_in=True)[0].check_in
    assert an[4].replace(second=0, microsecond=0) == to_local(check_in.when).replace(
        tzinfo=None, second=0, microsecond=0
    )
    formula = next(r for r in body if "HYPERLINK" in (r[0] or ""))
    assert formula[0].startswith("'=") and formula[1].startswith("'+")
    binh = next(r for r in body if r[0] == "Đặng Thị Bình")
    assert binh[4] is None and binh[5] in (None, "")

    text = client.get(f"/events/{door.event.id}/attendance.csv").data.decode("utf-8-sig")
    lines = {row[0]: row for row in csv.reader(io.StringIO(text))}
    assert lines["Full name"][:4] == ["Full name", "Unit", "Role at the event", "Present"]
    assert lines["Nguyễn Văn Ân"][1:4] == ["Trường THPT Đồng Xoài", "Award winner", "Yes"]
    assert lines["Nguyễn Văn Ân"][5] == "Lễ tân Đỗ Thị Hoa" and lines["Đặng Thị Bình"][3] == "No"
    assert '\'=HYPERLINK("x")' in lines


def test_the_name_search_stays_within_the_event():
    door = make_door()
    other = make_event(title="Gặp mặt trí thức")
    make_invitee(other, "Nguyễn Văn An")
    assert [a.invitee.full_name for a in attendance.search(door.event, "nguyen van an")] == ["Nguyễn Văn Ân"]
    assert [a.invitee.full_name for a in attendance.search(other, "nguyen van an")] == ["Nguyễn Văn An"]
