"""PDF documents with Vietnamese text: fpdf2 with the vendored DejaVu fonts (static/fonts, Bitstream Vera licence),
so that diacritics render the same on any machine, offline. Used for certificates, minutes and printable reports.

`Document` is an `fpdf.FPDF` with the fonts "sans" and "serif" (regular and bold; serif italic) registered, text
put in Unicode NFC (precomposed letters, as the fonts hold them), A4 pages and numbered footers when asked.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

from flask import Response
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from app.exports import send_download

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
FONTS = {
    ("sans", ""): "DejaVuSans.ttf",
    ("sans", "B"): "DejaVuSans-Bold.ttf",
    ("serif", ""): "DejaVuSerif.ttf",
    ("serif", "B"): "DejaVuSerif-Bold.ttf",
    ("serif", "I"): "DejaVuSerif-Italic.ttf",
}
PDF_MIMETYPE = "application/pdf"


class Document(FPDF):
    """An A4 document with the fonts registered; `footer_text` (e.g. the edition's name) and page numbers
    ("Trang 1/3") in the footer when `numbered`."""

    def __init__(self, *, landscape: bool = False, numbered: bool = False, footer_text: str = "", title: str = ""):
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        for (family, style), name in FONTS.items():
            self.add_font(family, style, str(FONT_DIR / name))
        self.set_font("sans", size=11)
        self.numbered = numbered
        self.footer_text = nfc(footer_text)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 16, 18)
        if title:
            self.set_title(nfc(title))
        self.set_creator("sangtao")
        self.set_producer("sangtao")

    def normalize_text(self, text: str) -> str:  # fpdf2 calls this on every string it writes
        return super().normalize_text(nfc(text))

    def footer(self) -> None:
        if not self.numbered and not self.footer_text:
            return
        self.set_y(-12)
        self.set_font("sans", size=8)
        self.set_text_color(110)
        if self.footer_text:
            self.cell(0, 5, self.footer_text, align="L")
            self.set_x(self.l_margin)
        if self.numbered:
            self.cell(0, 5, f"{self.page_no()}/{{nb}}", align="R")
        self.set_text_color(0)

    def heading(self, text: str, size: float = 15, *, align: str = "C", family: str = "sans") -> None:
        self.set_font(family, "B", size)
        self.multi_cell(0, size * 0.55, text, align=align, new_x="LMARGIN", new_y="NEXT")
        self.set_font(family, "", 11)

    def paragraph(self, text: str, size: float = 11, *, style: str = "", align: str = "J", family: str = "sans"):
        self.set_font(family, style, size)
        self.multi_cell(0, size * 0.5, text, align=align, new_x="LMARGIN", new_y="NEXT")

    def bytes(self) -> bytes:
        return bytes(self.output())


def nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "")


def merge(documents: list[bytes]) -> bytes:
    """Several PDFs as one, in order (e.g. every certificate of an edition)."""
    writer = PdfWriter()
    for data in documents:
        for page in PdfReader(io.BytesIO(data)).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def send_pdf(data: bytes, filename: str, *, attachment: bool = True) -> Response:
    """A PDF download (or shown inline); never kept by a shared cache."""
    response = send_download(data, filename, PDF_MIMETYPE, attachment=attachment)
    response.headers["Cache-Control"] = "private, no-store"
    return response
