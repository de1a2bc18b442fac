"""Access-matrix rows of the honors package's campaign, nominator and screening pages.

The matrix accounts hold unscoped grants: the organizer manages every campaign; the nominator account holds the
nominator role but nominates for no body, so every body's and dossier's page is 404 for it (a nominator sees only its
own body's, tests/honors/test_nominator_pages.py); accounts without the capability get 403, anonymous visitors the
login page. A dossier's page and files are for its body's nominators and the campaign's organizers: 404 for anyone
else signed in."""

from __future__ import annotations

import hashlib

from app.extensions import db
from app.uploads import upload_dir
from honors.models.campaigns import UPLOAD_FOLDER, DossierFile
from tests.access import ALL, ANON, LOGIN, OK, only
from tests.honors.factories import make_body, make_campaign, make_dossier

ORGANIZER = only("organizer")
NOMINATOR_HOME = only("nominator")
#: A page of a body the nominator account does not nominate for.
OTHER_BODY = only(others=403) | {"nominator": 404}
#: A dossier page: its body's nominators and the campaign's organizers; 404 for every other account.
DOSSIER_PAGE = {r: (LOGIN if r == ANON else OK if r == "organizer" else 404) for r in ALL}

ROWS: list[tuple[str, str, dict[str, object]]] = [
    ("GET", "/honors/manage/", ORGANIZER),
    ("GET", "/honors/manage/new", ORGANIZER),
    ("POST", "/honors/manage/new", ORGANIZER),
    ("GET", "/honors/manage/{hon_campaign_id}", ORGANIZER),
    ("POST", "/honors/manage/{hon_campaign_id}/status", ORGANIZER),
    ("GET", "/honors/manage/{hon_campaign_id}/settings", ORGANIZER),
    ("POST", "/honors/manage/{hon_campaign_id}/settings", ORGANIZER),
    ("GET", "/honors/manage/{hon_campaign_id}/lists", ORGANIZER),
    ("POST", "/honors/manage/{hon_campaign_id}/lists", ORGANIZER),
    ("GET", "/honors/manage/{hon_campaign_id}/bodies", ORGANIZER),
    ("POST", "/honors/manage/{hon_campaign_id}/bodies/add", ORGANIZER),
    ("POST", "/honors/manage/{hon_campaign_id}/bodies/{hon_body_id}/quota", ORGANIZER),
    ("POST", "/honors/manage/{hon_campaign_id}/bodies/{hon_body_id}/remove", ORGANIZER),
    ("POST", "/honors/manage/{hon_campaign_id}/bodies/{hon_body_id}/nominators", ORGANIZER),
    ("POST", "/honors/manage/{hon_campaign_id}/bodies/{hon_body_id}/nominators/{hon_row_id}/remove", ORGANIZER),
    ("GET", "/honors/manage/{hon_campaign_id}/council", ORGANIZER),
    ("POST", "/honors/manage/{hon_campaign_id}/council/add", ORGANIZER),
    ("POST", "/honors/manage/{hon_campaign_id}/council/{hon_user_id}/remove", ORGANIZER),
    ("POST", "/honors/manage/{hon_campaign_id}/council/chair", ORGANIZER),
    ("GET", "/honors/manage/{hon_campaign_id}/dossiers", ORGANIZER),
    ("GET", "/honors/manage/dossiers/{hon_dossier_id}", ORGANIZER),
    ("POST", "/honors/manage/dossiers/{hon_dossier_id}/screen", ORGANIZER),
    ("POST", "/honors/manage/dossiers/{hon_dossier_id}/reopen", ORGANIZER),
    ("GET", "/honors/nominate/", NOMINATOR_HOME),
    ("GET", "/honors/nominate/{hon_body_id}", OTHER_BODY),
    ("GET", "/honors/nominate/{hon_body_id}/new", OTHER_BODY),
    ("POST", "/honors/nominate/{hon_body_id}/new", OTHER_BODY),
    ("GET", "/honors/dossiers/{hon_dossier_id}", DOSSIER_PAGE),
    ("GET", "/honors/dossiers/{hon_dossier_id}/edit", OTHER_BODY),
    ("POST", "/honors/dossiers/{hon_dossier_id}/edit", OTHER_BODY),
    ("POST", "/honors/dossiers/{hon_dossier_id}/files", OTHER_BODY),
    ("GET", "/honors/dossiers/{hon_dossier_id}/files/{hon_file_id}", DOSSIER_PAGE),
    ("POST", "/honors/dossiers/{hon_dossier_id}/files/{hon_file_id}/delete", OTHER_BODY),
    ("POST", "/honors/dossiers/{hon_dossier_id}/submit", OTHER_BODY),
    ("POST", "/honors/dossiers/{hon_dossier_id}/withdraw", OTHER_BODY),
]


def make_targets() -> dict:
    """A nominating campaign with a body (and its own nominator account), a draft dossier with a file on disk."""
    campaign = make_campaign()
    body, nominator = make_body(campaign, "Hội Y học tỉnh")
    dossier = make_dossier(body, status="draft", created_by=nominator)
    data = b"%PDF-1.4\n% access matrix\n%%EOF\n"
    stored_name = hashlib.md5(data).hexdigest() + ".pdf"
    (upload_dir(UPLOAD_FOLDER) / stored_name).write_bytes(data)
    row = DossierFile(
        label="Quyết định khen thưởng",
        original_name="quyet-dinh.pdf",
        stored_name=stored_name,
        kind="pdf",
        mimetype="application/pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    dossier.files.append(row)
    db.session.commit()
    return {
        "hon_campaign_id": campaign.id,
        "hon_body_id": body.id,
        "hon_row_id": body.nominators[0].id,
        "hon_user_id": nominator.id,
        "hon_dossier_id": dossier.id,
        "hon_file_id": row.id,
    }
