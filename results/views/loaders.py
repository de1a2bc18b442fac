"""The records results URLs name, or 404."""

from __future__ import annotations

from flask import abort

from app.extensions import db
from competitions.models import Contest, Entry
from judging.models import Round
from results.models import Award, Certificate, Publication


def contest_or_404(contest_id: int) -> Contest:
    return db.session.get(Contest, contest_id) or abort(404)


def entry_or_404(entry_id: int) -> Entry:
    return db.session.get(Entry, entry_id) or abort(404)


def round_or_404(round_id: int) -> Round:
    return db.session.get(Round, round_id) or abort(404)


def award_or_404(award_id: int) -> Award:
    return db.session.get(Award, award_id) or abort(404)


def publication_or_404(publication_id: int) -> Publication:
    return db.session.get(Publication, publication_id) or abort(404)


def certificate_or_404(certificate_id: int) -> Certificate:
    return db.session.get(Certificate, certificate_id) or abort(404)
