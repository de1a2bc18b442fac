"""The demo campaign's ballot is finished: closed by the chair, with votes on every eligible dossier, most passing,
one turned down and one without a quorum; its minutes print."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from honors import tally
from honors.documents import minutes_pdf
from honors.models.ballots import Ballot
from honors.services import ballot_results as readers


def test_the_demo_holds_a_finished_ballot(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    ballot = db.session.scalar(select(Ballot))
    assert ballot.status == "closed" and ballot.close_reason == "chair" and ballot.campaign.status == "closed"
    outcomes = [row.outcome for row in readers.results(ballot).tally.nominees]
    assert len(outcomes) >= 8
    assert outcomes.count(tally.HONORED) >= 5
    assert tally.FAILED in outcomes and tally.NO_QUORUM in outcomes
    assert minutes_pdf(readers.minutes(ballot)).startswith(b"%PDF")
