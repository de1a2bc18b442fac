"""The organizers' dashboard and the annual report (page, XLSX, PDF). Organizers only (`view_reports`); each sees
the records of the editions they manage (`reports.scope`)."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app.accounts.permissions import require
from app.exports import send_xlsx
from app.pdf import send_pdf
from app.remembered import Remembered
from app.templating import site_settings
from app.timefmt import format_datetime, utcnow
from reports import bp
from reports.dashboard import dashboard as build_dashboard
from reports.documents import report_pdf, report_xlsx
from reports.labels import NO_DATA
from reports.sources import AnnualContext, annual_tables, dashboard_sections, report_years
from reports.tables import Report, Table

#: Years an annual report may be asked for.
FIRST_YEAR, LAST_YEAR = 1990, 2100


@bp.get("/")
@require("view_reports")
def dashboard():
    """Running editions, entries by field and status, judging progress per round, divergent entries; then the
    other domains' sections (campaigns, coming events)."""
    data = build_dashboard(current_user)
    sections = dashboard_sections(current_user, data.now)
    return render_template("reports/dashboard.html", data=data, sections=sections, year=utcnow().year)


@bp.get("/annual/")
@require("view_reports")
def annual_index():
    """The annual report of the year asked (the year form), else of the latest year with records (this year when
    there is none)."""
    asked = request.args.get("year", "")
    if asked.isdigit() and FIRST_YEAR <= int(asked) <= LAST_YEAR:
        year = int(asked)
    else:
        years = report_years(current_user)
        year = years[0] if years else utcnow().year
    args = {"successors": 1} if request.args.get("successors") in ("1", "on", "true") else {}
    return redirect(url_for("reports.annual", year=year, **args))


def _context(year: int) -> AnnualContext:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        abort(404)
    return AnnualContext(current_user, year, successors=request.args.get("successors") in ("1", "on", "true"))


def _report(context: AnnualContext) -> Report:
    return Report(
        title=_("Annual report %(year)s", year=context.year),
        subtitle=_(
            "%(org)s · the editions you manage · figures as of %(when)s",
            org=site_settings().get("org_name", ""),
            when=format_datetime(utcnow()),
        ),
        tables=annual_tables(context),
    )


#: The markup of the tables rendered last, by the table itself (its every title, row, link and chart) and the text
#: of an empty table: a table of a thousand localities takes longer to render than the whole page around it.
_rendered: Remembered[Markup] = Remembered(64)


def table_html(table: Table, no_data: str) -> Markup:
    """A table of the report as the page shows it (reports/_annual_table.html), remembered under its content, so
    never stale."""
    return _rendered.get(
        (table, no_data), lambda: Markup(render_template("reports/_annual_table.html", table=table, no_data=no_data))
    )


@bp.get("/annual/<int:year>")
@require("view_reports")
def annual(year: int):
    context = _context(year)
    report = _report(context)
    years = sorted(set(report_years(current_user)) | {year}, reverse=True)
    args = {"successors": 1} if context.successors else {}
    no_data = str(NO_DATA)
    return render_template(
        "reports/annual.html",
        report=report,
        context=context,
        years=years,
        args=args,
        no_data=no_data,
        table_html=lambda table: table_html(table, no_data),
    )


@bp.get("/annual/<int:year>.xlsx")
@require("view_reports")
def annual_xlsx(year: int):
    report = _report(_context(year))
    return send_xlsx(report_xlsx(report), _("Annual report %(year)s", year=year) + ".xlsx")


@bp.get("/annual/<int:year>.pdf")
@require("view_reports")
def annual_pdf(year: int):
    report = _report(_context(year))
    data = report_pdf(
        report,
        empty_text=str(NO_DATA),
        more_text=_("… and %(n)s more rows in the XLSX download."),
        footer=report.title,
    )
    return send_pdf(data, _("Annual report %(year)s", year=year) + ".pdf")
