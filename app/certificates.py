"""The printed certificate (giấy chứng nhận), one landscape A4 page each, shared by every package that issues one:
the double red border, the national motto, the issuing organisation, the title, the holder's lines (the caller's),
then the QR code with the number and the verification address (bottom left) and the place, date and signature
(bottom right). A revoked certificate prints with a red "revoked on" band. Also what the other official documents
(results' summary, honors' tally minutes) share with it: where and when they are dated, their heading, their tables
and their signature blocks.

An official Vietnamese document: its wording is Vietnamese whatever language the reader uses, so it is written here
rather than translated. Dates follow the administrative style ("Bình Phước, ngày 05 tháng 02 năm 2026").
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from fpdf.fonts import FontFace
from pypdf import PdfReader, PdfWriter

from app.pdf import Document
from app.qr import qr_png
from app.timefmt import format_date

if TYPE_CHECKING:
    from app.orgs.models import AdministrativeUnit, Organisation

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
TITLE = "GIẤY CHỨNG NHẬN"
RED = (150, 20, 20)
NAVY = (11, 45, 100)
BLACK = (0, 0, 0)


def dated(place: str, day: date) -> str:
    """ "Bình Phước, ngày 05 tháng 6 năm 2026" (without a place: "Ngày 05 tháng 6 năm 2026"): a day below 10 and
    the months January and February with a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {text}" if place else text[0].upper() + text[1:]


def place_name(organisation: Organisation | None) -> str:
    """Where the organisation's documents are dated ("Bình Phước"): the province of its administrative unit, or of
    the nearest body above it that has one; "" when none is known."""
    unit: AdministrativeUnit | None = None
    node, hops = organisation, 0
    while node is not None and unit is None and hops < 10:
        unit, node, hops = node.admin_unit, node.parent, hops + 1
    for _ in range(5):
        if unit is None or unit.parent is None:
            break
        unit = unit.parent
    return unit.name if unit is not None else ""


# --- what every official document shares ---------------------------------------------------------------------------


def official_heading(doc: Document, organisation: str, body: str, place: str, day: date) -> None:
    """The heading of an official document on a new page: the issuing organisation (in capitals) and its body
    ("BAN TỔ CHỨC") on the left half, the national motto and the dated line on the right, then a gap."""
    usable = doc.w - doc.l_margin - doc.r_margin
    half, right = usable / 2 - 4, doc.l_margin + usable / 2 + 4
    top = doc.get_y()
    doc.set_font("serif", "B", 11)
    doc.multi_cell(half, 5.4, organisation.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    doc.multi_cell(half, 5.4, body, align="C", new_x="LMARGIN", new_y="NEXT")
    left_end = doc.get_y()
    doc.set_xy(right, top)
    for line in MOTTO:
        doc.set_x(right)
        doc.multi_cell(half, 5.4, line, align="C", new_x="LEFT", new_y="NEXT")
    doc.set_font("serif", "I", 11)
    doc.set_x(right)
    doc.multi_cell(half, 6, dated(place, day), align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_y(max(left_end, doc.get_y()) + 5)


def official_table(
    doc: Document,
    widths: Sequence[float],
    headings: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    align: Sequence[str] | None = None,
    width: float | None = None,
) -> None:
    """A bordered table (serif, grey bold headings repeated on each page), `width` wide (default: the columns')."""
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


def signature_blocks(doc: Document, roles: Sequence[str], names: Sequence[str] = ()) -> None:
    """Two signature blocks side by side from the current line: each role in capitals, "(Ký, ghi rõ họ tên)", and,
    where `names` gives one, the signer's name below the room left for the signature."""
    usable = doc.w - doc.l_margin - doc.r_margin
    half = usable / 2 - 4
    top = doc.get_y()
    for i, role in enumerate(roles):
        x = doc.l_margin + i * (usable / 2 + 4)
        doc.set_xy(x, top)
        doc.set_font("serif", "B", 12)
        doc.multi_cell(half, 6, role, align="C", new_x="LEFT", new_y="NEXT")
        doc.set_font("serif", "I", 10)
        doc.multi_cell(half, 5, "(Ký, ghi rõ họ tên)", align="C", new_x="LEFT", new_y="NEXT")
        name = names[i] if i < len(names) else ""
        if name:
            doc.ln(16)
            doc.set_x(x)
            doc.set_font("serif", "B", 12)
            doc.multi_cell(half, 6, name, align="C", new_x="LEFT", new_y="NEXT")


@dataclass(frozen=True)
class Line:
    """One centred line of the certificate's body (serif)."""

    text: str
    size: float
    style: str = ""
    color: tuple[int, int, int] = BLACK
    gap: float = 0


@dataclass(frozen=True)
class Page:
    """What one certificate prints: its frame and the lines between the title and the signature."""

    number: str
    organisation: str
    lines: Sequence[Line]
    verify_url: str
    place: str
    issued_on: date
    signer: str = ""
    signer_title: str = ""
    revoked_on: date | None = None


def page_of(sheet, lines: Sequence[Line], *, signer: str = "", signer_title: str = "") -> Page:
    """The page of a package's printed sheet: any object with the frame's `number`, `organisation`, `verify_url`,
    `place`, `issued_on` and `revoked_on`, and the body's `lines`."""
    return Page(
        number=sheet.number,
        organisation=sheet.organisation,
        lines=lines,
        verify_url=sheet.verify_url,
        place=sheet.place,
        issued_on=sheet.issued_on,
        signer=signer,
        signer_title=signer_title,
        revoked_on=sheet.revoked_on,
    )


def certificate_pdf(pages: Sequence[Page], *, title: str = "") -> bytes:
    """One landscape A4 page per certificate, in one document (the fonts are embedded once)."""
    if not pages:
        raise ValueError("no certificate to print")
    doc = Document(landscape=True, title=title or f"{TITLE} {pages[0].number}")
    doc.set_auto_page_break(auto=False)
    doc.set_margins(24, 16, 24)
    for page in pages:
        _page(doc, page)
    return doc.bytes()


def split_pages(pdf: bytes) -> list[bytes]:
    """Each page of a PDF as a PDF of its own (one file per certificate in a ZIP)."""
    reader = PdfReader(io.BytesIO(pdf))
    out = []
    for page in reader.pages:
        writer = PdfWriter()
        writer.add_page(page)
        buffer = io.BytesIO()
        writer.write(buffer)
        out.append(buffer.getvalue())
    return out


def text_line(doc: Document, width: float, height: float, text: str, align: str = "C", new_x: str = "LEFT") -> None:
    """Text in a box `width` wide (0: to the right margin), then the next line: a cell when it fits on one line,
    far cheaper than fpdf2's line breaking, which wraps it otherwise."""
    room = width or doc.w - doc.r_margin - doc.get_x()
    if doc.get_string_width(text) < room - 2 * doc.c_margin:
        doc.cell(room, height, text, align=align, new_x=new_x, new_y="NEXT")
    else:
        doc.multi_cell(room, height, text, align=align, new_x=new_x, new_y="NEXT")


def centred(doc: Document, line: Line) -> None:
    doc.set_font("serif", line.style, line.size)
    doc.set_text_color(*line.color)
    doc.set_x(doc.l_margin)
    text_line(doc, 0, line.size * 0.48, line.text, new_x="LMARGIN")
    doc.set_text_color(0)
    if line.gap:
        doc.ln(line.gap)


def _page(doc: Document, page: Page) -> None:
    doc.add_page()
    width, height = doc.w, doc.h
    doc.set_draw_color(*RED)
    doc.set_line_width(1.2)
    doc.rect(8, 8, width - 16, height - 16)
    doc.set_line_width(0.3)
    doc.rect(11, 11, width - 22, height - 22)
    doc.set_draw_color(0)
    if page.revoked_on is not None:
        doc.set_xy(doc.l_margin, 13)
        centred(doc, Line(f"ĐÃ BỊ THU HỒI NGÀY {format_date(page.revoked_on)}", 12, "B", RED))

    doc.set_y(19)
    centred(doc, Line(MOTTO[0], 13, "B"))
    centred(doc, Line(MOTTO[1], 13, "B"))
    doc.set_line_width(0.4)
    doc.line(width / 2 - 30, doc.get_y() + 1, width / 2 + 30, doc.get_y() + 1)
    doc.ln(5)
    centred(doc, Line(page.organisation.upper(), 13, "B", NAVY, gap=3))
    centred(doc, Line(TITLE, 34, "B", RED, gap=3))
    for line in page.lines:
        centred(doc, line)

    # the QR code, the number and the verification address, bottom left
    top = height - 58
    doc.image(io.BytesIO(qr_png(page.verify_url, box_size=8, border=1)), x=20, y=top, w=32)
    doc.set_xy(56, top + 4)
    doc.set_font("serif", "B", 12)
    doc.cell(0, 6, f"Số: {page.number}", new_x="LEFT", new_y="NEXT")
    doc.set_font("sans", "", 6.5)
    doc.set_text_color(70)
    text_line(doc, 112, 3.2, "Kiểm tra giấy chứng nhận tại:", align="L")
    text_line(doc, 112, 3.2, page.verify_url, align="L")
    doc.set_text_color(0)

    # place and date, then who signs, bottom right
    left, box = width - 24 - 100, 100
    doc.set_xy(left, top - 4)
    doc.set_font("serif", "I", 13)
    text_line(doc, box, 6, dated(page.place, page.issued_on))
    doc.set_font("serif", "B", 12)
    text_line(doc, box, 5.6, "TM. BAN TỔ CHỨC")
    if page.signer_title:
        text_line(doc, box, 5.6, page.signer_title.upper())
    if page.signer:
        doc.set_xy(left, height - 24)
        doc.set_font("serif", "B", 13)
        text_line(doc, box, 6, page.signer)
