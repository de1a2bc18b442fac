"""The official summary of results (biên bản tổng hợp kết quả): the printable page and the PDF hold the recorded
awards (rank, code, title, authors, unit, score, prize) per field, totals per tier, the tie-break chain in words,
the Board's decisions and the approving decision; a fixed number of queries; reading it writes nothing."""

from __future__ import annotations

import re
from html import escape

from sqlalchemy import func, select

from app.extensions import db
from app.templating import decimal_text
from results.models import Award, AwardPlan, TieDecision
from results.services.summary import official_summary
from tests.app.test_pdf import needs_pdftotext, pdftotext
from tests.judging.factories import make_judging
from tests.results.certificate_factories import DECISION, ORGANISATION, SECOND_AUTHOR, award, decide, make_awarded


def awarded():
    made = make_awarded()
    first, _second, third = made.entries
    db.session.add(TieDecision(contest_id=made.contest.id, entry_ids=[third.id, first.id], reason="Ứng dụng rộng hơn"))
    youngest = next(p for p in first.authors if p.full_name == SECOND_AUTHOR)
    award(
        made.contest, first, "youngest", "Giải Tác giả trẻ tuổi nhất", None, None, special=True, person_id=youngest.id
    )
    db.session.commit()
    return made


def rows_of(page: str) -> dict[str, str]:
    """Each awarded entry's table row, by its code."""
    return dict(re.findall(r'<tr data-code="([^"]+)">(.*?)</tr>', page, re.S))


def test_the_summary_page_holds_the_recorded_awards(login_as):
    made = awarded()
    response = login_as(made.judging.organizer).get(f"/results/manage/{made.contest.id}/summary")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-testid="summary"' in page
    assert made.contest.name in page and escape(ORGANISATION) in page and made.round.name in page
    rows = rows_of(page)
    awards = db.session.scalars(select(Award).where(Award.contest_id == made.contest.id, Award.special.is_(False)))
    assert set(rows) == {a.entry.code for a in awards}
    for a in db.session.scalars(select(Award).where(Award.contest_id == made.contest.id, Award.special.is_(False))):
        row = rows[a.entry.code]
        cells = [re.sub(r"\s+", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        assert cells[0] == str(a.rank) and cells[1] == a.entry.code and cells[2] == a.entry.title
        assert cells[3] == "; ".join(p.full_name for p in a.entry.authors)
        assert cells[4] == a.entry.unit_name and cells[5] == decimal_text(a.score) and cells[6] == a.tier_name
    assert "93,5" in rows[made.entries[0].code]  # decimal comma
    # the special prize, to its person
    specials = page[page.index('data-testid="specials"') :]
    assert "Giải Tác giả trẻ tuổi nhất" in specials and SECOND_AUTHOR in specials
    # totals per tier: every tier of the plan, empty ones too
    totals = page[page.index('data-testid="totals"') : page.index("</table>", page.index('data-testid="totals"'))]
    counts = re.findall(r"<td>([^<]+)</td><td class=\"text-end\"[^>]*>(\d+)</td>", totals)
    assert counts == [
        ("Giải Nhất", "1"),
        ("Giải Nhì", "1"),
        ("Giải Ba", "0"),
        ("Giải Khuyến khích", "0"),
        ("Giải Tác giả trẻ tuổi nhất", "1"),
        ("Tổng số giải" if "Tổng số giải" in totals else "All prizes", "3"),
    ]
    # the chain in words names the rubric's criteria (effectiveness, then novelty), then the Board
    chain = page[page.index('data-testid="chain"') :]
    criteria = made.round.criteria
    assert chain.index(criteria[2].name) < chain.index(criteria[0].name)
    assert "Ứng dụng rộng hơn" in chain and made.entries[2].code in chain
    assert DECISION in page[page.index('data-testid="decision"') :]


def test_reading_the_summary_writes_nothing_and_costs_fixed_queries(login_as, count_queries):
    def summarised(n: int) -> int:
        judging = make_judging(entries=n, judges=1, assign=False)
        for i, entry in enumerate(judging.entries):
            award(judging.contest, entry, "encouragement", "Giải Khuyến khích", i + 1, "50.00")
        decide(judging.contest)
        db.session.commit()
        client = login_as(judging.organizer)
        with count_queries() as counted:
            response = client.get(f"/results/manage/{judging.contest.id}/summary")
        assert response.status_code == 200 and len(rows_of(response.get_data(as_text=True))) == n
        return counted.n

    assert summarised(3) == summarised(12)
    assert db.session.scalar(select(func.count(AwardPlan.id))) == 0  # no plan was created by reading


def test_the_summary_groups_by_field():
    made = awarded()
    summary = official_summary(made.contest)
    assert [g.name for g in summary.groups] == [made.contest.fields[0].name]
    assert [r.code for r in summary.groups[0].rows] == [made.entries[0].code, made.entries[1].code]
    assert summary.total == 3 and summary.decision.number == DECISION
    assert [c.kind for c in summary.chain] == ["criterion", "criterion", "board"]
    assert summary.place == "Bình Phước"


@needs_pdftotext
def test_the_summary_pdf_reads_back(login_as, tmp_path):
    made = awarded()
    response = login_as(made.judging.organizer).get(f"/results/manage/{made.contest.id}/summary.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdftotext(response.data, tmp_path)
    flat = " ".join(text.split())
    for expected in (
        "BIÊN BẢN TỔNG HỢP KẾT QUẢ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        made.contest.name,
        made.round.name,
        made.entries[0].code,
        "93,5",
        "70,5",
        "Giải Nhất",
        "Giải Tác giả trẻ tuổi nhất",
        "Tổng cộng",
        f"Quyết định số {DECISION} ngày 15/05/2026",
        "TRƯỞNG BAN GIÁM KHẢO",
        "TRƯỞNG BAN TỔ CHỨC",
        "Ứng dụng rộng hơn",
    ):
        assert expected in flat, expected
    assert f"điểm tiêu chí “{made.round.criteria[2].name}” cao hơn" in flat
    # each award's line carries its code, score and prize, as recorded
    for a in db.session.scalars(select(Award).where(Award.contest_id == made.contest.id, Award.special.is_(False))):
        table = text[text.index("Tên bài dự thi") :]
        line = next(line for line in table.splitlines() if a.entry.code in line)
        assert decimal_text(a.score) in line and a.tier_name in line
