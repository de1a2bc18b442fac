"""A report as downloads: an XLSX workbook with one sheet per table (its note as the caption above the header) and
a printable PDF (A4, Vietnamese text in the vendored DejaVu fonts) with each table's chart and rows."""

from __future__ import annotations

import io
import re

from app.exports import Column, Sheet, write_xlsx
from app.pdf import Document
from reports.tables import Report, Table

#: Rows a table prints in the PDF at most (the XLSX has them all); the PDF says how many were left out.
PDF_ROWS = 60
#: A chart's width as a share of the page's text width.
CHART_WIDTH = 0.85
_VIEWBOX = re.compile(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"')


def _columns(table: Table) -> list[Column]:
    return [Column(key=(lambda row, i=i: row[i]), header=header) for i, header in enumerate(table.headers)]


def report_xlsx(report: Report) -> bytes:
    """One worksheet per table (its title, cut to Excel's 31 characters), the note above the header, the total
    row last."""
    sheets = [
        Sheet(
            title=table.title,
            columns=_columns(table),
            rows=[*table.rows, *((table.total,) if table.total else ())],
            caption=table.note,
        )
        for table in report.tables
    ]
    return write_xlsx(sheets)


def report_pdf(report: Report, *, empty_text: str, more_text: str, footer: str = "") -> bytes:
    """The printable report: its title, then per table the title, the note, the chart and the rows (at most
    `PDF_ROWS`; `more_text` with %(n)s says how many more the XLSX holds); `empty_text` where a table is empty."""
    pdf = Document(numbered=True, footer_text=footer, title=report.title)
    pdf.add_page()
    pdf.heading(report.title, 16)
    if report.subtitle:
        pdf.paragraph(report.subtitle, 10, align="C")
    section = None
    for table in report.tables:
        if table.section and table.section != section:
            section = table.section
            pdf.ln(3)
            pdf.heading(section.upper(), 13, align="L")
        _table(pdf, table, empty_text=empty_text, more_text=more_text)
    return pdf.bytes()


def _svg_ratio(svg: str) -> float:
    """Height over width of an SVG's view box."""
    found = _VIEWBOX.search(svg)
    return float(found.group(2)) / float(found.group(1)) if found else 0.5


def _table(pdf: Document, table: Table, *, empty_text: str, more_text: str) -> None:
    svg = table.chart.svg(title=table.title, empty_text=empty_text) if table.chart is not None and table.rows else ""
    width = pdf.epw * CHART_WIDTH
    chart_height = width * _svg_ratio(svg) if svg else 0
    # The heading, its note and the chart (or the first rows) stay on one page.
    if pdf.will_page_break(24 + (chart_height if chart_height < 150 else 40)):
        pdf.add_page()
    pdf.ln(2)
    pdf.heading(table.title, 12, align="L")
    pdf.paragraph(table.note, 8.5, style="", align="L")
    if not table.rows:
        pdf.paragraph(empty_text, 10, align="L")
        return
    if svg:
        if pdf.will_page_break(chart_height + 2):
            pdf.add_page()
        pdf.ln(1)
        pdf.image(io.BytesIO(svg.encode("utf-8")), x=pdf.l_margin, w=width)
        pdf.ln(1)
    rows = list(table.rows[:PDF_ROWS])
    pdf.set_font("sans", size=8)
    widths = _widths(table)
    with pdf.table(col_widths=widths, text_align=_aligns(table), line_height=4.2, first_row_as_headings=True) as t:
        t.row([str(h) for h in table.headers])
        for row in rows:
            t.row(["" if v is None else str(v) for v in row])
        if table.total:
            t.row(["" if v is None else str(v) for v in table.total])
    if len(table.rows) > PDF_ROWS:
        pdf.paragraph(more_text % {"n": len(table.rows) - PDF_ROWS}, 8, align="L")
    pdf.set_font("sans", size=11)


def _numeric(table: Table, i: int) -> bool:
    values = [row[i] for row in table.rows if row[i] not in (None, "")]
    return bool(values) and all(isinstance(v, int) for v in values)


def _aligns(table: Table) -> tuple[str, ...]:
    return tuple("RIGHT" if _numeric(table, i) else "LEFT" for i in range(len(table.headers)))


def _widths(table: Table) -> tuple[float, ...]:
    """Text columns wide, number columns narrow (relative widths)."""
    return tuple(1.6 if _numeric(table, i) else 3.2 for i in range(len(table.headers)))
