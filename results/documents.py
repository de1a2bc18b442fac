"""The printed documents of results, built with `app.pdf.Document` (vendored DejaVu fonts, so Vietnamese renders
the same anywhere): the certificate (giấy chứng nhận, one landscape A4 page each) and the official summary of
results (biên bản tổng hợp kết quả).

Both are official Vietnamese documents: their wording is Vietnamese whatever language the organizer reads the
site in (the national motto, "GIẤY CHỨNG NHẬN", "Trưởng Ban Tổ chức"...), so it is written here rather than
translated. Dates follow the administrative style: "Bình Phước, ngày 05 tháng 02 năm 2026" (a day below 10 and the
months January and February with a leading zero).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from flask_babel import force_locale

from app.certificates import NAVY, RED, Line, Page, official_heading, official_table, page_of, signature_blocks
from app.certificates import certificate_pdf as shared_certificate_pdf
from app.pdf import Document
from app.templating import decimal_text
from app.timefmt import format_date

if TYPE_CHECKING:
    from results.services.summary import Summary

SUMMARY_TITLE = "BIÊN BẢN TỔNG HỢP KẾT QUẢ"


# --- certificates -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificateSheet:
    """What one certificate prints."""

    number: str
    holder: str
    prize: str
    entry_title: str
    edition: str
    organisation: str
    decision_number: str
    decision_date: date | None
    signer: str
    signer_title: str
    place: str
    issued_on: date
    verify_url: str
    revoked_on: date | None = None
    #: A unit's certificate: the holder is a unit, and no entry is named.
    to_unit: bool = False


def certificate_pages(sheets: Sequence[CertificateSheet]) -> list[Page]:
    """Each sheet as the shared certificate's page: the holder, the entry, the prize, the edition, the decision."""
    pages = []
    for sheet in sheets:
        lines = [
            Line("Chứng nhận đơn vị" if sheet.to_unit else "Chứng nhận", 15, "I"),
            Line(sheet.holder, 24, "B", NAVY, gap=1),
        ]
        if sheet.entry_title:
            lines.append(Line(f"Tác giả bài dự thi: “{sheet.entry_title}”", 14))
        lines += [Line(f"ĐẠT {sheet.prize.upper()}", 20, "B", RED), Line(f"tại {sheet.edition}", 14)]
        if sheet.decision_number:
            when = f" ngày {format_date(sheet.decision_date)}" if sheet.decision_date else ""
            lines.append(Line(f"(Theo Quyết định số {sheet.decision_number}{when})", 12, "I"))
        pages.append(page_of(sheet, lines, signer=sheet.signer, signer_title=sheet.signer_title))
    return pages


def certificate_pdf(sheets: Sequence[CertificateSheet], *, title: str = "") -> bytes:
    """One landscape A4 page per certificate, in one document (the fonts are embedded once)."""
    return shared_certificate_pdf(certificate_pages(sheets), title=title)


# --- the official summary -----------------------------------------------------------------------------------------

GROUP_WORDS = {"field": "Lĩnh vực: ", "age_group": "Nhóm tuổi: "}
SCOPE_WORDS = {
    "field": "trong từng lĩnh vực",
    "age_group": "trong từng nhóm tuổi",
    "overall": "trên toàn hội thi",
}


def chain_words(summary: Summary) -> str:
    """The tie-break chain as the summary states it."""
    links = [
        f"điểm tiêu chí “{link.name}” cao hơn" if link.kind == "criterion" else "theo quyết định của Ban Tổ chức"
        for link in summary.chain
    ]
    text = "Xếp hạng theo điểm từ cao xuống thấp"
    return f"{text}; khi bằng điểm: {', rồi '.join(links)}." if links else f"{text}."


def _points(value) -> str:
    return decimal_text(value) if value is not None else ""


def summary_pdf(summary: Summary) -> bytes:
    """The official summary of an edition's results: heading, ranking round and method, the awarded entries of each
    group with rank, code, title, authors, unit, score and prize, special prizes, totals per tier, the tie-break
    chain and the Board's decisions, the approving decision, and the signature blocks."""
    from judging.labels import METHOD_LABELS

    contest = summary.contest
    doc = Document(landscape=True, numbered=True, footer_text=contest.name, title=f"{SUMMARY_TITLE} - {contest.name}")
    doc.add_page()
    official_heading(doc, summary.organisation, "BAN TỔ CHỨC", summary.place, summary.today)

    doc.heading(SUMMARY_TITLE, 16, family="serif")
    doc.heading(contest.name, 13, family="serif")
    doc.ln(3)
    if summary.round_name:
        with force_locale("vi"):
            method = str(METHOD_LABELS.get(summary.method, summary.method)).lower()
        normalised = "; điểm được chuẩn hóa theo giám khảo" if summary.normalise else ""
        doc.paragraph(f"Vòng xếp hạng: {summary.round_name}; cách tính điểm: {method}{normalised}.", family="serif")
    doc.paragraph(f"Giải được xét {SCOPE_WORDS.get(summary.scope, '')}. {chain_words(summary)}", family="serif")
    for decision in summary.board:
        doc.paragraph(
            f"Ban Tổ chức quyết định thứ tự {', '.join(decision.codes)}: {decision.reason}", 10, family="serif"
        )

    widths = (14, 36, 68, 50, 46, 17, 30)
    headings = ("Hạng", "Mã", "Tên bài dự thi", "Tác giả", "Đơn vị", "Điểm", "Giải")
    for group in summary.groups:
        doc.ln(3)
        if group.name:
            doc.set_font("serif", "B", 12)
            label = GROUP_WORDS.get(summary.scope, "")
            doc.multi_cell(0, 6, f"{label}{group.name}", new_x="LMARGIN", new_y="NEXT")
        official_table(
            doc,
            widths,
            headings,
            [
                (
                    str(row.rank or ""),
                    row.code,
                    row.title,
                    "; ".join(row.authors),
                    row.unit,
                    _points(row.score),
                    row.prize,
                )
                for row in group.rows
            ],
            align=("C", "L", "L", "L", "L", "R", "L"),
        )
    if not summary.groups:
        doc.paragraph("Chưa có giải nào được ghi nhận.", style="I", family="serif")
    if summary.specials:
        doc.ln(3)
        doc.set_font("serif", "B", 12)
        doc.multi_cell(0, 6, "Giải đặc biệt", new_x="LMARGIN", new_y="NEXT")
        official_table(
            doc,
            (60, 36, 75, 50, 40),
            ("Giải", "Mã", "Tên bài dự thi", "Người nhận", "Đơn vị"),
            [
                (row.prize, row.code, row.title, row.recipient or "; ".join(row.authors), row.unit)
                for row in summary.specials
            ],
        )

    doc.ln(3)
    doc.set_font("serif", "B", 12)
    doc.multi_cell(0, 6, "Tổng hợp số giải", new_x="LMARGIN", new_y="NEXT")
    rows = [(t.name, str(t.count)) for t in summary.totals] + [("Tổng cộng", str(summary.total))]
    official_table(doc, (80, 30), ("Giải", "Số lượng"), rows, align=("L", "R"), width=110)

    doc.ln(4)
    if doc.get_y() > doc.h - 70:  # the decision and the signatures stay together
        doc.add_page()
    decision = summary.decision
    if decision is not None:
        signer = f", người ký: {decision.signer}" + (f" ({decision.signer_title})" if decision.signer_title else "")
        text = f"Kết quả được phê duyệt theo Quyết định số {decision.number} ngày {format_date(decision.signed_on)}"
        doc.paragraph(text + signer + ".", family="serif")
    else:
        doc.paragraph("Kết quả chưa có quyết định phê duyệt.", style="I", family="serif")

    doc.ln(6)
    signature_blocks(doc, ("TRƯỞNG BAN GIÁM KHẢO", "TRƯỞNG BAN TỔ CHỨC"))
    return doc.bytes()
