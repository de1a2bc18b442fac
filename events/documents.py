"""Badges (thẻ đại biểu) of an event's invitees as one A4 PDF: eight to a page (2 x 4, cut along the light
frames), each with the event, the person's name, unit and role, and the QR code of their pass. Nothing private
(no e-mail, phone or birth date) is printed."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from app.pdf import Document
from app.qr import qr_png

COLUMNS, ROWS = 2, 4
BADGE_W, BADGE_H = 87.0, 64.0
LEFT, TOP = 18.0, 16.0
QR_SIZE = 34.0


@dataclass(frozen=True)
class Badge:
    name: str
    unit: str
    role: str
    #: What the QR code holds: the pass's URL (its token is the only secret in it).
    qr_text: str


def badges_pdf(event_title: str, when: str, badges: Sequence[Badge], *, heading: str = "") -> bytes:
    doc = Document(title=event_title)
    doc.set_auto_page_break(auto=False)
    per_page = COLUMNS * ROWS
    if not badges:
        doc.add_page()
        doc.heading(event_title)
        return doc.bytes()
    for index, badge in enumerate(badges):
        slot = index % per_page
        if slot == 0:
            doc.add_page()
        x = LEFT + (slot % COLUMNS) * BADGE_W
        y = TOP + (slot // COLUMNS) * (BADGE_H + 2)
        _badge(doc, x, y, event_title, when, heading, badge)
    return doc.bytes()


def _badge(doc: Document, x: float, y: float, title: str, when: str, heading: str, badge: Badge) -> None:
    doc.set_draw_color(190)
    doc.set_line_width(0.2)
    doc.rect(x, y, BADGE_W - 2, BADGE_H)
    inner = BADGE_W - 2 - 6
    doc.set_xy(x + 3, y + 3)
    doc.set_font("sans", "B", 7.5)
    doc.set_text_color(20, 70, 140)
    heading = (heading or title).upper()
    if len(heading) > 110:  # two lines at most, above the code
        heading = heading[:108].rstrip() + "…"
    doc.multi_cell(inner, 3.4, heading, align="C", new_x="LEFT", new_y="NEXT")
    doc.set_text_color(90)
    doc.set_font("sans", "", 6.5)
    doc.set_x(x + 3)
    doc.multi_cell(inner, 3, when, align="C", new_x="LEFT", new_y="NEXT")
    doc.set_text_color(0)
    top = y + 16.5
    doc.image(io.BytesIO(qr_png(badge.qr_text, box_size=6, border=1)), x=x + 3, y=top, w=QR_SIZE, h=QR_SIZE)
    text_x = x + 3 + QR_SIZE + 3
    text_w = BADGE_W - 2 - QR_SIZE - 9
    doc.set_xy(text_x, top + 1)
    doc.set_font("sans", "B", 11)
    doc.multi_cell(text_w, 5, badge.name, align="L", new_x="LEFT", new_y="NEXT")
    doc.set_font("sans", "", 8)
    if badge.unit:
        doc.set_x(text_x)
        doc.multi_cell(text_w, 3.8, badge.unit, align="L", new_x="LEFT", new_y="NEXT")
    doc.set_xy(x + 3, y + BADGE_H - 10)
    doc.set_fill_color(20, 70, 140)
    doc.set_text_color(255)
    doc.set_font("sans", "B", 9)
    doc.cell(BADGE_W - 8, 7, badge.role.upper(), align="C", fill=True)
    doc.set_text_color(0)
