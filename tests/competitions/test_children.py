"""Child editions: created from the parent, rules inherited unless overridden, the parent's changes reaching the
children that inherit them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from competitions import services
from tests.competitions.factories import make_contest, make_entry, make_organisation


def test_a_child_copies_and_links_the_parents_lists_and_inherits_its_rules(make_user):
    organizer = make_user("organizer")
    parent = make_contest("youth")
    district = make_organisation("Liên hiệp các hội KH&KT huyện Bù Đăng", parent=parent.organisation)
    child = services.create_child_contest(parent, district.id, name="Vòng huyện Bù Đăng", by=organizer)
    db.session.commit()
    assert child.parent is parent and parent.children == [child] and child.status == "draft"
    assert (child.kind, child.year, child.max_authors, child.birth_from) == (
        parent.kind,
        parent.year,
        parent.max_authors,
        parent.birth_from,
    )
    assert child.inherits == list(services.INHERITABLE_RULES)
    assert [(f.name, f.parent_id) for f in child.fields] == [(f.name, f.id) for f in parent.fields]
    assert [a.parent_id for a in child.age_groups] == [a.id for a in parent.age_groups]
    assert [d.parent_id for d in child.document_types] == [d.id for d in parent.document_types]
    assert child.code_prefix != parent.code_prefix  # entry codes stay unique across the system
    assert ("contest", parent.id) in child.access_scopes()
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.object_id == str(child.id))) == (
        "contest.create_child"
    )


def test_the_parents_changes_reach_children_that_inherit_and_not_those_that_override(make_user):
    organizer = make_user("organizer")
    parent = make_contest("youth")
    first = services.create_child_contest(parent, parent.organisation_id, name="Vòng trường A", by=organizer)
    second = services.create_child_contest(parent, parent.organisation_id, name="Vòng trường B", by=organizer)
    grandchild = services.create_child_contest(first, parent.organisation_id, name="Vòng lớp", by=organizer)
    services.update_contest(second, {"max_authors": 2})  # the second school overrides the number of authors
    db.session.commit()
    assert "max_authors" not in second.inherits and second.max_authors == 2

    services.update_contest(parent, {"max_authors": 4, "birth_to": date(2019, 7, 31)})
    db.session.commit()
    assert (first.max_authors, first.birth_to) == (4, date(2019, 7, 31))
    assert (grandchild.max_authors, grandchild.birth_to) == (4, date(2019, 7, 31))
    assert (second.max_authors, second.birth_to) == (2, date(2019, 7, 31))

    services.set_inherited(second, "max_authors", True)
    db.session.commit()
    assert second.max_authors == 4 and "max_authors" in second.inherits
    assert services.overridden(first, {"max_authors": 4, "max_teachers": 9}) == ["max_teachers"]


# --- What a child's settings page shows -----------------------------------------------------------------------


def test_a_childs_rules_say_whether_they_follow_the_parent_and_with_which_value(make_user):
    organizer = make_user("organizer")
    parent = make_contest("youth")
    child = services.create_child_contest(parent, parent.organisation_id, name="Vòng huyện", by=organizer)
    services.update_contest(child, {"max_authors": 2})
    db.session.commit()
    states = {s.rule: s for s in services.inheritance(child)}
    assert list(states) == list(services.INHERITABLE_RULES)
    assert (states["max_authors"].inherited, states["max_authors"].value) == (False, 2)
    assert states["max_authors"].parent_value == parent.max_authors != 2
    assert states["birth_to"].inherited and states["birth_to"].value == parent.birth_to
    assert services.inheritance(parent) == []


def test_the_parent_lists_its_children_with_their_submitted_entries(make_user):
    organizer = make_user("organizer")
    parent = make_contest("youth")
    first = services.create_child_contest(parent, parent.organisation_id, name="Vòng huyện A", by=organizer)
    second = services.create_child_contest(parent, parent.organisation_id, name="Vòng huyện B", by=organizer)
    first.status = "open"
    first.registration_opens_at, first.registration_closes_at = (
        parent.registration_opens_at,
        (parent.registration_closes_at),
    )
    db.session.commit()
    make_entry(first, submit=True)
    make_entry(first, submit=True, title="Thùng rác tự đóng mở")
    make_entry(first, title="Bản nháp")
    assert [(r.contest, r.entries) for r in services.children_of(parent)] == [(first, 2), (second, 0)]


# --- A child's fields and age groups are its parent's ---------------------------------------------------------


def rows_of(contest, relation):
    _model, columns = services.CONTEST_LISTS[relation]
    return [{"id": item.id} | {c: getattr(item, c) for c in columns} for item in getattr(contest, relation)]


@pytest.mark.parametrize("relation", ["fields", "age_groups"])
def test_a_child_cannot_change_the_fields_and_age_groups_it_takes_from_its_parent(make_user, relation):
    organizer = make_user("organizer")
    parent = make_contest("youth")
    child = services.create_child_contest(parent, parent.organisation_id, name="Vòng trường", by=organizer)
    db.session.commit()
    before = [(item.id, item.name) for item in getattr(child, relation)]
    rows = rows_of(child, relation)
    rows[0]["name"] = "Đổi tên ở vòng trường"
    with pytest.raises(services.ListFollowsParent) as refused:
        services.update_contest_list(child, relation, rows)
    assert refused.value.relation == relation
    db.session.rollback()
    assert [(item.id, item.name) for item in getattr(child, relation)] == before


def test_a_child_changes_its_own_document_types_and_criteria(make_user):
    organizer = make_user("organizer")
    parent = make_contest("youth")
    child = services.create_child_contest(parent, parent.organisation_id, name="Vòng trường", by=organizer)
    db.session.commit()
    for relation in ("document_types", "criteria"):
        rows = rows_of(child, relation)
        rows[0]["name"] = "Riêng của vòng trường"
        assert services.update_contest_list(child, relation, rows)
        assert getattr(child, relation)[0].name == "Riêng của vòng trường"
    assert parent.document_types[0].name != "Riêng của vòng trường"


def test_the_parents_field_changes_reach_its_children_and_theirs(make_user):
    organizer = make_user("organizer")
    parent = make_contest("youth")
    child = services.create_child_contest(parent, parent.organisation_id, name="Vòng huyện", by=organizer)
    school = services.create_child_contest(child, parent.organisation_id, name="Vòng trường", by=organizer)
    for edition in (child, school):
        edition.status = "open"
        edition.registration_opens_at = parent.registration_opens_at
        edition.registration_closes_at = parent.registration_closes_at
    db.session.commit()
    # The child's entry uses its copy of the parent's last field; nobody uses the copies of the fourth.
    used = child.fields[-1]
    entry = make_entry(child, submit=True, field_id=used.id)
    fourth, last = parent.fields[3], parent.fields[-1]

    rows = rows_of(parent, "fields")
    rows[0]["name"] = "Đồ dùng học tập, đồ dùng dạy học"
    rows[0]["code"] = "A"
    rows = [r for r in rows if r["id"] not in (fourth.id, last.id)]
    rows.insert(0, {"id": None, "code": "M", "name": "Trí tuệ nhân tạo", "description": "Ứng dụng AI"})
    assert services.update_contest_list(parent, "fields", rows)
    db.session.commit()

    parent_names = [f.name for f in parent.fields]
    for edition, above in ((child, parent), (school, child)):
        db.session.refresh(edition)
        linked = [f for f in edition.fields if f.parent_id is not None]
        assert [f.parent_id for f in linked] == [f.id for f in above.fields]
        assert [(f.code, f.name, f.description) for f in linked] == [
            (f.code, f.name, f.description) for f in above.fields
        ]
    # The child keeps its copy of the removed last field, unlinked, at the end: its entry uses it; the school round
    # follows the child (its copy of the fourth field is gone).
    assert [f.name for f in child.fields] == [*parent_names, last.name]
    assert [f.name for f in school.fields] == [f.name for f in child.fields]
    assert fourth.name not in {f.name for f in school.fields}
    assert child.fields[-1].id == used.id and child.fields[-1].parent_id is None
    assert db.session.get(type(used), used.id) is not None and entry.field_id == used.id
    assert [f.position for f in child.fields] == list(range(len(child.fields)))
    kept = services.detached_rows(parent, "fields")
    assert [(k.contest, k.item.name, k.entries) for k in kept] == [(child, last.name, 1)]
    assert services.detached_rows(child, "fields") == []
    changes = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "contest.fields.update").order_by(AuditEntry.id)
    ).all()
    assert [c.object_id for c in changes] == [str(parent.id), str(child.id), str(school.id)]
    assert changes[1].summary == parent.name


def test_the_parents_age_groups_reach_its_children(make_user):
    organizer = make_user("organizer")
    parent = make_contest("youth")
    child = services.create_child_contest(parent, parent.organisation_id, name="Vòng huyện", by=organizer)
    db.session.commit()
    rows = list(reversed(rows_of(parent, "age_groups")))
    rows[0]["name"] = "Thanh niên (THPT)"
    removed = rows.pop()
    assert services.update_contest_list(parent, "age_groups", rows)
    db.session.commit()
    db.session.refresh(child)
    assert [(a.name, a.parent_id) for a in child.age_groups] == [(a.name, a.id) for a in parent.age_groups]
    assert removed["id"] not in {a.parent_id for a in child.age_groups}
    assert services.detached_rows(parent, "age_groups") == []


def test_saving_the_parents_list_unchanged_changes_no_child(make_user):
    organizer = make_user("organizer")
    parent = make_contest("youth")
    services.create_child_contest(parent, parent.organisation_id, name="Vòng huyện", by=organizer)
    db.session.commit()
    assert not services.update_contest_list(parent, "fields", rows_of(parent, "fields"))
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "contest.fields.update")) is None
