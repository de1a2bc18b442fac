"""Publishing results: versions 1, 2..., a correction needs a change note, old versions stay readable and frozen,
hashes verify and tampering is detected; the organizers' page previews, lists the changes and publishes."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest
from sqlalchemy import select, update

from app.audit.models import AuditEntry
from app.extensions import db
from results.models import Award, AwardDecision, FrozenError, Publication
from results.services import publication as service
from results.services.plans import plan_for
from results.services.publication import PublicationError
from results.services.scores import propose
from tests.competitions.factories import make_contest
from tests.judging.factories import make_account
from tests.results.factories import make_judged

SHEETS = {1: [[28, 28, 38], [27, 27, 37]], 2: [[20, 20, 30], [21, 20, 30]], 3: [[10, 10, 10], [12, 10, 10]]}
PRIVATE = {
    "birth_date": date(1979, 2, 3),
    "id_number": "079179000123",
    "phone": "0912345678",
    "email": "tacgia.rieng@example.vn",
    "address": "12 Đường Trần Hưng Đạo, phường Tân Phú",
}


def ready(judging, *, decision: bool = True, awards: bool = True) -> None:
    """Award rows as the plan proposes them, the approving decision, and private details on every author (which
    must never be published)."""
    contest = judging.contest
    for entry in judging.entries:
        for person in entry.people:
            for name, value in PRIVATE.items():
                setattr(person, name, value)
    if awards:
        proposal = propose(contest)
        names = {t.code: t.name for t in proposal.plan.tiers}
        ranks = proposal.rank_of()
        scores = proposal.by_entry()
        for entry_id, code in proposal.allocation.awards.items():
            db.session.add(
                Award(
                    contest_id=contest.id,
                    entry_id=entry_id,
                    tier_code=code,
                    tier_name=names[code],
                    rank=ranks[entry_id].rank,
                    score=scores[entry_id].score,
                )
            )
    else:
        plan_for(contest)
    if decision:
        db.session.add(
            AwardDecision(
                contest_id=contest.id,
                number="125/QĐ-LHH",
                signed_on=date(2026, 5, 15),
                signer="Phạm Văn Ký",
                signer_title="Chủ tịch",
            )
        )
    db.session.commit()


def published(sheets=None, **options):
    """A judged contest ready to publish, published once (version 1) and committed."""
    judging = make_judged(sheets or SHEETS, **options)
    ready(judging)
    service.publish(judging.contest, "", by=judging.organizer)
    db.session.commit()
    return judging


def award_of(entry) -> Award:
    return db.session.scalar(select(Award).where(Award.entry_id == entry.id))


# --- Services ------------------------------------------------------------------------------------------------


def test_publishing_twice_gives_versions_1_and_2_and_a_correction_needs_a_note():
    judging = make_judged(SHEETS)
    ready(judging)
    first = service.publish(judging.contest, "", by=judging.organizer)
    db.session.commit()
    assert first.version == 1 and first.change_note == "" and first.decision.number == "125/QĐ-LHH"
    payload, digest = first.payload, first.content_hash

    with pytest.raises(PublicationError) as refused:
        service.publish(judging.contest, "   ", by=judging.organizer)
    assert refused.value.code == "note_required"
    db.session.rollback()

    award = award_of(judging.entries[1])
    award.tier_code, award.tier_name, award.source, award.reason = "first", "Giải Nhất", "manual", "Phúc khảo"
    db.session.commit()
    second = service.publish(judging.contest, "Sửa giải của bài số 2 sau phúc khảo", by=judging.organizer)
    db.session.commit()
    assert second.version == 2 and second.content_hash != digest

    old = service.publication_version(judging.contest.id, 1)
    assert old.payload == payload and old.content_hash == digest  # the old version is unchanged
    assert service.latest_publication(judging.contest).id == second.id
    assert [p.version for p in service.versions(judging.contest)] == [2, 1]
    data = service.snapshot_of(second)
    assert data["version"] == 2 and data["change_note"] == "Sửa giải của bài số 2 sau phúc khảo"
    awards = {a["code"]: a["tier"] for a in data["awards"]}
    assert awards[judging.entries[1].code] == "first"
    assert {a["code"]: a["tier"] for a in service.snapshot_of(old)["awards"]}[judging.entries[1].code] == "second"


def test_a_published_version_is_never_updated():
    judging = published()
    publication = service.latest_publication(judging.contest)
    publication.change_note = "đổi lén"
    with pytest.raises(FrozenError):
        db.session.flush()
    db.session.rollback()
    assert service.latest_publication(judging.contest).change_note == ""


def test_the_hash_verifies_and_tampering_is_detected():
    judging = published()
    publication = service.latest_publication(judging.contest)
    assert publication.content_hash == hashlib.sha256(publication.payload.encode()).hexdigest()
    assert service.verify(publication)
    tampered = publication.payload.replace('"125/QĐ-LHH"', '"999/QĐ-LHH"')
    assert tampered != publication.payload
    # an UPDATE behind the application's back (the ORM's guard does not see it)
    db.session.execute(update(Publication.__table__).where(Publication.id == publication.id).values(payload=tampered))
    db.session.commit()
    db.session.expire_all()
    assert not service.verify(service.latest_publication(judging.contest))


def test_publishing_is_audited_with_the_version_and_the_hash():
    judging = published()
    publication = service.latest_publication(judging.contest)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "results.publish"))
    assert entry.object_type == "result_publications" and entry.object_id == str(publication.id)
    assert entry.after["version"] == 1 and entry.after["content_hash"] == publication.content_hash
    assert entry.actor_id == judging.organizer.id
    assert publication.published_by_id == judging.organizer.id


@pytest.mark.parametrize(
    ("decision", "awards", "code"),
    [(False, True, "no_decision"), (True, False, "no_awards")],
    ids=["decision", "awards"],
)
def test_publishing_needs_a_decision_and_awards(decision, awards, code):
    judging = make_judged(SHEETS)
    ready(judging, decision=decision, awards=awards)
    with pytest.raises(PublicationError) as refused:
        service.publish(judging.contest, "", by=judging.organizer)
    assert refused.value.code == code
    assert service.preview(judging.contest).problems == [code]


def test_publishing_needs_a_ranking_round():
    contest = make_contest()
    with pytest.raises(PublicationError) as refused:
        service.publish(contest, "", by=None)
    assert refused.value.code == "no_round"


def test_the_same_version_published_at_once_is_refused_cleanly(monkeypatch):
    judging = published()
    monkeypatch.setattr(service, "_next_version", lambda contest: 1)  # as if the other request had not committed
    with pytest.raises(PublicationError) as refused:
        service.publish(judging.contest, "Lần hai", by=judging.organizer)
    assert refused.value.code == "version_taken"
    db.session.rollback()
    assert [p.version for p in service.versions(judging.contest)] == [1]


def test_the_snapshot_holds_scores_awards_and_the_decision_but_no_private_detail():
    judging = published()
    publication = service.latest_publication(judging.contest)
    data = service.snapshot_of(publication)
    first = judging.entries[0]
    row = next(e for e in data["entries"] if e["id"] == first.id)
    assert row["code"] == first.code and row["score"] == "92.50" and row["rank"] == 1
    assert row["authors"] == [{"name": "Tác giả 1", "unit": "Đơn vị số 1", "locality": ""}]
    assert data["decision"]["number"] == "125/QĐ-LHH" and data["decision"]["signed_on"] == "2026-05-15"
    assert [link["key"] for link in data["ranking"]["tie_break"]][-1] == "board"
    assert data["ranking"]["tie_break"][0]["criterion"].startswith("Hiệu quả")
    assert len(data["normalisation"]["judges"]) == 2 and data["normalisation"]["method"] == "mean"
    text = publication.payload
    for value in (*PRIVATE.values(), "1979-02-03", "03/02/1979"):
        assert str(value) not in text
    for judge in judging.judges:
        assert judge.full_name not in text and judge.email not in text


def test_the_preview_lists_what_changed_since_the_last_version():
    judging = published()
    preview = service.preview(judging.contest)
    assert preview.version == 2 and preview.changes == [] and preview.unchanged
    award = award_of(judging.entries[2])
    award.tier_code, award.tier_name = "third", "Giải Ba"
    db.session.commit()
    preview = service.preview(judging.contest)
    assert not preview.unchanged
    assert [(c.code, c.award_before, c.award_after) for c in preview.changes] == [
        (judging.entries[2].code, "Giải Nhì", "Giải Ba")
    ]


# --- The organizers' page --------------------------------------------------------------------------------------


def test_the_page_previews_publishes_and_lists_versions(client, login_as):
    judging = make_judged(SHEETS)
    ready(judging)
    login_as(judging.organizer)
    url = f"/results/manage/{judging.contest.id}/publish"
    page = client.get(url).get_data(as_text=True)
    assert judging.entries[0].code in page and "125/QĐ-LHH" in page and 'data-testid="publish-problems"' not in page
    response = client.post(url, data={"change_note": ""})
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    page = client.get(url).get_data(as_text=True)
    publication = service.latest_publication(judging.contest.id)
    assert 'data-testid="version-1"' in page and publication.content_hash[:12] in page
    assert "Trần Thị Tổ Chức" in page  # who published
    assert 'data-testid="tampered"' not in page


def test_a_correction_without_a_note_is_refused_beside_the_field(client, login_as):
    judging = published()
    login_as(judging.organizer)
    url = f"/results/manage/{judging.contest.id}/publish"
    response = client.post(url, data={"change_note": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "is-invalid" in page
    assert [p.version for p in service.versions(judging.contest.id)] == [1]
    response = client.post(url, data={"change_note": "Sửa điểm bài số 3"})
    assert response.status_code == 302
    assert service.latest_publication(judging.contest.id).change_note == "Sửa điểm bài số 3"


def test_a_refusal_keeps_the_note_typed(client, login_as):
    judging = make_judged(SHEETS)
    ready(judging, decision=False)
    login_as(judging.organizer)
    response = client.post(f"/results/manage/{judging.contest.id}/publish", data={"change_note": "Ghi chú đã gõ"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'data-testid="publish-error"' in page and "Ghi chú đã gõ" in page
    assert service.latest_publication(judging.contest.id) is None


def test_the_page_shows_a_tampered_version(client, login_as):
    judging = published()
    publication = service.latest_publication(judging.contest)
    db.session.execute(
        update(Publication.__table__)
        .where(Publication.id == publication.id)
        .values(payload=publication.payload.replace("Tác giả 1", "Tác giả X"))
    )
    db.session.commit()
    login_as(judging.organizer)
    page = client.get(f"/results/manage/{judging.contest.id}/publish").get_data(as_text=True)
    assert 'data-testid="tampered"' in page


def test_an_organizer_of_another_contest_may_not_publish(client, login_as):
    judging = make_judged(SHEETS)
    ready(judging)
    other = make_contest()
    login_as(make_account("organizer", name="Người khác", scope=("contest", other.id)))
    assert client.post(f"/results/manage/{judging.contest.id}/publish", data={}).status_code == 403
    assert service.latest_publication(judging.contest.id) is None


def _entries(n: int) -> dict:
    return {i: [[10 + i % 20, 10, 10], [11, 10 + i % 15, 10]] for i in range(1, n + 1)}


def test_the_page_costs_the_same_queries_for_3_and_for_12_entries(client, login_as, count_queries):
    counts = []
    for n in (3, 12):
        judging = make_judged(_entries(n))
        ready(judging)
        service.publish(judging.contest, "", by=judging.organizer)
        db.session.commit()
        login_as(judging.organizer)
        with count_queries() as counted:
            assert client.get(f"/results/manage/{judging.contest.id}/publish").status_code == 200
        counts.append(counted.n)
    assert counts[0] == counts[1], counts


def test_the_payload_is_the_stored_json():
    judging = published()
    publication = service.latest_publication(judging.contest)
    assert json.loads(publication.payload) == service.snapshot_of(publication)
