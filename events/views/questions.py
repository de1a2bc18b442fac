"""Questions and proposals for a dialogue meeting: invitees send them from their pass page; organizers route each
to a department, record the answers, print the list and export it (XLSX, CSV)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.permissions import require
from app.exports import Column, Sheet, send_csv, send_xlsx, write_csv, write_xlsx
from app.extensions import db, limiter
from events import bp
from events.forms import QUESTION_KIND_LABELS, QUESTION_STATUS_LABELS, AnswerForm, QuestionForm, RouteForm
from events.models.events import QUESTION_STATUSES, Event
from events.services import questions as question_services
from events.views._common import event_or_404, question_or_404
from events.views.passes import pass_or_404
from events.views.public import public_post_limit


@bp.route("/pass/<token>/questions", methods=["POST"])
@limiter.limit(public_post_limit)
def question_send(token: str):
    """An invitee of a dialogue meeting sends a question or a proposal (their pass's link is their key)."""
    pass_ = pass_or_404(token)
    event = pass_.event
    form = QuestionForm()
    if event.kind != "dialogue" or not pass_.is_valid:
        return redirect(url_for("events.pass_page", token=token))
    if form.validate_on_submit():
        question_services.submit(
            pass_.invitee, form.kind.data, form.body.data, by=current_user if current_user.is_authenticated else None
        )
        db.session.commit()
        flash(_("Thank you: your message has been sent to the organizers."), "success")
        return redirect(url_for("events.pass_page", token=token, _anchor="questions"))
    sent = question_services.of_invitee(pass_.invitee)
    return render_template(
        "events/pass.html", pass_=pass_, event=event, invitee=pass_.invitee, questions=sent, form=form
    )


def _filters() -> dict[str, str]:
    status = request.args.get("status", "")
    return {
        "status": status if status in QUESTION_STATUSES else "",
        "department": request.args.get("department", "").strip()[:255],
    }


def render_questions(event: Event, *, editing: tuple[int, object] | None = None, status: int = 200):
    filters = _filters()
    return (
        render_template(
            "events/manage/questions.html",
            event=event,
            questions=question_services.of_event(event, **filters),
            departments=question_services.departments(event),
            filters=filters,
            route_form=RouteForm(),
            answer_form=AnswerForm(),
            editing=editing,
            print_view=request.endpoint == "events.questions_print",
        ),
        status,
    )


@bp.route("/manage/<int:event_id>/questions")
@require("manage_event", scope=event_or_404)
def questions(event_id: int):
    return render_questions(event_or_404(event_id))


@bp.route("/manage/<int:event_id>/questions/print")
@require("manage_event", scope=event_or_404)
def questions_print(event_id: int):
    """The list on its own, to print (questions, askers, departments and answers)."""
    event = event_or_404(event_id)
    return render_template(
        "events/manage/questions_print.html", event=event, questions=question_services.of_event(event, **_filters())
    )


@bp.route("/manage/<int:event_id>/questions/<int:question_id>/route", methods=["POST"])
@require("manage_event", scope=event_or_404)
def question_route(event_id: int, question_id: int):
    event = event_or_404(event_id)
    question = question_or_404(event, question_id)
    form = RouteForm()
    if form.validate_on_submit():
        try:
            question_services.route(question, form.department.data, by=current_user)
        except question_services.QuestionError:
            db.session.rollback()
            form.department.errors.append(_("This question is answered or withdrawn: it cannot be routed."))
        else:
            db.session.commit()
            flash(_("The question has been sent to %(department)s.", department=question.department), "success")
            return redirect(url_for("events.questions", event_id=event.id, _anchor=f"q{question.id}"))
    return render_questions(event, editing=(question.id, form))


@bp.route("/manage/<int:event_id>/questions/<int:question_id>/answer", methods=["POST"])
@require("manage_event", scope=event_or_404)
def question_answer(event_id: int, question_id: int):
    event = event_or_404(event_id)
    question = question_or_404(event, question_id)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            question_services.answer(question, form.answer.data, by=current_user, department=form.department.data)
        except question_services.QuestionError:
            db.session.rollback()
            form.answer.errors.append(_("This question was withdrawn: it cannot be answered."))
        else:
            db.session.commit()
            flash(_("The answer has been recorded."), "success")
            return redirect(url_for("events.questions", event_id=event.id, _anchor=f"q{question.id}"))
    return render_questions(event, editing=(question.id, form))


def _columns() -> list[Column]:
    return [
        Column(lambda q: q.id, _("No.")),
        Column(lambda q: str(QUESTION_KIND_LABELS[q.kind]), _("Kind of message")),
        Column("invitee.full_name", _("Sent by")),
        Column("invitee.unit", _("Unit")),
        Column("created_at", _("Sent at")),
        Column("body", _("Question or proposal")),
        Column("department", _("Responsible department")),
        Column(lambda q: str(QUESTION_STATUS_LABELS[q.status]), _("Status")),
        Column("answer", _("Answer")),
        Column("answered_at", _("Answered at")),
    ]


@bp.route("/manage/<int:event_id>/questions.<any(xlsx, csv):fmt>")
@require("manage_event", scope=event_or_404)
def questions_export(event_id: int, fmt: str):
    event = event_or_404(event_id)
    rows = question_services.of_event(event, **_filters())
    name = f"questions-{event.id}.{fmt}"
    if fmt == "csv":
        return send_csv(write_csv(_columns(), rows), name)
    return send_xlsx(write_xlsx([Sheet(_("Questions and proposals"), _columns(), rows, caption=event.title)]), name)
