"""Forwarding moves the same entry into the parent (its documents and files, history, the child's rounds and
awards stay its own; field, age group and document types become the parent's) and a withdrawal puts it back
exactly; the window, the quota (a child's own over the parent's default) and the entries that may go."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import inspect, select

from app.audit.models import AuditEntry
from app.extensions import db
from app.timefmt import utcnow
from app.uploads import upload_dir
from competitions.models import Entry, EntryDocument, Field
from forwarding import services
from forwarding.models import Forward
from forwarding.services import ForwardingError
from judging import services as judging
from judging.models import Assignment, RoundEntry
from results.models import Award
from tests.forwarding.factories import judge_child, make_levels


def columns(record) -> dict:
    return {attr.key: getattr(record, attr.key) for attr in inspect(record).mapper.column_attrs}


def history(entry: Entry) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.object_type == "entries", AuditEntry.object_id == str(entry.id))
            .order_by(AuditEntry.id)
        )
    )


def stored(entry: Entry) -> dict[int, dict]:
    query = select(EntryDocument).where(EntryDocument.entry_id == entry.id)
    return {d.id: columns(d) for d in db.session.scalars(query)}


@pytest.mark.parametrize("kind", ["innovation", "youth"])
def test_a_forward_moves_the_same_entry_and_a_withdrawal_puts_it_back_exactly(kind):
    levels = make_levels(kind=kind, files=True, entries=3)
    child, parent, district = levels.children[0], levels.parent, levels.organizers[0]
    round_ = judge_child(child, levels.entries[0], [85, 70, 30], by=district)
    entry = levels.entries[0][0]
    entry.screening_note = "Đủ điều kiện ở vòng huyện."
    db.session.commit()
    before_entry, before_docs, before_history = columns(entry), stored(entry), history(entry)
    files = {d.id: (upload_dir(f"entries/{entry.id}") / d.stored_name).read_bytes() for d in entry.documents}
    award = db.session.scalar(select(Award).where(Award.entry_id == entry.id))
    assert award is not None  # the best entry has its district prize

    (forward,) = services.forward_entries(child, [entry], "award", by=district)
    db.session.commit()
    db.session.expire_all()

    moved = db.session.get(Entry, before_entry["id"])
    assert moved.contest_id == parent.id and moved.seq is None and moved.status == "submitted"
    assert moved.code == before_entry["code"]
    assert moved.field.contest_id == parent.id and moved.field_id == child_field(before_entry["field_id"]).parent_id
    if kind == "youth":
        assert moved.age_group.contest_id == parent.id
        assert moved.age_group_id == next(a.parent_id for a in child.age_groups if a.id == before_entry["age_group_id"])
    else:
        assert moved.age_group_id is None
    assert (moved.screening_note, moved.screened_at) == ("", None)  # awaiting the parent's screening
    # The same documents, their files untouched, their types the parent's.
    assert set(stored(moved)) == set(before_docs)
    for doc in moved.documents:
        assert doc.document_type.contest_id == parent.id
        assert {k: v for k, v in columns(doc).items() if k != "document_type_id"} == {
            k: v for k, v in before_docs[doc.id].items() if k != "document_type_id"
        }
        assert (upload_dir(f"entries/{moved.id}") / doc.stored_name).read_bytes() == files[doc.id]
    # Its history goes on; the child's round, sheets and awards still point at it.
    assert history(moved) == [*before_history, "entry.forward"]
    in_child_round = select(RoundEntry.id).where(RoundEntry.round_id == round_.id, RoundEntry.entry_id == moved.id)
    assert db.session.scalar(in_child_round) is not None
    judged = select(Assignment.id).where(Assignment.round_id == round_.id, Assignment.entry_id == moved.id)
    assert db.session.scalar(judged) is not None
    assert db.session.get(Award, award.id).entry_id == moved.id and award.contest_id == child.id
    assert forward.lower_result["award"] == award.tier_name and forward.lower_result["rank"] == 1
    assert forward.lower_result["round"] == round_.name and forward.lower_result["score"] == "85.00"

    services.withdraw_forward(forward, "Nhầm bài, gửi lại bài khác.", by=district)
    db.session.commit()
    db.session.expire_all()
    back = db.session.get(Entry, before_entry["id"])
    after = columns(back)
    assert {k: v for k, v in after.items() if k != "updated_at"} == {
        k: v for k, v in before_entry.items() if k != "updated_at"
    }
    assert stored(back) == before_docs
    assert history(back) == [*before_history, "entry.forward", "entry.forward_withdraw"]
    forward = db.session.get(Forward, forward.id)
    assert not forward.active and forward.withdraw_reason == "Nhầm bài, gửi lại bài khác."


def child_field(field_id: int) -> Field:
    return db.session.get(Field, field_id)


def test_outside_the_window_nothing_is_forwarded():
    levels = make_levels(window=False)
    child, entry, district = levels.children[0], levels.entries[0][0], levels.organizers[0]
    with pytest.raises(ForwardingError) as refused:
        services.forward_entries(child, [entry], "manual", by=district)
    assert refused.value.codes == ["window_unset"]
    levels.parent.forward_opens_at = utcnow() + timedelta(days=1)
    db.session.commit()
    with pytest.raises(ForwardingError) as refused:
        services.forward_entries(child, [entry], "manual", by=district)
    assert refused.value.codes == ["window_not_yet"]
    levels.parent.forward_opens_at = utcnow() - timedelta(days=3)
    levels.parent.forward_closes_at = utcnow() - timedelta(days=1)
    db.session.commit()
    with pytest.raises(ForwardingError) as refused:
        services.forward_entries(child, [entry], "manual", by=district)
    assert refused.value.codes == ["window_closed"]
    assert entry.contest_id == child.id and db.session.scalar(select(Forward.id)) is None


def test_the_quota_a_childs_own_over_the_parents_default():
    levels = make_levels(entries=3, quota=2)
    first, second = levels.children
    district = levels.organizers[0]
    with pytest.raises(ForwardingError) as refused:
        services.forward_entries(first, levels.entries[0], "manual", by=district)
    assert [(p.code, p.quota, p.left) for p in refused.value.problems] == [("quota", 2, 2)]
    services.forward_entries(first, levels.entries[0][:2], "manual", by=district)
    db.session.commit()
    assert services.forwarding_state(first).left == 0
    with pytest.raises(ForwardingError):
        services.forward_entries(first, levels.entries[0][2:], "manual", by=district)

    services.set_child_quota(first, 3, by=levels.province_organizer)  # the province gives this district more
    db.session.commit()
    services.forward_entries(first, levels.entries[0][2:], "manual", by=district)
    db.session.commit()
    assert services.forwarding_state(first).left == 0
    assert services.forwarding_state(second).quota == 2  # the other keeps the default
    services.set_child_quota(second, 0, by=levels.province_organizer)
    db.session.commit()
    with pytest.raises(ForwardingError) as refused:
        services.forward_entries(second, levels.entries[1][:1], "manual", by=levels.organizers[1])
    assert refused.value.codes == ["quota"]
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action == "contest.quota_at_parent"))
    assert len(list(actions)) == 2


def test_only_eligible_entries_still_in_the_child_go_and_only_once():
    levels = make_levels(entries=3)
    child, district = levels.children[0], levels.organizers[0]
    first, second, third = levels.entries[0]
    other = levels.entries[1][0]
    second.status = "submitted"
    db.session.commit()
    with pytest.raises(ForwardingError) as refused:
        services.forward_entries(child, [first, second, other], "manual", by=district)
    assert {p.code: p.codes for p in refused.value.problems} == {
        "not_in_child": (other.code,),
        "not_eligible": (second.code,),
    }
    services.forward_entries(child, [first], "manual", by=district)
    db.session.commit()
    with pytest.raises(ForwardingError) as refused:
        services.forward_entries(child, [first, third], "manual", by=district)
    assert refused.value.codes == ["not_in_child"]  # it has moved into the parent


def test_an_entry_in_a_list_the_child_added_itself_cannot_go():
    levels = make_levels(entries=1)
    child, entry, district = levels.children[0], levels.entries[0][0], levels.organizers[0]
    own = Field(contest_id=child.id, code="9", name="Lĩnh vực riêng của huyện", position=9)
    db.session.add(own)
    db.session.flush()
    entry.field_id = own.id
    db.session.commit()
    with pytest.raises(ForwardingError) as refused:
        services.forward_entries(child, [entry], "manual", by=district)
    assert {p.code: p.codes for p in refused.value.problems} == {"unmapped": (entry.code,)}


def test_a_forward_is_withdrawn_only_before_the_window_closes_and_while_in_no_parent_round():
    levels = make_levels(entries=2)
    child, parent, district = levels.children[0], levels.parent, levels.organizers[0]
    first, second = levels.entries[0]
    one, two = services.forward_entries(child, [first, second], "manual", by=district)
    db.session.commit()
    with pytest.raises(ForwardingError) as refused:
        services.withdraw_forward(one, "  ", by=district)
    assert refused.value.codes == ["reason_required"]

    # The parent screens the first eligible and puts it in its preliminary round.
    first.status = "eligible"
    db.session.commit()
    round_ = judging.create_round(parent, "preliminary", by=levels.province_organizer)
    judging.add_eligible_entries(round_, by=levels.province_organizer)
    db.session.commit()
    with pytest.raises(ForwardingError) as refused:
        services.withdraw_forward(one, "Rút lại", by=district)
    assert refused.value.codes == ["in_round"]

    parent.forward_closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(ForwardingError) as refused:
        services.withdraw_forward(two, "Rút lại", by=district)
    assert refused.value.codes == ["window_closed"]
    assert second.contest_id == parent.id and two.active

    rows = {r.forward.id: r for r in services.forwards_from(child)}
    assert [p.code for p in rows[one.id].problems] == ["window_closed", "in_round"]
    assert not rows[two.id].withdrawable


def test_setting_the_window_and_default_quota_is_audited_and_checked():
    levels = make_levels(window=False)
    parent, province = levels.parent, levels.province_organizer
    opens, closes = utcnow(), utcnow() + timedelta(days=5)
    assert services.set_forwarding(parent, opens_at=opens, closes_at=closes, quota=20, by=province)
    db.session.commit()
    assert not services.set_forwarding(parent, opens_at=opens, closes_at=closes, quota=20, by=province)
    with pytest.raises(ForwardingError) as refused:
        services.set_forwarding(parent, opens_at=closes, closes_at=opens, quota=20, by=province)
    assert refused.value.codes == ["window_order"]
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "contest.forwarding"))
    assert audit.after["forward_quota"] == 20 and audit.before["forward_quota"] is None


@pytest.mark.parametrize("plan", [False, True])
def test_forwarding_some_entries_changes_no_other_entrys_rank_in_the_child(plan):
    levels = make_levels(entries=4)
    child, district = levels.children[0], levels.organizers[0]
    entries = levels.entries[0]  # fields alternate: 0, 1, 0, 1
    judge_child(child, entries, [90, 85, 70, 60], by=district, awards=plan)
    before = services.lower_results(child)
    assert [before[e.id].rank for e in entries] == [1, 1, 2, 2]
    services.forward_entries(child, entries[:2], "rank", by=district)
    db.session.commit()
    after = services.lower_results(child)
    assert {e.id: after[e.id].rank for e in entries} == {e.id: before[e.id].rank for e in entries}
    assert bool(services.award_tiers(child)) == plan  # reading the results created no award plan
