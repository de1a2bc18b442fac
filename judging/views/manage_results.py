"""Organizers read a round's results with the working shown (each judge's total, raw and normalised scores, the
judges' statistics, divergence), export them, send a divergent entry to its whole sub-panel for re-scoring, and
advance entries to the next round after reviewing the rule's proposal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from wtforms import HiddenField, SubmitField, TextAreaField

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
from judging.services.advancement import (
    adjusted_choice,
    advance_entries,
    field_summaries,
    next_round,
    proposed_advancing,
    read_codes,
    request_rescore,
)
from judging.services.standings import (
    EntryStanding,
    FieldStandings,
    JudgeLine,
    JudgeSheet,
    Standings,
)
from judging.services.standings_cache import remembered_standings, remembered_worked
from judging.views.loaders import entry_or_404, round_or_404
from results.paging import page_of

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
    #: A large round (`LARGE_ROUND`): the entries shown with a checkbox (ids, comma separated); the others keep
    #: the proposal unless listed below.
    shown = HiddenField()
    add_codes = TextAreaField(
        _l("Also advance (entry codes)"),
        [optional(), length(20000)],
        filters=[strip],
        description=_l("Codes of entries the rule does not propose, separated by spaces, commas or lines."),
        render_kw={"rows": 2},
    )
    remove_codes = TextAreaField(
        _l("Take out (entry codes)"),
        [optional(), length(20000)],
        filters=[strip],
        description=_l("Codes of proposed entries that do not advance, separated by spaces, commas or lines."),
        render_kw={"rows": 2},
    )
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


#: The value of `field` that asks for every field (without it a large round shows its first field).
ALL_FIELDS = "all"
#: A round of up to this many entries shows every field by default (as a demonstration or a provincial edition).
ALL_FIELDS_UP_TO = 200
#: Entries a page, judges' statistics a page.
ENTRIES_PER_PAGE = 100
JUDGES_PER_PAGE = 50
#: A field with up to this many judges gets one column per judge; with more (a national sub-panel of 140), each
#: entry's judges and their totals are listed in one cell.
JUDGE_COLUMNS_UP_TO = 8


def _page_number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and int(value) > 0 else 1


@dataclass(frozen=True)
class ResultsFilters:
    """What the results page shows: a field (None: every field), only divergent entries or all, the page of entries
    and the page of the judges' statistics. The export reads the field and divergence alone (no field: every
    field)."""

    field_id: int | None
    only_divergent: bool
    page: int = 1
    judges_page: int = 1

    @classmethod
    def from_args(cls, args, default_field: int | None = None) -> ResultsFilters:
        field = args.get("field", "")
        if field.isdigit():
            field_id: int | None = int(field)
        else:
            field_id = None if field == ALL_FIELDS else default_field
        return cls(
            field_id,
            args.get("divergent") in ("1", "on", "true"),
            _page_number(args.get("page")),
            _page_number(args.get("judges_page")),
        )

    def to_args(self, **changes) -> dict:
        """The query arguments of these filters (`changes` replacing some: `page=2`); the field always said, so
        that a large round's link to every field is not read as its default field."""
        args: dict = {"field": self.field_id if self.field_id is not None else ALL_FIELDS}
        if self.only_divergent:
            args["divergent"] = 1
        if self.page > 1:
            args["page"] = self.page
        if self.judges_page > 1:
            args["judges_page"] = self.judges_page
        args.update(changes)
        return {key: value for key, value in args.items() if key not in ("page", "judges_page") or value != 1}


def why_text(line: JudgeLine, standings: Standings) -> str:
    text = WHY_LABELS.get(line.why)
    if text is None:
        return ""
    return str(text) % {"min": standings.min_sheets} if "%(" in str(text) else str(text)


def _field_of(standings: Standings, entry_id: int) -> FieldStandings | None:
    return next((g for g in standings.fields if any(e.entry_id == entry_id for e in g.entries)), None)


def _shown_rows(standings: Standings, filters: ResultsFilters) -> list[tuple[FieldStandings, EntryStanding]]:
    """The entries the filters keep, each with its field, in the page's order."""
    return [(g, e) for g in standings.filtered(filters.field_id, filters.only_divergent) for e in g.entries]


def _focused(standings: Standings, filters: ResultsFilters, entry_id: int) -> ResultsFilters:
    """The filters and page that show entry `entry_id` (its field when the filters hide it)."""
    rows = _shown_rows(standings, filters)
    position = next((i for i, (_g, e) in enumerate(rows) if e.entry_id == entry_id), None)
    if position is None:
        group = _field_of(standings, entry_id)
        if group is None:
            return filters
        filters = replace(filters, field_id=group.field_id, only_divergent=False)
        rows = _shown_rows(standings, filters)
        position = next((i for i, (_g, e) in enumerate(rows) if e.entry_id == entry_id), 0)
    return replace(filters, page=position // ENTRIES_PER_PAGE + 1)


def _regrouped(rows: Sequence[tuple[FieldStandings, EntryStanding]]) -> list[FieldStandings]:
    """The entries of a page in their fields (each field's judges kept)."""
    groups: list[FieldStandings] = []
    for group, entry in rows:
        if not groups or groups[-1].field_id != group.field_id:
            groups.append(FieldStandings(group.field_id, group.name, [], group.judges))
        groups[-1].entries.append(entry)
    return groups


def _judge_order(standings: Standings):
    """Each entry's judges and their sheets, in the judges' name order (the cell that lists them)."""
    place = {line.judge_id: i for i, line in enumerate(standings.judges)}
    names = {line.judge_id: line.name for line in standings.judges}

    def sheets(entry: EntryStanding) -> list[tuple[str, JudgeSheet]]:
        ordered = sorted(entry.sheets.values(), key=lambda s: (place.get(s.judge_id, len(place)), s.judge_id))
        return [(names.get(s.judge_id, ""), s) for s in ordered]

    return sheets


def _results_page(
    round_: Round, forms: dict[int, RescoreForm] | None = None, status: int = 200, focus: int | None = None
):
    """The page (see `round_results`); `focus`: an entry to show (its field and page), else the `entry` argument
    when no page is asked for."""
    worked = remembered_worked(round_)
    standings = worked.standings
    default_field = None
    if len(standings.entries) > ALL_FIELDS_UP_TO and standings.fields:
        default_field = standings.fields[0].field_id
    filters = ResultsFilters.from_args(request.args, default_field)
    if focus is None and "page" not in request.args and request.args.get("entry", "").isdigit():
        focus = int(request.args["entry"])
    if focus is not None:
        filters = _focused(standings, filters, focus)
    rows = _shown_rows(standings, filters)
    shown = page_of(rows, filters.page, ENTRIES_PER_PAGE)
    filters = replace(filters, page=shown.page)
    groups = _regrouped(shown.items)
    field_group = next((g for g in standings.fields if g.field_id == filters.field_id), None)
    judge_lines = field_group.judges if field_group is not None else standings.judges
    if filters.field_id is not None and field_group is None:
        judge_lines = []
    judges = page_of(judge_lines, filters.judges_page, JUDGES_PER_PAGE)
    filters = replace(filters, judges_page=judges.page)
    rescore_forms = {e.entry_id: rescore_form(e, standings) for _g, e in shown.items if e.divergent}
    rescore_forms.update(forms or {})
    return render_template(
        "judging/manage/results.html",
        round=round_,
        contest=round_.contest,
        standings=standings,
        divergent_count=len(worked.divergent),
        missing_sheets=worked.missing_sheets,
        groups=groups,
        shown=shown,
        judges=judges,
        field_judges=field_group is not None,
        filters=filters,
        export_args=filters.to_args(page=1, judges_page=1),
        entries_url=lambda num: url_for("judging.round_results", round_id=round_.id, **filters.to_args(page=num)),
        judges_url=lambda num: url_for(
            "judging.round_results", round_id=round_.id, _anchor="judge-stats", **filters.to_args(judges_page=num)
        ),
        rescore_forms=rescore_forms,
        judge_columns_up_to=JUDGE_COLUMNS_UP_TO,
        entry_sheets=_judge_order(standings),
        method_note=METHOD_NOTES.get(standings.method, ""),
        method_label=METHOD_LABELS.get(standings.method, standings.method),
        why_text=why_text,
    ), status


@bp.route("/manage/rounds/<int:round_id>/results")
@require("manage_contest", scope=lambda round_id: round_or_404(round_id))
def round_results(round_id: int):
    """The round's results by field with the working: every judge's total, raw and normalised scores side by side,
    rank, divergence, the judges' statistics and the method in plain words. A large round shows one field at a
    time (`field`: a field's id or `all`), `ENTRIES_PER_PAGE` entries a page (`page`) and the judges of the field
    shown `JUDGES_PER_PAGE` a page (`judges_page`); `entry` (without `page`) opens the page of that entry."""
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
    standings = remembered_standings(round_)
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
            return redirect(
                url_for("judging.round_results", round_id=round_.id, entry=entry.id, _anchor=f"entry-{entry.id}")
            )
    return _results_page(round_, {entry.id: form}, status=400, focus=entry.id)


# --- Advancement -----------------------------------------------------------------------------------------------------


def _in_next_round(target: Round | None, entry_ids) -> set[int]:
    if target is None:
        return set()
    query = select(RoundEntry.entry_id).where(RoundEntry.round_id == target.id, RoundEntry.entry_id.in_(entry_ids))
    return set(db.session.scalars(query))


#: Above this many entries in the round, the advancement page shows a summary per field and, one field at a time,
#: the entries around the field's cut-off (or a page of its ranking) with checkboxes; the other entries are adjusted
#: by listing their codes. At or below it, every entry is listed with a checkbox.
LARGE_ROUND = 200
#: A large round: entries shown on each side of a field's cut-off, and entries a page of a field's ranking.
NEAR_CUTOFF = 25
ADVANCE_PER_PAGE = 50
#: A large round: entry codes listed in a warning (missing sheets, divergent); the others are counted.
WARNING_CODES = 20


@dataclass(frozen=True)
class _Listed:
    """What a large round's page shows: the field summaries, the field shown, its entries shown (around the
    cut-off, or a page of the ranking) and the pager over the field's ranking."""

    summaries: list
    summary: object
    rows: list[EntryStanding]
    pages: object
    near: bool
    #: The 1-based position in the field's ranking of the first entry shown.
    first: int


def _listed(standings: Standings, proposed: list[int]) -> _Listed | None:
    summaries = field_summaries(standings, proposed)
    if not summaries:
        return None
    wanted = request.args.get("field", type=int)
    summary = next((s for s in summaries if (s.field_id or 0) == wanted), summaries[0])
    group = next(g for g in standings.fields if g.field_id == summary.field_id)
    page = request.args.get("page", type=int)
    if page is None:
        start = max(summary.cutoff_at - NEAR_CUTOFF, 0)
        rows = group.entries[start : summary.cutoff_at + NEAR_CUTOFF + 1]
        pages = page_of(group.entries, summary.cutoff_at // ADVANCE_PER_PAGE + 1, ADVANCE_PER_PAGE)
        return _Listed(summaries, summary, rows, pages, True, start + 1)
    pages = page_of(group.entries, page, ADVANCE_PER_PAGE)
    return _Listed(summaries, summary, list(pages.items), pages, False, pages.first)


def _posted_ids(text: str | None, known) -> list[int]:
    ids = []
    for word in (text or "").split(","):
        word = word.strip()
        if word.isdigit() and int(word) in known and int(word) not in ids:
            ids.append(int(word))
    return ids


@bp.route("/manage/rounds/<int:round_id>/advance", methods=["GET", "POST"])
@require("manage_contest", scope=lambda round_id: round_or_404(round_id))
def round_advance(round_id: int):
    """The rule's proposal of entries that advance, by field with their scores and warnings (missing sheets,
    divergent entries); the organizer reviews it, adjusts it with a written reason, and confirms.

    A large round (more than `LARGE_ROUND` entries): a summary per field, one field's entries around its cut-off
    (or a page of its ranking) with checkboxes, and the adjustments to the proposal by entry code; the form carries
    the entries shown and the adjustments, never the whole list."""
    round_ = round_or_404(round_id)
    # Shared by the worker's requests: `proposed_advancing` and `advance_entries` only read it.
    standings = remembered_standings(round_)
    proposed = proposed_advancing(round_, standings)
    target = next_round(round_)
    large = len(standings.entries) > LARGE_ROUND
    listed = _listed(standings, proposed) if large else None
    form = AdvanceForm()
    if large:
        shown = _posted_ids(form.shown.data, standings.entries) if request.method == "POST" else []
        if request.method == "GET":
            shown = [e.entry_id for e in listed.rows] if listed else []
            form.shown.data = ",".join(map(str, shown))
        form.entry_ids.choices = options([(i, standings.entries[i].code) for i in shown])
    else:
        shown = list(standings.entries)
        form.entry_ids.choices = options([(e.entry_id, e.code) for e in standings.entries.values()])
    status = 200
    if request.method == "GET":
        form.entry_ids.data = [i for i in proposed if i in set(shown)] if large else list(proposed)
    elif not form.validate_on_submit():
        status = 400
    else:
        codes = {e.code.upper(): e.entry_id for e in standings.entries.values() if e.code}
        added, unknown_added = read_codes(form.add_codes.data, codes)
        removed, unknown_removed = read_codes(form.remove_codes.data, codes)
        for codes_field, unknown in ((form.add_codes, unknown_added), (form.remove_codes, unknown_removed)):
            if unknown:
                codes_field.errors = [
                    *codes_field.errors,
                    _("Not an entry of this round: %(codes)s.", codes=", ".join(unknown)),
                ]
        both = [standings.entries[i].code for i in added if i in set(removed)]
        if both:
            form.remove_codes.errors = [
                *form.remove_codes.errors,
                _("Listed both to advance and to take out: %(codes)s.", codes=", ".join(both)),
            ]
        chosen = adjusted_choice(proposed, shown, form.entry_ids.data or [], added, removed)
        if form.add_codes.errors or form.remove_codes.errors:
            status = 400
        elif set(chosen) != set(proposed) and not form.reason.data:
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
    kept = {name: request.args[name] for name in ("field", "page") if name in request.args}
    incomplete = standings.incomplete
    divergent = standings.divergent
    return render_template(
        "judging/manage/advance.html",
        round=round_,
        contest=round_.contest,
        standings=standings,
        proposed=set(proposed),
        proposed_count=len(proposed),
        chosen=chosen_ids,
        target=target,
        advanced=_in_next_round(target, [e.entry_id for e in listed.rows] if listed else shown),
        form=form,
        large=large,
        listed=listed,
        kept=kept,
        url_for_page=lambda page: url_for("judging.round_advance", round_id=round_.id, **{**kept, "page": page}),
        incomplete=incomplete[:WARNING_CODES] if large else incomplete,
        incomplete_more=max(len(incomplete) - WARNING_CODES, 0) if large else 0,
        divergent=divergent[:WARNING_CODES] if large else divergent,
        divergent_count=len(divergent),
        missing_sheets=standings.missing_sheets,
    ), status
