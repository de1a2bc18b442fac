"""Organizers' work on entries (competitions/views/manage_entries.py): the entries table with its filters,
search, sorting, pages and counts; the XLSX and CSV exports; screening with its mails, audit entries and
history; the contestant's round trip through a return; scoping to the organizer's organisation."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

import openpyxl
import pytest
from flask_babel import gettext

from app.audit.models import AuditEntry
from app.extensions import db
from app.orgs.models import AdministrativeUnit
from app.remembered import forget_all
from app.timefmt import utcnow
from competitions import services
from competitions.entry_forms import PER_PAGE, EntryFilters
from competitions.labels import ENTRY_STATUS_LABELS
from competitions.models import ENTRY_STATUSES, Entry, Field
from competitions.views import manage_entries as manage_entries_views
from tests.competitions.factories import author, make_contest, make_entry, make_organisation
from tests.conftest import outbox

# --- helpers -----------------------------------------------------------------------------------------------


@pytest.fixture
def contest():
    return make_contest("innovation")


@pytest.fixture
def owner(make_user):
    return make_user("contestant", email="thisinh@example.vn", full_name="Trần Thị Chủ")


@pytest.fixture
def organizer(make_user):
    return make_user("organizer", email="btc@example.vn", full_name="Lê Văn Tổ")


@pytest.fixture
def places():
    """Bình Phước (province) > Bù Đăng (district, abolished 1/7/2025) > Đức Liễu (commune); Đồng Xoài (city)."""
    binh_phuoc = AdministrativeUnit(code="70", name="Bình Phước", kind="tỉnh", level=1, valid_to=date(2025, 6, 30))
    bu_dang = AdministrativeUnit(
        code="697", name="Bù Đăng", kind="huyện", level=2, parent=binh_phuoc, valid_to=date(2025, 6, 30)
    )
    duc_lieu = AdministrativeUnit(code="25220", name="Đức Liễu", kind="xã", level=3, parent=bu_dang)
    dong_xoai = AdministrativeUnit(
        code="689", name="Đồng Xoài", kind="thành phố", level=2, parent=binh_phuoc, valid_to=date(2025, 6, 30)
    )
    db.session.add_all([binh_phuoc, bu_dang, duc_lieu, dong_xoai])
    db.session.commit()
    return {"binh_phuoc": binh_phuoc, "bu_dang": bu_dang, "duc_lieu": duc_lieu, "dong_xoai": dong_xoai}


def entries_url(contest, suffix: str = "", **args) -> str:
    url = f"/contests/manage/{contest.id}/entries{suffix}"
    return f"{url}?{urlencode(args)}" if args else url


def ids(response) -> list[int]:
    assert response.status_code == 200, response.status_code
    return [int(i) for i in re.findall(r'data-entry-id="(\d+)"', response.get_data(as_text=True))]


def counts(response) -> dict[str, int]:
    page = response.get_data(as_text=True)
    return {k: int(v) for k, v in re.findall(r'data-count="(\w+)">(\d+)<', page)}


def set_status(entry: Entry, status: str) -> None:
    entry.status = status
    db.session.commit()


def screen(client, entry, decision: str, note: str = ""):
    return client.post(f"/contests/manage/entries/{entry.id}/screen", data={"decision": decision, "note": note})


def in_request(app, function):
    """Translations as a request of the default language (Vietnamese) sees them."""
    with app.test_request_context():
        return function()


# --- the table: filters, search, counts --------------------------------------------------------------------


def test_default_table_shows_submitted_entries_and_hides_drafts_and_withdrawn(
    client, login_as, contest, owner, organizer
):
    submitted = make_entry(contest, owner, submit=True, title="Máy gieo hạt")
    eligible = make_entry(contest, owner, submit=True, title="Máy sấy điều")
    returned = make_entry(contest, owner, submit=True, title="Bếp tiết kiệm củi")
    ineligible = make_entry(contest, owner, submit=True, title="Đèn năng lượng mặt trời")
    withdrawn = make_entry(contest, owner, submit=True, title="Bẫy chuột")
    draft = make_entry(contest, owner, title="Bản nháp")
    set_status(eligible, "eligible")
    set_status(returned, "returned")
    set_status(ineligible, "ineligible")
    set_status(withdrawn, "withdrawn")
    login_as(organizer)

    shown = ids(client.get(entries_url(contest)))
    assert sorted(shown) == sorted([submitted.id, eligible.id, returned.id, ineligible.id])
    assert ids(client.get(entries_url(contest, status="draft"))) == [draft.id]
    assert ids(client.get(entries_url(contest, status="withdrawn"))) == [withdrawn.id]
    assert ids(client.get(entries_url(contest, status="returned"))) == [returned.id]
    assert len(ids(client.get(entries_url(contest, status="all")))) == 6
    # An unknown status is ignored (the default), never an error.
    assert sorted(ids(client.get(entries_url(contest, status="nonsense")))) == sorted(shown)


def test_counts_by_status_follow_the_other_filters(client, login_as, contest, owner, organizer):
    first, second = contest.fields[0], contest.fields[1]
    a = make_entry(contest, owner, submit=True, title="Một")
    b = make_entry(contest, owner, submit=True, title="Hai")
    make_entry(contest, owner, submit=True, title="Ba", field_id=second.id)
    make_entry(contest, owner, title="Nháp")
    set_status(a, "eligible")
    set_status(b, "returned")
    login_as(organizer)

    response = client.get(entries_url(contest))
    assert counts(response) == {
        "active": 3,
        "draft": 1,
        "submitted": 1,
        "returned": 1,
        "eligible": 1,
        "ineligible": 0,
        "withdrawn": 0,
        "all": 4,
    }
    # The counts ignore the status filter (they are its menu) but follow the field.
    by_field = counts(client.get(entries_url(contest, field=first.id, status="eligible")))
    assert by_field["active"] == 2 and by_field["eligible"] == 1 and by_field["submitted"] == 0
    assert by_field["draft"] == 1 and by_field["all"] == 3


def test_filter_by_field(client, login_as, contest, owner, organizer):
    first = make_entry(contest, owner, submit=True, title="Một")
    second = make_entry(contest, owner, submit=True, title="Hai", field_id=contest.fields[1].id)
    login_as(organizer)
    assert ids(client.get(entries_url(contest, field=contest.fields[0].id))) == [first.id]
    assert ids(client.get(entries_url(contest, field=contest.fields[1].id))) == [second.id]
    assert ids(client.get(entries_url(contest, field=contest.fields[2].id))) == []
    assert len(ids(client.get(entries_url(contest, field="abc")))) == 2  # ignored


def test_the_field_list_follows_the_editions_fields_in_their_order(client, login_as, contest, owner, organizer):
    """The field filter offers the edition's fields as "code. name" in their order (not another edition's), the
    chosen one selected; a renamed, moved or new field shows on the next page."""
    other = make_contest("innovation")
    other.fields[0].name = "Lĩnh vực của kỳ khác"
    make_entry(contest, owner, submit=True, title="Một")
    db.session.commit()
    login_as(organizer)

    def offered(**args) -> list[tuple[str, str, str]]:
        page = client.get(entries_url(contest, **args)).get_data(as_text=True)
        select = re.search(r'<select class="form-select" id="field" name="field">(.*?)</select>', page, re.S)
        return re.findall(r'<option value="(\d+)"( selected)?>([^<]*)</option>', select.group(1))

    fields = contest.fields
    assert offered() == [(str(f.id), "", f"{f.code}. {f.name}") for f in fields]
    assert "Lĩnh vực của kỳ khác" not in client.get(entries_url(contest)).get_data(as_text=True)
    chosen = offered(field=fields[1].id)
    assert [value for value, selected, _label in chosen if selected] == [str(fields[1].id)]

    last = max(f.position for f in fields)
    moved = fields[0]
    moved.name, moved.position = "Cơ khí & tự động hóa", last + 2
    added = Field(contest_id=contest.id, code="Z", name="Lĩnh vực mới", position=last + 1)
    db.session.add(added)
    db.session.commit()
    after = offered()
    assert after[-2:] == [
        (str(added.id), "", "Z. Lĩnh vực mới"),
        (str(moved.id), "", f"{moved.code}. Cơ khí &amp; tự động hóa"),
    ]
    assert len(after) == len(fields) + 1


def test_every_row_links_the_entry_with_its_field_and_status(client, login_as, contest, owner, organizer):
    """A row: the code linking the entry's page (or "Draft"), the title, the field's name (none when the entry has
    no field), the status badge of each status."""
    entries = {status: make_entry(contest, owner, submit=True, title=f"Bài {status}") for status in ENTRY_STATUSES}
    for status, entry in entries.items():
        entry.status = status
    entries["draft"].code, entries["draft"].seq = None, None
    entries["withdrawn"].field_id = None
    db.session.commit()
    login_as(organizer)
    page = client.get(entries_url(contest, status="all")).get_data(as_text=True)
    rows = dict(re.findall(r'<tr data-entry-id="(\d+)">(.*?)</tr>', page, re.S))
    assert sorted(rows) == sorted(str(e.id) for e in entries.values())
    for status, entry in entries.items():
        row = rows[str(entry.id)]
        assert f'<a href="/contests/entries/{entry.id}">' in row, row
        assert f'data-status="{status}"' in row and f"Bài {status}" in row
        assert (entry.code or "Bản nháp") in row
        assert (entry.field.name if entry.field else "") in row
        assert client.get(f"/contests/entries/{entry.id}").status_code == 200
    assert row.count('class="badge') == 1
    assert '<td class="small"></td>' in rows[str(entries["withdrawn"].id)]


def test_filter_by_unit_lists_the_editions_units(client, login_as, contest, owner, organizer):
    school = make_entry(contest, owner, submit=True, authors=[author(unit="Trường THPT Bù Đăng")])
    company = make_entry(contest, owner, submit=True, authors=[author(unit="Công ty Cao su Phú Riềng")])
    invested = make_entry(contest, owner, submit=True, entering_organisation="Ắc quy Đồng Nai")
    other = make_contest("innovation")
    make_entry(other, owner, submit=True, authors=[author(unit="Trường của cuộc thi khác")])
    login_as(organizer)

    response = client.get(entries_url(contest))
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', response.get_data(as_text=True))
    units = [label for value, label in options if value and value == label]
    # Vietnamese order: Ắ after A, before C; only this edition's units.
    assert units == ["Ắc quy Đồng Nai", "Công ty Cao su Phú Riềng", "Trường THPT Bù Đăng"]
    assert ids(client.get(entries_url(contest, unit="Trường THPT Bù Đăng"))) == [school.id]
    assert ids(client.get(entries_url(contest, unit="Công ty Cao su Phú Riềng"))) == [company.id]
    # The entering organisation stands for the unit.
    assert ids(client.get(entries_url(contest, unit="Ắc quy Đồng Nai"))) == [invested.id]
    assert ids(client.get(entries_url(contest, unit="Trường của cuộc thi khác"))) == []


def test_filter_by_locality_includes_the_units_below(client, login_as, contest, owner, organizer, places):
    in_commune = make_entry(contest, owner, submit=True, authors=[author(admin_unit_id=places["duc_lieu"].id)])
    in_district = make_entry(contest, owner, submit=True, authors=[author(admin_unit_id=places["bu_dang"].id)])
    in_city = make_entry(contest, owner, submit=True, authors=[author(admin_unit_id=places["dong_xoai"].id)])
    nowhere = make_entry(contest, owner, submit=True)
    login_as(organizer)

    page = client.get(entries_url(contest)).get_data(as_text=True)
    # Units are named with their parent, old units with the names of their time.
    assert "Huyện Bù Đăng, Bình Phước" in page and "Thành phố Đồng Xoài, Bình Phước" in page
    assert "Xã Đức Liễu, Bù Đăng" in page and "Tỉnh Bình Phước" in page

    def found(unit):
        return sorted(ids(client.get(entries_url(contest, locality=places[unit].id))))

    assert found("duc_lieu") == [in_commune.id]
    assert found("bu_dang") == sorted([in_commune.id, in_district.id])
    assert found("dong_xoai") == [in_city.id]
    assert found("binh_phuoc") == sorted([in_commune.id, in_district.id, in_city.id])
    assert nowhere.id in ids(client.get(entries_url(contest)))


def test_the_filter_lists_follow_the_data_at_once(client, login_as, contest, owner, organizer, places):
    """The unit and locality lists are read (and cached) by what the database holds now: a renamed unit, a new
    unit or locality, a removed entry show on the next page."""
    gone = make_entry(
        contest, owner, submit=True, authors=[author(unit="Trường Cũ", admin_unit_id=places["bu_dang"].id)]
    )
    login_as(organizer)

    def page(**args) -> str:
        return client.get(entries_url(contest, **args)).get_data(as_text=True)

    before = page()
    assert "Huyện Bù Đăng, Bình Phước" in before and "Tỉnh Bình Phước" in before
    assert "Trường Cũ" in before and "Đồng Xoài" not in before and "Đức Liễu" not in before

    places["bu_dang"].name, places["bu_dang"].kind = "Bù Gia Mập", "thị xã"
    db.session.delete(gone)
    make_entry(contest, owner, submit=True, authors=[author(unit="Trường Mới", admin_unit_id=places["duc_lieu"].id)])
    make_entry(contest, owner, submit=True, authors=[author(unit="Trường B", admin_unit_id=places["dong_xoai"].id)])
    db.session.commit()

    after = page(locality=places["dong_xoai"].id, unit="Trường Mới")
    assert "Bù Đăng" not in after and "Trường Cũ" not in after
    assert "Thị xã Bù Gia Mập, Bình Phước" in after and "Xã Đức Liễu, Bù Gia Mập" in after
    assert "Thành phố Đồng Xoài, Bình Phước" in after
    # The chosen options are selected, and only they.
    assert re.findall(r'<option value="([^"]*)" selected>', after) == ["Trường Mới", str(places["dong_xoai"].id)]
    # The lists without a chosen unit, as remembered before the changes (PostgreSQL), follow them too.
    again = page()
    assert "Thị xã Bù Gia Mập, Bình Phước" in again and "Trường Mới" in again and "Trường Cũ" not in again
    # A unit typed in the address bar that no entry has is still offered, selected, and finds nothing.
    typed = client.get(entries_url(contest, unit="Nơi khác"))
    assert ids(typed) == [] and '<option value="Nơi khác" selected>Nơi khác</option>' in typed.get_data(as_text=True)


def test_search_ignores_diacritics_and_case(client, login_as, contest, owner, organizer):
    an = make_entry(
        contest,
        owner,
        submit=True,
        title="Máy gieo hạt điều",
        authors=[author("Nguyễn Văn An", 60), author("Lê Thị Bình", 40, lead=False, unit="Hợp tác xã Đức Liễu")],
    )
    other = make_entry(contest, owner, submit=True, title="Bếp đun trấu", authors=[author("Trần Thị Ư")])
    login_as(organizer)

    def search(q):
        return ids(client.get(entries_url(contest, q=q)))

    assert search("nguyen van an") == [an.id]
    assert search("NGUYỄN   văn") == [an.id]
    assert search("le thi binh") == [an.id]  # any author, not only the lead
    assert search("duc lieu") == [an.id]  # a unit
    assert search("gieo HAT") == [an.id]  # the title
    assert search("bep dun") == [other.id]
    assert search(other.code.lower()) == [other.id]  # the code
    assert search("nguyen tran") == []  # every word must match
    assert search("an%") == []  # LIKE wildcards are text
    assert sorted(search("")) == sorted([an.id, other.id])


def test_filters_combine(client, login_as, contest, owner, organizer):
    second_field = contest.fields[1].id
    wanted = make_entry(contest, owner, submit=True, title="Máy sấy", field_id=second_field)
    make_entry(contest, owner, submit=True, title="Máy sấy", field_id=contest.fields[0].id)  # other field
    make_entry(contest, owner, submit=True, title="Bếp", field_id=second_field)  # other title
    returned = make_entry(contest, owner, submit=True, title="Máy sấy", field_id=second_field)
    set_status(returned, "returned")
    login_as(organizer)
    assert sorted(ids(client.get(entries_url(contest, q="may say", field=second_field)))) == sorted(
        [wanted.id, returned.id]
    )
    assert ids(client.get(entries_url(contest, q="may say", field=second_field, status="submitted"))) == [wanted.id]
    assert (
        ids(client.get(entries_url(contest, q="may say", field=second_field, status="submitted", unit="Nơi khác")))
        == []
    )


# --- sorting and pages -------------------------------------------------------------------------------------


def test_sorting(client, login_as, contest, owner, organizer):
    first = make_entry(contest, owner, submit=True, title="Bếp", authors=[author("Trần Văn C", unit="Z trường")])
    second = make_entry(contest, owner, submit=True, title="Ao cá", authors=[author("Lê Văn A", unit="A trường")])
    third = make_entry(contest, owner, submit=True, title="Cày", authors=[author("Phạm B", unit="M trường")])
    first.submitted_at = utcnow() - timedelta(days=1)
    second.submitted_at = utcnow() - timedelta(days=3)
    third.submitted_at = utcnow() - timedelta(days=2)
    db.session.commit()
    set_status(first, "eligible")
    login_as(organizer)

    def order(**args):
        return ids(client.get(entries_url(contest, **args)))

    assert order() == [first.id, second.id, third.id]  # by code
    assert order(sort="code", order="desc") == [third.id, second.id, first.id]
    assert order(sort="title") == [second.id, first.id, third.id]  # the stored text: not Vietnamese order
    assert order(sort="title", order="desc") == [third.id, first.id, second.id]
    assert order(sort="lead") == [second.id, third.id, first.id]
    assert order(sort="unit") == [second.id, third.id, first.id]
    assert order(sort="submitted") == [second.id, third.id, first.id]
    assert order(sort="submitted", order="desc") == [first.id, third.id, second.id]
    assert order(sort="status") == [second.id, third.id, first.id]  # submitted before eligible
    assert order(sort="nonsense", order="sideways") == [first.id, second.id, third.id]


def test_drafts_come_last_in_code_order(client, login_as, contest, owner, organizer):
    draft = make_entry(contest, owner, title="Nháp")
    entry = make_entry(contest, owner, submit=True)
    login_as(organizer)
    assert ids(client.get(entries_url(contest, status="all"))) == [entry.id, draft.id]
    assert ids(client.get(entries_url(contest, status="all", order="desc"))) == [entry.id, draft.id]


def test_pages_of_fifty(client, login_as, contest, owner, organizer):
    entries = [make_entry(contest, owner, submit=True, title=f"Giải pháp {i:02d}") for i in range(53)]
    login_as(organizer)
    first = client.get(entries_url(contest))
    assert ids(first) == [e.id for e in entries[:50]]
    assert "?page=2" in first.get_data(as_text=True)
    assert ids(client.get(entries_url(contest, page=2))) == [e.id for e in entries[50:]]
    assert ids(client.get(entries_url(contest, page=9))) == []
    assert ids(client.get(entries_url(contest, page="-1"))) == [e.id for e in entries[:50]]
    # Paging keeps the filters and the sort.
    page = client.get(entries_url(contest, q="giai phap", sort="title", order="desc")).get_data(as_text=True)
    assert re.search(r'href="[^"]*q=giai\+phap[^"]*sort=title[^"]*order=desc[^"]*page=2', page)
    # A query argument named like the route's own (typed by hand, or left by a crawler) does not break the links.
    stray = client.get(entries_url(contest, contest_id=999, q="giai phap"))
    assert stray.status_code == 200
    assert re.search(
        rf'href="/contests/manage/{contest.id}/entries\?q=giai\+phap[^"]*page=2"', stray.get_data(as_text=True)
    )


def test_the_total_and_the_pages_follow_every_filter(app, client, login_as, contest, owner, organizer):
    """The page's total is taken from the counts by status (no count query of its own): it must be the number of
    entries the status, the search and the other filters match, on every page."""
    entries = [make_entry(contest, owner, submit=True, title=f"Giải pháp {i:02d}") for i in range(53)]
    make_entry(contest, owner, title="Giải pháp nháp")
    make_entry(contest, owner, submit=True, title="Bếp đun trấu")
    for entry in entries[:2]:
        entry.status = "returned"
    entries[2].status = "withdrawn"
    db.session.commit()
    login_as(organizer)
    in_all = re.escape(in_request(app, lambda: gettext("%(total)d in all", total=999))).replace("999", r"(\d+)")

    def total(**args) -> int:
        return int(re.search(in_all, client.get(entries_url(contest, **args)).get_data(as_text=True)).group(1))

    assert total() == total(page=2) == 53  # submitted and returned; not the draft nor the withdrawn entry
    assert total(status="all") == 55 and total(status="returned") == 2 and total(status="draft") == 1
    assert total(q="bep dun") == 1 and total(q="giai phap", status="withdrawn", page=3) == 1
    assert "?page=2" not in client.get(entries_url(contest, status="returned")).get_data(as_text=True)
    assert len(ids(client.get(entries_url(contest, status="all", page=2)))) == 5


def _fill(contest, owner, places, n: int) -> None:
    """n submitted entries spread over units, localities, fields and statuses (so that every join is used)."""
    units = list(places.values())
    for i in range(n):
        entry = make_entry(
            contest,
            owner,
            submit=True,
            title=f"Giải pháp {i}",
            field_id=contest.fields[i % 3].id,
            authors=[author(f"Tác Giả {i}", unit=f"Đơn vị {i % 7}", admin_unit_id=units[i % len(units)].id)],
        )
        entry.status = ("submitted", "eligible", "returned")[i % 3]
    db.session.commit()


def test_table_and_exports_cost_the_same_queries_for_3_or_60_entries(
    client, login_as, contest, owner, organizer, places, count_queries
):
    login_as(organizer)
    urls = [
        entries_url(contest),
        # The national benchmark's workload: a search folded without diacritics and a field.
        entries_url(contest, q="giai phap", field=contest.fields[1].id),
        entries_url(contest, locality=places["bu_dang"].id, unit="Đơn vị 1", sort="title", page=2),
        entries_url(contest, ".xlsx"),
        entries_url(contest, ".csv"),
    ]

    def measure():
        measured = []
        for url in urls:
            db.session.expire_all()
            forget_all()  # each view as a worker's first (on PostgreSQL the filters' options are remembered)
            with count_queries() as counted:
                assert client.get(url).status_code == 200
            measured.append(counted.n)
        return measured

    _fill(contest, owner, places, 3)
    few = measure()
    _fill(contest, owner, places, 57)
    assert len(ids(client.get(entries_url(contest)))) == 50
    many = measure()
    assert few == many, (few, many)
    # The table: the user and their roles, the edition, the counts by status (which give the page's total), the
    # page, the options of the filters (localities, units and fields: one recursive query), the layout's settings
    # and passes; with a search, the counts and the page are one statement. The exports: the same but the counts
    # and the layout, with the entries' authors. On PostgreSQL the filters' options are remembered under the
    # versions of the tables they are read from (one more query), and read again only when those change: a second
    # view skips them.
    if db.engine.dialect.name == "postgresql":
        assert many == [8, 7, 8, 7, 7], many
        with count_queries() as counted:
            assert client.get(urls[0]).status_code == 200
        assert counted.n == 7
    else:
        assert many == [7, 6, 7, 6, 6], many


def test_a_search_counts_and_pages_as_the_two_statements_would(app, contest, owner, places):
    """With a search, the counts by status and the page come from one statement (`_searched`, built once for each
    shape of filters); without, from two. Both must give the same counts and the same rows, in the same order, for
    every sort, status, page and filter, and when nothing matches."""
    _fill(contest, owner, places, 57)
    make_entry(contest, owner, title="Giải pháp nháp")  # a draft, counted under "draft" and "all" only
    withdrawn = make_entry(contest, owner, submit=True, title="Giải pháp rút")
    withdrawn.status = "withdrawn"
    db.session.commit()
    field = contest.fields[1].id
    asked = [
        {"q": "giai phap"},
        {"q": "giai phap", "status": "all", "page": "2"},
        {"q": "giai phap", "status": "eligible", "sort": "title", "order": "desc"},
        {"q": "giai", "field": str(field), "sort": "lead"},
        {"q": "giai phap", "sort": "unit", "order": "desc", "page": "2"},
        {"q": "giai phap", "sort": "submitted"},
        {"q": "giai phap", "sort": "status", "order": "desc", "status": "all"},
        {"q": "giai phap", "locality": str(places["bu_dang"].id), "unit": "Đơn vị 1"},
        {"q": "giai phap", "page": "9"},  # past the last page: no row, the counts still
        {"q": "giai phap 1"},  # three words, then three other words: the statement built once, run with each
        {"q": "khong co dau"},  # nothing matches
    ]

    def shown(row) -> tuple:
        return tuple(row._mapping[name] for name in (*manage_entries_views.ROW_COLUMNS, "field_name"))

    with app.test_request_context():
        for args in asked:
            filters = EntryFilters.from_args(args)
            assert filters.searching
            counts, rows = manage_entries_views._searched(contest, filters)
            listed = manage_entries_views._table_rows(contest, filters)
            offset = (filters.page - 1) * PER_PAGE
            expected = [shown(r) for r in db.session.execute(listed.limit(PER_PAGE).offset(offset))]
            assert counts == manage_entries_views._status_counts(contest, filters), args
            assert [shown(r) for r in rows] == expected, args
    assert counts["all"] == 0 and rows == []
    with app.test_request_context():
        counts, rows = manage_entries_views._searched(contest, EntryFilters.from_args({"q": "giai phap"}))
    assert counts["draft"] == 1 and counts["withdrawn"] == 1 and counts[""] == 57 and counts["all"] == 59
    assert len(rows) == PER_PAGE


# --- exports -----------------------------------------------------------------------------------------------


def _export_data(contest, owner, places):
    eligible = make_entry(
        contest,
        owner,
        submit=True,
        title="Máy gieo hạt điều",
        authors=[
            author("Nguyễn Văn An", 60, unit="Trường THPT Bù Đăng", admin_unit_id=places["bu_dang"].id),
            author("Lê Thị Bình", 40, lead=False),
        ],
    )
    evil = make_entry(contest, owner, submit=True, title="=1+1", authors=[author("@Trần Thị Ư", unit="-2+3")])
    make_entry(contest, owner, title="Bản nháp")
    db.session.refresh(eligible)
    eligible.submitted_at = datetime(2026, 3, 1, 17, 30)  # UTC: 02/03/2026 00:30 in Vietnam
    db.session.commit()
    return eligible, evil


def _headers(app, contest):
    def build():
        names = [gettext("Code"), gettext("Title"), gettext("Field")]
        if contest.age_groups:
            names.append(gettext("Age group"))
        return [
            *names,
            gettext("Status"),
            gettext("Lead author"),
            gettext("Authors (contribution share)"),
            gettext("Unit"),
            gettext("Locality"),
            gettext("Submitted at"),
            gettext("Screening note"),
        ]

    return in_request(app, build)


def test_xlsx_export(app, client, login_as, contest, owner, organizer, places):
    eligible, evil = _export_data(contest, owner, places)
    login_as(organizer)
    client.post(f"/contests/manage/entries/{eligible.id}/screen", data={"decision": "eligible", "note": "Đủ hồ sơ"})

    response = client.get(entries_url(contest, ".xlsx"))
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    year = contest.year
    assert f"filename=bai-du-thi-STKT-{year}.xlsx" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert contest.name in rows[0][0]
    assert rows[1] == _headers(app, contest)
    assert "Trạng thái" in rows[1] and "Mã" in rows[1]  # already in the Vietnamese catalogue
    body = {row[0]: row for row in rows[2:]}
    assert set(body) == {eligible.code, evil.code}  # the draft is not asked for
    row = dict(zip(rows[1], body[eligible.code], strict=True))
    headers = rows[1]
    assert row[headers[1]] == "Máy gieo hạt điều"
    assert row[headers[2]] == contest.fields[0].name
    assert row[headers[3]] == in_request(app, lambda: str(ENTRY_STATUS_LABELS["eligible"]))
    assert row[headers[4]] == "Nguyễn Văn An"
    assert row[headers[5]] == "Nguyễn Văn An (60%); Lê Thị Bình (40%)"
    assert row[headers[6]] == "Trường THPT Bù Đăng"
    assert row[headers[7]] == "Huyện Bù Đăng, Bình Phước"
    assert row[headers[8]] == datetime(2026, 3, 2, 0, 30)  # Vietnam time
    assert sheet.cell(row=3, column=9).number_format == "dd/mm/yyyy hh:mm"
    assert row[headers[9]] == "Đủ hồ sơ"
    evil_row = body[evil.code]
    # Formula text comes back as text, neutralised with an apostrophe, never as a formula.
    assert evil_row[1] == "'=1+1" and evil_row[4] == "'@Trần Thị Ư" and evil_row[6] == "'-2+3"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_exports_follow_the_filters(client, login_as, contest, owner, organizer, places):
    eligible, evil = _export_data(contest, owner, places)
    set_status(eligible, "eligible")
    login_as(organizer)

    def codes(**args):
        sheet = openpyxl.load_workbook(io.BytesIO(client.get(entries_url(contest, ".xlsx", **args)).data)).active
        return [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]

    assert codes(status="eligible") == [eligible.code]
    assert codes(q="tran thi u") == [evil.code]
    assert codes(sort="code", order="desc") == [evil.code, eligible.code]
    assert codes(status="all") == [eligible.code, evil.code, None]  # the draft, without a code
    assert codes(locality=places["binh_phuoc"].id) == [eligible.code]


def test_youth_export_has_the_age_group(app, client, login_as, owner, organizer):
    youth = make_contest("youth")
    entry = make_entry(youth, owner, submit=True)
    login_as(organizer)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(entries_url(youth, ".xlsx")).data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[1]) == _headers(app, youth)
    assert rows[2][0] == entry.code and rows[2][3] == youth.age_groups[-1].name


def test_csv_export(app, client, login_as, contest, owner, organizer, places):
    eligible, evil = _export_data(contest, owner, places)
    login_as(organizer)
    response = client.get(entries_url(contest, ".csv"))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert f"filename=bai-du-thi-STKT-{contest.year}.csv" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the diacritics
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"), newline="")))
    assert rows[0] == _headers(app, contest)
    body = {row[0]: row for row in rows[1:]}
    assert set(body) == {eligible.code, evil.code}
    row = body[eligible.code]
    assert row[5] == "Nguyễn Văn An (60%); Lê Thị Bình (40%)"
    assert row[7] == "Huyện Bù Đăng, Bình Phước"
    assert row[8] == "02/03/2026 00:30"
    assert body[evil.code][1] == "'=1+1"
    assert b"\r\n" in response.data


# --- screening ---------------------------------------------------------------------------------------------


def test_eligible_is_recorded_mailed_and_audited(client, login_as, contest, owner, organizer):
    entry = make_entry(contest, owner, submit=True)
    login_as(organizer)
    response = screen(client, entry, "eligible")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/contests/entries/{entry.id}#screening")
    db.session.refresh(entry)
    assert entry.status == "eligible" and entry.screened_by_id == organizer.id and entry.screened_at is not None
    mail = outbox()[-1]
    assert mail.recipient == "thisinh@example.vn" and entry.code in mail.subject
    audit = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "entry.screen.eligible")).one()
    assert audit.object_type == "entries" and audit.object_id == str(entry.id) and audit.actor_id == organizer.id
    assert audit.before["status"] == "submitted" and audit.after["status"] == "eligible"


@pytest.mark.parametrize("decision", ["ineligible", "returned"])
def test_ineligible_and_returned_need_a_note(client, login_as, contest, owner, organizer, decision):
    entry = make_entry(contest, owner, submit=True)
    login_as(organizer)
    mails = len(outbox())
    response = screen(client, entry, decision, "   ")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'class="form-control is-invalid"' in page and "invalid-feedback" in page
    assert re.search(rf'value="{decision}"[^>]*checked|checked[^>]*value="{decision}"', page)  # the choice is kept
    db.session.refresh(entry)
    assert entry.status == "submitted" and len(outbox()) == mails

    note = "Thiếu xác nhận áp dụng của đơn vị." if decision == "returned" else "Giải pháp đã đoạt giải năm 2024."
    assert screen(client, entry, decision, note).status_code == 302
    db.session.refresh(entry)
    assert entry.status == decision and entry.screening_note == note
    mail = outbox()[-1]
    assert mail.recipient == owner.email and note in mail.body
    # The contestant sees the note on their entry's page, and no screening form.
    login_as(owner)
    page = client.get(f"/contests/entries/{entry.id}").get_data(as_text=True)
    assert 'data-testid="screening-note"' in page and note in page
    assert 'data-testid="screening"' not in page


def test_a_long_note_comes_back_with_what_was_typed(client, login_as, contest, owner, organizer):
    entry = make_entry(contest, owner, submit=True)
    login_as(organizer)
    note = "Thiếu bản mô tả " * 400
    response = screen(client, entry, "returned", note)
    assert response.status_code == 400
    assert "Thiếu bản mô tả Thiếu bản mô tả" in response.get_data(as_text=True)
    db.session.refresh(entry)
    assert entry.status == "submitted"


def test_refused_transitions(client, login_as, contest, owner, organizer):
    draft = make_entry(contest, owner, title="Bản nháp")
    withdrawn = make_entry(contest, owner, submit=True)
    eligible = make_entry(contest, owner, submit=True)
    set_status(withdrawn, "withdrawn")
    set_status(eligible, "eligible")
    login_as(organizer)
    mails = len(outbox())

    for entry in (draft, withdrawn):
        response = screen(client, entry, "eligible")
        assert response.status_code == 409
        assert 'data-testid="decision-error"' in response.get_data(as_text=True)
    response = screen(client, eligible, "eligible", "lần nữa")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'data-testid="decision-error"' in page and "lần nữa" in page
    # Not a decision at all.
    for decision in ("submitted", "draft", "", "withdrawn"):
        assert screen(client, eligible, decision, "x").status_code == 400
    db.session.expire_all()
    assert (draft.status, withdrawn.status, eligible.status) == ("draft", "withdrawn", "eligible")
    assert len(outbox()) == mails
    assert not db.session.scalars(db.select(AuditEntry).where(AuditEntry.action.like("entry.screen.%"))).all()


def test_a_decision_can_be_changed(client, login_as, contest, owner, organizer):
    entry = make_entry(contest, owner, submit=True)
    login_as(organizer)
    assert screen(client, entry, "eligible").status_code == 302
    assert screen(client, entry, "ineligible", "Trùng với giải pháp đã đoạt giải.").status_code == 302
    db.session.refresh(entry)
    assert entry.status == "ineligible"


def test_the_panel_offers_only_allowed_decisions_and_shows_the_history(
    app, client, login_as, contest, owner, organizer
):
    entry = make_entry(contest, owner, submit=True)
    login_as(organizer)

    def offered():
        page = client.get(f"/contests/entries/{entry.id}").get_data(as_text=True)
        assert 'data-testid="screening"' in page
        return re.findall(r'name="decision"[^>]*value="(\w+)"|value="(\w+)"[^>]*name="decision"', page), page

    decisions, page = offered()
    assert [a or b for a, b in decisions] == ["eligible", "ineligible", "returned"]
    assert re.findall(r'data-action="([\w.]+)"', page) == ["entry.submit", "entry.create"]

    screen(client, entry, "returned", "Bổ sung ảnh chụp sản phẩm.")
    decisions, page = offered()
    assert [a or b for a, b in decisions] == ["eligible", "ineligible"]
    assert re.findall(r'data-action="([\w.]+)"', page) == ["entry.screen.returned", "entry.submit", "entry.create"]
    label = in_request(app, lambda: gettext("Returned an entry for changes"))
    assert label in page and "Bổ sung ảnh chụp sản phẩm." in page and "Lê Văn Tổ" in page


def test_no_form_for_drafts_and_withdrawn_entries(client, login_as, contest, owner, organizer):
    draft = make_entry(contest, owner, title="Bản nháp")
    login_as(organizer)
    page = client.get(f"/contests/entries/{draft.id}").get_data(as_text=True)
    assert 'data-testid="screening"' in page and 'data-testid="no-decision"' in page
    assert 'data-testid="screening-form"' not in page


def test_returned_entry_round_trip(client, login_as, contest, owner, organizer):
    """Submitted -> returned with a note -> the contestant reads it, edits and resubmits -> eligible."""
    entry = make_entry(contest, owner, submit=True, title="Máy gieo hạt")
    code = entry.code
    login_as(organizer)
    assert screen(client, entry, "returned", "Ghi rõ ngày áp dụng.").status_code == 302

    login_as(owner)
    page = client.get(f"/contests/entries/{entry.id}").get_data(as_text=True)
    assert "Ghi rõ ngày áp dụng." in page
    assert client.get(f"/contests/entries/{entry.id}/edit").status_code == 200
    applied = (utcnow().date() - timedelta(days=30)).strftime("%d/%m/%Y")
    created = (utcnow().date() - timedelta(days=200)).strftime("%d/%m/%Y")
    response = client.post(
        f"/contests/entries/{entry.id}/edit",
        data={
            "title": "Máy gieo hạt (bản bổ sung)",
            "field_id": str(contest.fields[0].id),
            "summary": "Đã ghi rõ ngày áp dụng.",
            "created_on": created,
            "applied_on": applied,
            "authors-0-full_name": "Nguyễn Văn An",
            "authors-0-birth_date": "18/05/1985",
            "authors-0-unit": "Trường THPT Bù Đăng",
            "authors-0-share": "100",
            "lead": "0",
            "save_submit": "1",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(entry)
    assert entry.status == "submitted" and entry.code == code and entry.title == "Máy gieo hạt (bản bổ sung)"

    login_as(organizer)
    assert screen(client, entry, "eligible").status_code == 302
    db.session.refresh(entry)
    assert entry.status == "eligible"
    subjects = [m.subject for m in outbox() if m.recipient == owner.email]
    assert len(subjects) == 4  # registered, returned, registered again, eligible
    actions = db.session.scalars(
        db.select(AuditEntry.action).where(AuditEntry.object_id == str(entry.id)).order_by(AuditEntry.id)
    ).all()
    assert actions[-4:] == ["entry.screen.returned", "entry.update", "entry.submit", "entry.screen.eligible"]


def test_an_imported_entry_is_screened_without_mail(app, client, login_as, contest, organizer):
    from tests.competitions.factories import entry_input

    with app.test_request_context():
        entry = services.register_imported(contest, entry_input(contest), by=organizer)
    db.session.commit()
    login_as(organizer)
    mails = len(outbox())
    assert screen(client, entry, "eligible").status_code == 302
    db.session.refresh(entry)
    assert entry.status == "eligible" and len(outbox()) == mails


# --- scoping -----------------------------------------------------------------------------------------------


def test_organizers_of_another_organisation_are_refused(client, login_as, make_user, owner):
    union = make_organisation("Liên hiệp các hội KH&KT tỉnh Bình Phước")
    district = make_organisation("Liên hiệp hội huyện Bù Đăng", parent=union)
    other = make_organisation("Liên hiệp các hội KH&KT tỉnh Lạng Sơn")
    contest = make_contest("innovation", organisation=district)
    entry = make_entry(contest, owner, submit=True)
    urls = [entries_url(contest), entries_url(contest, ".xlsx"), entries_url(contest, ".csv")]

    outsider = make_user("organizer", email="langson@example.vn", scope=("organisation", other.id))
    login_as(outsider)
    for url in urls:
        assert client.get(url).status_code == 403
    assert screen(client, entry, "eligible").status_code == 403
    assert client.get(f"/contests/entries/{entry.id}").status_code == 404
    db.session.refresh(entry)
    assert entry.status == "submitted"

    for scope in (("organisation", district.id), ("organisation", union.id), ("contest", contest.id)):
        login_as(make_user("organizer", scope=scope))
        for url in urls:
            assert client.get(url).status_code == 200, (scope, url)
        page = client.get(f"/contests/entries/{entry.id}").get_data(as_text=True)
        assert 'data-testid="screening-form"' in page

    login_as(make_user("organizer", scope=("contest", contest.id)))
    assert screen(client, entry, "eligible").status_code == 302


def test_unknown_contest_or_entry(client, login_as, organizer):
    login_as(organizer)
    assert client.get("/contests/manage/999999/entries").status_code == 404
    assert client.get("/contests/manage/999999/entries.xlsx").status_code == 404
    assert client.post("/contests/manage/entries/999999/screen", data={"decision": "eligible"}).status_code == 404


@pytest.mark.parametrize(
    "args",
    [
        {"q": "' OR 1=1 --"},
        {"q": "%_\\"},
        {"field": "9" * 40},
        {"locality": "-1"},
        {"page": "１２"},
        {"unit": "\x00"},
        {"sort": "title; DROP TABLE entries"},
    ],
)
def test_hostile_filters_never_fail(client, login_as, contest, owner, organizer, args):
    make_entry(contest, owner, submit=True)
    login_as(organizer)
    for suffix in ("", ".xlsx", ".csv"):
        assert client.get(entries_url(contest, suffix, **args)).status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {"decision": "eligible' OR 1=1 --", "note": "x"},
        {"decision": "returned", "note": "\x00"},
        {"decision": "ineligible", "note": '=HYPERLINK("x")'},
        {"decision": ["eligible", "returned"], "note": "hai lựa chọn"},
        {"decision": "９", "note": "\u202e"},
        {},
    ],
)
def test_hostile_screening_input_never_fails(client, login_as, contest, owner, organizer, data):
    entry = make_entry(contest, owner, submit=True)
    login_as(organizer)
    response = client.post(f"/contests/manage/entries/{entry.id}/screen", data=data)
    assert response.status_code < 500
