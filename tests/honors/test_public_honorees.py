"""Publishing the honoree list: the passed nominees within the number to honor, a choice among nominees tied at the
last place (with a reason), audited; the public page shows no private data."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from honors.models.ballots import Honoree
from honors.models.campaigns import Campaign
from honors.services import publication
from tests.honors.ballot_factories import closed_ballot, open_ballot, voting_honors


def _tied_campaign():
    """Four nominees, two to honor: a passes alone at the top; b and c tie for the last place; d fails."""
    honors = voting_honors(dossiers=("eligible",) * 4, council=3, honor_count=2, bodies=1)
    a, b, c, d = honors.eligible()
    closed_ballot(
        honors,
        {
            a.id: ["agree", "agree", "agree"],
            b.id: ["agree", "agree", "disagree"],
            c.id: ["agree", "agree", "disagree"],
            d.id: ["agree", "disagree", "disagree"],
        },
    )
    return honors, (a, b, c, d)


def test_publishing_needs_a_closed_ballot():
    honors = voting_honors()
    open_ballot(honors)
    with pytest.raises(publication.PublicationError) as refused:
        publication.publish(honors.campaign, by=honors.organizer)
    assert refused.value.code == "not_closed"


def test_publishing_lists_the_honored_within_the_number_and_audits():
    honors = voting_honors(dossiers=("eligible",) * 3, council=3, honor_count=2)
    a, b, c = honors.eligible()
    closed_ballot(
        honors, {a.id: ["agree"] * 3, b.id: ["agree", "agree", "disagree"], c.id: ["agree", "agree", "abstain"]}
    )
    item = publication.publish(honors.campaign, by=honors.organizer)
    # a and c: 100 % (c has fewer agree votes); b: 2/3 is beyond the number
    assert [h.dossier_id for h in item.honorees] == [a.id, c.id]
    assert db.session.get(Campaign, honors.campaign.id).status == "published"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "honors.publish"))
    assert entry.actor_id == honors.organizer.id and len(entry.after["honorees"]) == 2
    with pytest.raises(publication.PublicationError) as again:
        publication.publish(honors.campaign, by=honors.organizer)
    assert again.value.code == "already_published"


def test_a_tie_at_the_last_place_needs_a_choice_and_a_reason():
    honors, (a, b, c, _d) = _tied_campaign()
    for chosen, note, code in (
        ([], "", "tie_choice"),
        ([b.id, c.id], "Cả hai", "tie_choice"),
        ([a.id], "Nhầm", "tie_choice"),
        ([c.id], "", "tie_note_required"),
    ):
        with pytest.raises(publication.PublicationError) as refused:
            publication.publish(honors.campaign, by=honors.organizer, chosen_tied=chosen, tie_note=note)
        assert refused.value.code == code
        db.session.rollback()
    item = publication.publish(
        honors.campaign, by=honors.organizer, chosen_tied=[c.id], tie_note="Ban Tổ chức chọn theo số công trình"
    )
    assert [h.dossier_id for h in item.honorees] == [a.id, c.id]
    assert item.tie_note == "Ban Tổ chức chọn theo số công trình"


def test_the_publication_page_offers_the_tied_and_keeps_what_was_typed(client, login_as):
    honors, (_a, b, c, _d) = _tied_campaign()
    login_as(honors.organizer)
    page = client.get(f"/honors/manage/{honors.campaign.id}/publication").get_data(as_text=True)
    assert 'data-testid="tie"' in page and b.display_name in page and c.display_name in page
    refused = client.post(
        f"/honors/manage/{honors.campaign.id}/publication", data={"tied": [str(b.id)], "tie_note": ""}
    )
    assert refused.status_code == 200
    assert db.session.scalar(select(Honoree.id)) is None
    done = client.post(
        f"/honors/manage/{honors.campaign.id}/publication",
        data={"tied": [str(b.id)], "tie_note": "Theo đề nghị của Hội đồng"},
    )
    assert done.status_code == 302
    assert db.session.scalar(select(Honoree.id).where(Honoree.dossier_id == b.id)) is not None


def test_the_public_page_lists_honorees_without_private_data(client):
    honors = voting_honors(dossiers=("eligible", "eligible", "ineligible"), council=2)
    a, b = honors.eligible()
    closed_ballot(honors, {a.id: ["agree", "agree"], b.id: ["disagree", "disagree"]})
    url = f"/honors/honorees/{honors.campaign.id}"
    assert client.get(url).status_code == 404  # not published yet
    publication.publish(honors.campaign, by=honors.organizer)
    page = client.get(url)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert a.full_name in text and a.unit_name in text
    assert b.full_name not in text
    assert a.email not in text and a.phone not in text and "18/05/1970" not in text and "1970" not in text
    assert honors.campaign.name in client.get("/honors/honorees/").get_data(as_text=True)
    # moved back from published: the list is no longer public
    campaign = db.session.get(Campaign, honors.campaign.id)
    campaign.status = "closed"
    db.session.commit()
    assert client.get(url).status_code == 404
