"""A worker killed (SIGKILL) in the middle of a score-sheet submit, a publication, an import or an export's build
leaves the database consistent (no half-written rows: the unit of work was flushed, never committed) and the user's
work recoverable (the draft sheet is as it was and what the judge typed is kept by the page, the import's preview
can be confirmed again, publishing again gives version 1, the export is offered to be prepared again).

Each request runs in a child process (tests/crash_child.py) against this test session's database and upload
folder, and dies at the chosen commit right after its flush; SQLite rolls its hot journal back at the next
connection, PostgreSQL aborts the dead connection's transaction.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.config import BASE_DIR
from app.extensions import db
from competitions.models import Entry
from competitions.views import imports as import_views
from judging import services as judging_services
from judging.judge_forms import score_name
from judging.models import ScoreSheet
from results.models import Publication
from results.services import publication as publications
from tests.competitions.test_imports import INNOVATION, confirm, three_dossiers, token_of, upload, xlsx
from tests.judging.factories import make_judging
from tests.results.factories import make_judged
from tests.results.test_publication import SHEETS, ready


def killed_during(commit: int, method: str, path: str, user, form: dict | None = None) -> None:
    """Send the request from a child process that dies at its `commit`-th commit; check it really died there."""
    user_id = str(user.id)
    url = db.engine.url.render_as_string(hide_password=False)
    folders = [current_app.config["UPLOAD_DIR"], current_app.config["EXPORT_DIR"]]
    arguments = [url, *folders, str(commit), method, path, user_id, json.dumps(form or {})]
    db.session.commit()  # this process holds no lock while the child writes
    done = subprocess.run(
        [sys.executable, "-m", "tests.crash_child", *arguments],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == -signal.SIGKILL, f"the child was not killed at commit {commit}: {done.stderr[-2000:]}"
    db.engine.dispose()  # fresh connections: SQLite finds the hot journal and rolls it back


def audited(action: str) -> int:
    return db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == action))


def test_a_judge_killed_while_submitting_leaves_the_draft_as_it_was_and_can_submit_again(client, login_as):
    judging = make_judging(entries=1, judges=2)
    judge, entry = judging.judges[0], judging.entries[0]
    assignment = judging.assignment(judge, entry)
    criteria = judging.round.criteria
    draft = judging_services.sheet_for(assignment)
    judging_services.save_sheet(draft, {criteria[0].id: Decimal(1)}, "Nháp", by=judge)
    db.session.commit()
    saved = (draft.id, draft.version)
    form = {score_name(c.id): str(c.max_points // 2) for c in criteria} | {"comment": "Giải pháp có tính mới."}

    # The scores typed and the submission are one transaction: it dies at its commit, after every row was sent.
    killed_during(1, "POST", f"/judging/assignments/{assignment.id}", judge, form | {"submit": "1"})

    sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.assignment_id == assignment.id))
    assert (sheet.id, sheet.version) == saved and sheet.comment == "Nháp"
    assert sheet.status == "draft" and sheet.submitted_at is None and sheet.total is None
    assert {s.criterion_id: s.value for s in sheet.scores} == {criteria[0].id: Decimal(1)}
    assert audited("sheet.submit") == 0 and audited("sheet.save") == 1
    # (What was typed is kept by the page until the server confirms it: tests/browser/test_score_sheet_kept.py.)

    login_as(judge)
    response = client.post(f"/judging/assignments/{assignment.id}", data=form | {"submit": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    sheet = db.session.get(ScoreSheet, sheet.id)
    assert sheet.status == "submitted" and sheet.comment == "Giải pháp có tính mới." and audited("sheet.submit") == 1
    assert {s.criterion_id: s.value for s in sheet.scores} == {c.id: Decimal(c.max_points // 2) for c in criteria}


def test_a_publication_killed_midway_leaves_no_version_and_publishing_again_gives_version_1():
    judging = make_judged(SHEETS)
    ready(judging)
    db.session.commit()

    killed_during(1, "POST", f"/results/manage/{judging.contest.id}/publish", judging.organizer, {"change_note": ""})

    assert db.session.scalar(select(func.count(Publication.id))) == 0
    assert audited("results.publish") == 0
    publication = publications.publish(judging.contest, "", by=judging.organizer)
    db.session.commit()
    assert publication.version == 1 and publications.verify(publication)


def test_an_import_killed_midway_writes_no_entry_and_the_preview_can_be_confirmed_again(
    client, login_as, make_user, monkeypatch
):
    from tests.competitions.factories import make_contest

    contest = make_contest("innovation")
    organizer = make_user("organizer", email="btc@example.vn")
    login_as(organizer)
    token = token_of(upload(client, contest, xlsx(INNOVATION, three_dossiers())))

    killed_during(1, "POST", f"/contests/manage/{contest.id}/import/{token}/confirm", organizer)

    assert db.session.scalar(select(func.count(Entry.id))) == 0
    assert audited("contest.import") == 0
    login_as(organizer)
    # At once, the dead worker's claim still holds the upload, as a live one would: nothing is imported twice.
    assert "đang được nhập" in client.get(confirm(client, contest, token).location).get_data(as_text=True)
    assert db.session.scalar(select(func.count(Entry.id))) == 0
    # Once the claim has outlived any request, the preview is given back and can be confirmed.
    monkeypatch.setattr(import_views, "STALE_CLAIM", timedelta(0))
    response = confirm(client, contest, token)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert db.session.scalar(select(func.count(Entry.id))) == 3 and audited("contest.import") == 1


def test_an_export_killed_after_its_file_was_written_is_never_offered_and_can_be_prepared_again(client, login_as):
    """Killed at the build's last commit (1: the job asked, 2: claimed, 3: marked done), its file written: the page
    waits while the build could still be alive, then says it stopped; the file is never offered; asked again, a
    new build gives the workbook."""
    from app.jobs import service as jobs
    from app.jobs.models import ExportJob

    judging = make_judged({1: [[20, 20, 30], [21, 20, 30]]})
    killed_during(3, "POST", f"/results/manage/rounds/{judging.round.id}/workbook", judging.organizer)

    job = db.session.scalar(select(ExportJob))
    assert job.status == "running" and jobs.file_path(job).is_file()  # written, never marked done
    login_as(judging.organizer)
    assert 'data-state="running"' in client.get(f"/exports/{job.id}").get_data(as_text=True)
    assert client.get(f"/exports/{job.id}/download").status_code == 404
    job.heartbeat_at -= timedelta(seconds=current_app.config["EXPORT_HEARTBEAT_SECONDS"] * jobs.LIVENESS_BEATS + 1)
    db.session.commit()  # as long without a sign of life as a dead build's page waits
    page = client.get(f"/exports/{job.id}").get_data(as_text=True)
    assert 'data-state="failed"' in page and "bị dừng" in page
    assert client.get(f"/exports/{job.id}/download").status_code == 404
    again = client.post(f"/exports/{job.id}/again")
    assert again.status_code == 302 and not again.headers["Location"].endswith(f"/exports/{job.id}")
    fresh = db.session.scalar(select(ExportJob).where(ExportJob.id != job.id))
    assert fresh.status == "done" and client.get(f"/exports/{fresh.id}/download").data[:2] == b"PK"
