"""The printed documents of honors, built with `app.pdf.Document` (vendored DejaVu fonts): the council's tally
minutes (biên bản kiểm phiếu) and the honorees' certificates (giấy chứng nhận, with the verification QR code).

Both are official Vietnamese documents, worded in Vietnamese whatever language the reader uses on the site (like
results': the motto, the date style and the certificate's frame come from app.certificates)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction

from app.certificates import NAVY, RED, TITLE, Line, official_heading, official_table, page_of, signature_blocks
from app.certificates import certificate_pdf as shared_certificate_pdf
from app.pdf import Document
from app.timefmt import format_datetime
from honors import tally

MINUTES_TITLE = "BIÊN BẢN KIỂM PHIẾU"
CERTIFICATE_TITLE = TITLE
OUTCOME_WORDS = {
    tally.HONORED: "Đạt, đề nghị tôn vinh",
    tally.TIE_AT_CUT: "Đạt, đồng hạng ở vị trí cuối",
    tally.BEYOND_NUMBER: "Đạt, ngoài số lượng tôn vinh",
    tally.FAILED: "Không đạt",
    tally.NO_QUORUM: "Không đủ số thành viên tham gia",
}
CHOICE_WORDS = {tally.AGREE: "Đồng ý", tally.DISAGREE: "Không đồng ý", tally.ABSTAIN: "Không biểu quyết"}
CONFLICT_WORDS = {tally.SAME_UNIT: "cùng đơn vị với ứng viên", tally.OWN_BODY: "thuộc đơn vị đề cử"}


def share_text(share: Fraction | None) -> str:
    """ "66,67 %" (two decimals, a decimal comma); "" without a share."""
    if share is None:
        return ""
    hundredths = round(share * 10000)
    return f"{hundredths // 100},{hundredths % 100:02d} %"


def fraction_text(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


# --- the tally minutes ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NamedVoteLine:
    member: str
    choice: str
    forced_reason: str
    comment: str


@dataclass(frozen=True)
class MinutesRow:
    number: int
    name: str
    unit: str
    body: str
    agree: int
    disagree: int
    abstain: int
    forced: int
    share: Fraction | None
    quorum_met: bool
    outcome: str
    rank: int | None
    #: each member's vote (open ballots only; None in a secret ballot)
    votes: list[NamedVoteLine] | None = None


@dataclass(frozen=True)
class Minutes:
    organisation: str
    place: str
    today: date
    campaign: str
    occasion: str
    secret: bool
    members: int
    required: int
    threshold: Fraction
    number_to_honor: int | None
    opened_at: datetime | None
    closed_at: datetime | None
    close_reason: str
    chair: str
    rows: list[MinutesRow] = field(default_factory=list)

    @property
    def passed(self) -> int:
        return sum(1 for r in self.rows if r.outcome in (tally.HONORED, tally.TIE_AT_CUT, tally.BEYOND_NUMBER))

    @property
    def honored(self) -> int:
        return sum(1 for r in self.rows if r.outcome == tally.HONORED)

    @property
    def tied(self) -> int:
        return sum(1 for r in self.rows if r.outcome == tally.TIE_AT_CUT)


CLOSE_WORDS = {"chair": "Chủ tịch Hội đồng kết thúc", "organizer": "Ban Tổ chức kết thúc", "time": "hết thời gian"}


def minutes_pdf(minutes: Minutes) -> bytes:
    """The tally minutes: heading, the ballot's mode and rules, a row per nominee with the counts, share, quorum and
    result, in an open ballot each member's vote, the totals, and the signature blocks."""
    doc = Document(
        landscape=True, numbered=True, footer_text=minutes.campaign, title=f"{MINUTES_TITLE} - {minutes.campaign}"
    )
    doc.add_page()
    official_heading(doc, minutes.organisation, "HỘI ĐỒNG XÉT CHỌN", minutes.place, minutes.today)

    doc.heading(MINUTES_TITLE, 16, family="serif")
    doc.heading(f"Xét chọn: {minutes.campaign}", 13, family="serif")
    if minutes.occasion:
        doc.paragraph(minutes.occasion, align="C", style="I", family="serif")
    doc.ln(3)
    mode = "bỏ phiếu kín (chỉ công bố số phiếu)" if minutes.secret else "bỏ phiếu công khai"
    when = ""
    if minutes.opened_at:
        when = f" từ {format_datetime(minutes.opened_at)}"
    if minutes.closed_at:
        how = CLOSE_WORDS.get(minutes.close_reason, "")
        when += f" đến {format_datetime(minutes.closed_at)}" + (f" ({how})" if how else "")
    doc.paragraph(f"Hình thức: {mode}; thời gian bỏ phiếu{when}.", family="serif")
    doc.paragraph(
        f"Hội đồng có {minutes.members} thành viên. Số thành viên tham gia tối thiểu để kết quả có giá trị: "
        f"{minutes.required} (phiếu không biểu quyết được tính là có tham gia). Ứng viên đạt khi số phiếu đồng ý "
        f"đạt từ {fraction_text(minutes.threshold)} số phiếu biểu quyết (đồng ý và không đồng ý) trở lên."
        + (f" Số lượng tôn vinh: {minutes.number_to_honor}." if minutes.number_to_honor is not None else ""),
        family="serif",
    )
    doc.paragraph(
        "Khi số ứng viên đạt vượt số lượng tôn vinh: xếp theo tỷ lệ đồng ý, rồi theo số phiếu đồng ý; các ứng viên "
        "bằng nhau ở vị trí cuối do Ban Tổ chức quyết định.",
        10,
        style="I",
        family="serif",
    )
    doc.ln(2)
    widths = (10, 58, 48, 17, 21, 26, 19, 13, 49)
    headings = (
        "STT",
        "Họ và tên",
        "Đơn vị",
        "Đồng ý",
        "Không đồng ý",
        "Không biểu quyết",
        "Tỷ lệ đồng ý",
        "Hạng",
        "Kết quả",
    )
    body = []
    for row in minutes.rows:
        abstain = str(row.abstain) + (f" ({row.forced} bắt buộc)" if row.forced else "")
        body.append(
            (
                str(row.number),
                row.name,
                row.unit,
                str(row.agree),
                str(row.disagree),
                abstain,
                share_text(row.share),
                str(row.rank or ""),
                OUTCOME_WORDS[row.outcome],
            )
        )
    official_table(doc, widths, headings, body, align=("C", "L", "L", "R", "R", "R", "R", "C", "L"))
    doc.ln(3)
    doc.paragraph(
        f"Tổng số ứng viên: {len(minutes.rows)}; đạt: {minutes.passed}; đề nghị tôn vinh: {minutes.honored}"
        + (f"; đồng hạng ở vị trí cuối: {minutes.tied}" if minutes.tied else "")
        + ".",
        family="serif",
    )
    if not minutes.secret:
        for row in minutes.rows:
            if not row.votes:
                continue
            doc.ln(2)
            doc.set_font("serif", "B", 11)
            doc.multi_cell(0, 5.5, f"Phiếu của các thành viên: {row.name}", new_x="LMARGIN", new_y="NEXT")
            lines = [
                (
                    v.member,
                    CHOICE_WORDS.get(v.choice, v.choice)
                    + (f" (bắt buộc: {CONFLICT_WORDS.get(v.forced_reason, '')})" if v.forced_reason else ""),
                    v.comment,
                )
                for v in row.votes
            ]
            official_table(doc, (70, 70, 121), ("Thành viên", "Biểu quyết", "Ý kiến"), lines)
    doc.ln(6)
    if doc.get_y() > doc.h - 50:
        doc.add_page()
    signature_blocks(doc, ("TỔ KIỂM PHIẾU", "CHỦ TỊCH HỘI ĐỒNG"), ("", minutes.chair))
    return doc.bytes()


# --- certificates ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HonorSheet:
    number: str
    holder: str
    unit: str
    campaign: str
    occasion: str
    organisation: str
    place: str
    issued_on: date
    verify_url: str
    revoked_on: date | None = None


def certificate_pdf(sheets: Sequence[HonorSheet], *, title: str = "") -> bytes:
    """One landscape A4 page per certificate, on the shared certificate's frame (app.certificates)."""
    pages = []
    for sheet in sheets:
        lines = [Line("Chứng nhận", 15, "I"), Line(sheet.holder, 24, "B", NAVY, gap=1)]
        if sheet.unit:
            lines.append(Line(sheet.unit, 14))
        lines += [Line("ĐƯỢC TÔN VINH LÀ TRÍ THỨC TIÊU BIỂU", 20, "B", RED), Line(sheet.campaign, 14)]
        if sheet.occasion:
            lines.append(Line(sheet.occasion, 12, "I"))
        pages.append(page_of(sheet, lines))
    return shared_certificate_pdf(pages, title=title or f"{CERTIFICATE_TITLE} {sheets[0].number}" if sheets else "")
