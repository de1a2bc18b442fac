"""The parent edition's page of its children (forwarding/views/parent.py): counts per child compared with an
independent count, bounded queries (1 child or 3), the window and default quota, each child's own quota, and a
new child edition; refusals beside their field with what was typed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.timefmt import local_to_utc
from competitions.models import Contest, Entry
from forwarding import services
from forwarding.models import Forward
from judging import services as judging
from judging.models import Assignment, Round, RoundEntry, ScoreSheet
from results.models import Award
from tests.competitions.factories import make_organisation
from tests.forwarding.factories import judge_child, make_levels
from tests.forwarding.test_child_page import login, text


def independent_counts(parent: Contest) -> dict[int, dict]:
    """The counts worked out entry by entry in Python, from the raw rows."""
    out = {}
    forwards = db.session.scalars(select(Forward)).all()
    for child in db.session.scalars(select(Contest).where(Contest.parent_id == parent.id)):
        active = [f for f in forwards if f.from_contest_id == child.id and f.to_contest_id == parent.id and f.active]
        own = [e for e in db.session.scalars(select(Entry).where(Entry.contest_id == child.id)) if e.status != "draft"]
        judged = set()
        for a in db.session.scalars(select(Assignment).join(Round).where(Round.contest_id == child.id)):
            sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.assignment_id == a.id))
            if sheet is not None and sheet.status == "submitted":
                judged.add(a.entry_id)
        parent_rounds = {r.id for r in db.session.scalars(select(Round).where(Round.contest_id == parent.id))}
        in_round = {re.entry_id for re in db.session.scalars(select(RoundEntry)) if re.round_id in parent_rounds}
        awarded = {a.entry_id for a in db.session.scalars(select(Award).where(Award.contest_id == parent.id))}
        out[child.id] = {
            "registered": len(own) + len(active),
            "judged": len(judged),
            "forwarded": len(active),
            "eligible": sum(1 for f in active if f.entry.status == "eligible"),
            "in_round": sum(1 for f in active if f.entry_id in in_round),
            "awarded": sum(1 for f in active if f.entry_id in awarded),
        }
    return out


def summary_counts(parent: Contest) -> dict[int, dict]:
    keys = ("registered", "judged", "forwarded", "eligible", "in_round", "awarded")
    return {s.child.id: {k: getattr(s, k) for k in keys} for s in services.child_summary(parent)}


def test_counts_per_child_match_an_independent_count(client):
    levels = make_levels(children=3, entries=4)
    parent, province = levels.parent, levels.province_organizer
    first, second, _third = levels.children
    judge_child(first, levels.entries[0][:3], [90, 80, 70], by=levels.organizers[0])
    judge_child(second, levels.entries[1], [60, 70, 80, 90], by=levels.organizers[1], awards=False)
    levels.entries[1][3].status = "submitted"  # one of the second district's entries not screened yet: still counts
    db.session.commit()
    services.forward_entries(first, levels.entries[0][:2], "rank", by=levels.organizers[0])
    services.forward_entries(second, levels.entries[1][:1], "manual", by=levels.organizers[1])
    (withdrawn,) = services.forward_entries(second, levels.entries[1][1:2], "manual", by=levels.organizers[1])
    db.session.commit()
    services.withdraw_forward(withdrawn, "Nhầm", by=levels.organizers[1])
    levels.entries[0][0].status = "eligible"
    levels.entries[1][0].status = "eligible"
    db.session.commit()
    round_ = judging.create_round(parent, "preliminary", by=province)
    judging.add_eligible_entries(round_, by=province)
    db.session.add(
        Award(contest_id=parent.id, entry_id=levels.entries[0][0].id, tier_code="third", tier_name="Giải Ba")
    )
    db.session.commit()

    counted = summary_counts(parent)
    assert counted == independent_counts(parent)
    assert counted[first.id] == {
        "registered": 4, "judged": 3, "forwarded": 2, "eligible": 1, "in_round": 1, "awarded": 1,
    }  # fmt: skip
    page = text(login(client, province).get(f"/forwarding/{parent.id}/children"))
    assert f'data-child="{first.id}"' in page and "Giải Ba: 1" in page


def test_the_page_costs_the_same_queries_for_one_child_and_three(client, count_queries):
    def measure(children: int) -> int:
        levels = make_levels(children=children, entries=2)
        for child, organizer, entries in zip(levels.children, levels.organizers, levels.entries, strict=True):
            judge_child(child, entries, [80, 60], by=organizer)
            services.forward_entries(child, entries[:1], "manual", by=organizer)
        db.session.commit()
        login(client, levels.province_organizer)
        client.get(f"/forwarding/{levels.parent.id}/children")
        with count_queries() as counted:
            response = client.get(f"/forwarding/{levels.parent.id}/children")
        assert response.status_code == 200
        return counted.n

    assert measure(1) == measure(3)


def test_the_window_and_the_default_quota(client):
    levels = make_levels(window=False)
    parent, province = levels.parent, levels.province_organizer
    url = f"/forwarding/{parent.id}/children/window"
    data = {"forward_opens_at": "01/06/2026 08:00", "forward_closes_at": "15/06/2026", "forward_quota": "12"}
    response = login(client, province).post(url, data=data)
    assert response.status_code == 302
    assert parent.forward_opens_at == local_to_utc(datetime(2026, 6, 1, 8, 0))
    assert parent.forward_closes_at == local_to_utc(datetime(2026, 6, 15, 23, 59))
    assert parent.forward_quota == 12
    page = text(client.get(f"/forwarding/{parent.id}/children"))
    assert 'value="01/06/2026 08:00"' in page and 'value="15/06/2026 23:59"' in page

    bad = {"forward_opens_at": "20/06/2026 08:00", "forward_closes_at": "10/06/2026 08:00", "forward_quota": "-1"}
    response = client.post(url, data=bad)
    page = text(response)
    assert response.status_code == 200 and "A number between 0 and 10000." in page
    assert 'value="20/06/2026 08:00"' in page  # what was typed is kept
    response = client.post(url, data=bad | {"forward_quota": ""})
    assert "Forwarding must close after it opens." in text(response)
    assert parent.forward_quota == 12
    assert len(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "contest.forwarding")).all()) == 1


def test_each_childs_own_quota(client):
    levels = make_levels(children=2, quota=5)
    parent, province = levels.parent, levels.province_organizer
    first, second = levels.children
    url = f"/forwarding/{parent.id}/children/quotas"
    data = {"rows-0-child_id": first.id, "rows-0-quota": "8", "rows-1-child_id": second.id, "rows-1-quota": ""}
    assert login(client, province).post(url, data=data).status_code == 302
    assert (first.quota_at_parent, second.quota_at_parent) == (8, None)
    assert services.forwarding_state(first).quota == 8 and services.forwarding_state(second).quota == 5

    response = client.post(url, data=data | {"rows-1-quota": "nhiều"})
    page = text(response)
    assert response.status_code == 200 and 'value="nhiều"' in page and "is-invalid" in page
    assert second.quota_at_parent is None

    other = make_levels(children=1)  # a child of another edition cannot be changed through this one
    client.post(url, data={"rows-0-child_id": other.children[0].id, "rows-0-quota": "1"})
    assert other.children[0].quota_at_parent is None


def test_a_new_child_edition_for_a_body_under_the_parents(client):
    levels = make_levels(children=0)
    parent, province = levels.parent, levels.province_organizer
    district = make_organisation("Liên hiệp các hội KH&KT huyện Phú Riềng", parent=parent.organisation)
    elsewhere = make_organisation("Liên hiệp các hội KH&KT tỉnh Đồng Nai")
    db.session.commit()
    page = text(login(client, province).get(f"/forwarding/{parent.id}/children"))
    assert district.name in page and elsewhere.name not in page

    url = f"/forwarding/{parent.id}/children/new"
    response = client.post(url, data={"organisation_id": elsewhere.id, "name": "Vòng lạ", "code_prefix": "DN"})
    assert response.status_code == 200 and "Choose one of the bodies listed." in text(response)
    assert 'value="Vòng lạ"' in text(response)
    response = client.post(
        url, data={"organisation_id": district.id, "name": "Vòng huyện Phú Riềng", "code_prefix": "pr"}
    )
    assert response.status_code == 302
    child = db.session.scalar(select(Contest).where(Contest.parent_id == parent.id))
    assert (child.name, child.organisation_id, child.code_prefix, child.status) == (
        "Vòng huyện Phú Riềng",
        district.id,
        "PR",
        "draft",
    )
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.object_id == str(child.id))) == (
        "contest.create_child"
    )
