"""Documents lose their authoring metadata and keep their content; what cannot be cleaned is refused."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image, PngImagePlugin
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from app.docmeta import ENCRYPTED, MALFORMED, UNSUPPORTED, MetadataError, strip_metadata

NAME = "Nguyễn Văn An"
ASCII_NAME = "Nguyen Van An"
UNIT = "Trường THPT Bù Đăng"


def _encodings(text: str) -> list[bytes]:
    """How a name may be written in a file: UTF-8, UTF-16 (PDF text strings), XML character references."""
    return [
        text.encode("utf-8"),
        text.encode("utf-16-be"),
        "".join(c if c.isascii() else f"&#{ord(c)};" for c in text).encode(),
        text[:4].encode(),  # how the name starts, in any of them
    ]


def assert_absent(data: bytes, *texts: str) -> None:
    for text in texts:
        for form in _encodings(text):
            assert form not in data, (text, form)


# ------------------------------------------------------------------------------------------------------------ PDF


XMP = f"""<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:creator><rdf:Seq><rdf:li>{NAME}</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>""".encode()


def make_pdf(pages: int = 2, *, password: str | None = None) -> bytes:
    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    for n in range(1, pages + 1):
        page = writer.add_blank_page(300, 200)
        content = DecodedStreamObject()
        content.set_data(f"BT /F1 14 Tf 20 100 Td (Giai phap trang {n}) Tj ET".encode())
        page[NameObject("/Contents")] = writer._add_object(content)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        comment = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Text"),
                NameObject("/Rect"): ArrayObject([NumberObject(v) for v in (10, 10, 30, 30)]),
                NameObject("/T"): TextStringObject(NAME),
                NameObject("/Contents"): TextStringObject("Cần bổ sung số liệu"),
            }
        )
        page[NameObject("/Annots")] = ArrayObject([writer._add_object(comment)])
    writer.add_metadata(
        {"/Author": NAME, "/Creator": UNIT, "/Producer": "Microsoft Word", "/Title": "Bản mô tả", "/Keywords": UNIT}
    )
    xmp = DecodedStreamObject()
    xmp.set_data(XMP)
    xmp[NameObject("/Type")] = NameObject("/Metadata")
    xmp[NameObject("/Subtype")] = NameObject("/XML")
    writer.root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    if password:
        writer.encrypt(user_password=password, owner_password="chu-so-huu")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_text(data: bytes) -> str:
    """Every object of a PDF as text, its strings decoded and its streams' data included."""
    reader = PdfReader(io.BytesIO(data))
    texts = [repr(reader.trailer)]
    for number in range(1, reader.trailer["/Size"]):
        obj = reader.get_object(number)
        texts.append(repr(obj))
        if hasattr(obj, "get_data"):
            texts.append(obj.get_data().decode("latin-1"))
    return "\n".join(texts)


def test_pdf_loses_info_xmp_and_comment_authors_and_keeps_pages_and_text():
    original = make_pdf()
    assert PdfReader(io.BytesIO(original)).metadata["/Author"] == NAME  # the test file does hold them
    assert NAME in pdf_text(original) and NAME.encode() in original and UNIT in pdf_text(original)

    cleaned = strip_metadata(original, ".PDF")

    assert_absent(cleaned, NAME, UNIT)
    text = pdf_text(cleaned)
    assert NAME not in text and UNIT not in text and "Microsoft Word" not in text
    reader = PdfReader(io.BytesIO(cleaned))
    assert reader.metadata is None
    assert reader.xmp_metadata is None
    assert "/Metadata" not in reader.root_object
    assert [page.extract_text() for page in reader.pages] == ["Giai phap trang 1", "Giai phap trang 2"]
    annotation = reader.pages[0]["/Annots"][0].get_object()
    assert "/T" not in annotation and annotation["/Contents"] == "Cần bổ sung số liệu"


def test_an_encrypted_pdf_with_an_empty_user_password_is_cleaned_one_with_a_password_refused():
    cleaned = strip_metadata(make_pdf(1, password=""), "pdf")
    assert PdfReader(io.BytesIO(cleaned)).metadata is None
    assert len(PdfReader(io.BytesIO(cleaned)).pages) == 1

    with pytest.raises(MetadataError) as refused:
        strip_metadata(make_pdf(1, password="mat-khau"), "pdf")
    assert refused.value.reason == ENCRYPTED


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
        b"%PDF-1.7\n" + b"\x00\xff" * 50,
        b"not a pdf at all",
        b"",
    ],
)
def test_a_malformed_pdf_is_refused_not_served(data):
    with pytest.raises(MetadataError) as refused:
        strip_metadata(data, "pdf")
    assert refused.value.reason == MALFORMED
    assert refused.value.extension == "pdf"


def test_a_truncated_pdf_is_refused():
    with pytest.raises(MetadataError):
        strip_metadata(make_pdf()[:300], "pdf")


# ------------------------------------------------------------------------------------------------- Office Open XML

CT = "http://schemas.openxmlformats.org/package/2006"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="{CT}/content-types"><Default Extension="rels"
 ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/><Default Extension="jpeg" ContentType="image/jpeg"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/comments.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>
<Override PartName="/docProps/core.xml"
 ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
<Override PartName="/docProps/app.xml"
 ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>
<Override PartName="/docProps/custom.xml"
 ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>
</Types>"""
RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{CT}/relationships">
<Relationship Id="rId3" Type="{REL}/extended-properties" Target="docProps/app.xml"/>
<Relationship Id="rId2" Type="{CT}/relationships/metadata/core-properties" Target="docProps/core.xml"/>
<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId4" Type="{REL}/custom-properties" Target="docProps/custom.xml"/>
</Relationships>"""
CORE = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="{CT}/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>Giải pháp của {NAME}</dc:title><dc:subject>{UNIT}</dc:subject><dc:creator>{NAME}</dc:creator>
<cp:keywords>{UNIT}, Bù Đăng</cp:keywords><dc:description>Tác giả: {NAME}</dc:description>
<cp:lastModifiedBy>Trần Thị Bình</cp:lastModifiedBy><cp:category>Hội thi {UNIT}</cp:category>
<dcterms:created xsi:type="dcterms:W3CDTF">2025-03-01T08:00:00Z</dcterms:created>
</cp:coreProperties>"""
APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">
<Application>Microsoft Office Word</Application><Pages>1</Pages><Company>Trường THPT Bù Đăng</Company>
<Manager>Lê Thị Hồng</Manager></Properties>"""
CUSTOM = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="{REL.replace("relationships", "custom-properties")}"
 xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">
<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="Tác giả">
<vt:lpwstr>{NAME}</vt:lpwstr></property>
</Properties>"""
DOCUMENT = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}"><w:body>
<w:p><w:r><w:t>Máy gieo hạt điều tự động theo hàng</w:t></w:r></w:p>
<w:p><w:ins w:id="1" w:author="{NAME}" w:date="2025-03-02T09:00:00Z">
<w:r><w:t>tiết kiệm 30% công lao động</w:t></w:r></w:ins>
<w:del w:id="2" w:author='Trần Thị Bình' w:date="2025-03-02T09:05:00Z">
<w:r><w:delText>bản cũ</w:delText></w:r></w:del></w:p>
</w:body></w:document>"""
COMMENTS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:comments xmlns:w="{W}"><w:comment w:id="0" w:author="{NAME}" w:date="2025-03-02T09:00:00Z" w:initials="NVA">
<w:p><w:r><w:t>Kiểm tra lại số liệu</w:t></w:r></w:p></w:comment></w:comments>"""


def jpeg_with_exif(size=(40, 20), orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((20, 30, 200), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[0x013B] = ASCII_NAME  # Artist (EXIF text is ASCII)
    exif[0x010F] = "Samsung"  # Make
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=f"Chụp tại {UNIT}".encode())
    return out.getvalue()


def make_docx(**extra: str | bytes) -> bytes:
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": RELS,
        "docProps/core.xml": CORE,
        "docProps/app.xml": APP,
        "docProps/custom.xml": CUSTOM,
        "word/document.xml": DOCUMENT,
        "word/comments.xml": COMMENTS,
        "word/media/image1.jpeg": jpeg_with_exif(),
        **extra,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def unpacked(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def test_docx_loses_properties_custom_part_and_review_authors_and_keeps_its_text():
    original = make_docx()
    assert NAME.encode() in b"".join(unpacked(original).values())

    parts = unpacked(strip_metadata(original, "docx"))

    everything = b"".join(parts.values())
    assert_absent(everything, NAME, ASCII_NAME, UNIT, "Trần Thị Bình", "Lê Thị Hồng", "Samsung")
    assert "docProps/custom.xml" not in parts
    assert b"custom-properties" not in parts["_rels/.rels"] and b"core-properties" in parts["_rels/.rels"]
    assert b"/docProps/custom.xml" not in parts["[Content_Types].xml"]
    assert b"/docProps/core.xml" in parts["[Content_Types].xml"]
    assert b"<dc:creator></dc:creator>" in parts["docProps/core.xml"]
    assert b"2025-03-01T08:00:00Z" in parts["docProps/core.xml"]  # dates are not people
    assert b"<Company></Company>" in parts["docProps/app.xml"] and b"<Pages>1</Pages>" in parts["docProps/app.xml"]
    document = parts["word/document.xml"].decode()
    for text in ("Máy gieo hạt điều tự động theo hàng", "tiết kiệm 30% công lao động", "bản cũ"):
        assert text in document
    assert 'w:author=""' in document and 'w:date="2025-03-02T09:00:00Z"' in document
    assert "Kiểm tra lại số liệu" in parts["word/comments.xml"].decode()
    with Image.open(io.BytesIO(parts["word/media/image1.jpeg"])) as photo:
        assert photo.size == (40, 20) and not photo.getexif()
    names = list(unpacked(original))
    assert list(parts) == [n for n in names if n != "docProps/custom.xml"]  # order kept


def test_xlsx_and_pptx_comment_authors_go():
    xlsx = make_docx(
        **{
            "xl/workbook.xml": '<workbook xmlns="urn:x" xmlns:x15ac="urn:y"><fileSharing userName="Nguyễn Văn An"/>'
            '<x15ac:absPath url="C:\\Users\\nguyenvanan\\Documents\\"/><sheets/></workbook>',
            "xl/comments1.xml": f'<comments xmlns="urn:x"><authors><author>{NAME}</author></authors>'
            '<commentList><comment ref="A1" authorId="0"><text><t>Số liệu 2024</t></text></comment>'
            "</commentList></comments>",
            "xl/persons/person.xml": f'<personList xmlns="urn:x"><person displayName="{NAME}" id="{{1}}" '
            'userId="an@example.vn" providerId="AD"/></personList>',
            "ppt/commentAuthors.xml": f'<p:cmAuthorLst xmlns:p="urn:p"><p:cmAuthor id="1" name="{NAME}" '
            'initials="NVA" lastIdx="1" clrIdx="0"/></p:cmAuthorLst>',
        }
    )

    parts = unpacked(strip_metadata(xlsx, "xlsx"))

    assert_absent(b"".join(parts.values()), NAME, "nguyenvanan", "an@example.vn")
    assert "Số liệu 2024" in parts["xl/comments1.xml"].decode()
    assert b'authorId="0"' in parts["xl/comments1.xml"]


def test_a_broken_office_file_is_refused():
    for data in (b"PK\x03\x04 not really a zip", make_docx()[:200]):
        with pytest.raises(MetadataError) as refused:
            strip_metadata(data, "docx")
        assert refused.value.reason == MALFORMED
    with pytest.raises(MetadataError):
        strip_metadata(make_docx(**{"word/document.xml": "<w:document><w:body>"}), "docx")
    with pytest.raises(MetadataError):  # an entity declaration could hide or blow up content
        strip_metadata(make_docx(**{"docProps/core.xml": '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'}), "docx")


def test_legacy_office_files_cannot_be_cleaned_and_are_refused():
    with pytest.raises(MetadataError) as refused:
        strip_metadata(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".doc")
    assert refused.value.reason == UNSUPPORTED


def test_odt_meta_and_review_creators_go():
    meta = (
        '<office:document-meta xmlns:office="urn:o" xmlns:meta="urn:m" xmlns:dc="urn:dc"><office:meta>'
        f"<meta:initial-creator>{NAME}</meta:initial-creator><dc:creator>{NAME}</dc:creator>"
        f'<meta:user-defined meta:name="Đơn vị">{UNIT}</meta:user-defined><meta:editing-cycles>3</meta:editing-cycles>'
        "</office:meta></office:document-meta>"
    )
    content = (
        '<office:document-content xmlns:office="urn:o" xmlns:text="urn:t" xmlns:dc="urn:dc"><office:body>'
        f"<text:p>Bộ dụng cụ thí nghiệm<office:annotation><dc:creator>{NAME}</dc:creator>"
        "<text:p>Xem lại</text:p></office:annotation></text:p></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("meta.xml", meta, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)

    parts = unpacked(strip_metadata(out.getvalue(), "odt"))

    assert_absent(b"".join(parts.values()), NAME, UNIT)
    assert next(iter(parts)) == "mimetype"
    assert b"<meta:editing-cycles>3</meta:editing-cycles>" in parts["meta.xml"]
    content = parts["content.xml"].decode()
    assert "Bộ dụng cụ thí nghiệm" in content and "Xem lại" in content


# ---------------------------------------------------------------------------------------------------------- images


def test_jpeg_loses_exif_and_comment_and_keeps_its_picture():
    original = jpeg_with_exif()
    assert ASCII_NAME.encode() in original and UNIT.encode() in original

    cleaned = strip_metadata(original, "JPG")

    assert_absent(cleaned, ASCII_NAME, UNIT, "Samsung")
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.format == "JPEG" and image.size == (40, 20)
        assert not image.getexif() and "comment" not in image.info
        assert image.getpixel((5, 10))[2] > 150 and image.getpixel((35, 10))[0] > 150  # blue left, red right


def test_jpeg_orientation_is_applied_before_the_exif_goes():
    cleaned = strip_metadata(jpeg_with_exif((40, 20), orientation=6), "jpeg")  # 6: rotate 90° clockwise to view
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.size == (20, 40) and not image.getexif()
        assert image.getpixel((10, 5))[2] > 150  # the blue left half is now on top


def test_png_loses_text_chunks_and_exif_and_keeps_pixels_and_transparency():
    image = Image.new("RGBA", (30, 12), (10, 200, 10, 128))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", NAME)
    info.add_itxt("Comment", f"Vẽ tại {UNIT}")
    exif = Image.Exif()
    exif[0x013B] = ASCII_NAME
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info, exif=exif)
    assert NAME.encode() in out.getvalue() and ASCII_NAME.encode() in out.getvalue()

    cleaned = strip_metadata(out.getvalue(), "png")

    assert_absent(cleaned, NAME, UNIT, ASCII_NAME)
    with Image.open(io.BytesIO(cleaned)) as again:
        assert again.size == (30, 12) and again.mode == "RGBA"
        assert again.getpixel((3, 3)) == (10, 200, 10, 128)
        assert not again.text and not again.getexif()


def test_webp_loses_exif_and_a_lossless_one_stays_lossless():
    image = Image.new("RGB", (16, 16), (250, 120, 0))
    exif = Image.Exif()
    exif[0x013B] = ASCII_NAME
    out = io.BytesIO()
    image.save(out, "WEBP", lossless=True, exif=exif)
    assert ASCII_NAME.encode() in out.getvalue()

    cleaned = strip_metadata(out.getvalue(), "webp")

    assert_absent(cleaned, ASCII_NAME)
    assert b"EXIF" not in cleaned and b"VP8L" in cleaned
    with Image.open(io.BytesIO(cleaned)) as again:
        assert again.size == (16, 16) and again.convert("RGB").getpixel((8, 8)) == (250, 120, 0)


def test_an_image_that_is_not_what_its_extension_says_is_refused():
    with pytest.raises(MetadataError):
        strip_metadata(b"\xff\xd8\xff\xe0 broken", "jpg")
    with pytest.raises(MetadataError):
        strip_metadata(jpeg_with_exif(), "png")


# ----------------------------------------------------------------------------------------------------------- others


@pytest.mark.parametrize("extension", ["mp4", ".MOV", "zip", "txt", "csv", ""])
def test_other_files_come_back_unchanged(extension):
    data = f"Tác giả: {NAME}".encode()
    assert strip_metadata(data, extension) is data
