"""What the ballot shows: a member's page (nominees, their own votes, conflicts, evidence), the organizers' progress
(who has voted on how many nominees, never what), the results (the tally; each member's vote only in an open ballot)
and the tally minutes. Reading only; a fixed number of queries whatever the number of nominees."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.accounts.models import User
from app.certificates import place_name
from app.extensions import db
from app.orgs.models import get_settings
from app.text import sort_people
from app.timefmt import to_local, utcnow
from honors import tally
from honors.documents import Minutes, MinutesRow, NamedVoteLine
from honors.models.ballots import Ballot, Vote
from honors.models.campaigns import Dossier, DossierFile
from honors.services.ballots import council_members, member_conflicts, nominees, rules_of


def files_of(dossiers: list[Dossier]) -> dict[int, list[DossierFile]]:
    """The evidence files of the dossiers (one query)."""
    found: dict[int, list[DossierFile]] = {d.id: [] for d in dossiers}
    if dossiers:
        for f in db.session.scalars(
            select(DossierFile).where(DossierFile.dossier_id.in_(list(found))).order_by(DossierFile.id)
        ):
            found[f.dossier_id].append(f)
    return found


@dataclass
class MemberRow:
    """A nominee on a member's ballot page: the dossier, the member's vote, why they must abstain."""

    dossier: Dossier
    vote: Vote | None
    conflict: str | None
    files: list[DossierFile]


def member_ballot(ballot: Ballot, member: User) -> list[MemberRow]:
    """The nominees with the member's own votes (four queries whatever the number of nominees)."""
    found = nominees(ballot.campaign)
    files = files_of(found)
    votes = {
        v.dossier_id: v
        for v in db.session.scalars(select(Vote).where(Vote.ballot_id == ballot.id, Vote.member_id == member.id))
    }
    conflicts = member_conflicts(ballot, member, found)
    return [MemberRow(d, votes.get(d.id), conflicts.get(d.id), files[d.id]) for d in found]


@dataclass
class Progress:
    """Who has voted on how many nominees (never what)."""

    members: list[tuple[User, int]]
    nominees: int

    @property
    def done(self) -> int:
        return sum(1 for _u, n in self.members if n >= self.nominees)


def progress(ballot: Ballot, members: list[User] | None = None, nominee_ids: list[int] | None = None) -> Progress:
    members = council_members(ballot.campaign) if members is None else members
    if nominee_ids is None:
        nominee_ids = [d.id for d in nominees(ballot.campaign)]
    counts = dict(
        db.session.execute(
            select(Vote.member_id, func.count(Vote.id))
            .where(Vote.ballot_id == ballot.id, Vote.dossier_id.in_(nominee_ids or [-1]))
            .group_by(Vote.member_id)
        ).all()
    )
    return Progress([(m, counts.get(m.id, 0)) for m in members], len(nominee_ids))


@dataclass
class NamedVote:
    member_name: str
    choice: str
    forced_reason: str
    comment: str


@dataclass
class Results:
    """A ballot's results: the tally per nominee and, in an open ballot only, each member's vote."""

    ballot: Ballot
    dossiers: list[Dossier]
    tally: tally.Tally
    members: int
    #: dossier id -> the members' votes (open ballots); None in a secret ballot
    named: dict[int, list[NamedVote]] | None = None
    #: dossier id -> the comments, without names and in alphabetical order (secret ballots)
    comments: dict[int, list[str]] = field(default_factory=dict)

    def row(self, dossier: Dossier) -> tally.NomineeTally:
        return self.tally.by_key[dossier.id]


def results(ballot: Ballot) -> Results:
    """The tally of the ballot's nominees (a fixed number of queries). Votes on a dossier no longer eligible are
    left out, as the dossier is."""
    dossiers = nominees(ballot.campaign)
    ids = {d.id for d in dossiers}
    members = ballot.member_count if ballot.member_count is not None else len(council_members(ballot.campaign))
    votes = [
        v
        for v in db.session.scalars(select(Vote).where(Vote.ballot_id == ballot.id).order_by(Vote.dossier_id, Vote.id))
        if v.dossier_id in ids
    ]
    result = tally.tally(
        [d.id for d in dossiers], [(v.dossier_id, v.choice, v.forced) for v in votes], rules_of(ballot, members)
    )
    named: dict[int, list[NamedVote]] | None = None
    comments: dict[int, list[str]] = {}
    if ballot.secret:
        for v in votes:
            if v.comment:
                comments.setdefault(v.dossier_id, []).append(v.comment)
        comments = {k: sorted(c, key=str.casefold) for k, c in comments.items()}
    else:
        named = {}
        for v in votes:
            named.setdefault(v.dossier_id, []).append(
                NamedVote(v.member.full_name, v.choice, v.forced_reason, v.comment)
            )
        for rows in named.values():
            rows[:] = sort_people(rows, lambda r: r.member_name)
    return Results(ballot, dossiers, result, members, named, comments)


def minutes(ballot: Ballot, result: Results | None = None) -> Minutes:
    """What the tally minutes print (and the printable page shows); names of voters only in an open ballot."""
    result = result or results(ballot)
    campaign = ballot.campaign
    rules = result.tally.rules
    rows = []
    for number, dossier in enumerate(result.dossiers, start=1):
        row = result.row(dossier)
        named = None
        if result.named is not None:
            named = [
                NamedVoteLine(v.member_name, v.choice, v.forced_reason, v.comment)
                for v in result.named.get(dossier.id, [])
            ]
        rows.append(
            MinutesRow(
                number=number,
                name=dossier.display_name,
                unit=dossier.unit_name,
                body=dossier.body.name if dossier.body else "",
                agree=row.agree,
                disagree=row.disagree,
                abstain=row.abstain,
                forced=row.counts.forced,
                share=row.share,
                quorum_met=row.quorum_met,
                outcome=row.outcome,
                rank=row.rank,
                votes=named,
            )
        )
    organisation = campaign.organisation
    return Minutes(
        organisation=(organisation.name if organisation else "") or get_settings()["org_name"],
        place=place_name(organisation),
        today=to_local(ballot.closed_at or utcnow()).date(),
        campaign=campaign.name,
        occasion=campaign.occasion,
        secret=ballot.secret,
        members=rules.members,
        required=rules.required,
        threshold=rules.threshold,
        number_to_honor=rules.number_to_honor,
        opened_at=ballot.opened_at,
        closed_at=ballot.closed_at,
        close_reason=ballot.close_reason,
        chair=campaign.chair.full_name if campaign.chair else "",
        rows=rows,
    )
