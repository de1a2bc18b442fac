"""An edition's delegation to the level outside this system (the national contest): its organizers choose the
entries (by award, or by hand), take one out with a reason, and download the registration sheet (XLSX), every
dossier in one ZIP with its manifest, or one entry's dossier."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.accounts.permissions import require
from app.exports import ascii_filename, send_xlsx
from app.extensions import db
from app.forms import options
from competitions.models import Contest
from forwarding import bp, exports, services
from forwarding.forms import ChoiceForm, DelegationForm
from forwarding.messages import problem_messages
from forwarding.models import Forward
from forwarding.services import ForwardingError
from forwarding.services import delegation_page as page_reads
from forwarding.services.delegation import delegation_query
from forwarding.services.lower import LowerResult
from forwarding.views.child import checked_ids, load_entries, withdraw_form
from forwarding.views.loaders import contest_or_404, entry_or_404
from results.paging import ListPage


def delegating_contest(contest_id: int) -> Contest:
    """The edition, when it may have a delegation (an edition with a parent forwards there instead: 404)."""
    contest = contest_or_404(contest_id)
    if contest.parent_id is not None:
        abort(404)
    return contest


def _level(contest: Contest, forward: Forward | None) -> str:
    """The outside level's name: the delegation's, else the default for the kind of contest."""
    return forward.external_level if forward is not None else services.EXTERNAL_LEVELS.get(contest.kind, "")


def _first_forward(contest: Contest) -> Forward | None:
    """A forward of the delegation (the first made), for its level's name (one query)."""
    return db.session.scalar(delegation_query(contest).order_by(Forward.id).limit(1))


#: Rows of the entries' table a page.
PER_PAGE = 100


def _int(value) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


@dataclass
class Filters:
    """The page's filters (GET arguments): a field, what to show (`page.SHOWS`), a search, the choice by award
    (`by` "award", from the tier `tier` up, "" every award: the awarded entries not in the delegation yet, checked)
    and the page."""

    field_id: int | None = None
    show: str = ""
    q: str = ""
    by: str = ""
    tier: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args, contest: Contest) -> Filters:
        field_id = _int(args.get("field"))
        if field_id not in {f.id for f in contest.fields}:
            field_id = None
        by = "award" if args.get("by") == "award" else ""
        show = args.get("show", "")
        return cls(
            field_id=field_id,
            show="candidates" if by else (show if show in page_reads.SHOWS else ""),
            q=" ".join(str(args.get("q", ""))[:200].split()),
            by=by,
            tier=str(args.get("tier", ""))[:40] if by else "",
            page=_int(args.get("page")) or 1,
        )

    def to_args(self, **changes) -> dict:
        """The GET arguments of these filters with `changes`, leaving out those at their default."""
        values = {
            "field": self.field_id,
            "show": self.show if not self.by else "",
            "q": self.q,
            "by": self.by,
            "tier": self.tier,
            "page": self.page,
        } | changes
        if not values.get("by"):
            values["tier"] = ""
        return {k: v for k, v in values.items() if v not in (None, "") and not (k == "page" and v == 1)}

    @property
    def active(self) -> bool:
        return bool(self.field_id or self.show or self.q or self.by)


def render_delegation(
    contest: Contest,
    *,
    form: DelegationForm | None = None,
    errors: list[str] | None = None,
    checked: set[int] | None = None,
    withdrawing=None,
    filters: Filters | None = None,
):
    """The delegation page, also after a refusal (status 200, the refusal said where it belongs): the whole
    edition's figures per field, then one page of its entries through the filters. A fixed number of queries
    whatever the number of entries."""
    if filters is None:
        filters = Filters.from_args(request.args, contest)
    tiers = services.award_tiers(contest)
    choice = ChoiceForm(formdata=None, data={"by": filters.by, "tier": filters.tier})
    choice.tier.choices = options([("", _("every award")), *((t.code, t.name) for t in tiers)])
    position = next((t.position for t in tiers if t.code == filters.tier), None) if filters.by else None
    rows, total, page = page_reads.entries_page(
        contest,
        field_id=filters.field_id,
        show=filters.show,
        q=filters.q,
        awarded_up_to=position,
        awarded_only=bool(filters.by),
        page=filters.page,
        per_page=PER_PAGE,
    )
    filters.page = page
    counts, whole = page_reads.field_counts(contest)
    results = page_reads.remembered_results(contest) if rows else {}
    numbers = page_reads.delegation_numbers(contest) if whole.delegated else {}
    basis = "manual"
    if checked is None:
        checked = set()
        if filters.by == "award":
            checked, basis = {r.entry.id for r in rows if not r.delegated}, "award"
    first = _first_forward(contest) if whole.delegated else None
    if form is None:
        form = DelegationForm(formdata=None, external_level=_level(contest, first), basis=basis)
    forms = {
        r.forward.id: (withdrawing[1] if withdrawing and withdrawing[0] == r.forward.id else withdraw_form(r.forward))
        for r in rows
        if r.forward is not None
    }
    return render_template(
        "forwarding/delegation.html",
        contest=contest,
        rows=rows,
        results=results,
        no_result=LowerResult(),
        documents=page_reads.document_counts(r.entry.id for r in rows if r.delegated),
        fields={f.id: f for f in contest.fields},
        counts=counts,
        whole=whole,
        pagination=ListPage(rows, page, PER_PAGE, total),
        filters=filters,
        choice=choice,
        checked=checked,
        form=form,
        errors=errors or [],
        level=first.external_level if first is not None else "",
        withdraw_forms=forms,
        numbers=numbers,
    )


@bp.route("/<int:contest_id>/delegation", methods=["GET", "POST"])
@require("manage_contest", scope=lambda contest_id: delegating_contest(contest_id))
def delegation(contest_id: int):
    """GET: the delegation and the entries that may join it. POST: add the checked entries (the page's filters,
    in the query string, are kept)."""
    contest = delegating_contest(contest_id)
    if request.method == "GET":
        return render_delegation(contest)
    form = DelegationForm()
    ids = checked_ids(request.form.getlist("entry_ids"))
    if not form.validate_on_submit():
        return render_delegation(contest, form=form, checked=set(ids))
    try:
        made = services.add_to_delegation(
            contest,
            load_entries(ids),
            form.external_level.data,
            form.basis.data or "manual",
            by=current_user,
            results=page_reads.remembered_results(contest) if ids else None,
        )
    except ForwardingError as exc:
        db.session.rollback()
        level = [p for p in exc.problems if p.code.startswith("level_")]
        form.external_level.errors = problem_messages(level)
        others = [p for p in exc.problems if not p.code.startswith("level_")]
        return render_delegation(contest, form=form, errors=problem_messages(others), checked=set(ids))
    db.session.commit()
    flash(
        ngettext(
            "%(num)d entry has been added to the delegation.",
            "%(num)d entries have been added to the delegation.",
            len(made),
        ),
        "success",
    )
    filters = Filters.from_args(request.args, contest)
    return redirect(
        url_for("forwarding.delegation", contest_id=contest.id, **filters.to_args(page=1), _anchor="delegated")
    )


def _name(contest: Contest, what: str, extension: str) -> str:
    return ascii_filename(f"{what}-{contest.code_prefix}-{contest.year}.{extension}")


@bp.route("/<int:contest_id>/delegation.xlsx")
@require("manage_contest", scope=lambda contest_id: delegating_contest(contest_id))
def delegation_xlsx(contest_id: int):
    """The national registration sheet: one row per entry of the delegation."""
    contest = delegating_contest(contest_id)
    forwards = services.delegation(contest)
    data = exports.registration_sheet(contest, forwards, _level(contest, forwards[0] if forwards else None))
    return send_xlsx(data, _name(contest, "dang-ky-du-thi", "xlsx"))


@bp.route("/<int:contest_id>/delegation.zip")
@require("manage_contest", scope=lambda contest_id: delegating_contest(contest_id))
def delegation_zip(contest_id: int):
    """Every dossier of the delegation in one ZIP, numbered as in the registration sheet, with its manifest."""
    contest = delegating_contest(contest_id)
    numbered = [(n, f.entry) for n, f in enumerate(services.delegation(contest), start=1)]
    return exports.send_zip(exports.dossiers_zip(contest, numbered), _name(contest, "ho-so-du-thi", "zip"))


@bp.route("/entries/<int:entry_id>/package.zip")
@require("manage_contest", scope=lambda entry_id: entry_or_404(entry_id))
def entry_package(entry_id: int):
    """One entry's dossier as a ZIP with its manifest, numbered as in its edition's delegation (1 otherwise)."""
    entry = entry_or_404(entry_id)
    contest = entry.contest
    number = 1
    if contest.parent_id is None:
        forward = db.session.scalar(delegation_query(contest).where(Forward.entry_id == entry.id).limit(1))
        number = page_reads.delegation_numbers(contest).get(forward.id, 1) if forward is not None else 1
    filename = ascii_filename(f"ho-so-{entry.code or entry.id}.zip")
    return exports.send_zip(exports.dossiers_zip(contest, [(number, entry)]), filename)
