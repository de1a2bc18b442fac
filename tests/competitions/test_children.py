"""Child editions: created from the parent, rules inherited unless overridden, the parent's changes reaching the
children that inherit them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from competitions import services
from tests.competitions.factories import make_contest, make_organisation


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
