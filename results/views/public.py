"""Publication: organizers preview and publish a frozen version of an edition's results (a correction with a
change note); the public reads every published version by field and tier, with its decision, hash and tie-break
chain; contestants see their entry's result (and, when the edition allows it, their judges' totals and comments
by number) on their entry's page. The same data as JSON lives in `results.api`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from threading import Lock
from weakref import WeakKeyDictionary

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from wtforms import SubmitField, TextAreaField

from app.accounts.models import User
from app.accounts.permissions import require
from app.audit.labels import register_labels
from app.extensions import db
from app.forms import Form, length, optional, strip
from app.remembered import Remembered
from app.timefmt import format_date
from competitions.access import is_author, is_owner
from competitions.navigation import register_contest_link, register_entry_panel
from results import api, bp
from results.models import Publication
from results.paging import ListPage, page_of
from results.services import publication as service
from results.services.publication import NOTE_MAX, PublicationError
from results.snapshot import FieldGroup, awards_by_entry, by_field
from results.views.loaders import contest_or_404

register_labels({"results.publish": _l("Published the results")}, {"result_publications": _l("Published results")})

#: Why publishing was refused, in words (`PublicationError.code`).
ERROR_MESSAGES = {
    "no_round": _l("The edition has no judging round to rank its entries: results cannot be published yet."),
    "no_decision": _l("Record the approving decision (number, date, signer) before publishing."),
    "no_awards": _l("No award is recorded yet: review the awards before publishing."),
    "note_required": _l("A correction must say what changed: write a change note."),
    "note_too_long": _l("The change note is too long (at most %(n)d characters).", n=NOTE_MAX),
    "version_taken": _l("Someone published at the same moment: check the versions below and publish again if needed."),
}
FIELD_ERRORS = ("note_required", "note_too_long")


@bp.app_template_filter("isodate")
def isodate(value: str | None) -> str:
    """An ISO date of a snapshot ("2026-05-15") as dd/mm/yyyy."""
    if not value:
        return ""
    try:
        return format_date(date.fromisoformat(value))
    except ValueError:
        return value


def error_message(code: str) -> str:
    return str(ERROR_MESSAGES.get(code, code))


class PublishForm(Form):
    change_note = TextAreaField(
        _l("Change note"),
        [optional(), length(NOTE_MAX)],
        filters=[strip],
        description=_l("Required for a correction: shown to everyone with the new version."),
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("Publish"))


# --- Organizers ------------------------------------------------------------------------------------------------


#: Changes since the last version listed a page (a correction after scores changed may touch every entry).
CHANGES_PER_PAGE = 50


def _versions_with_people(contest_id: int) -> tuple[list[service.Checked], dict[int, str]]:
    """Every published version with whether it still matches its hash (checked once per worker and stored row),
    and who published them."""
    versions = service.checked_versions(contest_id)
    ids = {v.publication.published_by_id for v in versions if v.publication.published_by_id is not None}
    names = dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all()) if ids else {}
    return versions, names


def _publish_page(contest, form: PublishForm, status: int = 200, general: list[str] | None = None):
    """The preview as the public page would show it (the winners of every field, or one field's ranking a page
    at a time: ?field=<id>&page=N), what changed since the last version a page at a time (?changes=N), the form
    and the versions."""
    preview = service.preview(contest)
    versions, names = _versions_with_people(contest.id)
    column = None
    if preview.snapshot:
        groups, specials = by_field(preview.snapshot)
        field_key, chosen, ranking = _chosen_field(groups)
        column = Markup(_render_column(preview.snapshot, groups, specials, field_key, chosen, ranking))
    changes = page_of(preview.changes, request.args.get("changes", 1, type=int), CHANGES_PER_PAGE)
    args = {k: request.args[k] for k in ("field", "page") if k in request.args}
    return (
        render_template(
            "results/manage/publish.html",
            contest=contest,
            form=form,
            preview=preview,
            problems=[error_message(code) for code in preview.problems],
            general=general or [],
            snapshot=preview.snapshot,
            column=column,
            changes=changes,
            url_for_page=lambda page: url_for(
                "results.publish", contest_id=contest.id, **args, changes=page, _anchor="changes"
            ),
            versions=versions,
            names=names,
        ),
        status,
    )


@bp.route("/manage/<int:contest_id>/publish", methods=["GET", "POST"])
@require("manage_contest", scope=lambda contest_id: contest_or_404(contest_id))
def publish(contest_id: int):
    """Preview what would be published (and what changed since the last version), publish, list the versions."""
    contest = contest_or_404(contest_id)
    form = PublishForm()
    if not form.validate_on_submit():
        return _publish_page(contest, form, 400 if form.is_submitted() else 200)
    try:
        publication = service.publish(contest, form.change_note.data or "", by=current_user)
    except PublicationError as exc:
        db.session.rollback()
        if exc.code in FIELD_ERRORS:
            form.change_note.errors = [*form.change_note.errors, error_message(exc.code)]
            return _publish_page(contest, form, 400)
        return _publish_page(contest, form, 400, [error_message(exc.code)])
    db.session.commit()
    flash(_("Version %(n)d of the results is published.", n=publication.version), "success")
    return redirect(url_for("results.publish", contest_id=contest.id))


# --- The public ------------------------------------------------------------------------------------------------


#: Rows of a field's full ranking a page: a phone scrolls through them; the winners come first on the main page.
RANKING_PER_PAGE = 100
#: Rendered results columns kept per reading (a field's ranking has many pages: the ones read last are kept).
COLUMNS_KEPT = 32

#: The rendered results column per reading, by what it depends on besides the reading (language, version asked,
#: field, page). Held weakly: the columns go with the reading when the service forgets it.
_columns: WeakKeyDictionary[service.Reading, Remembered[Markup]] = WeakKeyDictionary()
_columns_lock = Lock()


def _column(reading: service.Reading, key: tuple, render: Callable[[], str]) -> Markup:
    """The column rendered for `key`, once per worker: the same for every reader of the same version."""
    with _columns_lock:
        kept = _columns.setdefault(reading, Remembered(COLUMNS_KEPT))
    return kept.get(key, lambda: Markup(render()))


def _chosen_field(groups: list[FieldGroup]) -> tuple[str | None, FieldGroup | None, ListPage | None]:
    """The field asked for with ?field=<id> ("none": the entries without a field; absent: the winners of every
    field) and the page of its ranking asked for with ?page=N, RANKING_PER_PAGE rows a page; 404 for a field
    the snapshot does not have."""
    field_key = request.args.get("field")
    if field_key is None:
        return None, None, None
    chosen = next((g for g in groups if g.key == field_key), None)
    if chosen is None:
        abort(404)
    return field_key, chosen, page_of(chosen.ranking, request.args.get("page", 1, type=int), RANKING_PER_PAGE)


def _render_column(
    snapshot: dict,
    groups: list[FieldGroup],
    specials: list[dict],
    field_key: str | None,
    chosen: FieldGroup | None,
    ranking: ListPage | None,
) -> str:
    """The results column (templates/results/public/_column.html), its links to this page's own URL."""
    here = {"endpoint": request.endpoint, **(request.view_args or {})}
    return render_template(
        "results/public/_column.html",
        snapshot=snapshot,
        groups=groups,
        specials=specials,
        chosen=chosen,
        ranking=ranking,
        url_for_page=lambda page: url_for(**here, field=field_key, page=page),
    )


def _public_page(contest_id: int, version: int | None = None):
    """A published version: the awards of every field and the special prizes; with ?field=<id> ("none": the
    entries without a field) that field's awards then its full ranking, RANKING_PER_PAGE rows a page (?page=N).
    The version's reading (checked against its hash, parsed) and its rendered column are remembered per worker,
    so a view costs a few small queries and the page around the column."""
    shown = service.read_published(contest_id, version)
    if shown is None or shown.reading.snapshot is None:
        abort(404)
    reading = shown.reading
    field_key, chosen, ranking = _chosen_field(reading.groups)

    def render() -> str:
        return _render_column(reading.snapshot, reading.groups, reading.specials, field_key, chosen, ranking)

    key = (str(get_locale()), version, field_key, ranking.page if ranking else None)
    return render_template(
        "results/public/results.html",
        publication=shown.publication,
        intact=reading.intact,
        snapshot=reading.snapshot,
        column=_column(reading, key, render),
        versions=shown.versions,
    )


@bp.route("/<int:contest_id>")
def public(contest_id: int):
    """The latest published version of the edition's results (404 before the first)."""
    return _public_page(contest_id)


@bp.route("/<int:contest_id>/v/<int:version>")
def public_version(contest_id: int, version: int):
    """A published version; earlier ones stay readable after a correction."""
    return _public_page(contest_id, version)


# --- On the contests package's pages (registered, never imported by it) ----------------------------------------


def results_link(contest) -> tuple[str, str] | None:
    """The public contest page links the results once a version is published."""
    published = db.session.scalar(select(Publication.id).where(Publication.contest_id == contest.id).limit(1))
    if published is None:
        return None
    return _("Results of the contest"), url_for("results.public", contest_id=contest.id)


def entry_result_panel(entry) -> str:
    """The entry's published result, for its owner and its authors only, once a version is published; with the
    judges' totals and comments by number ("Judge 1") when the edition's plan shows feedback."""
    if not (is_owner(current_user, entry) or is_author(current_user, entry)):
        return ""
    shown = service.read_published(entry.contest_id)  # the reading remembered for the public page
    if shown is None or shown.reading.snapshot is None:  # not a snapshot this code wrote: say nothing wrong
        return ""
    publication, data = shown.publication, shown.reading.snapshot
    row = next((e for e in data["entries"] if e["id"] == entry.id), None)
    feedback = []
    if row is not None and service.shows_feedback(entry.contest_id):
        feedback = service.feedback_for(data["ranking"]["round"]["id"], entry.id)
    return render_template(
        "results/public/_entry_result.html",
        entry=entry,
        publication=publication,
        snapshot=data,
        row=row,
        awards=awards_by_entry(data).get(entry.id, []),
        feedback=feedback,
    )


def _register(state) -> None:
    register_contest_link("results", results_link)
    register_entry_panel("results", entry_result_panel)
    api.init_app(state)


bp.record_once(_register)
