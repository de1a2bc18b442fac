"""What a report shows: tables with the sentence saying what they count, and the chart drawn from them. The page,
the XLSX (one sheet per table) and the PDF are all written from these.

Pure: no Flask, no database; titles and headers come in already translated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from reports.charts import Series, bar_chart, line_chart

Value = str | int | None


@dataclass(frozen=True)
class Chart:
    """A chart of a table: "bar" (one group per category) or "line" (points left to right)."""

    kind: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]

    def svg(self, *, title: str = "", empty_text: str = "No data", width: int = 640) -> str:
        draw = line_chart if self.kind == "line" else bar_chart
        return draw(self.categories, self.series, title=title, empty_text=empty_text, width=width)


@dataclass(frozen=True)
class Table:
    """One table of a report. `note` says what it counts; `links` (when given) is one URL or None per row, for the
    page; `total` an optional last row; `section` the heading it comes under (the domain it reads)."""

    key: str
    title: str
    note: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]
    links: tuple[str | None, ...] = ()
    total: tuple[Value, ...] | None = None
    chart: Chart | None = None
    section: str = ""
    #: Columns the page hides on a phone (the downloads keep them).
    minor: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        for row in (*self.rows, *((self.total,) if self.total else ())):
            if len(row) != len(self.headers):
                raise ValueError(f"table {self.key!r}: a row of {len(row)} values for {len(self.headers)} headers")
        if self.links and len(self.links) != len(self.rows):
            raise ValueError(f"table {self.key!r}: {len(self.links)} links for {len(self.rows)} rows")

    def link(self, index: int) -> str | None:
        return self.links[index] if self.links else None

    def column(self, header_index: int) -> list[Value]:
        return [row[header_index] for row in self.rows]


@dataclass(frozen=True)
class Report:
    """A report: its title, the line saying whose data it covers, and its tables in order."""

    title: str
    subtitle: str
    tables: Sequence[Table] = field(default_factory=tuple)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def bar_of(table_rows: Sequence[tuple[Value, ...]], label_index: int, value_indexes: Sequence[int], names) -> Chart:
    """A bar chart of some columns of rows: categories from `label_index`, a series per value column named by
    `names` (the headers of those columns)."""
    categories = tuple(str(row[label_index] or "") for row in table_rows)
    series = tuple(
        Series(str(name), tuple(int(row[i] or 0) for row in table_rows))
        for i, name in zip(value_indexes, names, strict=True)
    )
    return Chart("bar", categories, series)
