"""The upload layer (app/uploads.py): kinds recognised from real samples, hostile files refused with nothing left on
disk, names that try to escape the folder, downloads that only ever serve our own random names."""

from __future__ import annotations

import hashlib
import io
import struct
import unicodedata
import uuid
import zipfile
from pathlib import Path
from urllib.parse import quote

import openpyxl
import pytest
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import NotFound

from app import uploads
from app.uploads import (
    CHUNK_BYTES,
    KINDS,
    MAX_NAME_LENGTH,
    STORED_NAME,
    StoredFile,
    UploadError,
    UploadMessages,
    accept_attribute,
    delete_stored,
    detect_kind,
    expand_accepted,
    safe_display_name,
    send_stored,
    store_upload,
    upload_dir,
)

MB = 1024 * 1024

# ------------------------------------------------------------------------------------------------------ samples


def _image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(buffer, fmt)
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    return _image("PDF")  # a real one-page PDF written by Pillow


def _zip(members: dict[str, bytes | str], stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:  # OpenDocument: `mimetype` first and uncompressed
            archive.writestr(stored_first, members[stored_first], compress_type=zipfile.ZIP_STORED)
        for name, content in members.items():
            if name != stored_first:
                archive.writestr(name, content)
    return buffer.getvalue()


CONTENT_TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def docx_bytes(**extra: bytes) -> bytes:
    document = (
        '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>Bản mô tả giải pháp</w:t></w:r></w:p></w:body></w:document>"
    )
    return _zip(
        {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": "<Relationships/>", "word/document.xml": document} | extra
    )


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Họ và tên", "Đơn vị"])
    workbook.active.append(["Nguyễn Văn An", "Bù Đăng"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pptx_bytes() -> bytes:
    return _zip({"[Content_Types].xml": CONTENT_TYPES, "ppt/presentation.xml": "<p:presentation/>"})


def odf_bytes(mimetype: str) -> bytes:
    return _zip(
        {"mimetype": mimetype, "content.xml": "<office:document-content/>", "META-INF/manifest.xml": "<manifest/>"},
        stored_first="mimetype",
    )


NOSTREAM = 0xFFFFFFFF


def ole_bytes(entries: list[tuple[str, int, int, int, int]]) -> bytes:
    """A minimal OLE compound file ([MS-CFB], version 3): one FAT sector, then the directory.

    `entries` are (name, type, left sibling, right sibling, child); entry 0 is the root storage (type 5),
    streams are type 2, storages type 1.
    """
    directory = b""
    for name, kind, left, right, child in entries:
        encoded = (name + "\0").encode("utf-16-le")
        directory += encoded.ljust(64, b"\0") + struct.pack("<HBB3I", len(encoded), kind, 1, left, right, child)
        directory += bytes(16 + 4 + 16) + struct.pack("<IQ", 0xFFFFFFFE, 0)  # clsid, state, times, start, size
    directory = directory.ljust(-(-len(directory) // 512) * 512, b"\0")
    directory_sectors = len(directory) // 512
    chain = [*range(2, directory_sectors + 1), 0xFFFFFFFE]  # sector 1 -> 2 -> ... -> end of chain
    fat = struct.pack("<128I", 0xFFFFFFFD, *chain, *[NOSTREAM] * (127 - len(chain)))
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + bytes(16)
        + struct.pack("<5H", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<9I", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
        + struct.pack("<109I", 0, *[NOSTREAM] * 108)
    )
    assert len(header) == 512
    return header + fat + directory


def ole_with_streams(*names: str) -> bytes:
    """Streams at the root, chained as right siblings."""
    entries = [("Root Entry", 5, NOSTREAM, NOSTREAM, 1)]
    for index, name in enumerate(names, start=1):
        entries.append((name, 2, NOSTREAM, index + 1 if index < len(names) else NOSTREAM, NOSTREAM))
    return ole_bytes(entries)


def mp4_bytes(brand: bytes = b"isom", compatible: bytes = b"isomiso2avc1mp41") -> bytes:
    ftyp = struct.pack(">I", 16 + len(compatible)) + b"ftyp" + brand + b"\0\0\2\0" + compatible
    return ftyp + struct.pack(">I", 8) + b"free" + struct.pack(">I", 16) + b"mdat" + bytes(8)


CSV = "\ufeffHọ và tên,Đơn vị,Điện thoại\nNguyễn Văn An,Bù Đăng,0912345678\nTrần Thị Bình,Đồng Xoài,\n".encode()
TXT = "Tóm tắt giải pháp: tiết kiệm nước tưới cho vườn điều.\n".encode()
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + bytes(48)
    + b"This program cannot be run in DOS mode."
)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="8" height="8"/></svg>'


SAMPLES = {
    "pdf": (pdf_bytes, "Bản mô tả giải pháp.pdf"),
    "docx": (docx_bytes, "Thuyết minh.docx"),
    "xlsx": (xlsx_bytes, "Danh sách khách mời.xlsx"),
    "pptx": (pptx_bytes, "Trình bày.pptx"),
    "doc": (lambda: ole_with_streams("\x01CompObj", "WordDocument", "1Table"), "Thuyết minh cũ.doc"),
    "xls": (lambda: ole_with_streams("Workbook", "\x05SummaryInformation"), "Bảng điểm.xls"),
    "ppt": (lambda: ole_with_streams("Current User", "PowerPoint Document"), "Báo cáo.ppt"),
    "odt": (lambda: odf_bytes("application/vnd.oasis.opendocument.text"), "Thuyết minh.odt"),
    "ods": (lambda: odf_bytes("application/vnd.oasis.opendocument.spreadsheet"), "Bảng tính.ods"),
    "jpeg": (lambda: _image("JPEG"), "Ảnh mô hình.jpg"),
    "png": (lambda: _image("PNG"), "Sơ đồ.png"),
    "webp": (lambda: _image("WEBP"), "Ảnh.webp"),
    "mp4": (mp4_bytes, "Video giới thiệu.mp4"),
    "mov": (lambda: mp4_bytes(b"qt  ", b"qt  "), "Quay bằng điện thoại.mov"),
    "zip": (lambda: _zip({"ảnh/1.txt": "một", "ảnh/2.txt": "hai"}), "Phụ lục.zip"),
    "csv": (lambda: CSV, "Khách mời.csv"),
    "txt": (lambda: TXT, "Tóm tắt.txt"),
}


# ------------------------------------------------------------------------------------------------------ helpers


@pytest.fixture
def folder() -> str:
    """A folder of its own for each test, so that "nothing left behind" means something."""
    return f"test-{uuid.uuid4().hex}/dossiers"


def upload(data: bytes, name: str | None, folder: str, accepted: set[str] | None = None, **kwargs) -> StoredFile:
    accepted = accepted if accepted is not None else set(KINDS)
    kwargs.setdefault("max_bytes", 10 * MB)
    return store_upload(FileStorage(io.BytesIO(data), filename=name), folder, accepted, **kwargs)


def refused(data: bytes, name: str | None, folder: str, accepted: set[str] | None = None, **kwargs) -> UploadError:
    with pytest.raises(UploadError) as caught:
        upload(data, name, folder, accepted, **kwargs)
    assert list(upload_dir(folder).iterdir()) == [], "a refused upload leaves nothing behind, no temp file either"
    return caught.value


def everything(app) -> set[Path]:
    return {p for p in Path(app.config["UPLOAD_DIR"]).rglob("*") if p.is_file()}


def english(error: UploadError) -> str:
    with force_locale("en"):
        return str(error)


# ------------------------------------------------------------------------------------------------------- kinds


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_each_kind_is_recognised_from_a_real_sample_and_stored_under_a_random_name(kind, folder):
    make, name = SAMPLES[kind]
    data = make()
    detected = detect_kind(data[:1024], io.BytesIO(data))
    assert detected == ("txt" if kind == "csv" else kind)  # a CSV is text: only its name says CSV

    stored = upload(data, name, folder, accepted={kind})
    assert stored.kind == kind
    assert stored.mimetype == KINDS[kind].mimetype
    assert STORED_NAME.fullmatch(stored.stored_name) and stored.stored_name.endswith(KINDS[kind].extensions[0])
    assert stored.original_name == name
    assert stored.size == len(data) and stored.sha256 == hashlib.sha256(data).hexdigest()
    assert [p.name for p in upload_dir(folder).iterdir()] == [stored.stored_name]
    assert (upload_dir(folder) / stored.stored_name).read_bytes() == data


def test_detect_kind_reads_only_the_head_when_no_file_is_given():
    assert detect_kind(pdf_bytes()) == "pdf"
    assert detect_kind(docx_bytes()) == "docx"
    assert detect_kind(CSV) == "txt"
    assert detect_kind(b"") is None


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(EXE, id="windows executable"),
        pytest.param(b"\x7fELF\x02\x01\x01" + bytes(57), id="linux executable"),
        pytest.param(b"GIF89a\x08\x00\x08\x00\x80\x00\x00", id="gif"),
        pytest.param("Hội thảo: café crème".encode()[:9] + "café crème".encode("cp1252"), id="not utf-8"),
        pytest.param("Nguyễn Văn An".encode("utf-16"), id="utf-16"),
        pytest.param(b"PK\x03\x04" + b"\x14\x00" * 20, id="truncated zip"),
        pytest.param(docx_bytes(**{"word/vbaProject.bin": b"\0macro"}), id="macro-enabled word"),
        pytest.param(ole_with_streams("\x05SummaryInformation", "\u4840\u3b3f\u4577"), id="installer (ole, no doc)"),
        pytest.param(ole_with_streams("WordDocument")[:600], id="truncated ole"),
        pytest.param(mp4_bytes(b"heic", b"mif1heic"), id="heic image"),
        pytest.param(b"RIFF\x24\x00\x00\x00WAVEfmt ", id="wav"),
    ],
)
def test_what_is_none_of_our_kinds_is_not_recognised(data):
    assert detect_kind(data[:1024], io.BytesIO(data)) is None


def test_markup_is_plain_text_never_an_image():
    assert detect_kind(HTML) == "txt"
    assert detect_kind(SVG) == "txt"


def test_legacy_office_kind_comes_from_the_streams_at_the_root():
    # A workbook whose directory holds an embedded Word document: the root says Excel.
    workbook = ole_bytes(
        [
            ("Root Entry", 5, NOSTREAM, NOSTREAM, 1),
            ("Workbook", 2, NOSTREAM, 2, NOSTREAM),
            ("ObjectPool", 1, NOSTREAM, NOSTREAM, 3),
            ("WordDocument", 2, NOSTREAM, NOSTREAM, NOSTREAM),
        ]
    )
    assert detect_kind(workbook[:1024], io.BytesIO(workbook)) == "xls"
    # Many streams: the directory spans several sectors, the tree is walked through left and right siblings.
    names = [f"Stream{i}" for i in range(9)] + ["PowerPoint Document"]
    many = ole_with_streams(*names)
    assert len(many) > 512 * 4
    assert detect_kind(many[:1024], io.BytesIO(many)) == "ppt"
    # A directory that loops on itself is not followed forever.
    looping = ole_bytes([("Root Entry", 5, NOSTREAM, NOSTREAM, 1), ("Stream", 2, 1, 1, NOSTREAM)])
    assert detect_kind(looping[:1024], io.BytesIO(looping)) is None


def test_office_member_names_are_matched_whatever_their_case():
    data = _zip({"[content_types].xml": CONTENT_TYPES, "Word/Document.xml": "<w:document/>"})
    assert detect_kind(data) == "docx"


def test_groups_expand_to_kinds():
    assert expand_accepted(["pdf", "word"]) == {"pdf", "doc", "docx", "odt"}
    assert expand_accepted(["excel"]) == {"xls", "xlsx", "ods", "csv"}
    assert expand_accepted(["image", "video", "zip"]) == {"jpeg", "png", "webp", "mp4", "mov", "zip"}
    assert expand_accepted(["png", "txt"]) == {"png", "txt"}  # a kind's own name works too
    assert expand_accepted("image") == {"jpeg", "png", "webp"}
    with pytest.raises(ValueError, match="exe"):
        expand_accepted(["pdf", "exe"])
    attribute = accept_attribute(expand_accepted(["pdf", "image"]))
    assert ".pdf" in attribute.split(",") and ".jpeg" in attribute.split(",") and "application/pdf" in attribute


def test_accepted_must_name_kinds(folder):
    with pytest.raises(ValueError, match="expand_accepted"):
        upload(pdf_bytes(), "a.pdf", folder, accepted={"word"})


# ------------------------------------------------------------------------------------------------------ refusals


def test_exactly_the_limit_is_accepted_one_byte_more_is_refused(folder):
    data = pdf_bytes() + b"%" * (3 * CHUNK_BYTES)  # several chunks
    error = refused(data, "a.pdf", folder, max_bytes=len(data) - 1)
    assert error.code == "too_large"
    stored = upload(data, "a.pdf", folder, max_bytes=len(data))
    assert stored.size == len(data)


def test_the_size_limit_is_said_in_megabytes(app, folder):
    error = refused(b"x" * (2 * MB + 1), "a.txt", folder, max_bytes=2 * MB)
    half = refused(b"x" * (5 * MB // 2 + 1), "a.txt", folder, max_bytes=5 * MB // 2)
    custom = refused(b"x" * (5 * MB // 2 + 1), "a.txt", folder, max_bytes=5 * MB // 2, messages=_custom())
    with app.test_request_context():
        assert english(error) == "The file is larger than 2 MB."
        assert english(half) == "The file is larger than 2.5 MB."
        with force_locale("vi"):
            assert str(custom) == "Hồ sơ vượt quá 2,5 MB."  # formatted in the language it is shown in


def _custom() -> UploadMessages:
    return UploadMessages(too_large="Hồ sơ vượt quá %(mb)s MB.")


class Endless(io.RawIOBase):
    """A stream that never ends, counting what is read from it."""

    def __init__(self) -> None:
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        buffer[:] = b"%" * len(buffer)
        self.served += len(buffer)
        return len(buffer)


def test_an_endless_upload_is_never_read_past_the_limit(folder):
    stream = Endless()
    with pytest.raises(UploadError) as caught:
        store_upload(FileStorage(stream, filename="a.pdf"), folder, {"pdf"}, max_bytes=MB)
    assert caught.value.code == "too_large"
    assert MB < stream.served <= MB + 1
    assert list(upload_dir(folder).iterdir()) == []


def test_an_empty_file_is_refused(app, folder):
    error = refused(b"", "Bản mô tả.pdf", folder)
    assert error.code == "empty"
    with app.test_request_context():
        assert english(error) == "The file is empty."


@pytest.mark.parametrize(
    ("data", "name", "accepted"),
    [
        pytest.param(EXE, "Bản mô tả.pdf", {"pdf"}, id="executable renamed .pdf"),
        pytest.param(_image("PNG"), "Bản mô tả.pdf", {"pdf", "png"}, id="png renamed .pdf"),
        pytest.param(HTML, "ảnh.jpg", expand_accepted(["image"]), id="html renamed .jpg"),
        pytest.param(SVG, "ảnh.jpg", expand_accepted(["image"]), id="svg renamed .jpg"),
        pytest.param(SVG, "ảnh.png", expand_accepted(["image"]), id="svg renamed .png"),
        pytest.param(_zip({"a.txt": "a"}), "Thuyết minh.docx", {"docx", "zip"}, id="zip renamed .docx"),
        pytest.param(ole_with_streams("Workbook"), "Thuyết minh.doc", {"doc", "xls"}, id="xls renamed .doc"),
        pytest.param(pdf_bytes(), "Danh sách.csv", {"csv", "pdf"}, id="pdf renamed .csv"),
        pytest.param(docx_bytes(), "Phụ lục.zip", {"docx", "zip"}, id="docx renamed .zip"),
        pytest.param(docx_bytes(**{"word/vbaProject.bin": b"\0"}), "Thuyết minh.docx", {"docx"}, id="docm as .docx"),
    ],
)
def test_a_name_that_claims_another_kind_than_the_content_is_refused(app, folder, data, name, accepted):
    error = refused(data, name, folder, accepted)
    assert error.code == "mismatch"
    with app.test_request_context():
        assert english(error) == f"The file content does not match its name (.{name.rsplit('.', 1)[1]})."


@pytest.mark.parametrize(
    ("data", "name", "accepted"),
    [
        pytest.param(_image("PNG"), "Sơ đồ.png", {"pdf"}, id="a kind not accepted"),
        pytest.param(pdf_bytes(), "report.pdf.exe", {"pdf"}, id="an extension we never take"),
        pytest.param(EXE, "setup.exe", {"pdf"}, id="an executable"),
        pytest.param(TXT, "Tóm tắt.txt", expand_accepted(["excel"]), id="text where only a csv goes"),
        pytest.param(EXE, "setup", {"pdf"}, id="no extension, unknown content"),
        pytest.param(_image("PNG"), "scan", {"pdf"}, id="no extension, a kind not accepted"),
    ],
)
def test_a_kind_not_accepted_is_refused_with_what_is(app, folder, data, name, accepted):
    error = refused(data, name, folder, accepted)
    assert error.code == "not_accepted"
    with app.test_request_context():
        assert english(error).startswith("This type of file is not accepted. Accepted: ")
        assert all(ext in english(error) for kind in accepted for ext in KINDS[kind].extensions)


def test_extensions_are_matched_whatever_their_case_and_the_name_keeps_its_own(folder):
    stored = upload(_image("JPEG"), "ẢNH CHỤP.JPEG", folder, {"jpeg"})
    assert stored.stored_name.endswith(".jpg") and stored.original_name == "ẢNH CHỤP.JPEG"


def test_a_name_without_extension_is_judged_by_content_and_given_one(folder):
    stored = upload(pdf_bytes(), "scan", folder, {"pdf"})
    assert stored.kind == "pdf" and stored.original_name == "scan.pdf"
    assert upload(TXT, None, folder, {"txt"}).original_name == "file.txt"


def test_nothing_is_left_behind_when_checking_fails_unexpectedly(folder, monkeypatch):
    def broken(head, file):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(uploads, "detect_kind", broken)
    with pytest.raises(RuntimeError):
        upload(pdf_bytes(), "a.pdf", folder)
    assert list(upload_dir(folder).iterdir()) == []


def test_the_folder_itself_cannot_escape_the_upload_directory(folder):
    for unsafe in ("../outside", "/etc", "a/../../b", "..\\outside", ""):
        with pytest.raises(ValueError):
            upload(pdf_bytes(), "a.pdf", unsafe)


# ---------------------------------------------------------------------------------------------- hostile names


@pytest.mark.parametrize(
    ("name", "data", "accepted", "shown"),
    [
        ("../../etc/passwd.pdf", pdf_bytes(), {"pdf"}, "passwd.pdf"),
        ("..\\..\\windows\\x.pdf", pdf_bytes(), {"pdf"}, "x.pdf"),
        ("/etc/passwd", TXT, {"txt"}, "passwd.txt"),
        ("C:\\Users\\An\\Bản mô tả giải pháp.pdf", pdf_bytes(), {"pdf"}, "Bản mô tả giải pháp.pdf"),
        ("evil.exe\x00.pdf", pdf_bytes(), {"pdf"}, "evil.exe.pdf"),
        ("Báo cáo\u202egnp.pdf", pdf_bytes(), {"pdf"}, "Báo cáognp.pdf"),
        ("../\u202e../.htaccess.csv", CSV, {"csv"}, "htaccess.csv"),
    ],
)
def test_hostile_names_are_stored_under_a_random_name_inside_the_folder(app, folder, name, data, accepted, shown):
    before = everything(app)
    stored = upload(data, name, folder, accepted)
    assert everything(app) - before == {upload_dir(folder) / stored.stored_name}
    assert STORED_NAME.fullmatch(stored.stored_name)
    assert stored.original_name == shown


@pytest.mark.parametrize(
    ("name", "data", "accepted"),
    [
        ("..\\..\\boot.ini", TXT, {"txt"}),
        ("photo\u202egnp.exe", _image("PNG"), {"png"}),  # shows as "photoexe.png"; it is an .exe
        ("../../../../tmp/x.php", TXT, {"txt"}),
    ],
)
def test_hostile_names_with_an_extension_we_never_take_leave_nothing_anywhere(app, folder, name, data, accepted):
    before = everything(app)
    assert refused(data, name, folder, accepted).code == "not_accepted"
    assert everything(app) == before


@pytest.mark.parametrize(
    ("original", "shown"),
    [
        ("..\\..\\windows\\x.pdf", "x.pdf"),
        ("../../etc/passwd", "passwd"),
        ("/etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        (unicodedata.normalize("NFD", "Bản mô tả giải pháp.pdf"), "Bản mô tả giải pháp.pdf"),
        ("Bản mô tả giải pháp.pdf", "Bản mô tả giải pháp.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("a\u2066b\u2069c\u200b.pdf", "abc.pdf"),
        ("report\x00.pdf", "report.pdf"),
        ("  Tờ\ttrình\n\r  số 1 .docx  ", "Tờ trình số 1 .docx"),
        (".htaccess", "htaccess"),
        ("x.pdf. . ", "x.pdf"),
        ("../", "file"),
        ("...", "file"),
        ("\u202e", "file"),
        ("", "file"),
        (None, "file"),
    ],
)
def test_safe_display_name_examples(original, shown):
    assert safe_display_name(original) == shown


def test_a_long_name_is_shortened_keeping_its_extension():
    name = safe_display_name("Giải pháp " * 40 + ".docx")
    assert len(name) <= MAX_NAME_LENGTH and name.startswith("Giải pháp Giải") and name.endswith(".docx")
    assert len(safe_display_name("x" * 500)) == MAX_NAME_LENGTH
    assert safe_display_name("a" * 300 + "." + "b" * 50) == "a" * MAX_NAME_LENGTH  # no extension worth keeping


NAME_PIECES = st.sampled_from(
    ["/", "\\", ".", "..", " ", "\t", "\n", "\x00", "\x7f", "\u202e", "\u202d", "\u2066", "\u200b", "\ufeff", "\u0301",
     "\u0323", "e", "a", "ư", "Đ", ".pdf", ".docx", "\ud800", "\ue000", "\u2028", "\u00a0", "C:"]
)  # fmt: skip
NAMES = st.one_of(st.text(), st.lists(st.one_of(NAME_PIECES, st.text(max_size=3)), max_size=60).map("".join))
PROPERTY_SETTINGS = settings(
    max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY_SETTINGS
@given(NAMES)
def test_safe_display_name_properties(original):
    shown = safe_display_name(original)
    assert shown
    assert "/" not in shown and "\\" not in shown
    assert not any(unicodedata.category(c) in {"Cc", "Cf", "Cs"} for c in shown)
    assert len(shown) <= MAX_NAME_LENGTH
    assert shown == unicodedata.normalize("NFC", shown)
    assert shown == shown.strip() and not shown.startswith(".")
    assert safe_display_name(shown) == shown


@PROPERTY_SETTINGS
@given(st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=40), st.sampled_from([".pdf", ".docx"]))
def test_safe_display_name_keeps_a_short_extension(stem, extension):
    shown = safe_display_name(stem * 10 + extension)
    assert shown.endswith(extension)


# ------------------------------------------------------------------------------------------- serving, deleting


def test_a_stored_file_is_served_as_a_download_under_its_name(app, folder):
    data = pdf_bytes()
    stored = upload(data, "Bản mô tả giải pháp.pdf", folder, {"pdf"})
    with app.test_request_context():
        response = send_stored(folder, stored.stored_name, stored.original_name, stored.mimetype)
        response.direct_passthrough = False
        try:
            assert response.status_code == 200 and response.get_data() == data
            disposition = response.headers["Content-Disposition"]
            assert disposition.startswith("attachment;")
            assert f"filename*=UTF-8''{quote('Bản mô tả giải pháp.pdf')}" in disposition
            assert response.mimetype == "application/pdf"
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.headers["Cache-Control"] == "private, no-store"
        finally:
            response.close()


def test_a_download_name_is_made_safe_and_an_unknown_mimetype_is_never_trusted(app, folder):
    stored = upload(TXT, "Tóm tắt.txt", folder, {"txt"})
    with app.test_request_context():
        response = send_stored(folder, stored.stored_name, "../../x\r\nSet-Cookie: a=b.html", "text/html")
        try:
            assert response.mimetype == "application/octet-stream"
            assert response.headers["Content-Disposition"] == 'attachment; filename="x Set-Cookie: a=b.html"'
            assert "Set-Cookie" not in response.headers
        finally:
            response.close()
        text = send_stored(folder, stored.stored_name, "Tóm tắt.txt", stored.mimetype)
        text.close()
        assert text.headers["Content-Type"] == "text/plain; charset=utf-8"


@pytest.mark.parametrize(
    "stored_name",
    [
        "../../etc/passwd",
        "..\\..\\boot.ini",
        "/etc/passwd",
        "",
        "passwd",
        "0" * 32,
        "0" * 32 + ".exe",
        "0" * 32 + ".html",
        "0" * 32 + ".pdf/../../../etc/passwd",
        "../" + "0" * 32 + ".pdf",
        "A" * 32 + ".pdf",
        "0" * 31 + ".pdf",
        "0" * 32 + ".pdf\n",
        "0" * 32 + ".pdf\x00",
        ".upload-abc.part",
    ],
)
def test_any_other_stored_name_is_not_found(app, folder, stored_name):
    upload(pdf_bytes(), "a.pdf", folder, {"pdf"})
    (upload_dir(folder) / ".upload-abc.part").write_bytes(b"half a file")
    with app.test_request_context(), pytest.raises(NotFound):
        send_stored(folder, stored_name, "a.pdf", "application/pdf")


def test_a_well_formed_name_that_does_not_exist_is_not_found(app, folder):
    with app.test_request_context(), pytest.raises(NotFound):
        send_stored(folder, "0" * 32 + ".pdf", "a.pdf", "application/pdf")


def test_delete_stored_removes_only_that_file_and_twice_is_fine(folder):
    kept = upload(pdf_bytes(), "a.pdf", folder, {"pdf"})
    gone = upload(pdf_bytes(), "b.pdf", folder, {"pdf"})
    delete_stored(folder, gone.stored_name)
    delete_stored(folder, gone.stored_name)
    assert [p.name for p in upload_dir(folder).iterdir()] == [kept.stored_name]
    with pytest.raises(ValueError):
        delete_stored(folder, "../" + kept.stored_name)
    assert (upload_dir(folder) / kept.stored_name).exists()
