"""The ceilings: a bare Flask app on the same server settings and database as the application, with nothing but
what each figure needs (SQLAlchemy on the same engine options, one Jinja template).

/trivial        a constant response
/select/<id>    one primary-key SELECT
/update/<id>    one UPDATE and its COMMIT
/render         200 rows selected and rendered by a Jinja template (a table of 200 rows)

Its table (bench_ceiling) is created next to the application's tables by `prepare` and dropped by `drop`."""

from __future__ import annotations

import os

from flask import Flask, render_template_string
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert, select, update

metadata = MetaData()
ceiling = Table(
    "bench_ceiling",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("label", String(120), nullable=False),
    Column("unit", String(120), nullable=False),
    Column("counter", Integer, nullable=False, default=0),
)
ROWS = 200
TEMPLATE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Trần</title></head><body>
<table class="table"><thead><tr><th>#</th><th>Tên</th><th>Đơn vị</th><th>Số</th></tr></thead><tbody>
{% for row in rows %}<tr><td>{{ loop.index }}</td><td>{{ row.label }}</td><td>{{ row.unit }}</td>
<td>{{ row.counter }}</td></tr>{% endfor %}</tbody></table></body></html>"""


def prepare(url: str) -> None:
    engine = create_engine(url)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            insert(ceiling),
            [
                {"id": i, "label": f"Giải pháp số {i}", "unit": "Trường THPT Đồng Xoài", "counter": 0}
                for i in range(1, ROWS + 1)
            ],
        )
    engine.dispose()


def drop(url: str) -> None:
    engine = create_engine(url)
    metadata.drop_all(engine)
    engine.dispose()


def bare() -> Flask:
    """The app gunicorn serves (`bench.national.ceilings:bare()`)."""
    from app.config import Config
    from bench.national.serve import ENV_URL

    engine = create_engine(os.environ[ENV_URL], **Config.SQLALCHEMY_ENGINE_OPTIONS)
    app = Flask(__name__)

    @app.get("/trivial")
    def trivial():
        return "ok"

    @app.get("/select/<int:row_id>")
    def select_one(row_id: int):
        with engine.connect() as conn:
            row = conn.execute(select(ceiling).where(ceiling.c.id == row_id)).one()
        return row.label

    @app.post("/update/<int:row_id>")
    def update_one(row_id: int):
        with engine.begin() as conn:
            conn.execute(update(ceiling).where(ceiling.c.id == row_id).values(counter=ceiling.c.counter + 1))
        return "ok"

    @app.get("/render")
    def render():
        with engine.connect() as conn:
            rows = conn.execute(select(ceiling).order_by(ceiling.c.id).limit(ROWS)).all()
        return render_template_string(TEMPLATE, rows=rows)

    return app
