"""The certificate register shared by results and honors: numbers follow the highest sequence used under exactly
their prefix (LIKE wildcards in a prefix match only themselves; other tails are ignored), and each package's refusal
class knows its own codes."""

from __future__ import annotations

import pytest

from app import certificate_register as register
from app.extensions import db
from honors.models.ballots import HonorCertificate
from honors.services import certificates as honor_certificates
from results.services import certificates as contest_certificates
from tests.honors.ballot_factories import published_honors


def test_numbers_follow_the_highest_sequence_of_exactly_their_prefix():
    honors, _first, _evidence = published_honors(dossiers=("eligible", "eligible", "eligible"))
    one, two, three = honor_certificates.certificates_of(honors.campaign)
    one.number, two.number, three.number = "2026_X/0007", "20265X/0042", "2026_X/0010b"
    db.session.flush()
    # "20265X/0042" would match the prefix if "_" were a wildcard; "0010b" is not a sequence
    assert register.next_numbers(HonorCertificate, "2026_X/", 2) == ["2026_X/0008", "2026_X/0009"]
    assert register.next_numbers(HonorCertificate, "2026%X/", 1) == ["2026%X/0001"]
    assert register.next_numbers(HonorCertificate, "2026_X/", 0) == []


def test_each_package_refuses_with_its_own_codes():
    assert contest_certificates.CertificateError("no_decision").code == "no_decision"
    assert honor_certificates.HonorCertificateError("not_published").code == "not_published"
    for error in (contest_certificates.CertificateError, honor_certificates.HonorCertificateError):
        assert isinstance(error("already_revoked"), register.CertificateRefused)
    with pytest.raises(ValueError):
        honor_certificates.HonorCertificateError("no_decision")
    with pytest.raises(ValueError):
        contest_certificates.CertificateError("not_published")


def test_tokens_are_long_and_random_and_only_token_shaped_strings_are_looked_up(count_queries):
    tokens = {register.new_token() for _ in range(50)}
    assert len(tokens) == 50 and all(register.TOKEN_RE.fullmatch(t) and len(t) == 32 for t in tokens)
    with count_queries() as queries:
        assert register.by_token(HonorCertificate, "no/such token") is None
    assert queries.n == 0
