"""The honoring part of the annual report: campaigns whose honoree list was published in the year (after their
council's ballot closed), the people honored by category and by nominating body, and the years' trend.

Data of record only: the published honoree lists (`honors.models.ballots.Honoree`, a copy of each honoree's public
profile made when the list is published, with its category and nominating body as they were), counted for campaigns
whose ballot is closed; nominations from the dossiers that were submitted (not drafts, not withdrawn). A campaign
counts in the year its list was published (Vietnam time).

Four queries whatever the number of dossiers or honorees: the campaigns, their published lists with the closed
ballots, the honorees grouped by campaign, category and body, and the dossiers grouped by campaign and status."""

from __future__ import annotations

from collections import defaultdict

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.text import text_key
from app.timefmt import format_date, to_local
from honors.models.ballots import Ballot, Honoree, HonorList
from honors.models.campaigns import Campaign, Dossier
from reports.labels import NOT_RECORDED
from reports.scope import managed
from reports.sources import AnnualContext
from reports.tables import Chart, Table, bar_of
from reports.tally import every_year

#: Dossiers that were nominated: submitted, whatever the screening found (drafts and withdrawn ones are not).
NOMINATED = ("submitted", "eligible", "ineligible")
CHART_ROWS = 15


def visible_campaigns(user) -> list[Campaign]:
    campaigns = list(db.session.scalars(select(Campaign).order_by(Campaign.id)))
    return managed(user, "manage_campaign", campaigns)


def _published(campaign_ids: list[int]) -> dict[int, tuple[int, object]]:
    """campaign id -> (year its list was published, the ballot's closing time) for campaigns with a published list
    and a closed ballot (one query)."""
    if not campaign_ids:
        return {}
    rows = db.session.execute(
        select(HonorList.campaign_id, HonorList.published_at, Ballot.closed_at)
        .join(Ballot, Ballot.campaign_id == HonorList.campaign_id)
        .where(HonorList.campaign_id.in_(campaign_ids), Ballot.status == "closed")
    )
    return {cid: (to_local(published).year, closed) for cid, published, closed in rows}


def years(user) -> set[int]:
    return {year for year, _closed in _published([c.id for c in visible_campaigns(user)]).values()}


def annual(context: AnnualContext) -> list[Table]:
    campaigns = {c.id: c for c in visible_campaigns(context.user)}
    published = _published(list(campaigns))
    of_year = [cid for cid, (year, _closed) in published.items() if year == context.year]
    honored: dict[int, int] = defaultdict(int)
    by_category: dict[str, int] = defaultdict(int)
    by_body: dict[str, int] = defaultdict(int)
    per_year: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # year -> [campaigns, people honored]
    for year, _closed in published.values():
        if year <= context.year:
            per_year[year][0] += 1
    if published:
        for cid, category, body, n in db.session.execute(
            select(Honoree.campaign_id, Honoree.category, Honoree.body_name, func.count(Honoree.id))
            .where(Honoree.campaign_id.in_(list(published)))
            .group_by(Honoree.campaign_id, Honoree.category, Honoree.body_name)
        ):
            year = published[cid][0]
            if year <= context.year:
                per_year[year][1] += n
            if year == context.year:
                honored[cid] += n
                by_category[(category or "").strip()] += n
                by_body[(body or "").strip()] += n
    nominated: dict[int, int] = defaultdict(int)
    if of_year:
        for cid, n in db.session.execute(
            select(Dossier.campaign_id, func.count(Dossier.id))
            .where(Dossier.campaign_id.in_(of_year), Dossier.status.in_(NOMINATED))
            .group_by(Dossier.campaign_id)
        ):
            nominated[cid] = n
    return [
        _campaigns_table(context, [campaigns[i] for i in of_year], published, nominated, honored),
        _people_table(
            context,
            "honored_by_category",
            _("People honored by category, %(year)s", year=context.year),
            _("Category"),
            by_category,
            _(
                "Honorees of the lists published in the year (after the council's ballot closed), by the category "
                "their dossier was nominated in."
            ),
        ),
        _people_table(
            context,
            "honored_by_body",
            _("People honored by nominating body, %(year)s", year=context.year),
            _("Nominating body"),
            by_body,
            _("Honorees of the lists published in the year, by the member association or agency that nominated them."),
        ),
        _trend_table(per_year),
    ]


def _campaigns_table(context, campaigns, published, nominated, honored) -> Table:
    rows, links = [], []
    for c in sorted(campaigns, key=lambda c: (text_key(c.name), c.id)):
        closed = published[c.id][1]
        rows.append(
            (
                c.name,
                c.organisation.name if c.organisation else "",
                format_date(closed) if closed else "",
                nominated.get(c.id, 0),
                honored.get(c.id, 0),
            )
        )
        links.append(url_for("honors.manage_campaign", campaign_id=c.id))
    headers = (_("Campaign"), _("Organising body"), _("Ballot closed on"), _("Dossiers nominated"), _("People honored"))
    return Table(
        key="campaigns",
        section=_("Honoring intellectuals"),
        title=_("Honoring campaigns concluded in %(year)s", year=context.year),
        note=_(
            "Campaigns whose honoree list was published in the year, after the council's ballot closed. Dossiers "
            "nominated: submitted by the nominating bodies (not drafts, not withdrawn). People honored: the "
            "published list."
        ),
        headers=headers,
        rows=tuple(rows),
        links=tuple(links),
        total=(_("All campaigns"), "", "", sum(r[3] for r in rows), sum(r[4] for r in rows)) if rows else None,
        minor=(1,),
    )


def _people_table(context, key, title, header, counts, note) -> Table:
    keys = sorted(counts, key=lambda k: (-counts[k], k == "", text_key(k)))
    rows = tuple((k or str(NOT_RECORDED), counts[k]) for k in keys)
    headers = (header, _("People honored"))
    return Table(
        key=key,
        section=_("Honoring intellectuals"),
        title=title,
        note=note,
        headers=headers,
        rows=rows,
        total=(_("All honorees"), sum(counts.values())) if rows else None,
        chart=bar_of(rows[:CHART_ROWS], 0, (1,), (headers[1],)) if rows else None,
    )


def _trend_table(per_year) -> Table:
    rows = tuple((str(y), c, n) for y, (c, n) in every_year(dict(per_year), lambda: [0, 0]).items())
    headers = (_("Year"), _("Campaigns"), _("People honored"))
    chart = None
    if rows:
        from reports.charts import Series

        chart = Chart("line", tuple(r[0] for r in rows), (Series(headers[2], tuple(r[2] for r in rows)),))
    return Table(
        key="honors_trend",
        section=_("Honoring intellectuals"),
        title=_("Honoring over the years"),
        note=_("Every year up to this one with a published honoree list you can see: campaigns and people honored."),
        headers=headers,
        rows=rows,
        chart=chart,
    )


# --- the dashboard ----------------------------------------------------------------------------------------------

#: The stages of a campaign the dashboard follows (published campaigns are done).
RUNNING_STATUSES = ("draft", "nominating", "screening", "voting", "closed")


def dashboard(user, now):
    """Running campaigns with their stage, deadlines, dossiers by status and the council's votes (four queries)."""
    from honors.messages import CAMPAIGN_STATUS_LABELS, DOSSIER_STATUS_LABELS
    from honors.models.ballots import Vote
    from reports.cards import Card, Figure, Section

    campaigns = [c for c in visible_campaigns(user) if c.status in RUNNING_STATUSES]
    ids = [c.id for c in campaigns]
    dossiers: dict[int, dict[str, int]] = defaultdict(dict)
    ballots: dict[int, Ballot] = {}
    votes: dict[int, int] = {}
    if ids:
        for cid, status, n in db.session.execute(
            select(Dossier.campaign_id, Dossier.status, func.count(Dossier.id))
            .where(Dossier.campaign_id.in_(ids))
            .group_by(Dossier.campaign_id, Dossier.status)
        ):
            dossiers[cid][status] = n
        ballots = {b.campaign_id: b for b in db.session.scalars(select(Ballot).where(Ballot.campaign_id.in_(ids)))}
        if ballots:
            votes = dict(
                db.session.execute(
                    select(Vote.ballot_id, func.count(Vote.id))
                    .where(Vote.ballot_id.in_([b.id for b in ballots.values()]))
                    .group_by(Vote.ballot_id)
                ).all()
            )
    cards = []
    for c in campaigns:
        link = url_for("honors.manage_dossiers", campaign_id=c.id)
        counts = dossiers.get(c.id, {})
        figures = [
            Figure(
                str(DOSSIER_STATUS_LABELS.get(s, s)),
                counts[s],
                url_for("honors.manage_dossiers", campaign_id=c.id, status=s),
                "warning" if s == "submitted" else "",
            )
            for s in ("draft", "submitted", "eligible", "ineligible", "withdrawn")
            if counts.get(s)
        ]
        deadlines = []
        if c.closes_at and c.closes_at >= now and c.status in ("draft", "nominating"):
            deadlines.append((_("Nominations close"), c.closes_at))
        ballot = ballots.get(c.id)
        if ballot is not None:
            figures.append(
                Figure(
                    _("Council votes cast"), votes.get(ballot.id, 0), url_for("honors.manage_ballot", campaign_id=c.id)
                )
            )
            if ballot.status == "open" and ballot.closes_at and ballot.closes_at >= now:
                deadlines.append((_("The ballot closes"), ballot.closes_at))
        cards.append(
            Card(
                title=c.name,
                link=url_for("honors.manage_campaign", campaign_id=c.id),
                subtitle=c.organisation.name if c.organisation else "",
                stage=str(CAMPAIGN_STATUS_LABELS.get(c.status, c.status)),
                deadlines=tuple(sorted(deadlines, key=lambda d: d[1])),
                figures=tuple(figures) or (Figure(_("Dossiers"), 0, link),),
            )
        )
    return Section(
        "campaigns",
        _("Honoring campaigns"),
        tuple(cards),
        _("No honoring campaign you manage is running."),
    )
