"""Visitors and contestants: open contests, registering and editing entries, documents, my entries."""

from __future__ import annotations

from dataclasses import asdict

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from werkzeug.datastructures import MultiDict

from app.accounts.permissions import login_required, require
from app.audit.service import record
from app.extensions import db
from app.orgs.models import AdministrativeUnit
from app.qr import send_qr
from app.timefmt import utcnow
from app.uploads import UploadError, delete_stored, expand_accepted, send_stored, store_upload
from competitions import bp, eligibility, services
from competitions.access import can_view, is_owner
from competitions.forms import ActionForm, DocumentForm, EntryForm
from competitions.messages import message
from competitions.models import Contest, DocumentType, Entry, EntryDocument, EntryPerson
from competitions.services import EntryInput, EntryProblems, PersonInput, TransitionError

PUBLIC_STATUSES = ("open", "closed", "judging", "results")
EDITABLE = ("draft", "submitted", "returned")


def _contest_or_404(contest_id: int, *, public: bool = True) -> Contest:
    contest = db.session.get(Contest, contest_id)
    if contest is None or (public and contest.status not in PUBLIC_STATUSES):
        abort(404)
    return contest


def _entry_or_404(entry_id: int) -> Entry:
    entry = db.session.get(Entry, entry_id)
    if entry is None or not can_view(current_user, entry):
        abort(404)  # never reveal that somebody else's entry exists
    return entry


def _registration(contest: Contest) -> str:
    return eligibility.registration_state(contest.rules(), utcnow())


def _editable(entry: Entry) -> bool:
    return is_owner(current_user, entry) and entry.status in EDITABLE and _registration(entry.contest) == "open"


def _units() -> list[AdministrativeUnit]:
    """Units a person may live in today (districts before the reform stay for old records only)."""
    today = utcnow().date()
    units = db.session.scalars(
        select(AdministrativeUnit)
        .where(AdministrativeUnit.level > 1)
        .where(or_(AdministrativeUnit.valid_to.is_(None), AdministrativeUnit.valid_to >= today))
        .order_by(AdministrativeUnit.code)
    ).all()
    return list(units)


@bp.route("/")
def index():
    """Contests open for registration first, then the others that are public."""
    contests = db.session.scalars(
        select(Contest).where(Contest.status.in_(PUBLIC_STATUSES)).order_by(Contest.year.desc(), Contest.id.desc())
    ).all()
    states = {c.id: _registration(c) for c in contests}
    return render_template("competitions/index.html", contests=contests, states=states)


@bp.route("/<int:contest_id>")
def contest(contest_id: int):
    contest = _contest_or_404(contest_id)
    return render_template("competitions/contest.html", contest=contest, state=_registration(contest))


# --- The entry form: authors and teachers as lists that grow and shrink without losing what was typed ---


def _number(text) -> int | None:
    """A plain ASCII number typed or sent, or None ("²" and "٣" are digits to Python, not to us)."""
    text = str(text or "").strip()
    return int(text) if text.isascii() and text.isdigit() else None


def _renumbered(formdata: MultiDict, prefix: str, removed: int) -> MultiDict:
    """The form data without row `removed` of the list `prefix`, later rows moved up by one."""
    result = MultiDict()
    for key, value in formdata.items(multi=True):
        if key.startswith(f"{prefix}-"):
            index, _sep, rest = key[len(prefix) + 1 :].partition("-")
            if index.isascii() and index.isdigit():
                i = int(index)
                if i == removed:
                    continue
                key = f"{prefix}-{i - 1 if i > removed else i}-{rest}"
        result.add(key, value)
    if prefix == "authors" and _number(result.get("lead")) is not None:
        lead = _number(result.get("lead"))
        result["lead"] = str(0 if lead == removed else lead - 1 if lead > removed else lead)
    return result


def _list_rows_only(formdata: MultiDict) -> MultiDict:
    """The form data without keys whose row index is not a plain number ("authors-²-x" would crash WTForms)."""
    clean = MultiDict()
    for key, value in formdata.items(multi=True):
        prefix, _sep, rest = key.partition("-")
        if prefix in ("authors", "teachers") and not (
            rest.partition("-")[0].isascii() and rest.partition("-")[0].isdigit()
        ):
            continue
        clean.add(key, value)
    return clean


def _entry_form(contest: Contest, *, formdata=None, data=None) -> EntryForm:
    if formdata is None and data is None and request.method == "POST":
        formdata = _list_rows_only(request.form)
    form = EntryForm(formdata=formdata, data=data)
    form.setup(contest, _units())
    return form


def _list_action(form: EntryForm, contest: Contest) -> EntryForm | None:
    """Handle the add and remove buttons; returns the form to show again, or None for a real save."""
    action = (form.action.data or "").strip()
    if not action:
        return None
    parts = action.split("-")
    verb, target = parts[0], parts[1] if len(parts) > 1 else ""
    prefix = {"author": "authors", "teacher": "teachers"}.get(target)
    if prefix is None or verb not in ("add", "remove"):
        return None
    if verb == "add":
        limit = contest.max_authors if prefix == "authors" else contest.max_teachers
        if len(getattr(form, prefix)) < limit:
            getattr(form, prefix).append_entry()
            form.setup(contest, _units())
        else:
            flash(_("This contest allows at most %(n)d.", n=limit), "warning")
        return form
    if len(parts) == 3 and parts[2].isascii() and parts[2].isdigit():
        form = _entry_form(contest, formdata=_renumbered(request.form, prefix, int(parts[2])))
        form.action.data = ""
    return form


def _to_input(form: EntryForm) -> EntryInput:
    lead = _number(form.lead.data) or 0

    def person(sub, i: int | None) -> PersonInput:
        d = sub.form
        return PersonInput(
            full_name=d.full_name.data or "",
            birth_date=d.birth_date.data,
            gender=d.gender.data or "",
            id_number=d.id_number.data or "",
            unit=d.unit.data or "",
            address=d.address.data or "",
            admin_unit_id=d.admin_unit_id.data,
            phone=(d.phone.data or "").replace(" ", "").replace(".", ""),
            email=(d.email.data or "").lower(),
            share=d.share.data if i is not None else None,
            is_lead=i is not None and i == lead,
        )

    authors = [person(a, i) for i, a in enumerate(form.authors) if _filled(a)]
    teachers = [person(t, None) for t in form.teachers if _filled(t)]
    return EntryInput(
        title=form.title.data or "",
        summary=form.summary.data or "",
        field_id=form.field_id.data,
        age_group_id=form.age_group_id.data,
        created_on=form.created_on.data,
        applied_on=form.applied_on.data,
        entering_organisation=form.entering_organisation.data or "",
        authors=tuple(authors),
        teachers=tuple(teachers),
    )


def _filled(sub) -> bool:
    """A row counts when anything was typed in it (an empty row added by mistake is ignored)."""
    return any((f.data not in (None, "")) for f in sub.form if f.name.split("-")[-1] not in ("gender",))


def _form_data(entry: Entry) -> dict:
    """The entry as the form's initial data (the lead author as the index the radio buttons send)."""
    data = asdict(EntryInput.from_entry(entry))
    data["lead"] = str(next((i for i, p in enumerate(data["authors"]) if p["is_lead"]), 0))
    data["authors"] = data["authors"] or [{}]
    return data


def _show_problems(form: EntryForm, problems: list[eligibility.Problem]) -> list[str]:
    """Put each problem beside its field; returns the messages that belong to no single field."""
    general = []
    for problem in problems:
        target = form
        for part in problem.field.split("-"):
            if target is None:
                break
            if part.isdigit():
                entries = getattr(target, "entries", [])
                target = entries[int(part)].form if int(part) < len(entries) else None
            else:
                target = getattr(target, part, None) if not hasattr(target, "entries") else None
        if target is not None and hasattr(target, "errors") and isinstance(target.errors, list):
            target.errors.append(message(problem))
        else:
            general.append(message(problem))
    return general


def _save(contest: Contest, entry: Entry | None):
    """The POST of the entry form (new or edit)."""
    form = _entry_form(contest)
    shown = _list_action(form, contest)
    template = "competitions/entry_form.html"
    if shown is not None:
        return render_template(template, form=shown, contest=contest, entry=entry, general=[])
    if not form.validate_on_submit():
        return render_template(template, form=form, contest=contest, entry=entry, general=[]), 400
    data = _to_input(form)
    if _registration(contest) != "open":
        # A form opened before the close and sent after it: refused, and what was typed kept as a draft.
        if entry is None or entry.status == "draft":
            entry = services.save_entry(entry, contest, data, owner=current_user, allow_closed=True)
            db.session.commit()
            flash(
                _(
                    "Registration closed before your form arrived: it was not submitted, and what you typed is "
                    "kept as a draft."
                ),
                "danger",
            )
            return redirect(url_for("competitions.entry", entry_id=entry.id))
        general = [_("Registration is closed; the entry can no longer be changed or submitted.")]
        return render_template(template, form=form, contest=contest, entry=entry, general=general), 409
    try:
        entry = services.save_entry(entry, contest, data, owner=current_user)
    except EntryProblems as exc:
        general = _show_problems(form, exc.problems)
        return render_template(template, form=form, contest=contest, entry=entry, general=general), 400
    db.session.commit()
    if form.save_submit.data:
        return _submit(entry)
    flash(_("Your entry has been saved as a draft."), "success")
    return redirect(url_for("competitions.entry", entry_id=entry.id))


def _submit(entry: Entry):
    try:
        services.submit_entry(entry)
    except EntryProblems:
        db.session.rollback()
        flash(_("The entry is saved but cannot be submitted yet: see what is missing below."), "warning")
        return redirect(url_for("competitions.entry", entry_id=entry.id))
    except TransitionError:
        db.session.rollback()
        flash(_("This entry cannot be submitted now."), "danger")
        return redirect(url_for("competitions.entry", entry_id=entry.id))
    db.session.commit()
    return redirect(url_for("competitions.submitted", entry_id=entry.id))


@bp.route("/<int:contest_id>/register", methods=["GET", "POST"])
@require("submit_entry")
def register(contest_id: int):
    contest = _contest_or_404(contest_id)
    if request.method == "POST":
        return _save(contest, None)
    if _registration(contest) != "open":
        flash(_("Registration for this contest is not open."), "warning")
        return redirect(url_for("competitions.contest", contest_id=contest.id))
    form = _entry_form(
        contest,
        data={
            "authors": [
                {"full_name": current_user.full_name, "email": current_user.email, "phone": current_user.phone}
            ],
            "lead": "0",
        },
    )
    return render_template("competitions/entry_form.html", form=form, contest=contest, entry=None, general=[])


@bp.route("/entries/<int:entry_id>/edit", methods=["GET", "POST"])
@login_required
def edit(entry_id: int):
    entry = _entry_or_404(entry_id)
    if not is_owner(current_user, entry):
        abort(403)
    if request.method == "POST":
        if entry.status not in EDITABLE:
            abort(409)
        return _save(entry.contest, entry)
    if not _editable(entry):
        flash(_("This entry can no longer be changed."), "warning")
        return redirect(url_for("competitions.entry", entry_id=entry.id))
    form = _entry_form(entry.contest, data=_form_data(entry))
    return render_template("competitions/entry_form.html", form=form, contest=entry.contest, entry=entry, general=[])


@bp.route("/entries/<int:entry_id>")
@login_required
def entry(entry_id: int):
    entry = _entry_or_404(entry_id)
    editable = _editable(entry)
    to_submit = []
    if editable and entry.status in ("draft", "returned"):
        to_submit = [
            message(p) for p in services.problems_for(EntryInput.from_entry(entry), entry.contest, for_submit=True)
        ]
    missing = services.missing_documents(entry) if editable else []
    return render_template(
        "competitions/entry.html",
        entry=entry,
        contest=entry.contest,
        editable=editable,
        to_submit=to_submit,
        missing=missing,
        owner=is_owner(current_user, entry),
        action_form=ActionForm(),
        document_form=DocumentForm(),
        registration=_registration(entry.contest),
    )


@bp.route("/entries/<int:entry_id>/submit", methods=["POST"])
@login_required
def submit(entry_id: int):
    entry = _entry_or_404(entry_id)
    if not is_owner(current_user, entry) or not ActionForm().validate_on_submit():
        abort(403)
    return _submit(entry)


@bp.route("/entries/<int:entry_id>/submitted")
@login_required
def submitted(entry_id: int):
    entry = _entry_or_404(entry_id)
    if entry.code is None:
        return redirect(url_for("competitions.entry", entry_id=entry.id))
    return render_template("competitions/submitted.html", entry=entry)


@bp.route("/entries/<int:entry_id>/withdraw", methods=["POST"])
@login_required
def withdraw(entry_id: int):
    entry = _entry_or_404(entry_id)
    if not is_owner(current_user, entry) or not ActionForm().validate_on_submit():
        abort(403)
    try:
        services.withdraw_entry(entry)
    except TransitionError:
        flash(_("This entry cannot be withdrawn now."), "danger")
    else:
        db.session.commit()
        flash(_("Your entry has been withdrawn."), "info")
    return redirect(url_for("competitions.entry", entry_id=entry.id))


@bp.route("/my-entries")
@require("submit_entry")
def my_entries():
    mine = or_(
        Entry.owner_id == current_user.id,
        Entry.people.any((EntryPerson.role == "author") & (EntryPerson.email == current_user.email.lower())),
    )
    entries = db.session.scalars(select(Entry).where(mine).order_by(Entry.created_at.desc())).all()
    return render_template("competitions/my_entries.html", entries=entries)


# --- Documents -------------------------------------------------------------------------------------------


def _folder(entry: Entry) -> str:
    return f"entries/{entry.id}"


@bp.route("/entries/<int:entry_id>/documents", methods=["POST"])
@login_required
def upload(entry_id: int):
    entry = _entry_or_404(entry_id)
    if not _editable(entry):
        abort(403)
    form = DocumentForm()
    type_id = _number(form.document_type_id.data)
    doc_type = db.session.get(DocumentType, type_id) if type_id is not None else None
    if not form.validate_on_submit() or doc_type is None or doc_type.contest_id != entry.contest_id:
        abort(400)
    if not form.file.data:
        flash(_("Choose a file to upload."), "warning")
        return redirect(url_for("competitions.entry", entry_id=entry.id, _anchor="documents"))
    used = sum(d.size for d in entry.documents)
    room = current_app.config["ENTRY_MAX_TOTAL_MB"] * 1024 * 1024 - used
    limit = min(doc_type.max_mb * 1024 * 1024, room)
    try:
        if limit <= 0:
            raise UploadError(_("The entry's documents already use all the space allowed."))
        stored = store_upload(form.file.data, _folder(entry), expand_accepted(doc_type.accepted_groups), limit)
    except UploadError as exc:
        flash(f"{doc_type.name}: {exc}", "danger")
        return redirect(url_for("competitions.entry", entry_id=entry.id, _anchor="documents"))
    document = EntryDocument(
        entry=entry,
        document_type_id=doc_type.id,
        original_name=stored.original_name,
        stored_name=stored.stored_name,
        kind=stored.kind,
        mimetype=stored.mimetype,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by_id=current_user.id,
    )
    db.session.add(document)
    record(
        "entry.document.upload",
        entry,
        after={"document": stored.original_name, "type": doc_type.name, "size": stored.size, "sha256": stored.sha256},
    )
    db.session.commit()
    flash(_("“%(name)s” has been uploaded.", name=stored.original_name), "success")
    return redirect(url_for("competitions.entry", entry_id=entry.id, _anchor="documents"))


def _document_or_404(entry: Entry, document_id: int) -> EntryDocument:
    document = db.session.get(EntryDocument, document_id)
    if document is None or document.entry_id != entry.id:
        abort(404)
    return document


@bp.route("/entries/<int:entry_id>/documents/<int:document_id>/delete", methods=["POST"])
@login_required
def delete_document(entry_id: int, document_id: int):
    entry = _entry_or_404(entry_id)
    if not _editable(entry) or not ActionForm().validate_on_submit():
        abort(403)
    document = _document_or_404(entry, document_id)
    record("entry.document.delete", entry, before={"document": document.original_name, "sha256": document.sha256})
    db.session.delete(document)
    db.session.commit()
    delete_stored(_folder(entry), document.stored_name)
    flash(_("“%(name)s” has been removed.", name=document.original_name), "info")
    return redirect(url_for("competitions.entry", entry_id=entry.id, _anchor="documents"))


@bp.route("/entries/<int:entry_id>/documents/<int:document_id>")
@login_required
def download(entry_id: int, document_id: int):
    entry = _entry_or_404(entry_id)
    document = _document_or_404(entry, document_id)
    return send_stored(_folder(entry), document.stored_name, document.original_name, document.mimetype)


@bp.route("/entries/<int:entry_id>/qr.<fmt>")
@login_required
def qr(entry_id: int, fmt: str):
    entry = _entry_or_404(entry_id)
    if entry.code is None or fmt not in ("png", "svg"):
        abort(404)
    return send_qr(url_for("competitions.entry", entry_id=entry.id, _external=True), fmt)
