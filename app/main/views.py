from __future__ import annotations

from flask import current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from app.extensions import csrf, db, limiter
from app.main import bp
from app.urls import safe_next


@bp.route("/")
def index():
    return render_template("main/index.html")


@bp.route("/favicon.ico")
def favicon():
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.route("/lang", methods=["POST"])
def set_language():
    """Switch the interface language (kept in the session, and on the account when signed in)."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated and current_user.locale != lang:
            current_user.locale = lang
            db.session.commit()
    return redirect(safe_next())


@bp.route("/healthz")
@limiter.exempt
@csrf.exempt
def healthz():
    """200 when the database answers, 503 otherwise (for load balancers and monitoring)."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:
        current_app.logger.error("health check failed: %s", exc)
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
