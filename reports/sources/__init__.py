"""Where the reports' figures come from: one module per domain, each reading that domain's records of data of
record and returning typed tables (`reports.tables.Table`), each with the sentence saying what it counts.

A source module has:

- `years(user) -> set[int]`: the years it has records for, among those `user` may see;
- `annual(context: AnnualContext) -> list[Table]`: its tables of the year (in a fixed number of queries);
- optionally `dashboard(user, now) -> reports.cards.Section`: its part of the organizers' dashboard (the contests'
  own part is `reports.dashboard`).

Contests (competitions, judging, results, forwarding) are `reports.sources.contests`; honors (people honored by
category and nominating body, from the published lists of closed ballots) `reports.sources.honors`; events (events
held with the people invited and present, from the check-in log) `reports.sources.events`.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from reports.tables import Table

#: The modules the annual report reads, in the order their tables appear.
ANNUAL_SOURCES: list[str] = ["reports.sources.contests", "reports.sources.honors", "reports.sources.events"]
#: The modules adding a section to the organizers' dashboard, in order.
DASHBOARD_SOURCES: list[str] = ["reports.sources.honors", "reports.sources.events"]


@dataclass(frozen=True)
class AnnualContext:
    """What an annual report is asked for: whose (the signed-in organizer), which year, and whether localities are
    grouped under the units that now stand for them."""

    user: object
    year: int
    successors: bool = False


def annual_tables(context: AnnualContext) -> list[Table]:
    tables: list[Table] = []
    for path in ANNUAL_SOURCES:
        tables += import_module(path).annual(context)
    return tables


def dashboard_sections(user, now) -> list:
    """The dashboard's sections from the sources that have one."""
    return [import_module(path).dashboard(user, now) for path in DASHBOARD_SOURCES]


def report_years(user) -> list[int]:
    """Every year some source has records for, newest first."""
    found: set[int] = set()
    for path in ANNUAL_SOURCES:
        found |= import_module(path).years(user)
    return sorted(found, reverse=True)
