"""The organizers' work on entries: the filters of the entries table (read from the query string, applied to a
query) and the screening form."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from flask_babel import lazy_gettext as _l
from sqlalchemy import BindParameter, Select, bindparam, case, or_, select
from wtforms import RadioField, SubmitField, TextAreaField

from app.forms import Form, length, optional, options
from app.orgs.models import AdministrativeUnit
from app.search import match_values, search_words, where_matches
from competitions.models import ENTRY_STATUSES, Entry

PER_PAGE = 50

#: The statuses the table shows unless asked otherwise: every entry that reached the Secretariat and is
#: still in the contest (drafts and withdrawn entries only when asked).
ACTIVE_STATUSES = ("submitted", "returned", "eligible", "ineligible")
STATUS_ALL = "all"

#: Sort keys of the table. Vietnamese alphabetical order of lead authors would need a sort column like
#: `User.sort_name`; `lead` sorts by the stored name as the database compares it.
SORTS = ("code", "title", "lead", "unit", "submitted", "status")

#: The Secretariat's decisions, in the order the form offers them.
DECISIONS = ("eligible", "ineligible", "returned")
DECISION_LABELS = {
    "eligible": _l("Eligible"),
    "ineligible": _l("Not eligible"),
    "returned": _l("Return for changes"),
}
#: What the note must say when it is required.
NOTE_REQUIRED = {
    "ineligible": _l("Give the reason: the contestant sees it."),
    "returned": _l("Say what to change: the contestant sees it."),
}


#: Control characters a person never types (PostgreSQL refuses NUL in text); tabs and line ends stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value):
    """Text as typed, trimmed, without control characters (a form filter)."""
    return _CONTROL.sub("", value).strip() if isinstance(value, str) else value


def _one_line(value: str | None, limit: int) -> str:
    return " ".join(clean_text(value or "").split())[:limit]


def _int(value: str | None) -> int | None:
    text = (value or "").strip()
    if not text.isdigit() or not text.isascii() or len(text) > 12:
        return None
    return int(text) or None


@dataclass(frozen=True)
class EntryFilters:
    """What the organizer asked the entries table for; unknown or malformed values are ignored."""

    field_id: int | None = None
    status: str = ""  # "" = the active statuses, "all", or one status
    unit: str = ""
    locality: int | None = None
    q: str = ""
    sort: str = "code"
    order: str = "asc"
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> EntryFilters:
        status = (args.get("status") or "").strip()
        sort = (args.get("sort") or "").strip()
        order = (args.get("order") or "").strip()
        return cls(
            field_id=_int(args.get("field")),
            status=status if status in ENTRY_STATUSES or status == STATUS_ALL else "",
            unit=clean_text(args.get("unit") or "")[:255],  # as stored: the select's values
            locality=_int(args.get("locality")),
            q=_one_line(args.get("q"), 200),
            sort=sort if sort in SORTS else "code",
            order="desc" if order == "desc" else "asc",
            page=_int(args.get("page")) or 1,
        )

    def to_args(self, **changes) -> dict[str, object]:
        """Query-string arguments for these filters with `changes` (only the ones that differ from the defaults),
        for links: another page, another sort, the export."""
        f = replace(self, **changes)
        args = {
            "field": f.field_id,
            "status": f.status,
            "unit": f.unit,
            "locality": f.locality,
            "q": f.q,
            "sort": f.sort if f.sort != "code" else None,
            "order": f.order if f.order != "asc" else None,
            "page": f.page if f.page != 1 else None,
        }
        return {k: v for k, v in args.items() if v not in (None, "")}

    @property
    def statuses(self) -> tuple[str, ...]:
        if self.status == STATUS_ALL:
            return ENTRY_STATUSES
        return (self.status,) if self.status else ACTIVE_STATUSES

    def apply(self, query: Select, contest_id: int, *, with_status: bool = True) -> Select:
        """`query` (on entries) kept to the edition and to these filters; `with_status=False` leaves the status
        out (the counts by status above the table). The values are bound under the names `bound` gives them, so
        that a statement built from `shape()` runs with these filters' values."""
        query = query.where(Entry.contest_id == bindparam("contest_id", contest_id))
        if self.field_id is not None:
            query = query.where(Entry.field_id == bindparam("field_id", self.field_id))
        if self.unit:
            query = query.where(Entry.unit_name == bindparam("unit", self.unit))
        if self.locality is not None:
            query = query.where(_within(bindparam("locality", self.locality)))
        query = where_matches(query, Entry.search_text, self.q, name="word")
        if with_status and self.status != STATUS_ALL:
            query = query.where(Entry.status.in_(bindparam("statuses", list(self.statuses), expanding=True)))
        return query

    def shape(self) -> EntryFilters:
        """These filters without their values (which filters are used, how many words are searched, the status
        asked, the sort): every statement `apply` builds from them is the same, whatever the values."""
        return EntryFilters(
            field_id=None if self.field_id is None else 0,
            status=self.status,
            unit="?" if self.unit else "",
            locality=None if self.locality is None else 0,
            q=" ".join("w" for _word in search_words(self.q)),
            sort=self.sort,
            order=self.order,
        )

    def bound(self, contest_id: int) -> dict[str, object]:
        """The values `apply` binds, by name: to run a statement built from `shape()` for these filters."""
        values: dict[str, object] = {"contest_id": contest_id, "statuses": list(self.statuses)}
        given = {"field_id": self.field_id, "unit": self.unit or None, "locality": self.locality}
        values.update((name, value) for name, value in given.items() if value is not None)
        return values | match_values(self.q, "word")

    @property
    def searching(self) -> bool:
        """Whether a search narrows the table (some word to look for, not only spaces or punctuation)."""
        return bool(search_words(self.q))

    def ordered(self, query: Select) -> Select:
        return query.order_by(*self.order_keys())

    def order_keys(self, entry=Entry) -> list:
        """The table's order, on `entry`: the entries, or the columns of a selection of theirs (which must hold the
        title, lead, unit, submission time, status, seq and id, under their names)."""
        desc = self.order == "desc"

        def way(column):
            return column.desc() if desc else column.asc()

        if self.sort == "title":
            keys = [way(entry.title)]
        elif self.sort == "lead":
            keys = [way(entry.lead_name)]
        elif self.sort == "unit":
            keys = [way(entry.unit_name)]
        elif self.sort == "submitted":
            keys = [entry.submitted_at.is_(None), way(entry.submitted_at)]  # never submitted: last either way
        elif self.sort == "status":
            keys = [way(case({s: i for i, s in enumerate(ENTRY_STATUSES)}, value=entry.status, else_=99))]
        else:
            keys = []
        # Entries without a code (drafts) come last; the code order is the number order within an edition. Said
        # with NULLS LAST, the default order reads the index on (contest_id, seq) and stops after the page.
        return [*keys, way(entry.seq).nulls_last(), way(entry.id)]


def _within(unit_id: BindParameter[int]):
    """The entry's locality is the unit or a unit below it (a district's communes, a province's districts and
    their communes)."""
    children = select(AdministrativeUnit.id).where(AdministrativeUnit.parent_id == unit_id)
    grandchildren = select(AdministrativeUnit.id).where(AdministrativeUnit.parent_id.in_(children))
    return or_(
        Entry.admin_unit_id == unit_id,
        Entry.admin_unit_id.in_(children),
        Entry.admin_unit_id.in_(grandchildren),
    )


class ScreeningForm(Form):
    """The Secretariat's decision on an entry; the view offers only the decisions allowed from its status."""

    decision = RadioField(_l("Decision"), choices=[], validate_choice=False)
    note = TextAreaField(
        _l("Note to the contestant"),
        [optional(), length(5000)],
        filters=[clean_text],
        render_kw={"rows": 3},
        description=_l(
            "Required when the entry is not eligible (the reason the contestant sees) or returned "
            "(what to change). The contestant receives it by email and sees it on the entry's page."
        ),
    )
    submit = SubmitField(_l("Record the decision"))

    def offer(self, decisions: list[str]) -> None:
        self.decision.choices = options([(d, DECISION_LABELS[d]) for d in decisions])
