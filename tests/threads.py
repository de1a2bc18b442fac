"""Race tests: run pieces of work at the same time, each in a thread of its own with its own application context
and database session, as two requests to two workers would."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from flask import current_app

from app.extensions import db


def run_at_once(works: list[Callable[[], Any]], timeout: float = 60) -> list[Any]:
    """Run each of `works` in its own thread and application context (its session removed afterwards) and return
    their results in the order given. An exception in any of them fails the test, after every thread has ended."""
    app = current_app._get_current_object()
    results: list[Any] = [None] * len(works)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        with app.app_context():
            try:
                results[i] = works[i]()
            except BaseException as exc:  # reported below, in the test's thread
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(works))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    assert not any(t.is_alive() for t in threads), "a thread is still running"
    if errors:
        raise errors[0]
    return results
