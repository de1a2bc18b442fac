"""A worker's memory of rounds' standings (`round_standings`: seconds for a national round of 150,000 sheets), so
that the organizers' pages built on them (the round's results paged field by field, the awards proposal, the
publication preview, the delegation, the round workbook) do not work them out again at every view.

The standings are remembered under a key that can never describe stale data (see app/remembered.py): the round's
settings that change the working, and a stamp of every table `round_standings` reads, which changes whenever a row
of them is inserted, updated or deleted - a sheet submitted, saved as a draft or reopened, a judge assigned, an
entry sent for re-scoring or renamed, a judge renamed, a field or sub-panel changed. The stamp is the tables'
versions (app/table_versions.py), kept by PostgreSQL's triggers and read in one primary-key lookup at every view;
elsewhere (SQLite: small development and demonstration databases) nothing is remembered and the standings are worked
out at every view.

The remembered standings are shared by every request of the worker: read them, never change them.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.remembered import Remembered
from app.table_versions import versioned
from judging.models import Round
from judging.services.standings import EntryStanding, Standings, round_standings

#: The tables `round_standings` reads (the entries' and judges' names and fields, the sub-panels, the round's
#: entries, assignments and sheets).
TABLES = versioned(
    (
        "score_sheets",
        "judging_assignments",
        "round_entries",
        "entries",
        "users",
        "contest_fields",
        "judging_panels",
        "judging_panel_fields",
    )
)


@dataclass(frozen=True)
class Worked:
    """A round's standings with the round's figures the results page shows above any filter (each a walk through
    every entry: 0.2 s for a national round, kept with the standings)."""

    standings: Standings
    divergent: tuple[EntryStanding, ...]
    missing_sheets: int

    @classmethod
    def of(cls, standings: Standings) -> Worked:
        return cls(standings, tuple(standings.divergent), standings.missing_sheets)


#: Standings by key; a national preliminary round's take about 140 MB of a worker's memory (50,000 entries, 150,000
#: sheets), so only the one read last is kept (a worker stays well under 500 MB resident).
STANDINGS_KEPT = 1
_worked: Remembered[Worked] = Remembered(STANDINGS_KEPT)


def settings_key(round_: Round) -> tuple:
    """The round's settings that change the working."""
    return (
        round_.id,
        round_.contest_id,
        round_.method,
        bool(round_.normalise),
        round_.min_sheets,
        str(round_.divergence_threshold),
        round_.judges_per_entry,
    )


def remembered_worked(round_: Round) -> Worked:
    """`round_standings(round_)` and its figures, remembered by the worker while none of what it reads changes
    (PostgreSQL; worked out at every call elsewhere)."""
    return _worked.while_unchanged(TABLES, settings_key(round_), lambda: Worked.of(round_standings(round_)))


def remembered_standings(round_: Round) -> Standings:
    """`round_standings(round_)`, remembered as `remembered_worked` says."""
    return remembered_worked(round_).standings


def forget() -> None:
    """Forget every remembered standings (tests)."""
    _worked.clear()
