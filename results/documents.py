"""The printed documents of results, built with `app.pdf.Document` (vendored DejaVu fonts, so Vietnamese renders
the same anywhere): the certificate (giấy chứng nhận, one landscape A4 page each) and the official summary of
results (biên bản tổng hợp kết quả).

Both are official Vietnamese documents: their wording is Vietnamese whatever language the organizer reads the
site in (the national motto, "GIẤY CHỨNG NHẬN", "Trưởng Ban Tổ chức"...), so it is written here rather than
translated. Dates follow the administrative style: "Bình Phước, ngày 05 tháng 02 năm 2026" (a day below 10 and the
months January and February with a leading zero).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from flask_babel import force_locale
from fpdf.fonts import FontFace
from pypdf import PdfReader, PdfWriter

from app.pdf import Document
from app.qr import qr_png
from app.templating import decimal_text
from app.timefmt import format_date

if TYPE_CHECKING:
    from results.services.summary import Summary

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
TITLE = "GIẤY CHỨNG NHẬN"
SUMMARY_TITLE = "BIÊN BẢN TỔNG HỢP KẾT QUẢ"
RED = (150, 20, 20)
NAVY = (11, 45, 100)


def dated(place: str, day: date) -> str:
    """ "Bình Phước, ngày 05 tháng 6 năm 2026" (without a place: "Ngày 05 tháng 6 năm 2026")."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {text}" if place else text[0].upper() + text[1:]


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


def certificate_pdf(sheets: Sequence[CertificateSheet], *, title: str = "") -> bytes:
    """One landscape A4 page per certificate, in one document (the fonts are embedded once)."""
    if not sheets:
        raise ValueError("no certificate to print")
    doc = Document(landscape=True, title=title or f"{TITLE} {sheets[0].number}")
    doc.set_auto_page_break(auto=False)
    doc.set_margins(24, 16, 24)
    for sheet in sheets:
        _certificate_page(doc, sheet)
    return doc.bytes()


def split_pages(pdf: bytes) -> list[bytes]:
    """Each page of a PDF as a PDF of its own (a page carries only the fonts and images it uses)."""
    out = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        writer = PdfWriter()
        writer.add_page(page)
        buffer = io.BytesIO()
        writer.write(buffer)
        out.append(buffer.getvalue())
    return out


def _text(doc: Document, width: float, height: float, text: str, align: str = "C", new_x: str = "LEFT") -> None:
    """Text in a box `width` wide (0: to the right margin), then the next line: a cell when it fits on one line,
    far cheaper than fpdf2's line breaking, which wraps it otherwise."""
    room = width or doc.w - doc.r_margin - doc.get_x()
    if doc.get_string_width(text) < room - 2 * doc.c_margin:
        doc.cell(room, height, text, align=align, new_x=new_x, new_y="NEXT")
    else:
        doc.multi_cell(room, height, text, align=align, new_x=new_x, new_y="NEXT")


def _centred(doc: Document, text: str, size: float, style: str = "", color=(0, 0, 0), gap: float = 0) -> None:
    doc.set_font("serif", style, size)
    doc.set_text_color(*color)
    doc.set_x(doc.l_margin)
    _text(doc, 0, size * 0.48, text, new_x="LMARGIN")
    doc.set_text_color(0)
    if gap:
        doc.ln(gap)


def _certificate_page(doc: Document, sheet: CertificateSheet) -> None:
    doc.add_page()
    width, height = doc.w, doc.h
    doc.set_draw_color(*RED)
    doc.set_line_width(1.2)
    doc.rect(8, 8, width - 16, height - 16)
    doc.set_line_width(0.3)
    doc.rect(11, 11, width - 22, height - 22)
    doc.set_draw_color(0)
    if sheet.revoked_on is not None:
        doc.set_xy(doc.l_margin, 13)
        _centred(doc, f"ĐÃ BỊ THU HỒI NGÀY {format_date(sheet.revoked_on)}", 12, "B", RED)

    doc.set_y(19)
    _centred(doc, MOTTO[0], 13, "B")
    _centred(doc, MOTTO[1], 13, "B")
    doc.set_line_width(0.4)
    doc.line(width / 2 - 30, doc.get_y() + 1, width / 2 + 30, doc.get_y() + 1)
    doc.ln(5)
    _centred(doc, sheet.organisation.upper(), 13, "B", NAVY, gap=3)
    _centred(doc, TITLE, 34, "B", RED, gap=3)
    _centred(doc, "Chứng nhận", 15, "I")
    _centred(doc, sheet.holder, 24, "B", NAVY, gap=1)
    _centred(doc, f"Tác giả bài dự thi: “{sheet.entry_title}”", 14)
    _centred(doc, f"ĐẠT {sheet.prize.upper()}", 20, "B", RED)
    _centred(doc, f"tại {sheet.edition}", 14)
    if sheet.decision_number:
        when = f" ngày {format_date(sheet.decision_date)}" if sheet.decision_date else ""
        _centred(doc, f"(Theo Quyết định số {sheet.decision_number}{when})", 12, "I")

    # the QR code, the number and the verification address, bottom left
    top = height - 58
    doc.image(io.BytesIO(qr_png(sheet.verify_url, box_size=8, border=1)), x=20, y=top, w=32)
    doc.set_xy(56, top + 4)
    doc.set_font("serif", "B", 12)
    doc.cell(0, 6, f"Số: {sheet.number}", new_x="LEFT", new_y="NEXT")
    doc.set_font("sans", "", 6.5)
    doc.set_text_color(70)
    _text(doc, 112, 3.2, "Kiểm tra giấy chứng nhận tại:", align="L")
    _text(doc, 112, 3.2, sheet.verify_url, align="L")
    doc.set_text_color(0)

    # place and date, then who signs, bottom right
    left, box = width - 24 - 100, 100
    doc.set_xy(left, top - 4)
    doc.set_font("serif", "I", 13)
    _text(doc, box, 6, dated(sheet.place, sheet.issued_on))
    doc.set_font("serif", "B", 12)
    _text(doc, box, 5.6, "TM. BAN TỔ CHỨC")
    if sheet.signer_title:
        _text(doc, box, 5.6, sheet.signer_title.upper())
    if sheet.signer:
        doc.set_xy(left, height - 24)
        doc.set_font("serif", "B", 13)
        _text(doc, box, 6, sheet.signer)


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
    usable = doc.w - doc.l_margin - doc.r_margin
    half = usable / 2 - 4
    top = doc.get_y()
    doc.set_font("serif", "B", 11)
    doc.multi_cell(half, 5.4, summary.organisation.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    doc.multi_cell(half, 5.4, "BAN TỔ CHỨC", align="C", new_x="LMARGIN", new_y="NEXT")
    left_end = doc.get_y()
    doc.set_xy(doc.l_margin + usable / 2 + 4, top)
    for line in MOTTO:
        doc.set_x(doc.l_margin + usable / 2 + 4)
        doc.multi_cell(half, 5.4, line, align="C", new_x="LEFT", new_y="NEXT")
    doc.set_font("serif", "I", 11)
    doc.set_x(doc.l_margin + usable / 2 + 4)
    doc.multi_cell(half, 6, dated(summary.place, summary.today), align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_y(max(left_end, doc.get_y()) + 5)

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
        _table(
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
        _table(
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
    _table(doc, (80, 30), ("Giải", "Số lượng"), rows, align=("L", "R"), width=110)

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
    top = doc.get_y()
    for i, role in enumerate(("TRƯỞNG BAN GIÁM KHẢO", "TRƯỞNG BAN TỔ CHỨC")):
        x = doc.l_margin + i * (usable / 2 + 4)
        doc.set_xy(x, top)
        doc.set_font("serif", "B", 12)
        doc.multi_cell(half, 6, role, align="C", new_x="LEFT", new_y="NEXT")
        doc.set_font("serif", "I", 10)
        doc.multi_cell(half, 5, "(Ký, ghi rõ họ tên)", align="C", new_x="LEFT", new_y="NEXT")
    return doc.bytes()


def _table(doc: Document, widths, headings, rows, *, align=None, width=None) -> None:
    doc.set_font("serif", "", 9.5)
    with doc.table(
        col_widths=widths,
        width=width or sum(widths),
        align="LEFT",
        text_align=align or "LEFT",
        line_height=4.8,
        headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
        repeat_headings=1,
    ) as table:
        heading = table.row()
        for text in headings:
            heading.cell(text)
        for values in rows:
            row = table.row()
            for text in values:
                row.cell(text)
