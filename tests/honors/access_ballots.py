"""Access-matrix rows of the honors package's ballot pages: council members vote only in the councils they sit on
(the matrix's council member holds an unscoped grant and sits on none: 404), organizers manage the ballot, the
minutes, the exports, the publication and the certificates; the honoree lists and the verification page are public."""

from __future__ import annotations

from tests.access import everyone, only

OTHER_COUNCIL = {**only("council_member"), "council_member": 404}
ORGANIZER = only("organizer")

ROWS: list[tuple[str, str, dict[str, object]]] = [
    ("GET", "/honors/council/", only("council_member")),
    ("GET", "/honors/council/{bal_campaign_id}", OTHER_COUNCIL),
    ("POST", "/honors/council/{bal_campaign_id}/dossiers/{bal_dossier_id}/vote", OTHER_COUNCIL),
    ("POST", "/honors/council/{bal_campaign_id}/close", OTHER_COUNCIL),
    ("GET", "/honors/council/{bal_campaign_id}/dossiers/{bal_dossier_id}/files/{bal_file_id}", OTHER_COUNCIL),
    ("GET", "/honors/manage/{bal_campaign_id}/ballot", ORGANIZER),
    ("POST", "/honors/manage/{bal_campaign_id}/ballot/open", ORGANIZER),
    ("POST", "/honors/manage/{bal_campaign_id}/ballot/close", ORGANIZER),
    ("GET", "/honors/manage/{bal_campaign_id}/ballot/minutes", ORGANIZER),
    ("GET", "/honors/manage/{bal_campaign_id}/ballot/minutes.pdf", ORGANIZER),
    ("GET", "/honors/manage/{bal_campaign_id}/export/dossiers.{bal_xlsx}", ORGANIZER),
    ("GET", "/honors/manage/{bal_campaign_id}/export/ballot.{bal_csv}", ORGANIZER),
    ("GET", "/honors/manage/{bal_campaign_id}/publication", ORGANIZER),
    ("POST", "/honors/manage/{bal_campaign_id}/publication", ORGANIZER),
    ("GET", "/honors/manage/{bal_campaign_id}/certificates", ORGANIZER),
    ("POST", "/honors/manage/{bal_campaign_id}/certificates/issue", ORGANIZER),
    ("POST", "/honors/manage/honor-certificates/{bal_certificate_id}/revoke", ORGANIZER),
    ("GET", "/honors/manage/honor-certificates/{bal_certificate_id}.pdf", ORGANIZER),
    ("GET", "/honors/manage/{bal_campaign_id}/certificates.{bal_zip}", ORGANIZER),
    ("GET", "/honors/honorees/", everyone()),
    ("GET", "/honors/honorees/{bal_campaign_id}", everyone()),
    ("GET", "/honors/verify/{bal_certificate_token}", everyone()),
]


def make_targets() -> dict:
    """A published campaign: one eligible dossier with an evidence file, a closed ballot, an issued certificate."""
    from tests.honors.ballot_factories import published_honors

    honors, certificate, evidence = published_honors()
    return {
        "bal_campaign_id": honors.campaign.id,
        "bal_dossier_id": honors.eligible()[0].id,
        "bal_file_id": evidence.id,
        "bal_certificate_id": certificate.id,
        "bal_certificate_token": certificate.token,
        "bal_xlsx": "xlsx",
        "bal_csv": "csv",
        "bal_zip": "zip",
    }
