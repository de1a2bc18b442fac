"""PDF documents: Vietnamese diacritics come back from the text layer (pdftotext), pages merge, downloads."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import unicodedata

import pytest
from flask import Flask
from pypdf import PdfReader

from app.pdf import Document, merge, send_pdf

TEXT = "Giấy chứng nhận: Nguyễn Thị Ánh Tuyết, Đặng Văn Hưởng — giải Nhất, Hội thi Sáng tạo kỹ thuật"


def pdftotext(data: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return unicodedata.normalize("NFC", out.stdout.decode("utf-8"))


needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None and os.environ.get("CI") != "true", reason="pdftotext (poppler-utils) missing"
)


def document(text: str = TEXT) -> bytes:
    doc = Document(numbered=True, footer_text="Liên hiệp các hội KH&KT", title="Thử")
    doc.add_page()
    doc.heading("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    # decomposed input (as some keyboards send it) is written precomposed
    doc.paragraph(unicodedata.normalize("NFD", text))
    return doc.bytes()


@needs_pdftotext
def test_vietnamese_text_reads_back_with_pdftotext(tmp_path):
    text = pdftotext(document(), tmp_path)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Nguyễn Thị Ánh Tuyết" in text and "Đặng Văn Hưởng" in text
    assert "1/1" in text and "Liên hiệp các hội KH&KT" in text


def test_documents_merge_in_order_and_carry_no_personal_metadata():
    merged = merge([document("Một"), document("Hai"), document("Ba")])
    reader = PdfReader(io.BytesIO(merged))
    assert len(reader.pages) == 3
    assert ["Một" in p.extract_text() for p in reader.pages] == [True, False, False]
    assert "Ba" in reader.pages[2].extract_text()
    info = PdfReader(io.BytesIO(document())).metadata
    assert info.creator == "sangtao" and info.author is None


def test_send_pdf_is_a_private_download(app: Flask):
    with app.test_request_context():
        response = send_pdf(b"%PDF-1.4", "Giấy chứng nhận.pdf")
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "attachment" in response.headers["Content-Disposition"]
