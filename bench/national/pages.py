"""The application's workloads: each a `load.Workload` sending real requests (signed-in ones carry a session cookie
signed with the served app's key, as after a login, and its CSRF token)."""

from __future__ import annotations

import json
import random
import uuid
from decimal import Decimal
from urllib.parse import urlencode

from flask import Flask, g, session
from flask_wtf.csrf import generate_csrf

from bench.national.dataset import DataSet
from bench.national.load import Workload

SEED = 20261130


def signed_in(app: Flask, user_id: int) -> tuple[str, str]:
    """(Cookie header, CSRF token) of a session in which `user_id` is signed in."""
    with app.test_request_context():
        g.pop(app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)  # generate_csrf caches it in the app context
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
        token = generate_csrf()
        value = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    return f"{app.config['SESSION_COOKIE_NAME']}={value}", token


def scans(data: DataSet, total: int, seconds: float, round_: int = 0) -> Workload:
    """Check-in scans of one event's passes (the first event's, the next one's in the next round): 80 % fresh passes
    (checked in), 15 % repeats (already), 5 % codes that are no pass (unknown); each with a new nonce."""
    rnd = random.Random(SEED + round_)
    event_id, tokens = data.events[round_ % len(data.events)]
    fresh, used = list(tokens), []
    headers = {
        "Authorization": f"Bearer {data.scan_token}",
        "Content-Type": "application/json",
        "Accept": "application/json",
    }
    path = f"/api/events/{event_id}/scans"

    def make(_i: int):
        roll = rnd.random()
        if roll < 0.05:
            code = "khong-phai-the-" + uuid.uuid4().hex[:12]
        elif (roll < 0.20 and used) or not fresh:
            code = rnd.choice(used)
        else:
            code = fresh.pop()
            used.append(code)
        body = json.dumps({"code": code, "nonce": uuid.uuid4().hex, "device_id": "bench"}).encode()
        return "POST", path, body, headers

    def ok(status: int, body: bytes) -> bool:
        return status == 200 and json.loads(body).get("outcome") in {"checked_in", "already", "unknown"}

    return Workload(make, ok, total=total, seconds=seconds)


def submits(app: Flask, data: DataSet, total: int, seconds: float) -> Workload:
    """Each request submits one of the final round's draft score sheets (a real submit: scores saved, sheet locked)
    as its judge; a success is the redirect back to the sheet."""
    rnd = random.Random(SEED)
    drafts = list(data.drafts)
    rnd.shuffle(drafts)
    cookies = {judge: signed_in(app, judge) for judge in {j for _a, j in drafts[:total]}}

    def make(i: int):
        assignment_id, judge_id = drafts[i % len(drafts)]
        cookie, token = cookies.get(judge_id) or signed_in(app, judge_id)
        form = {"csrf_token": token, "comment": "Đạt yêu cầu, có khả năng nhân rộng.", "submit": "1"}
        for cid, top in zip(data.criterion_ids, data.criterion_max, strict=True):
            form[f"score_{cid}"] = str(Decimal(rnd.randrange(0, 2 * top + 1)) / 2)
        headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
        return "POST", f"/judging/assignments/{assignment_id}", urlencode(form).encode(), headers

    work = Workload(make, lambda status, _body: status == 302, total=min(total, len(drafts) // 2), seconds=seconds)
    work.warmup = lambda i: make(len(drafts) - 1 - i)  # warm-up submits from the other end of the drafts
    return work


def get(path_of, cookie: str | None, total: int, seconds: float) -> Workload:
    headers = {"Cookie": cookie} if cookie else {}
    return Workload(lambda i: ("GET", path_of(i), None, headers), total=total, seconds=seconds)


def results_page(data: DataSet, total: int, seconds: float) -> Workload:
    return get(lambda _i: f"/results/{data.contest_id}", None, total, seconds)


def entries_table(app: Flask, data: DataSet, total: int, seconds: float) -> Workload:
    """The organizers' entries table with a search (a word of the titles, folded as people type it) and a field
    filter, varied per request."""
    cookie, _token = signed_in(app, data.admin_id)
    words = ["nong san", "rac thai", "tuoi tieu", "hoc sinh", "nguyen", "tran van", "dien", "nuoc"]

    def path(i: int) -> str:
        args = {"q": words[i % len(words)], "field": data.field_ids[i % len(data.field_ids)]}
        return f"/contests/manage/{data.contest_id}/entries?{urlencode(args)}"

    return get(path, cookie, total, seconds)


def pass_qr(data: DataSet, total: int, seconds: float) -> Workload:
    """The QR images of 100 passes in turn (a pass is shown again and again: at the door, on a phone)."""
    tokens = data.pass_tokens[:100]
    return get(lambda i: f"/events/pass/{tokens[i % len(tokens)]}/qr.png", None, total, seconds)


def annual_report(app: Flask, data: DataSet, year: int, total: int, seconds: float) -> Workload:
    cookie, _token = signed_in(app, data.admin_id)
    return get(lambda _i: f"/reports/annual/{year}", cookie, total, seconds)


def route_exists(app: Flask, rule: str) -> bool:
    return any(r.rule == rule for r in app.url_map.iter_rules())
