"""One request in a process that is killed (SIGKILL) at its Nth commit, right after the flush: every row of the
unit of work has reached the database and none is committed, the worst moment for a crash. Run by
tests/test_crash_safety.py as `python -m tests.crash_child URL UPLOADS EXPORTS N METHOD PATH USER_ID FORM_JSON`; exits 3
when the request ended without reaching that commit."""

from __future__ import annotations

import json
import os
import signal
import sys

from sqlalchemy.orm import Session


def main() -> None:
    url, uploads, exports, kill_at, method, path, user_id, form = sys.argv[1:9]
    from app import create_app
    from tests.conftest import settings_for_tests

    folders = {"UPLOAD_DIR": uploads, "EXPORT_DIR": exports}
    app = create_app(settings_for_tests() | {"SQLALCHEMY_DATABASE_URI": url} | folders)
    commits = 0
    real_commit = Session.commit

    def commit(self: Session) -> None:
        nonlocal commits
        commits += 1
        if commits == int(kill_at):
            self.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        real_commit(self)

    Session.commit = commit  # type: ignore[method-assign]
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user_id
        session["_fresh"] = True
    response = client.open(path, method=method, data=json.loads(form))
    print(response.status_code, commits, file=sys.stderr)
    sys.exit(3)


if __name__ == "__main__":
    main()
