"""`python -m app.jobs.child`: build one prepared export in a process of its own (`service.launch` starts it).
Its standard input holds, pickled by the web worker that started it, that application's settings and the job's
id: the same database and folders, whatever configuration the worker was made with."""

from __future__ import annotations

import pickle
import sys


def main() -> None:
    config, job_id = pickle.load(sys.stdin.buffer)
    from app import create_app
    from app.extensions import db
    from app.jobs.service import run

    app = create_app(config)
    with app.app_context():
        run(job_id)
        db.session.remove()
        db.engine.dispose()


if __name__ == "__main__":
    main()
