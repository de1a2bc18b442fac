"""A prize to a unit everywhere an award shows: the awards page (with the exclusions and their lifting), the
published snapshot, its JSON and the public page, the changes between versions, the certificate (its PDF, the bulk
download and the verification page) and the official summary."""

from __future__ import annotations

import html
import io
import zipfile

import openpyxl
import pytest
from openapi_schema_validator import OAS31Validator
from pypdf import PdfReader
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from results.models import Award, AwardExclusion, Certificate
from results.services import awards as service
from results.services import publication
from results.services.certificates import issue_certificates
from tests.app.test_api import _resolve
from tests.app.test_pdf import needs_pdftotext, pdftotext
from tests.prepared import prepared
from tests.results.factories import add_specials, make_judged, set_units
from tests.results.test_manage_awards import as_user, block
from tests.results.test_publication import SHEETS, ready

UNIT = "Trường THPT chuyên Quang Trung"


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def awarded():
    """Three judged entries, two of them from UNIT; the plan's unit prize and awards stored by rule; a decision."""
    judging = make_judged(SHEETS)
    set_units(judging, UNIT, "Trường THCS Tân Phú", UNIT)
    ready(judging, awards=False)
    add_specials(judging.contest, "unit_most_finalists")
    service.generate_awards(judging.contest, by=judging.organizer)
    db.session.commit()
    return judging


def unit_award(contest) -> Award:
    return db.session.scalar(select(Award).where(Award.contest_id == contest.id, Award.entry_id.is_(None)))


# --- the awards page --------------------------------------------------------------------------------------------------


def test_the_awards_page_shows_the_units_prize_and_what_the_rule_does(client, login_as, awarded):
    award = unit_award(awarded.contest)
    page = text(as_user(client, login_as, awarded.organizer).get(f"/results/manage/{awarded.contest.id}/awards"))
    assert UNIT in block(page, f"unit-award-{award.id}")
    special = block(page, f"special-{award.tier_code}")
    assert "Storing the proposal gives the prize to this unit." in special and UNIT in special
    assert "comes back if the proposal is stored again" not in page


def test_a_unit_is_given_a_prize_by_hand_on_the_page_and_a_refusal_keeps_what_was_typed(client, login_as, awarded):
    contest = awarded.contest
    tier = unit_award(contest).tier_code
    organizer = as_user(client, login_as, awarded.organizer)
    base = {"give-entry_code": "", "give-tier_code": tier, "give-person": "", "give-reason": "Biên bản số 3"}
    refused = organizer.post(f"/results/manage/{contest.id}/awards/new", data=base | {"give-unit": UNIT})
    assert refused.status_code == 400
    page = text(refused)
    assert "The entry or unit already holds this award." in page and "Biên bản số 3" in page
    done = organizer.post(f"/results/manage/{contest.id}/awards/new", data=base | {"give-unit": "Trường THCS Tân Phú"})
    assert done.status_code == 302
    units = db.session.scalars(select(Award.unit_name).where(Award.entry_id.is_(None)).order_by(Award.id)).all()
    assert units == [UNIT, "Trường THCS Tân Phú"]
    both = organizer.post(
        f"/results/manage/{contest.id}/awards/new",
        data=base | {"give-unit": "Đơn vị khác", "give-entry_code": awarded.entries[0].code},
    )
    assert both.status_code == 400 and "Give either an entry code or a unit, not both." in text(both)


def test_removing_then_lifting_an_exclusion_on_the_page(client, login_as, awarded):
    contest = awarded.contest
    award = unit_award(contest)
    organizer = as_user(client, login_as, awarded.organizer)
    removed = organizer.post(
        f"/results/manage/awards/{award.id}/change",
        data={f"award-{award.id}-reason": "Đơn vị xin không nhận", f"award-{award.id}-remove": "1"},
    )
    assert removed.status_code == 302
    organizer.post(f"/results/manage/{contest.id}/awards/generate", data={})
    assert unit_award(contest) is None
    exclusion = db.session.scalar(select(AwardExclusion))
    page = text(organizer.get(f"/results/manage/{contest.id}/awards"))
    row = block(page, f"exclusion-{exclusion.id}")
    assert UNIT in row and "Đơn vị xin không nhận" in row and 'data-status="active"' in row

    lift = f"/results/manage/exclusions/{exclusion.id}/lift"
    refused = organizer.post(lift, data={f"lift-{exclusion.id}-reason": ""})
    assert refused.status_code == 400
    assert "Please fill in this field." in block(text(refused), f"lift-{exclusion.id}")
    lifted = organizer.post(
        f"/results/manage/exclusions/{exclusion.id}/lift", data={f"lift-{exclusion.id}-reason": "Đơn vị đồng ý nhận"}
    )
    assert lifted.status_code == 302 and lifted.headers["Location"].endswith("#exclusions")
    db.session.expire_all()
    assert not db.session.get(AwardExclusion, exclusion.id).active
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "award_exclusion.lift"))
    again = organizer.post(
        f"/results/manage/exclusions/{exclusion.id}/lift", data={f"lift-{exclusion.id}-reason": "Lần nữa"}
    )
    assert again.status_code == 302  # already lifted: said in a message
    organizer.post(f"/results/manage/{contest.id}/awards/generate", data={})
    assert unit_award(contest).unit_name == UNIT


def test_the_awards_page_costs_the_same_queries_with_1_and_4_exclusions(client, login_as, count_queries, awarded):
    contest = awarded.contest
    organizer = as_user(client, login_as, awarded.organizer)

    def exclude(first: int, n: int) -> None:
        for i in range(first, first + n):
            db.session.add(
                AwardExclusion(
                    contest_id=contest.id,
                    unit_name=f"Đơn vị {i}",
                    tier_code="x",
                    tier_name="X",
                    reason="r",
                    lift_reason="",
                )
            )
        db.session.commit()

    exclude(0, 1)
    organizer.get(f"/results/manage/{contest.id}/awards")
    with count_queries() as one:
        assert organizer.get(f"/results/manage/{contest.id}/awards").status_code == 200
    exclude(1, 3)
    with count_queries() as four:
        assert organizer.get(f"/results/manage/{contest.id}/awards").status_code == 200
    assert four.n == one.n


# --- publication ------------------------------------------------------------------------------------------------------


def test_the_units_prize_is_published_in_the_json_and_on_the_public_page(client, awarded):
    contest = awarded.contest
    award = unit_award(contest)
    publication.publish(contest, "", by=awarded.organizer)
    db.session.commit()
    data = client.get(f"/api/results/{contest.id}").get_json()
    [unit] = [a for a in data["awards"] if a["entry_id"] is None]
    assert unit == {
        "entry_id": None,
        "code": "",
        "tier": award.tier_code,
        "name": award.tier_name,
        "special": True,
        "rank": None,
        "score": None,
        "source": "rule",
        "person": "",
        "unit": UNIT,
    }
    assert all("unit" not in a for a in data["awards"] if a["entry_id"] is not None)
    doc = client.get("/api/openapi.json").get_json()
    schema = _resolve(doc["paths"]["/api/results/{contest_id}"]["get"]["responses"]["200"]["content"], doc)
    OAS31Validator(schema["application/json"]["schema"]).validate(data)
    page = text(client.get(f"/results/{contest.id}"))
    specials = block(page, "special-prizes")
    assert UNIT in block(specials, "unit-prize") and award.tier_name in specials


def test_a_correction_lists_the_units_prize_among_the_changes(client, login_as, awarded):
    contest = awarded.contest
    award = unit_award(contest)
    publication.publish(contest, "", by=awarded.organizer)
    service.remove_award(award, "Đơn vị xin không nhận", by=awarded.organizer)
    db.session.commit()
    preview = publication.preview(contest)
    [change] = [c for c in preview.changes if c.entry_id is None]
    assert (change.title, change.kind, change.award_before, change.award_after) == (
        UNIT,
        "removed",
        award.tier_name,
        "",
    )
    page = text(as_user(client, login_as, awarded.organizer).get(f"/results/manage/{contest.id}/publish"))
    assert UNIT in block(page, "changes")


# --- certificates and the summary -------------------------------------------------------------------------------------


def test_the_unit_gets_a_numbered_certificate_that_verifies(client, login_as, awarded):
    contest = awarded.contest
    award = unit_award(contest)
    authors = sum(len(a.entry.authors) for a in db.session.scalars(select(Award).where(Award.entry_id.is_not(None))))
    assert issue_certificates(contest, by=awarded.organizer) == authors + 1
    db.session.commit()
    assert issue_certificates(contest, by=awarded.organizer) == 0  # idempotent: the unit is certified once
    [mine] = db.session.scalars(select(Certificate).where(Certificate.award_id == award.id)).all()
    assert (mine.holder_name, mine.prize_name, mine.entry_title, mine.person_id, mine.entry_id) == (
        UNIT,
        award.tier_name,
        "",
        None,
        None,
    )
    assert mine.for_unit and mine.number.startswith(f"{contest.year}/")
    page = text(client.get(f"/results/verify/{mine.token}"))
    valid = block(page, "verify-valid")
    assert UNIT in valid and award.tier_name in valid and ">Entry<" not in valid
    listing = text(as_user(client, login_as, awarded.organizer).get(f"/results/manage/{contest.id}/certificates"))
    row = block(listing, "certificates")
    assert UNIT in row and "A prize to a unit" in row and "data-stale" not in row


@needs_pdftotext
def test_the_units_certificate_pdf_and_the_bulk_downloads(client, login_as, awarded, tmp_path):
    contest = awarded.contest
    issue_certificates(contest, by=awarded.organizer)
    db.session.commit()
    mine = db.session.scalar(select(Certificate).where(Certificate.entry_id.is_(None)))
    organizer = as_user(client, login_as, awarded.organizer)
    flat = " ".join(pdftotext(organizer.get(f"/results/manage/certificates/{mine.id}.pdf").data, tmp_path).split())
    assert "Chứng nhận đơn vị" in flat and UNIT in flat and "Tác giả bài dự thi" not in flat
    assert mine.number in flat
    everything = organizer.get(f"/results/manage/{contest.id}/certificates.pdf").data
    count = db.session.scalar(select(db.func.count(Certificate.id)))
    assert len(PdfReader(io.BytesIO(everything)).pages) == count
    assert UNIT in " ".join(pdftotext(everything, tmp_path).split())
    archive = zipfile.ZipFile(io.BytesIO(organizer.get(f"/results/manage/{contest.id}/certificates.zip").data))
    assert any("Truong-THPT-chuyen-Quang-Trung" in name for name in archive.namelist())


@needs_pdftotext
def test_the_official_summary_lists_the_units_prize(client, login_as, awarded, tmp_path):
    contest = awarded.contest
    award = unit_award(contest)
    organizer = as_user(client, login_as, awarded.organizer)
    page = text(organizer.get(f"/results/manage/{contest.id}/summary"))
    specials = block(page, "specials")
    assert UNIT in specials and award.tier_name in specials
    flat = " ".join(pdftotext(organizer.get(f"/results/manage/{contest.id}/summary.pdf").data, tmp_path).split())
    # the unit's name, in a narrow column, wraps: "Trường THPT chuyên" then "Quang Trung"
    specials = flat[flat.index("Giải đặc biệt") : flat.index("Tổng hợp số giải")]
    assert "Trường THPT chuyên" in specials and award.tier_name in specials and "Quang Trung" in specials


def test_the_workbook_lists_the_editions_awards_with_the_units_prize(client, login_as, awarded):
    award = unit_award(awarded.contest)
    response = prepared(
        as_user(client, login_as, awarded.organizer), f"/results/manage/rounds/{awarded.round.id}/workbook"
    )
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = book.worksheets[-1]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    stored = db.session.scalars(select(Award).where(Award.contest_id == awarded.contest.id)).all()
    assert len(rows) == len(stored)
    [unit] = [r for r in rows if r[header[0]] == award.tier_name]
    assert unit[header[3]] == UNIT and unit[header[1]] in (None, "")
    codes = {a.entry.code for a in stored if a.entry is not None}
    assert {r[header[1]] for r in rows if r[header[1]]} == codes
