"""Test data for judging: a contest with eligible entries, judges on sub-panels, a round with its entries and
assignments, and score sheets filled in."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from app.accounts.models import RoleGrant, User
from app.extensions import db
from competitions.models import Contest, Entry
from judging import services
from judging.models import Assignment, Panel, Round
from tests.competitions.factories import author, make_contest, make_entry
from tests.conftest import PASSWORD

_counter = {"n": 0}


def make_account(*roles: str, name: str, email: str | None = None, scope: tuple[str, int] | None = None) -> User:
    """An account holding `roles` (for `scope` when given), committed."""
    _counter["n"] += 1
    email = email or f"account{_counter['n']}@example.vn"
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:  # a second contest in one test
        local, domain = email.split("@")
        email = f"{local}.{_counter['n']}@{domain}"
    user = User(email=email)
    user.set_name(name)
    user.set_password(PASSWORD)
    for role in roles:
        user.role_grants.append(
            RoleGrant(role=role, scope_type=scope[0] if scope else None, scope_id=scope[1] if scope else None)
        )
    db.session.add(user)
    db.session.commit()
    return user


def make_judge(contest: Contest, n: int, *, unit: str | None = None) -> User:
    """Judge number `n` of the contest ("Giám khảo Số n", gk<n>@example.vn)."""
    from app.orgs.models import Organisation

    judge = make_account("judge", name=f"Giám khảo Số {n}", email=f"gk{n}@example.vn", scope=("contest", contest.id))
    if unit:
        org = Organisation(kind="school")
        org.set_name(unit)
        db.session.add(org)
        db.session.flush()
        judge.organisation_id = org.id
        db.session.commit()
    return judge


def make_eligible_entry(contest: Contest, owner: User, field_index: int, n: int, **person) -> Entry:
    """Entry number `n` ("Giải pháp n", author "Tác giả n" of "Đơn vị số n"), screened eligible."""
    person.setdefault("unit", f"Đơn vị số {n}")
    people = [author(f"Tác giả {n}", **person)]
    entry = make_entry(
        contest,
        owner,
        submit=True,
        field_id=contest.fields[field_index].id,
        title=f"Giải pháp {n}",
        authors=people,
    )
    entry.status = "eligible"
    db.session.commit()
    return entry


@dataclass
class Judging:
    """What `make_judging` built."""

    contest: Contest
    organizer: User
    owner: User
    round: Round
    panel: Panel
    judges: list[User]
    entries: list[Entry]
    assignments: dict[tuple[int, int], Assignment] = field(default_factory=dict)

    def assignment(self, judge: User, entry: Entry) -> Assignment:
        return self.assignments[(judge.id, entry.id)]


def make_judging(
    *,
    kind: str = "innovation",
    entries: int = 3,
    judges: int = 2,
    blind: bool = False,
    assign: bool = True,
    status: str = "scoring",
) -> Judging:
    """A contest in judging with `entries` eligible entries in its first field, one sub-panel judging that field
    with `judges` judges (the first is its head), a preliminary round holding the entries, judged by every judge
    (when `assign`), and its status set to `status`."""
    contest = make_contest(kind)
    organizer = make_account("organizer", name="Trần Thị Tổ Chức", email="btc@example.vn")
    owner = make_account("contestant", name="Lê Văn Chủ", email="chu@example.vn")
    made = [make_eligible_entry(contest, owner, 0, n) for n in range(1, entries + 1)]
    contest.status = "judging"
    people = [make_judge(contest, n) for n in range(1, judges + 1)]
    panel = services.save_panel(
        contest,
        "Tiểu ban Kỹ thuật",
        [contest.fields[0].id],
        [j.id for j in people],
        people[0].id if people else None,
        by=organizer,
    )
    round_ = services.create_round(contest, "preliminary", by=organizer)
    round_.blind = blind
    round_.judges_per_entry = min(judges, round_.judges_per_entry) or 1
    services.add_eligible_entries(round_, by=organizer)
    built = Judging(contest, organizer, owner, round_, panel, people, made)
    if assign:
        for judge in people:
            for entry in made:
                a = Assignment(round_id=round_.id, entry_id=entry.id, judge_id=judge.id, source="manual")
                db.session.add(a)
                built.assignments[(judge.id, entry.id)] = a
    round_.status = status
    db.session.commit()
    return built


def score(judging: Judging, judge: User, entry: Entry, values, *, submit: bool = True, comment: str = ""):
    """Fill `judge`'s sheet for `entry` with `values` (one per criterion, in rubric order) and submit it."""
    sheet = services.sheet_for(judging.assignment(judge, entry))
    ids = [c.id for c in judging.round.criteria]
    problems = services.save_sheet(
        sheet, {i: Decimal(str(v)) for i, v in zip(ids, values, strict=True)}, comment, by=judge
    )
    assert problems == {}, problems
    if submit:
        services.submit_sheet(sheet, by=judge)
    db.session.commit()
    return sheet
