"""Child editions in the contests' own set-up pages: the rules a child follows from its parent (and following the
parent again), its fields and age groups read-only, the parent's list changes reaching it, the parent's list of
its children, and the manage index with child editions under their parent, each organizer seeing their scope."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from competitions import services
from competitions.models import Contest, Field
from tests.competitions.factories import make_contest, make_entry, make_organisation
from tests.competitions.test_manage_contests import as_organizer, list_data


@pytest.fixture
def levels(make_user):
    """A provincial youth contest with the district rounds of Bù Đăng and Đồng Xoài, and their organizers."""
    province = make_organisation("Liên hiệp các hội KH&KT tỉnh Bình Phước")
    bu_dang = make_organisation("Liên hiệp hội huyện Bù Đăng", parent=province)
    dong_xoai = make_organisation("Liên hiệp hội thành phố Đồng Xoài", parent=province)
    parent = make_contest("youth", organisation=province)
    by = make_user("organizer", email="btc.tinh@example.vn", scope=("organisation", province.id))
    first = services.create_child_contest(parent, bu_dang.id, name="Vòng huyện Bù Đăng", by=by)
    second = services.create_child_contest(parent, dong_xoai.id, name="Vòng thành phố Đồng Xoài", by=by)
    for child in (first, second):
        child.status = "open"
        child.registration_opens_at = parent.registration_opens_at
        child.registration_closes_at = parent.registration_closes_at
    db.session.commit()
    return {
        "parent": parent,
        "bu_dang": first,
        "dong_xoai": second,
        "province_organizer": by,
        "bu_dang_organizer": make_user("organizer", email="btc.budang@example.vn", scope=("organisation", bu_dang.id)),
        "dong_xoai_organizer": make_user(
            "organizer", email="btc.dongxoai@example.vn", scope=("organisation", dong_xoai.id)
        ),
    }


def settings_of(contest: Contest, **overrides) -> dict:
    """The settings form as the page fills it for `contest`, with `overrides`."""

    def day(value):
        return value.strftime("%d/%m/%Y") if value else ""

    data = {
        "name": contest.name,
        "number": str(contest.number or ""),
        "year": str(contest.year),
        "level": contest.level,
        "code_prefix": contest.code_prefix,
        "description": contest.description,
        "period_start": "",
        "period_end": "",
        "registration_opens_at": "01/02/2026 08:00",
        "registration_closes_at": "31/12/2026 23:59",
        "lookback_date": day(contest.lookback_date),
        "birth_from": day(contest.birth_from),
        "birth_to": day(contest.birth_to),
        "max_authors": str(contest.max_authors),
        "max_teachers": str(contest.max_teachers),
    }
    return data | overrides


def block(page: str, testid: str) -> str:
    assert f'data-testid="{testid}"' in page, testid
    return page.split(f'data-testid="{testid}"')[1].split("</div></div>")[0]


def rule_item(page: str, rule: str) -> str:
    return page.split(f'data-rule="{rule}"')[1].split("</li>")[0]


def audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


# --- A child's rules ------------------------------------------------------------------------------------------


def test_a_childs_settings_say_which_rules_follow_the_parent_and_follow_it_again(client, login_as, levels):
    parent, child = levels["parent"], levels["bu_dang"]
    as_organizer(client, login_as, levels["bu_dang_organizer"])
    url = f"/contests/manage/{child.id}/settings"

    response = client.post(url, data=settings_of(child, max_authors="2"))
    assert response.status_code == 302
    db.session.refresh(child)
    assert child.max_authors == 2 and "max_authors" not in child.inherits
    assert "birth_to" in child.inherits  # sent unchanged: still the parent's

    page = client.get(url).get_data(as_text=True)
    rules = block(page, "inherited-rules")
    assert 'data-rule="max_authors" data-inherited="no"' in rules
    own = rule_item(rules, "max_authors")
    assert "This edition's own" in own and f"The parent edition's: {parent.max_authors}" in own
    assert 'data-testid="inherit-max_authors"' in own
    followed = rule_item(rules, "birth_to")
    assert 'data-inherited="yes"' in page.split('data-rule="birth_to"')[1][:30]
    assert "Follows the parent" in followed and parent.birth_to.strftime("%d/%m/%Y") in followed
    assert "inherit-birth_to" not in followed
    assert 'data-rule="lookback_date"' not in rules  # a youth edition has no look-back date

    response = client.post(f"/contests/manage/{child.id}/inherit", data={"rule": "max_authors"})
    assert response.status_code == 302 and response.location.endswith(url)
    db.session.refresh(child)
    assert child.max_authors == parent.max_authors and "max_authors" in child.inherits
    [entry] = audit("contest.inherit")
    assert entry.object_id == str(child.id) and entry.after["max_authors"] == parent.max_authors
    assert "follows the parent edition again" in client.get(url).get_data(as_text=True)

    # Following again, it takes the parent's later changes.
    services.update_contest(parent, {"max_authors": 3})
    db.session.commit()
    db.session.refresh(child)
    assert child.max_authors == 3


def test_following_again_is_refused_for_unknown_rules_editions_without_parent_and_archived_ones(
    client, login_as, levels
):
    parent, child = levels["parent"], levels["bu_dang"]
    as_organizer(client, login_as, levels["province_organizer"])
    assert client.post(f"/contests/manage/{child.id}/inherit", data={"rule": "name"}).status_code == 400
    assert client.post(f"/contests/manage/{child.id}/inherit", data={}).status_code == 400
    assert client.post(f"/contests/manage/{parent.id}/inherit", data={"rule": "max_authors"}).status_code == 404

    response = client.post(f"/contests/manage/{child.id}/inherit", data={"rule": "max_authors"}, follow_redirects=True)
    assert "already follows the parent edition" in response.get_data(as_text=True)
    assert audit("contest.inherit") == []

    services.update_contest(child, {"max_teachers": 0})
    child.status = "archived"
    db.session.commit()
    response = client.post(f"/contests/manage/{child.id}/inherit", data={"rule": "max_teachers"})
    assert response.status_code == 302
    db.session.refresh(child)
    assert child.max_teachers == 0 and "max_teachers" not in child.inherits


def test_a_childs_header_names_its_parent_linked_for_those_who_manage_it(client, login_as, levels):
    parent, child = levels["parent"], levels["bu_dang"]
    link = f'<a href="/contests/manage/{parent.id}/settings">{parent.name}</a>'
    as_organizer(client, login_as, levels["province_organizer"])
    for url in ("settings", "fields", "documents"):
        page = client.get(f"/contests/manage/{child.id}/{url}").get_data(as_text=True)
        assert f"Lower round of {link}" in page
    as_organizer(client, login_as, levels["bu_dang_organizer"])
    page = client.get(f"/contests/manage/{child.id}/settings").get_data(as_text=True)
    line = page.split('data-testid="parent-edition">')[1].split("</p>")[0]
    assert line.strip() == f"Lower round of {parent.name}" and "<a" not in line


def test_the_parents_settings_list_its_children_with_their_entries(client, login_as, levels, count_queries):
    parent, first, second = levels["parent"], levels["bu_dang"], levels["dong_xoai"]
    make_entry(first, submit=True)
    make_entry(first, submit=True, title="Thùng rác tự đóng mở")
    make_entry(second, title="Bản nháp")
    as_organizer(client, login_as, levels["province_organizer"])

    def cost() -> int:
        with count_queries() as counted:
            assert client.get(f"/contests/manage/{parent.id}/settings").status_code == 200
        return counted.n

    page = client.get(f"/contests/manage/{parent.id}/settings").get_data(as_text=True)
    children = block(page, "child-editions")
    assert "reach the child editions that follow them" in children
    for child, org, n in ((first, "Liên hiệp hội huyện Bù Đăng", 2), (second, "Liên hiệp hội thành phố Đồng Xoài", 0)):
        assert f'href="/contests/manage/{child.id}/settings"' in children and org in children
        assert f'data-testid="child-entries-{child.id}">{n} entries submitted' in children
    assert 'data-status="open"' in children
    assert 'data-testid="inherited-rules"' not in page  # a parent follows nobody
    few = cost()
    for i in range(6):
        services.create_child_contest(parent, first.organisation_id, name=f"Vòng trường {i}", by=None)
    db.session.commit()
    assert cost() == few


# --- A child's fields and age groups ----------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "relation"), [("fields", "fields"), ("age-groups", "age_groups")])
def test_a_childs_fields_and_age_groups_are_read_only_and_say_why(client, login_as, levels, url, relation):
    parent, child = levels["parent"], levels["bu_dang"]
    as_organizer(client, login_as, levels["bu_dang_organizer"])
    page = client.get(f"/contests/manage/{child.id}/{url}").get_data(as_text=True)
    intro = page.split('data-testid="followed-list">')[1].split("</div>")[0]
    assert f"those of the parent edition, {parent.name}" in intro and "<a" not in intro
    for item in getattr(child, relation):
        assert f'data-item="{item.id}"' in page
    assert 'name="action"' not in page and "Save the list" not in page

    before = [(i.id, i.name) for i in getattr(child, relation)]
    response = client.post(
        f"/contests/manage/{child.id}/{url}",
        data=list_data(
            [{"id": str(i.id), "name": "Đổi tên", "code": "", "description": ""} for i in getattr(child, relation)]
        ),
    )
    assert response.status_code == 409
    assert "follow its parent edition: change them there." in response.get_data(as_text=True)
    db.session.expire_all()
    assert [(i.id, i.name) for i in getattr(db.session.get(Contest, child.id), relation)] == before

    as_organizer(client, login_as, levels["province_organizer"])
    page = client.get(f"/contests/manage/{child.id}/{url}").get_data(as_text=True)
    assert f'<a href="/contests/manage/{parent.id}/{url}">{parent.name}</a>' in page


def test_a_childs_required_documents_stay_its_own(client, login_as, levels):
    parent, child = levels["parent"], levels["bu_dang"]
    as_organizer(client, login_as, levels["bu_dang_organizer"])
    rows = [
        {
            "id": str(d.id),
            "name": d.name if i else "Bản thuyết minh (vòng huyện)",
            "description": d.description,
            "accepted": "pdf",
            "max_mb": str(d.max_mb),
            "required": "y",
        }
        for i, d in enumerate(child.document_types)
    ]
    response = client.post(f"/contests/manage/{child.id}/documents", data=list_data(rows))
    assert response.status_code == 302
    db.session.refresh(child)
    assert child.document_types[0].name == "Bản thuyết minh (vòng huyện)"
    assert parent.document_types[0].name != child.document_types[0].name


def test_the_parents_field_changes_reach_its_children_and_the_kept_ones_are_named(client, login_as, levels):
    parent, first, second = levels["parent"], levels["bu_dang"], levels["dong_xoai"]
    used = first.fields[-1]
    make_entry(first, submit=True, field_id=used.id)
    as_organizer(client, login_as, levels["province_organizer"])
    page = client.get(f"/contests/manage/{parent.id}/fields").get_data(as_text=True)
    assert "Saved changes reach the 2 child editions too." in page

    rows = [{"id": str(f.id), "code": f.code, "name": f.name, "description": f.description} for f in parent.fields]
    rows[0]["name"] = "Đồ dùng học tập, đồ dùng dạy học"
    removed = rows.pop()
    rows.append({"id": "", "code": "9", "name": "Trí tuệ nhân tạo", "description": ""})
    response = client.post(f"/contests/manage/{parent.id}/fields", data=list_data(rows))
    assert response.status_code == 302

    db.session.expire_all()
    parent = db.session.get(Contest, parent.id)
    names = [f.name for f in parent.fields]
    assert names[0] == "Đồ dùng học tập, đồ dùng dạy học" and names[-1] == "Trí tuệ nhân tạo"
    assert [f.name for f in db.session.get(Contest, second.id).fields] == names
    assert [f.name for f in db.session.get(Contest, first.id).fields] == [*names, removed["name"]]
    kept = db.session.get(Field, used.id)
    assert kept.parent_id is None and kept.contest_id == first.id

    page = client.get(f"/contests/manage/{parent.id}/fields").get_data(as_text=True)
    assert f"“{removed['name']}”, removed here, stays in Vòng huyện Bù Đăng: 1 entry there uses it." in page
    page = client.get(f"/contests/manage/{first.id}/fields").get_data(as_text=True)
    assert f'data-testid="detached-{used.id}"' in page
    assert "No longer in the parent edition" in page.split(f'data-item="{used.id}"')[1]


# --- The manage index ----------------------------------------------------------------------------------------


def index_rows(page: str) -> dict[int, str]:
    """Each edition's row on the index: contest id -> its <tr ...> attributes."""
    rows = {}
    for chunk in page.split("<tr data-contest=")[1:]:
        head = chunk.split(">")[0]
        rows[int(head.split('"')[1])] = head
    return rows


def test_the_provincial_organizer_sees_every_district_round_under_the_contest(client, login_as, levels):
    parent, first, second = levels["parent"], levels["bu_dang"], levels["dong_xoai"]
    as_organizer(client, login_as, levels["province_organizer"])
    page = client.get("/contests/manage/").get_data(as_text=True)
    rows = index_rows(page)
    assert list(rows) == [parent.id, first.id, second.id]
    assert 'data-depth="0"' in rows[parent.id]
    for child in (first, second):
        assert f'data-depth="1" data-parent="{parent.id}"' in rows[child.id]
    assert page.count("District or school round") == 2
    assert "Lower round of" not in page  # the parent is on the page just above


@pytest.mark.parametrize(("district", "other"), [("bu_dang", "dong_xoai"), ("dong_xoai", "bu_dang")])
def test_a_district_organizer_sees_their_own_round_only(client, login_as, levels, district, other):
    parent, mine, theirs = levels["parent"], levels[district], levels[other]
    as_organizer(client, login_as, levels[f"{district}_organizer"])
    page = client.get("/contests/manage/").get_data(as_text=True)
    rows = index_rows(page)
    assert list(rows) == [mine.id]
    assert 'data-depth="0"' in rows[mine.id]
    assert f"Lower round of {parent.name}" in page
    assert client.get(f"/contests/manage/{mine.id}/settings").status_code == 200
    for contest in (parent, theirs):
        assert client.get(f"/contests/manage/{contest.id}/settings").status_code == 404
        assert client.post(f"/contests/manage/{contest.id}/inherit", data={"rule": "max_authors"}).status_code == 404


def test_an_organizer_of_the_contest_itself_sees_its_district_rounds(client, login_as, make_user, levels):
    parent, first, second = levels["parent"], levels["bu_dang"], levels["dong_xoai"]
    grandchild = services.create_child_contest(first, first.organisation_id, name="Vòng trường THCS Đức Liễu", by=None)
    other = make_contest("innovation", organisation=make_organisation("Hội Tin học tỉnh Bình Phước"))
    db.session.commit()
    as_organizer(client, login_as, make_user("organizer", scope=("contest", parent.id)))
    rows = index_rows(client.get("/contests/manage/").get_data(as_text=True))
    assert list(rows) == [parent.id, first.id, grandchild.id, second.id]
    assert 'data-depth="2"' in rows[grandchild.id] and other.id not in rows
    assert client.get(f"/contests/manage/{grandchild.id}/settings").status_code == 200


def test_the_index_costs_the_same_with_2_and_8_district_rounds(client, login_as, levels, count_queries):
    parent = levels["parent"]
    as_organizer(client, login_as, levels["province_organizer"])

    def cost() -> int:
        with count_queries() as counted:
            assert client.get("/contests/manage/").status_code == 200
        return counted.n

    make_entry(levels["bu_dang"], submit=True)
    few = cost()
    for i in range(6):
        child = services.create_child_contest(parent, levels["bu_dang"].organisation_id, name=f"Vòng {i}", by=None)
        db.session.commit()
        child.status, child.registration_opens_at = "open", parent.registration_opens_at
        child.registration_closes_at = parent.registration_closes_at
        db.session.commit()
        make_entry(child, submit=True)
    assert cost() == few
    assert len(index_rows(client.get("/contests/manage/").get_data(as_text=True))) == 9
