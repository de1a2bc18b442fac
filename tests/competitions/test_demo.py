"""The demo holds both contests with entries in several fields and every screening status; the provincial Youth
contest has two district rounds run by their own organizers, open for registration, two entries of one already
forwarded; the Technical Innovation contest is judging in a blind round; documents are real PDF files whose
authoring properties blind judging strips."""

import io

from pypdf import PdfReader
from sqlalchemy import func, select

from app.accounts.models import User
from app.demo import DEMO_PASSWORD
from app.docmeta import strip_metadata
from app.extensions import db
from app.timefmt import utcnow
from app.uploads import upload_dir
from competitions import demo, eligibility
from competitions.models import Contest, Entry, EntryDocument
from forwarding.models import Forward
from judging.models import Round


def test_demo_has_both_contests_with_entries_in_several_fields(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    this_year = select(Contest).where(Contest.level == "provincial", Contest.year == utcnow().year)  # results' demo
    contests = {c.kind: c for c in db.session.scalars(this_year)}  # adds a finished edition of two years ago
    assert set(contests) == {"innovation", "youth"}
    for contest in contests.values():
        fields = db.session.scalar(
            select(func.count(func.distinct(Entry.field_id))).where(Entry.contest_id == contest.id)
        )
        assert fields >= 4
        statuses = set(db.session.scalars(select(Entry.status).where(Entry.contest_id == contest.id)))
        assert {"submitted", "eligible", "returned", "ineligible", "draft"} <= statuses
    codes = db.session.scalars(select(Entry.code).where(Entry.code.is_not(None))).all()
    assert len(codes) == len(set(codes))


def test_the_youth_contest_has_two_district_rounds_with_their_organizers(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    youth = db.session.scalar(select(Contest).where(Contest.kind == "youth", Contest.parent_id.is_(None)))
    districts = {c.organisation.short_name: c for c in youth.children}
    assert set(districts) == {"LHH Bù Đăng", "LHH Đồng Xoài"}
    now = utcnow()
    assert youth.forward_opens_at < now < youth.forward_closes_at and youth.forward_quota == 3
    for child in districts.values():
        assert child.status == "open" and child.level == "school" and child.kind == "youth"
        assert eligibility.registration_state(child.rules(), now) == "open"  # a contestant can try registering
        assert [f.parent_id for f in child.fields] == [f.id for f in youth.fields]
        assert [a.parent_id for a in child.age_groups] == [a.id for a in youth.age_groups]
        assert set(child.inherits) == {"max_authors", "max_teachers", "lookback_date", "birth_from", "birth_to"}
        pupils = db.session.scalars(select(Entry).where(Entry.contest_id == child.id)).all()
        assert all(e.lead.unit.startswith("Trường ") for e in pupils)
        assert len({e.lead.unit for e in pupils}) >= 3 and {e.status for e in pupils} >= {"eligible", "draft"}

    # Two of Bù Đăng's eligible entries are forwarded: now in the provincial contest awaiting screening, the same
    # records with their authors and documents; Bù Đăng may forward one more, Đồng Xoài has forwarded nothing.
    bu_dang, dong_xoai = districts["LHH Bù Đăng"], districts["LHH Đồng Xoài"]
    forwards = db.session.scalars(select(Forward).where(Forward.to_contest_id == youth.id)).all()
    assert len(forwards) == 2 and {f.from_contest_id for f in forwards} == {bu_dang.id}
    for forward in forwards:
        entry = forward.entry
        assert entry.contest_id == youth.id and entry.status == "submitted" and forward.from_status == "eligible"
        assert entry.code.startswith("BDTN-") and entry.authors and entry.documents
        assert entry.field.contest_id == youth.id
    assert (
        db.session.scalar(
            select(func.count(Entry.id)).where(Entry.contest_id == bu_dang.id, Entry.status == "eligible")
        )
        >= 1
    )
    assert (
        db.session.scalar(
            select(func.count(Entry.id)).where(Entry.contest_id == dong_xoai.id, Entry.status == "eligible")
        )
        >= 3
    )

    # The district organizers log in with the demo password and manage their own round only.
    organizers = {
        "btc.budang@sangtao.local": bu_dang,
        "btc.dongxoai@sangtao.local": dong_xoai,
    }
    logins = runner.invoke(args=["demo-logins"]).output
    for email, mine in organizers.items():
        user = db.session.scalar(select(User).where(User.email == email))
        assert user.check_password(DEMO_PASSWORD) and email in logins
        assert user.can("manage_contest", mine)
        assert not user.can("manage_contest", youth)
        assert not user.can("manage_contest", dong_xoai if mine is bu_dang else bu_dang)
    assert demo.DEMO_LOGINS[0][0] == "btc.dongxoai@sangtao.local"
    provincial = db.session.scalar(select(User).where(User.email == "bantochuc@sangtao.local"))
    assert all(provincial.can("manage_contest", c) for c in (youth, bu_dang, dong_xoai))


def test_the_innovation_contest_is_judging_in_a_blind_round_and_its_documents_lose_their_authors(app):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    innovation = db.session.scalar(select(Contest).where(Contest.kind == "innovation"))
    assert innovation.status == "judging" and innovation.registration_closes_at < utcnow()
    round_ = db.session.scalar(select(Round).where(Round.contest_id == innovation.id))
    assert round_.status == "scoring" and round_.blind

    document = db.session.scalar(
        select(EntryDocument).join(Entry).where(Entry.contest_id == innovation.id, Entry.status == "eligible").limit(1)
    )
    data = (upload_dir(f"entries/{document.entry_id}") / document.stored_name).read_bytes()
    assert len(data) == document.size
    assert PdfReader(io.BytesIO(data)).metadata["/Author"] == document.entry.lead.full_name
    stripped = PdfReader(io.BytesIO(strip_metadata(data, "pdf")))
    assert len(stripped.pages) == 1 and not (stripped.metadata or {}).get("/Author")
