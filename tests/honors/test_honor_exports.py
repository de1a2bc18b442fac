"""Exports of a campaign: its dossiers and its ballot results as XLSX and CSV, read back; a secret ballot's export
holds the counts only, an open ballot's a sheet of each member's vote; formulas are neutralised."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from app.extensions import db
from tests.honors.ballot_factories import closed_ballot, voting_honors


def _english(client) -> None:
    """Headers and labels in English (the catalogue's Vietnamese ones are the lead's to merge)."""
    with client.session_transaction() as session:
        session["lang"] = "en"


def _rows(sheet):
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_dossier_export_lists_every_dossier_with_contact_for_organizers(client, login_as):
    honors = voting_honors()
    honors.dossiers[0].full_name = '=HYPERLINK("http://x")'
    db.session.commit()
    login_as(honors.organizer)
    _english(client)
    response = client.get(f"/honors/manage/{honors.campaign.id}/export/dossiers.xlsx")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    rows = _rows(load_workbook(io.BytesIO(response.data)).active)
    header = rows[1]
    assert "Email" in header
    names = [r[header.index("Full name")] for r in rows[2:]]
    assert len(names) == len(honors.dossiers)
    assert '\'=HYPERLINK("http://x")' in names
    text = client.get(f"/honors/manage/{honors.campaign.id}/export/dossiers.csv").data.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) == len(honors.dossiers) + 1


def test_secret_ballot_export_has_counts_only(client, login_as):
    honors = voting_honors(dossiers=("eligible",), council=3, ballot_mode="secret")
    dossier = honors.eligible()[0]
    closed_ballot(honors, {dossier.id: ["agree", "agree", "disagree"]})
    login_as(honors.organizer)
    _english(client)
    book = load_workbook(io.BytesIO(client.get(f"/honors/manage/{honors.campaign.id}/export/ballot.xlsx").data))
    assert len(book.worksheets) == 1
    rows = _rows(book.worksheets[0])
    header = rows[1]
    row = rows[2]
    assert row[header.index("Agree")] == 2 and row[header.index("Disagree")] == 1
    assert row[header.index("Agree share")] == "66,67 %"
    assert not any("Thành viên Hội đồng" in str(v) for r in rows for v in r)


def test_open_ballot_export_names_each_vote(client, login_as):
    honors = voting_honors(dossiers=("eligible",), council=2, ballot_mode="open")
    dossier = honors.eligible()[0]
    closed_ballot(honors, {dossier.id: ["agree", "disagree"]})
    login_as(honors.organizer)
    _english(client)
    book = load_workbook(io.BytesIO(client.get(f"/honors/manage/{honors.campaign.id}/export/ballot.xlsx").data))
    assert len(book.worksheets) == 2
    votes = _rows(book.worksheets[1])
    assert sorted((r[1], r[2]) for r in votes[1:]) == [
        ("Thành viên Hội đồng 1", "Agree"),
        ("Thành viên Hội đồng 2", "Disagree"),
    ]
    text = client.get(f"/honors/manage/{honors.campaign.id}/export/ballot.csv").data.decode("utf-8-sig")
    assert "Thành viên Hội đồng" not in text  # the CSV holds the counts sheet
