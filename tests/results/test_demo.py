"""The demo shows results: a finished Technical Innovation edition of two years ago, its awards (a youngest-author
prize and a unit's prize among them) approved by a decision and published in two versions (a correction with its
note), and certificates that verify; the current editions stay as the other seeders left them."""

from __future__ import annotations

import html

from sqlalchemy import select

from app.extensions import db
from competitions.models import Contest
from judging.models import Round, RoundEntry
from results import demo
from results.models import Award, AwardDecision, Certificate, Publication
from results.services import publication as service


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.get_data(as_text=True))


def test_the_demo_has_a_finished_edition_with_published_results_and_certificates(app, client):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    current = db.session.scalar(select(Contest).where(Contest.kind == "innovation").order_by(Contest.year.desc()))
    past = db.session.scalar(
        select(Contest).where(Contest.kind == "innovation", Contest.year == current.year - demo.YEARS_AGO)
    )
    assert past is not None and past.status == "results" and past.number == demo.NUMBER
    rounds = db.session.scalars(select(Round).where(Round.contest_id == past.id).order_by(Round.position)).all()
    assert [(r.kind, r.status) for r in rounds] == [("preliminary", "closed"), ("final", "closed")]
    finalists = db.session.scalar(select(db.func.count(RoundEntry.id)).where(RoundEntry.round_id == rounds[1].id))
    assert finalists == demo.FINALISTS
    # The current edition is still being judged.
    assert db.session.scalar(select(Round.status).where(Round.contest_id == current.id)) == "scoring"

    awards = db.session.scalars(select(Award).where(Award.contest_id == past.id)).all()
    [unit] = [a for a in awards if a.entry_id is None]
    assert (unit.unit_name, unit.source) == (demo.RUBBER, "rule")
    [youngest] = [a for a in awards if a.person_id is not None]
    assert youngest.source == "rule" and youngest.person.birth_date.year == 2002
    [corrected] = [a for a in awards if a.source == "manual"]
    assert corrected.tier_code == "encouragement" and corrected.reason == demo.CORRECTION
    decision = db.session.scalar(select(AwardDecision).where(AwardDecision.contest_id == past.id))
    assert decision.number == demo.DECISION[0] and decision.signer == demo.DECISION[1]

    # Two versions, the second a correction with its note; both intact, the first still readable as it was.
    first, second = db.session.scalars(
        select(Publication).where(Publication.contest_id == past.id).order_by(Publication.version)
    ).all()
    assert (first.version, second.version) == (1, 2) and first.change_note == ""
    assert demo.CORRECTION in second.change_note and service.verify(first) and service.verify(second)
    code = corrected.entry.code
    old = page(client, f"/results/{past.id}/v/1")
    assert 'data-testid="older-version"' in old
    assert f'data-testid="award-{code}" data-tier="third"' in old

    # The public page shows every award, the unit's prize and the youngest author's, and the correction.
    public = page(client, f"/results/{past.id}")
    assert demo.CORRECTION in public and 'data-testid="change-note"' in public
    for award in awards:
        if award.entry is not None:
            assert award.entry.code in public
    assert f'data-testid="award-{code}" data-tier="encouragement"' in public
    assert demo.RUBBER in public and youngest.person.full_name in public and unit.tier_name in public
    assert decision.number in public

    # Certificates: one per author of each award and one for the unit; each verifies.
    certificates = db.session.scalars(select(Certificate).where(Certificate.contest_id == past.id)).all()
    expected = sum(1 if a.entry_id is None or a.person_id is not None else len(a.entry.authors) for a in awards)
    assert len(certificates) == expected and all(c.valid for c in certificates)
    for certificate in (certificates[0], next(c for c in certificates if c.for_unit)):
        verified = page(client, f"/results/verify/{certificate.token}")
        assert 'data-testid="verify-valid"' in verified and certificate.holder_name in verified
        assert certificate.number in verified


def test_seeding_results_twice_changes_nothing(app):
    from app import demo as foundation
    from competitions import demo as contests
    from judging import demo as judging

    context = judging.seed(contests.seed(foundation.seed()))
    first = demo.seed(context)  # no timing here: timings live in bench/
    db.session.commit()
    again = demo.seed(first)
    assert again is first
    assert db.session.scalar(select(db.func.count(Publication.id))) == 2
