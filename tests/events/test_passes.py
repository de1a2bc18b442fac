"""Passes: the QR code a real decoder reads back, the holder's page and "My passes", revoking and reissuing,
the badges PDF, and finding a pass by its token for the check-in side."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from events.models.events import Pass
from events.services import passes
from tests.conftest import outbox
from tests.events.factories import make_event, make_invitee, make_organizer, revoke
from tests.judging.factories import make_account


def _decode_png(data: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(data)))]


def test_the_qr_code_holds_exactly_the_pass_url_and_nothing_personal(client):
    event = make_event()
    invitee = make_invitee(event, "Nguyễn Thị Hoa", email="hoa@example.vn", unit="Sở Y tế")
    token = invitee.current_pass.token
    response = client.get(f"/events/pass/{token}/qr.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    (text,) = _decode_png(response.data)
    assert text == f"http://localhost/events/pass/{token}"  # the random token is all it holds: no name, no id
    image = Image.open(io.BytesIO(response.data))
    assert min(image.size) >= 300  # large enough to scan from a phone's screen


def test_the_qr_image_costs_one_query_and_only_a_valid_pass_has_one(client, count_queries):
    invitee = make_invitee(make_event())
    token = invitee.current_pass.token
    client.get(f"/events/pass/{token}/qr.png")  # warm: the image itself is cached after the first
    with count_queries() as counted:
        assert client.get(f"/events/pass/{token}/qr.png").status_code == 200
    assert counted.n == 1  # shown again and again at the door: one indexed lookup of the pass
    other = token[:-1] + ("x" if token[-1] != "x" else "y")
    assert client.get(f"/events/pass/{other}/qr.png").status_code == 404  # no such pass
    assert client.get("/events/pass/not%20a%20token/qr.png").status_code == 404
    old = invitee.current_pass
    revoke(old)
    assert client.get(f"/events/pass/{old.token}/qr.png").status_code == 404  # a revoked pass: no code


def test_the_svg_code_is_served_safely_and_scales(client):
    invitee = make_invitee(make_event())
    response = client.get(f"/events/pass/{invitee.current_pass.token}/qr.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert b"<svg" in response.data and b"<path" in response.data


def test_the_pass_page_shows_the_holder_and_a_scannable_code(client):
    invitee = make_invitee(
        make_event(title="Lễ tôn vinh trí thức"), "Trần Văn Khoa", unit="Hội Tin học", role="honoree"
    )
    page = client.get(f"/events/pass/{invitee.current_pass.token}").get_data(as_text=True)
    assert "Trần Văn Khoa" in page and "Hội Tin học" in page and "Lễ tôn vinh trí thức" in page
    assert f"/events/pass/{invitee.current_pass.token}/qr.png" in page


def test_unknown_and_malformed_tokens_and_draft_events_are_not_found(client):
    assert client.get("/events/pass/" + "A" * 32).status_code == 404
    assert client.get("/events/pass/short").status_code == 404
    draft = make_invitee(make_event(status="draft"))
    assert client.get(f"/events/pass/{draft.current_pass.token}").status_code == 404


def test_revoking_and_reissuing_a_pass(client, login_as):
    event = make_event()
    invitee = make_invitee(event, "Phan Văn Long", email="long@example.vn")
    old = invitee.current_pass
    login_as(make_organizer(event))
    response = client.post(f"/events/manage/{event.id}/invitees/{invitee.id}/revoke", data={"reason": "Thẻ bị mất"})
    assert response.status_code == 302
    db.session.expire_all()
    old = db.session.get(Pass, old.id)
    new = invitee.current_pass
    assert old.revoked_at is not None and old.revoke_reason == "Thẻ bị mất" and old.replaced_by_id == new.id
    assert new.token != old.token and new.is_valid
    # the old token now finds a revoked pass (the door says "revoked"); its page says so, with no code
    found = passes.find_by_token(old.token)
    assert found.id == old.id and not found.is_valid and found.replaced_by.id == new.id
    page = client.get(f"/events/pass/{old.token}").get_data(as_text=True)
    assert 'data-testid="pass-revoked"' in page and "qr.png" not in page
    assert client.get(f"/events/pass/{old.token}/qr.png").status_code == 404
    # the holder gets the new one by mail; the change is in the audit log
    assert any(new.token in m.body for m in outbox() if m.recipient == "long@example.vn")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "event.pass_revoke"))
    assert entry.after == {"reason": "Thẻ bị mất", "reissued_pass_id": new.id}


def test_revoking_needs_a_reason(client, login_as):
    event = make_event()
    invitee = make_invitee(event)
    login_as(make_organizer(event))
    client.post(f"/events/manage/{event.id}/invitees/{invitee.id}/revoke", data={"reason": " "})
    db.session.expire_all()
    assert len(invitee.passes) == 1 and invitee.current_pass is not None


def test_find_by_token_maps_a_pass_to_its_event_and_invitee():
    event = make_event()
    invitee = make_invitee(event)
    token = invitee.current_pass.token
    found = passes.find_by_token(token)
    assert (found.event_id, found.event.id, found.invitee.id) == (event.id, event.id, invitee.id)
    assert passes.find_by_token(f"https://example.vn/events/pass/{token}").id == found.id
    assert (
        passes.find_by_token("x" * 40) is None
        and passes.find_by_token("") is None
        and passes.find_by_token(None) is None
    )


def test_tokens_are_unique_in_the_database():
    event = make_event()
    first, second = make_invitee(event), make_invitee(event)
    db.session.add(Pass(token=first.current_pass.token, event_id=event.id, invitee_id=second.id))
    with pytest.raises(Exception):  # noqa: B017 (IntegrityError on any database)
        db.session.flush()
    db.session.rollback()


def test_one_valid_pass_per_invitee_in_the_database():
    from events import rules

    invitee = make_invitee(make_event())
    db.session.add(Pass(token=rules.new_token(), event_id=invitee.event_id, invitee_id=invitee.id))
    with pytest.raises(Exception):  # noqa: B017
        db.session.flush()
    db.session.rollback()


def test_my_passes_shows_only_the_holders_own(client, login_as):
    event = make_event(title="Triển lãm sáng tạo")
    holder = make_account("contestant", name="Võ Thị Mai")
    mine = make_invitee(event, "Võ Thị Mai", user=holder)
    theirs = make_invitee(event, "Người Khác")
    revoked = make_invitee(make_event(title="Sự kiện đã đổi thẻ"), "Võ Thị Mai", user=holder)
    revoke(revoked.current_pass)
    login_as(holder)
    page = client.get("/events/my-passes").get_data(as_text=True)
    assert mine.current_pass.token in page and "Triển lãm sáng tạo" in page
    assert theirs.current_pass.token not in page and "Người Khác" not in page
    assert "Sự kiện đã đổi thẻ" not in page
    assert 'data-testid="nav-my-passes"' in page
    login_as(make_account("contestant", name="Không Có Thẻ"))
    page = client.get("/events/my-passes").get_data(as_text=True)
    assert mine.current_pass.token not in page and 'data-testid="nav-my-passes"' not in page


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_badges_pdf_prints_every_invitee_with_diacritics_and_nothing_private(client, login_as, tmp_path):
    event = make_event(title="Lễ trao giải Hội thi Sáng tạo kỹ thuật lần thứ 10")
    names = [f"Nguyễn Thị Ánh Số {n}" for n in range(1, 11)]
    for i, name in enumerate(names):
        make_invitee(event, name, unit="Trường THPT Chuyên Quang Trung", role="winner", email=f"khach{i}@mail.vn")
    cancelled = make_invitee(event, "Đã Hủy Mời", status="cancelled", with_pass=False)
    login_as(make_organizer(event))
    response = client.get(f"/events/manage/{event.id}/badges.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    path = tmp_path / "badges.pdf"
    path.write_bytes(response.data)
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", " ", text)
    for name in names:
        assert name in flat
    assert "Trường THPT Chuyên Quang" in flat
    assert flat.count("ĐOẠT GIẢI") == 10 or flat.count("AWARD WINNER") == 10  # the role, in the reader's language
    assert cancelled.full_name not in flat and "@mail.vn" not in flat
    pages = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Pages:\s+2", pages)  # 10 badges, 8 a page
    assert "595.2" in pages or "595" in pages  # A4


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (poppler-utils)")
def test_badges_carry_codes_a_decoder_reads(tmp_path):
    from events.documents import Badge, badges_pdf

    url = "http://localhost/events/pass/" + "T" * 32
    (tmp_path / "b.pdf").write_bytes(
        badges_pdf("Sự kiện", "18/05/2026", [Badge("Lê Văn A", "Đơn vị", "Khách mời", url)])
    )
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-singlefile", str(tmp_path / "b.pdf"), str(tmp_path / "b")], check=True
    )
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(tmp_path / "b.png"))] == [url]


def test_the_pass_of_a_cancelled_event_says_so(client):
    invitee = make_invitee(make_event(status="cancelled"))
    page = client.get(f"/events/pass/{invitee.current_pass.token}").get_data(as_text=True)
    assert 'data-testid="event-cancelled"' in page
