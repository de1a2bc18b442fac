"""`app.reads.column_rows`: the rows a column-only select gives through the session, without the ORM's per-row work."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.reads import column_rows


def test_column_rows_are_the_sessions_rows(make_user):
    for name in ("Lê Văn An", "Trần Thị Bình", "Nguyễn Cường"):
        make_user(full_name=name)
    db.session.commit()
    statement = select(User.id, User.full_name, User.email).order_by(User.id)
    assert [tuple(r) for r in column_rows(statement)] == [tuple(r) for r in db.session.execute(statement)]
    assert [r.full_name for r in column_rows(statement)] == ["Lê Văn An", "Trần Thị Bình", "Nguyễn Cường"]


def test_column_rows_see_what_the_session_has_not_flushed_yet(make_user):
    user = make_user(full_name="Phạm Dũng")
    db.session.commit()
    user.full_name = "Phạm Văn Dũng"  # pending in the session, not yet sent
    db.session.add(User(email="moi@sangtao.local", full_name="Người mới", password_hash="x"))
    names = column_rows(select(User.full_name).order_by(User.full_name)).scalars().all()
    assert names == sorted(["Phạm Văn Dũng", "Người mới"])
    db.session.rollback()  # the same transaction: nothing was committed by the read
    assert column_rows(select(User.full_name)).scalars().all() == ["Phạm Dũng"]
