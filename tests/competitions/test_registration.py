"""Contestants register entries online: drafts, the authors' list, submission with its code, mail and QR,
withdrawal, the close of registration, and documents checked by content."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.extensions import db
from app.timefmt import utcnow
from competitions.models import Entry, EntryDocument
from tests.competitions.factories import make_contest, make_entry
from tests.conftest import outbox

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def contest():
    return make_contest("innovation")


@pytest.fixture
def contestant(make_user):
    return make_user("contestant", email="an@example.vn", full_name="Nguyễn Văn An")


def form_data(contest, **overrides) -> dict:
    data = {
        "title": "Máy gieo hạt điều tự động",
        "field_id": str(contest.fields[1].id),
        "summary": "Giải pháp giúp nông dân gieo hạt nhanh hơn.",
        "created_on": "15/03/2025",
        "applied_on": "",
        "entering_organisation": "",
        "authors-0-full_name": "Nguyễn Văn An",
        "authors-0-birth_date": "18/05/1985",
        "authors-0-gender": "male",
        "authors-0-unit": "Công ty Cao su Phú Riềng",
        "authors-0-phone": "0912345678",
        "authors-0-email": "an@example.vn",
        "authors-0-share": "60",
        "authors-1-full_name": "Lê Thị Bình",
        "authors-1-birth_date": "02/09/1990",
        "authors-1-gender": "female",
        "authors-1-unit": "Công ty Cao su Phú Riềng",
        "authors-1-share": "40",
        "lead": "0",
        "save": "1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def upload_all(client, entry):
    for doc_type in entry.contest.document_types:
        if doc_type.required:
            response = client.post(
                f"/contests/entries/{entry.id}/documents",
                data={"document_type_id": str(doc_type.id), "file": (io.BytesIO(PDF), f"{doc_type.name}.pdf")},
                content_type="multipart/form-data",
            )
            assert response.status_code == 302


def test_a_group_entry_goes_from_draft_to_submitted_with_code_mail_and_qr(client, login_as, contest, contestant):
    login_as(contestant)
    response = client.post(f"/contests/{contest.id}/register", data=form_data(contest))
    assert response.status_code == 302
    entry = db.session.scalar(select(Entry))
    assert entry.status == "draft" and entry.code is None and entry.owner_id == contestant.id
    assert [(a.full_name, str(a.share), a.is_lead) for a in entry.authors] == [
        ("Nguyễn Văn An", "60.00", True),
        ("Lê Thị Bình", "40.00", False),
    ]
    page = client.get(f"/contests/entries/{entry.id}").get_data(as_text=True)
    assert 'data-testid="to-submit"' in page  # the required documents are missing
    assert client.post(f"/contests/entries/{entry.id}/submit").status_code == 302
    assert db.session.get(Entry, entry.id).status == "draft"

    upload_all(client, entry)
    response = client.post(f"/contests/entries/{entry.id}/submit")
    assert response.headers["Location"].endswith(f"/contests/entries/{entry.id}/submitted")
    entry = db.session.get(Entry, entry.id)
    assert entry.status == "submitted" and entry.code == f"STKT-{contest.year}-0001"
    done = client.get(f"/contests/entries/{entry.id}/submitted").get_data(as_text=True)
    assert entry.code in done and "qr.svg" in done
    mail = outbox()[-1]
    assert mail.recipient == "an@example.vn" and entry.code in mail.subject and entry.code in mail.body
    qr = client.get(f"/contests/entries/{entry.id}/qr.png")
    assert qr.status_code == 200 and qr.mimetype == "image/png"
    assert client.get("/contests/my-entries").get_data(as_text=True).count(entry.code) == 1
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.object_type == "entries", AuditEntry.object_id == str(entry.id))
    ).all()
    assert actions[0] == "entry.create" and "entry.submit" in actions


def test_codes_are_numbered_per_edition(client, contest, make_user):
    first = make_entry(contest, make_user("contestant"), submit=True)
    second = make_entry(contest, make_user("contestant"), submit=True)
    youth = make_entry(make_contest("youth"), make_user("contestant"), submit=True)
    assert (first.code, second.code) == (f"STKT-{contest.year}-0001", f"STKT-{contest.year}-0002")
    assert youth.code == f"STTN-{contest.year}-0001"


def test_add_and_remove_authors_keep_what_was_typed(client, login_as, contest, contestant):
    login_as(contestant)
    data = form_data(contest, save=None, **{"authors-1-birth_date": "31/02/1990"}) | {"action": "add-author"}
    page = client.post(f"/contests/{contest.id}/register", data=data).get_data(as_text=True)
    assert 'name="authors-2-full_name"' in page and 'value="Lê Thị Bình"' in page
    assert 'value="31/02/1990"' in page  # even a wrong date stays as typed
    data = form_data(contest, save=None) | {"action": "remove-author-0"}
    page = client.post(f"/contests/{contest.id}/register", data=data).get_data(as_text=True)
    assert 'name="authors-1-full_name"' not in page
    assert 'id="authors-0-full_name"' in page and 'value="Lê Thị Bình"' in page
    assert db.session.scalar(select(func.count(Entry.id))) == 0  # nothing saved by the list buttons


def test_rules_are_shown_beside_the_fields(client, login_as, contest, contestant):
    login_as(contestant)
    # a solution older than the look-back date cannot even be saved: the message stands beside the date
    response = client.post(f"/contests/{contest.id}/register", data=form_data(contest, created_on="01/01/2000"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'value="01/01/2000"' in page
    created = page.split('id="created_on"')[1].split("</div>")[0]
    assert contest.lookback_date.strftime("%d/%m/%Y") in page.split('id="created_on"')[1][:600], created
    assert db.session.scalar(select(func.count(Entry.id))) == 0
    # shares that do not add up are saved as a draft; submitting is refused and the entry page says why
    data = form_data(contest, **{"authors-1-share": "30", "save": None, "save_submit": "1"})
    assert client.post(f"/contests/{contest.id}/register", data=data).status_code == 302
    entry = db.session.scalar(select(Entry))
    assert entry.status == "draft"
    checklist = client.get(f"/contests/entries/{entry.id}").get_data(as_text=True).split('data-testid="to-submit"')[1]
    assert "100%" in checklist and "90" in checklist
    # too many authors cannot be saved either; the message stands above the list and the input stays
    contest.max_authors = 1
    db.session.commit()
    response = client.post(f"/contests/{contest.id}/register", data=form_data(contest, title="Bản thứ hai"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'value="Bản thứ hai"' in page and "alert-danger py-2" in page
    assert db.session.scalar(select(func.count(Entry.id))) == 1


def test_bad_dates_and_shares_are_refused_beside_their_field(client, login_as, contest, contestant):
    login_as(contestant)
    data = form_data(contest, **{"authors-0-share": "sáu mươi", "authors-1-birth_date": "32/13/1990"})
    response = client.post(f"/contests/{contest.id}/register", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and page.count("invalid-feedback") >= 2
    assert 'value="sáu mươi"' in page and 'value="32/13/1990"' in page


def test_edit_until_close_then_read_only(client, login_as, contest, contestant):
    entry = make_entry(contest, contestant, submit=True)
    login_as(contestant)
    response = client.post(f"/contests/entries/{entry.id}/edit", data=form_data(contest, title="Tên mới"))
    assert response.status_code == 302
    entry = db.session.get(Entry, entry.id)
    assert entry.title == "Tên mới" and entry.status == "submitted"  # editing keeps it submitted
    contest = entry.contest
    contest.registration_closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(f"/contests/entries/{entry.id}/edit").status_code == 302
    response = client.post(f"/contests/entries/{entry.id}/edit", data=form_data(contest, title="Sau hạn"))
    assert response.status_code == 409 and 'value="Sau hạn"' in response.get_data(as_text=True)
    assert db.session.get(Entry, entry.id).title == "Tên mới"


def test_a_form_sent_after_the_close_is_kept_as_a_draft(client, login_as, contest, contestant):
    login_as(contestant)
    assert client.get(f"/contests/{contest.id}/register").status_code == 200  # opened before the close
    contest.registration_closes_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    data = form_data(contest, save=None, save_submit="1")
    response = client.post(f"/contests/{contest.id}/register", data=data)
    assert response.status_code == 302
    entry = db.session.scalar(select(Entry))
    assert entry.status == "draft" and entry.code is None and entry.title == "Máy gieo hạt điều tự động"
    page = client.get(f"/contests/entries/{entry.id}").get_data(as_text=True)
    assert f"/contests/entries/{entry.id}/edit" not in page
    assert client.post(f"/contests/entries/{entry.id}/submit").status_code == 302
    assert db.session.get(Entry, entry.id).status == "draft"


def test_withdraw(client, login_as, contest, contestant):
    entry = make_entry(contest, contestant, submit=True)
    login_as(contestant)
    client.post(f"/contests/entries/{entry.id}/withdraw")
    assert db.session.get(Entry, entry.id).status == "withdrawn"
    client.post(f"/contests/entries/{entry.id}/withdraw")
    assert db.session.get(Entry, entry.id).status == "withdrawn"
    assert client.get(f"/contests/entries/{entry.id}/edit").status_code == 302


@pytest.mark.parametrize(
    ("locale", "said_after"), [("en", "Your entry has been withdrawn."), ("vi", "Bài dự thi của bạn đã được rút.")]
)
def test_the_message_after_a_withdrawal_is_in_the_contestant_s_language_without_reading_the_account_again(
    client, login_as, contest, contestant, count_queries, locale, said_after
):
    entry = make_entry(contest, contestant, submit=True)
    contestant.locale = locale
    db.session.commit()
    login_as(contestant)
    with count_queries() as counted:
        assert client.post(f"/contests/entries/{entry.id}/withdraw").status_code == 302
    # The language was settled from the account as read, before the withdrawal's commit expired it.
    assert sum("FROM users" in statement for statement in counted.statements) == 1
    assert said_after in client.get(f"/contests/entries/{entry.id}").get_data(as_text=True)


def test_a_contestant_never_sees_anothers_entry(client, login_as, contest, contestant, make_user):
    other = make_user("contestant", email="other@example.vn")
    entry = make_entry(contest, other, submit=True)
    login_as(contestant)
    for url in (
        f"/contests/entries/{entry.id}",
        f"/contests/entries/{entry.id}/edit",
        f"/contests/entries/{entry.id}/qr.png",
        f"/contests/entries/{entry.id}/documents/{entry.documents[0].id}",
    ):
        assert client.get(url).status_code == 404
    assert entry.title not in client.get("/contests/my-entries").get_data(as_text=True)


def test_youth_rules_birth_window_age_group_and_teachers(client, login_as, contestant):
    youth = make_contest("youth")
    login_as(contestant)
    data = {
        "title": "Hộp bút thông minh",
        "field_id": str(youth.fields[0].id),
        "age_group_id": str(youth.age_groups[1].id),
        "summary": "Đồ dùng học tập.",
        "authors-0-full_name": "Điểu Thị Ánh",
        "authors-0-birth_date": f"01/01/{youth.year - 30}",
        "authors-0-share": "100",
        "lead": "0",
        "teachers-0-full_name": "Thầy Hồ Văn Khoa",
        "teachers-0-unit": "Trường THCS Tân Phú",
        "save": "1",
    }
    response = client.post(f"/contests/{youth.id}/register", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and youth.birth_from.strftime("%d/%m/%Y") in page
    data["authors-0-birth_date"] = f"01/01/{youth.year - 13}"
    assert client.post(f"/contests/{youth.id}/register", data=data).status_code == 302
    entry = db.session.scalar(select(Entry))
    assert [t.full_name for t in entry.teachers] == ["Thầy Hồ Văn Khoa"] and entry.teachers[0].share is None


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("Đơn đăng ký.pdf", PDF, True),
        ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 200, False),
        ("ảnh.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, False),
        ("../../etc/passwd.pdf", PDF, True),
        ("trang.html.pdf", b"<html><script>alert(1)</script></html>", False),
    ],
)
def test_uploads_are_checked_by_content_and_stored_under_random_names(
    client, login_as, contest, contestant, app, name, content, accepted
):
    entry = make_entry(contest, contestant)
    login_as(contestant)
    doc_type = contest.document_types[0]
    client.post(
        f"/contests/entries/{entry.id}/documents",
        data={"document_type_id": str(doc_type.id), "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )
    documents = db.session.scalars(select(EntryDocument)).all()
    assert bool(documents) == accepted
    if accepted:
        document = documents[0]
        assert "/" not in document.original_name and ".." not in document.original_name
        assert re.fullmatch(r"[0-9a-f]{32}\.pdf", document.stored_name)
        response = client.get(f"/contests/entries/{entry.id}/documents/{document.id}")
        assert response.status_code == 200 and response.data == content
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert client.get(f"/static/{document.stored_name}").status_code == 404


def test_an_oversized_document_is_refused_with_a_message(client, login_as, contest, contestant):
    entry = make_entry(contest, contestant)
    doc_type = contest.document_types[0]
    doc_type.max_mb = 1
    db.session.commit()
    login_as(contestant)
    big = PDF + b"0" * (1024 * 1024)
    response = client.post(
        f"/contests/entries/{entry.id}/documents",
        data={"document_type_id": str(doc_type.id), "file": (io.BytesIO(big), "lớn.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "1 MB" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(EntryDocument.id))) == 0


def test_a_document_type_of_another_contest_is_refused(client, login_as, contest, contestant):
    other = make_contest("youth")
    entry = make_entry(contest, contestant)
    login_as(contestant)
    response = client.post(
        f"/contests/entries/{entry.id}/documents",
        data={"document_type_id": str(other.document_types[0].id), "file": (io.BytesIO(PDF), "a.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400


def test_two_editions_of_a_year_never_share_entry_codes(make_user):
    first = make_contest("youth")
    second = make_contest("youth")
    assert first.code_prefix == "STTN" and second.code_prefix == "STTN2"


def test_the_edit_form_shows_the_entry_as_saved(client, login_as, contest, contestant):
    login_as(contestant)
    client.post(f"/contests/{contest.id}/register", data=form_data(contest, lead="1"))
    entry = db.session.scalar(select(Entry))
    page = client.get(f"/contests/entries/{entry.id}/edit").get_data(as_text=True)
    assert 'value="Máy gieo hạt điều tự động"' in page and 'value="15/03/2025"' in page
    assert 'name="authors-1-full_name" type="text" value="Lê Thị Bình"' in page
    assert 'value="60"' in page and 'value="40"' in page and 'value="02/09/1990"' in page
    assert 'id="lead-1" value="1" checked' in page and 'id="lead-0" value="0" checked' not in page


def test_crafted_row_keys_never_fail(client, login_as, contest, contestant):
    login_as(contestant)
    data = form_data(contest) | {"authors-²-full_name": "x", "authors-1٣-share": "5", "teachers--unit": "y"}
    assert client.post(f"/contests/{contest.id}/register", data=data).status_code == 302
    data = form_data(contest, save=None) | {"action": "remove-author-²"}
    assert client.post(f"/contests/{contest.id}/register", data=data).status_code == 200
    data = form_data(contest, lead="²")
    assert client.post(f"/contests/{contest.id}/register", data=data).status_code == 302
    entry = db.session.scalars(select(Entry)).first()
    response = client.post(
        f"/contests/entries/{entry.id}/documents",
        data={"document_type_id": "²", "file": (io.BytesIO(PDF), "a.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400


def test_co_authors_with_an_account_follow_the_entry_read_only(client, login_as, contest, contestant, make_user):
    from tests.competitions.factories import author

    coauthor = make_user("contestant", email="binh@example.vn", full_name="Lê Thị Bình")
    stranger = make_user("contestant", email="x@example.vn")
    entry = make_entry(
        contest,
        contestant,
        submit=True,
        authors=[
            author("Nguyễn Văn An", 60, True, email="an@example.vn"),
            author("Lê Thị Bình", 40, False, email="binh@example.vn"),
        ],
    )
    login_as(coauthor)
    assert entry.code in client.get("/contests/my-entries").get_data(as_text=True)
    page = client.get(f"/contests/entries/{entry.id}").get_data(as_text=True)
    assert entry.code in page and f"/contests/entries/{entry.id}/edit" not in page
    assert client.get(f"/contests/entries/{entry.id}/edit").status_code == 403
    assert client.post(f"/contests/entries/{entry.id}/withdraw").status_code == 403
    login_as(stranger)
    assert client.get(f"/contests/entries/{entry.id}").status_code == 404


def test_the_register_button_shows_to_visitors_and_contestants_only(client, login_as, contest, contestant, make_user):
    url = f"/contests/{contest.id}"
    assert 'data-testid="register"' in client.get(url).get_data(as_text=True)  # a visitor is asked to log in
    login_as(contestant)
    assert 'data-testid="register"' in client.get(url).get_data(as_text=True)
    login_as(make_user("council_member", email="hoidong@example.vn"))  # cannot submit entries: no dead end
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="register"' not in page.get_data(as_text=True)
