"""Organizers read a round's results with the working shown (each judge's total, raw and normalised scores, the
judges' statistics, divergence), export them, send a divergent entry to its whole sub-panel for re-scoring, and
advance entries to the next round after reviewing the rule's proposal."""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from wtforms import SubmitField, TextAreaField

from app.accounts.permissions import require
from app.audit.labels import register_labels
from app.exports import Column, Sheet, ascii_filename, send_xlsx, write_xlsx
from app.extensions import db
from app.forms import Form, length, optional, options, required, strip
from app.templating import decimal_text
from competitions.setup_forms import MultiCheckboxField
from judging import bp
from judging.labels import METHOD_LABELS
from judging.messages import error_message
from judging.models import Round, RoundEntry
from judging.services import JudgingError
from judging.services.advancement import advance_entries, next_round, proposed_advancing, request_rescore
from judging.services.standings import EntryStanding, FieldStandings, JudgeLine, Standings, round_standings
from judging.views.loaders import entry_or_404, round_or_404

register_labels(
    {
        "entry.rescore": _l("Sent an entry to its whole sub-panel for re-scoring"),
        "round.advance": _l("Advanced entries to the next round"),
    }
)

#: Why a judge's totals were not normalised, in words (`JudgeLine.why`).
WHY_LABELS = {
    "off": _l("The round does not normalise."),
    "no_sheets": _l("No sheet submitted yet."),
    "few_sheets": _l("Too few sheets: fewer than %(min)d."),
    "no_spread": _l("Every total the same: no spread to correct."),
}

METHOD_NOTES = {
    "mean": _l(
        "An entry's score is the mean of its judges' totals: the totals of the submitted score sheets added up and "
        "divided by the number of judges who submitted, shown to 0.01."
    ),
    "median": _l(
        "An entry's score is the median of its judges' totals: the middle total, or the mean of the two middle "
        "ones when the number of judges is even, shown to 0.01."
    ),
    "trimmed": _l(
        "An entry's score is the trimmed mean of its judges' totals: with 5 judges or more, the highest and the "
        "lowest total are dropped and the others averaged; with fewer, the plain mean. Shown to 0.01."
    ),
}


class RescoreForm(Form):
    """Why the entry goes to the whole sub-panel: the judges read it in their mail."""

    reason = TextAreaField(
        _l("Reason given to the judges"),
        [required(), length(2000)],
        filters=[strip],
        render_kw={"rows": 2},
    )
    submit = SubmitField(_l("Send to the whole sub-panel"))


class AdvanceForm(Form):
    entry_ids = MultiCheckboxField(_l("Entries that advance"), coerce=int)
    reason = TextAreaField(
        _l("Reason for the changes"),
        [optional(), length(2000)],
        filters=[strip],
        description=_l("Needed when the entries chosen differ from the rule's proposal; kept in the audit log."),
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("Advance the chosen entries"))


def default_reason(entry: EntryStanding, standings: Standings) -> str:
    return _(
        "Re-scoring by the whole sub-panel: the judges' totals differ by %(spread)s points, more than the "
        "round's %(threshold)s.",
        spread=decimal_text(entry.spread),
        threshold=decimal_text(standings.threshold),
    )


def rescore_form(entry: EntryStanding, standings: Standings) -> RescoreForm:
    return RescoreForm(
        formdata=None, prefix=f"rescore-{entry.entry_id}", data={"reason": default_reason(entry, standings)}
    )


@dataclass(frozen=True)
class ResultsFilters:
    field_id: int | None
    only_divergent: bool

    @classmethod
    def from_args(cls, args) -> ResultsFilters:
        field = args.get("field", "")
        return cls(int(field) if field.isdigit() else None, args.get("divergent") in ("1", "on", "true"))

    def to_args(self) -> dict:
        args: dict = {}
        if self.field_id is not None:
            args["field"] = self.field_id
        if self.only_divergent:
            args["divergent"] = 1
        return args


def why_text(line: JudgeLine, standings: Standings) -> str:
    text = WHY_LABELS.get(line.why)
    if text is None:
        return ""
    return str(text) % {"min": standings.min_sheets} if "%(" in str(text) else str(text)


def _results_page(round_: Round, forms: dict[int, RescoreForm] | None = None, status: int = 200):
    filters = ResultsFilters.from_args(request.args)
    standings = round_standings(round_)
    rescore_forms = {e.entry_id: rescore_form(e, standings) for e in standings.divergent}
    rescore_forms.update(forms or {})
    return render_template(
        "judging/manage/results.html",
        round=round_,
        contest=round_.contest,
        standings=standings,
        groups=standings.filtered(filters.field_id, filters.only_divergent),
        filters=filters,
        rescore_forms=rescore_forms,
        method_note=METHOD_NOTES.get(standings.method, ""),
        method_label=METHOD_LABELS.get(standings.method, standings.method),
        why_text=why_text,
    ), status


@bp.route("/manage/rounds/<int:round_id>/results")
@require("manage_contest", scope=lambda round_id: round_or_404(round_id))
def round_results(round_id: int):
    """The round's results by field with the working: every judge's total, raw and normalised scores side by side,
    rank, divergence, the judges' statistics and the method in plain words."""
    return _results_page(round_or_404(round_id))


def _judge_total(judge_id: int):
    def value(entry: EntryStanding):
        sheet = entry.sheets.get(judge_id)
        return float(sheet.total) if sheet is not None and sheet.total is not None else None

    return value


def _number(attr: str):
    def value(entry: EntryStanding):
        found = getattr(entry, attr)
        return float(found) if found is not None else None

    return value


def _field_columns(group: FieldStandings, standings: Standings) -> list[Column]:
    columns = [
        Column("rank", _("Rank")),
        Column("code", _("Code")),
        Column("title", _("Title")),
        Column("panel_name", _("Sub-panel")),
    ]
    columns += [Column(_judge_total(j.judge_id), j.name, number_format="0.00") for j in group.judges]
    columns.append(Column(_number("raw"), _("Raw score"), number_format="0.00"))
    if standings.normalise:
        columns.append(Column(_number("normalised"), _("Normalised score"), number_format="0.00"))
    columns += [
        Column(_number("spread"), _("Spread of the totals"), number_format="0.00"),
        Column(lambda e: _("Yes") if e.divergent else "", _("Divergent")),
        Column(lambda e: f"{e.submitted}/{e.expected}", _("Sheets submitted")),
        Column("rescore_requested_at", _("Sent for re-scoring")),
    ]
    return columns


@bp.route("/manage/rounds/<int:round_id>/results.xlsx")
@require("manage_contest", scope=lambda round_id: round_or_404(round_id))
def round_results_xlsx(round_id: int):
    """The results table as a workbook: one sheet per field (same filters as the page), and the judges' statistics."""
    round_ = round_or_404(round_id)
    filters = ResultsFilters.from_args(request.args)
    standings = round_standings(round_)
    sheets = [
        Sheet(group.name or _("No field"), _field_columns(group, standings), group.entries, caption=group.name)
        for group in standings.filtered(filters.field_id, filters.only_divergent)
    ]
    judge_columns = [
        Column("name", _("Judge")),
        Column("count", _("Sheets submitted")),
        Column(lambda j: float(j.mean) if j.mean is not None else None, _("Mean"), number_format="0.00"),
        Column(lambda j: float(j.spread) if j.spread is not None else None, _("Spread"), number_format="0.00"),
        Column(lambda j: _("Yes") if j.normalised else _("No"), _("Normalised")),
        Column(lambda j: why_text(j, standings), _("Why not")),
    ]
    sheets.append(Sheet(_("Judges"), judge_columns, standings.judges, caption=str(METHOD_NOTES[standings.method])))
    name = ascii_filename(f"ket-qua-{round_.contest.code_prefix}-{round_.contest.year}-vong-{round_.position + 1}")
    return send_xlsx(write_xlsx(sheets), f"{name}.xlsx")


@bp.route("/manage/rounds/<int:round_id>/entries/<int:entry_id>/rescore", methods=["POST"])
@require("manage_contest", scope=lambda round_id, entry_id: round_or_404(round_id))
def entry_rescore(round_id: int, entry_id: int):
    """Send a divergent entry to its whole sub-panel: missing judges assigned, submitted sheets reopened with the
    reason, the judges told by mail. A refusal comes back beside the reason, with what was typed."""
    round_ = round_or_404(round_id)
    entry = entry_or_404(entry_id)
    form = RescoreForm(prefix=f"rescore-{entry.id}")
    if form.validate_on_submit():
        try:
            result = request_rescore(round_, entry, form.reason.data or "", by=current_user)
        except JudgingError as exc:
            db.session.rollback()
            form.reason.errors = [*form.reason.errors, error_message(exc)]
        else:
            db.session.commit()
            flash(
                ngettext(
                    "%(code)s is sent to its whole sub-panel: %(num)d judge added, %(reopened)d sheets reopened.",
                    "%(code)s is sent to its whole sub-panel: %(num)d judges added, %(reopened)d sheets reopened.",
                    len(result.added),
                    code=entry.code or "",
                    reopened=len(result.reopened),
                ),
                "success",
            )
            return redirect(url_for("judging.round_results", round_id=round_.id, _anchor=f"entry-{entry.id}"))
    return _results_page(round_, {entry.id: form}, status=400)


# --- Advancement -----------------------------------------------------------------------------------------------------


def _in_next_round(target: Round | None, entry_ids) -> set[int]:
    if target is None:
        return set()
    query = select(RoundEntry.entry_id).where(RoundEntry.round_id == target.id, RoundEntry.entry_id.in_(entry_ids))
    return set(db.session.scalars(query))


@bp.route("/manage/rounds/<int:round_id>/advance", methods=["GET", "POST"])
@require("manage_contest", scope=lambda round_id: round_or_404(round_id))
def round_advance(round_id: int):
    """The rule's proposal of entries that advance, by field with their scores and warnings (missing sheets,
    divergent entries); the organizer reviews it, adjusts it with a written reason, and confirms."""
    round_ = round_or_404(round_id)
    standings = round_standings(round_)
    proposed = proposed_advancing(round_, standings)
    target = next_round(round_)
    form = AdvanceForm()
    form.entry_ids.choices = options([(e.entry_id, e.code) for e in standings.entries.values()])
    status = 200
    if request.method == "GET":
        form.entry_ids.data = list(proposed)
    elif not form.validate_on_submit():
        status = 400
    else:
        chosen = form.entry_ids.data or []
        if set(chosen) != set(proposed) and not form.reason.data:
            form.reason.errors = [*form.reason.errors, _("You changed the proposal: say why.")]
            status = 400
        else:
            try:
                result = advance_entries(round_, chosen, form.reason.data or "", by=current_user, standings=standings)
            except JudgingError as exc:
                db.session.rollback()
                field = form.reason if exc.code == "reason_required" else form.entry_ids
                field.errors = [*field.errors, error_message(exc)]
                status = 400
            else:
                db.session.commit()
                message = ngettext(
                    "%(num)d entry advanced to %(round)s.",
                    "%(num)d entries advanced to %(round)s.",
                    len(result.added),
                    round=result.next_round.name,
                )
                if result.already:
                    message += " " + ngettext(
                        "%(num)d was there already.", "%(num)d were there already.", len(result.already)
                    )
                flash(message, "success")
                return redirect(url_for("judging.round_advance", round_id=round_.id))
    chosen_ids = set(form.entry_ids.data or [])
    return render_template(
        "judging/manage/advance.html",
        round=round_,
        contest=round_.contest,
        standings=standings,
        proposed=set(proposed),
        proposed_count=len(proposed),
        chosen=chosen_ids,
        target=target,
        advanced=_in_next_round(target, list(standings.entries)),
        form=form,
    ), status
