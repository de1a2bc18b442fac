"""Uploaded files: size- and type-checked by content, stored under instance/, never served from static.

The upload layer every package uses (contest dossiers, honors dossiers, guest-list imports):

- `KINDS` lists the document kinds we take, `GROUPS` the names forms configure (`expand_accepted(["pdf", "word"])`);
- `detect_kind` recognises a kind from the file's first bytes (and, for ZIP-based Office files and legacy OLE
  files, from the archive's member names) -- never from its name;
- `store_upload` streams a `FileStorage` to disk in chunks (counting and hashing, never holding the whole file in
  memory), refuses what is too large, empty, not accepted, or whose name claims another kind than its content,
  and stores it under a random name;
- `send_stored` serves a stored file as a download (attachment, nosniff, not cached), `delete_stored` removes one;
- `safe_display_name` turns whatever name the browser sent into something safe to show and to offer on download.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import re
import secrets
import struct
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from flask import Response, abort, current_app, send_from_directory
from flask_babel import LazyString, format_decimal
from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError
from werkzeug.datastructures import FileStorage

IMAGE_FORMATS = {"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp"}

#: How much is read or written at a time, and how many first bytes `detect_kind` looks at.
CHUNK_BYTES = 64 * 1024
HEAD_BYTES = 1024
#: The longest display name kept (in characters, extension included).
MAX_NAME_LENGTH = 120
#: An extension longer than this is not kept apart when a long name is shortened.
MAX_EXTENSION_LENGTH = 10


class UploadError(ValueError):
    """The file is refused; the message says why, for the person who sent it.

    `code` says which rule refused it: "empty", "too_large", "not_accepted" or "mismatch" (None for save_image).
    """

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Kind:
    label: str
    #: The first one is the canonical extension, the one the stored file gets.
    extensions: tuple[str, ...]
    mimetype: str


KINDS: dict[str, Kind] = {
    "pdf": Kind("PDF", (".pdf",), "application/pdf"),
    "doc": Kind("Word 97-2003", (".doc",), "application/msword"),
    "docx": Kind("Word", (".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "odt": Kind("OpenDocument Text", (".odt",), "application/vnd.oasis.opendocument.text"),
    "xls": Kind("Excel 97-2003", (".xls",), "application/vnd.ms-excel"),
    "xlsx": Kind("Excel", (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ods": Kind("OpenDocument Spreadsheet", (".ods",), "application/vnd.oasis.opendocument.spreadsheet"),
    "csv": Kind("CSV", (".csv",), "text/csv"),
    "ppt": Kind("PowerPoint 97-2003", (".ppt",), "application/vnd.ms-powerpoint"),
    "pptx": Kind("PowerPoint", (".pptx",), "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "txt": Kind("Text", (".txt",), "text/plain"),
    "jpeg": Kind("JPEG", (".jpg", ".jpeg"), "image/jpeg"),
    "png": Kind("PNG", (".png",), "image/png"),
    "webp": Kind("WebP", (".webp",), "image/webp"),
    "mp4": Kind("MP4", (".mp4", ".m4v"), "video/mp4"),
    "mov": Kind("QuickTime", (".mov",), "video/quicktime"),
    "zip": Kind("ZIP", (".zip",), "application/zip"),
}

#: Names a form may use for the types it accepts, besides each kind's own name.
GROUPS: dict[str, frozenset[str]] = {
    "pdf": frozenset({"pdf"}),
    "word": frozenset({"doc", "docx", "odt"}),
    "excel": frozenset({"xls", "xlsx", "ods", "csv"}),
    "powerpoint": frozenset({"ppt", "pptx"}),
    "image": frozenset({"jpeg", "png", "webp"}),
    "video": frozenset({"mp4", "mov"}),
    "text": frozenset({"txt"}),
    "zip": frozenset({"zip"}),
}

KIND_BY_EXTENSION: dict[str, str] = {ext: kind for kind, spec in KINDS.items() for ext in spec.extensions}

#: Exactly what store_upload and save_image name a file: 32 hex digits and one of our canonical extensions.
_STORED_EXTENSIONS = sorted({spec.extensions[0] for spec in KINDS.values()} | set(IMAGE_FORMATS.values()))
STORED_NAME = re.compile(r"[0-9a-f]{32}(?:" + "|".join(map(re.escape, _STORED_EXTENSIONS)) + ")")


def expand_accepted(names: Iterable[str]) -> set[str]:
    """The kinds that group and kind names stand for: expand_accepted(["pdf", "word"]) == {"pdf", "doc", ...}."""
    if isinstance(names, str):
        names = [names]
    kinds: set[str] = set()
    for name in names:
        if name in GROUPS:
            kinds |= GROUPS[name]
        elif name in KINDS:
            kinds.add(name)
        else:
            raise ValueError(f"unknown upload kind or group: {name!r}")
    return kinds


def accepted_extensions(accepted: Iterable[str]) -> list[str]:
    """The extensions of the accepted kinds, in the order of KINDS: [".pdf", ".doc", ".docx", ...]."""
    accepted = set(accepted)
    return [ext for kind, spec in KINDS.items() if kind in accepted for ext in spec.extensions]


def accept_attribute(accepted: Iterable[str]) -> str:
    """The value of an <input type="file" accept="..."> for these kinds (a hint to the browser, nothing more)."""
    accepted = set(accepted)
    mimetypes = dict.fromkeys(spec.mimetype for kind, spec in KINDS.items() if kind in accepted)
    return ",".join([*accepted_extensions(accepted), *mimetypes])


# ---------------------------------------------------------------------------------------------------- detection

_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
#: ISO base media file format: the major brand (or a compatible one) that makes an `ftyp` box an MP4.
_MP4_BRANDS = {
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash", b"M4V ", b"mmp4",
    b"MSNV", b"XAVC", b"f4v ",
}  # fmt: skip
_MP4_COMPATIBLE = {b"isom", b"mp41", b"mp42"}
#: Office Open XML: the main part that makes a ZIP with [Content_Types].xml a document of this kind.
_OOXML_PARTS = (("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"), ("ppt/presentation.xml", "pptx"))
_ODF_MIMETYPES = {KINDS["odt"].mimetype: "odt", KINDS["ods"].mimetype: "ods"}
#: Legacy Office (OLE compound file): the stream at the root that makes the file a document of this kind.
_OLE_STREAMS = (("worddocument", "doc"), ("workbook", "xls"), ("book", "xls"), ("powerpoint document", "ppt"))


def detect_kind(head: bytes, file: BinaryIO | None = None) -> str | None:
    """The kind of a file from its content, or None when it is none of KINDS.

    `head` is the file's first bytes (HEAD_BYTES of them is plenty); `file` a seekable binary file holding the
    whole content, read for what the first bytes cannot tell (a ZIP's members, an OLE file's streams, whether a
    text is valid UTF-8). Without `file`, `head` is taken for the whole content. The file's position moves.

    Text (valid UTF-8 without NUL bytes) is "txt": whether it is a CSV only its name can tell, see store_upload.
    Macro-enabled Office files (a vbaProject.bin inside) are None.
    """
    if not head:
        return None
    if file is None:
        file = io.BytesIO(head)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(_PNG):
        return "png"
    if head.startswith(_JPEG):
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and (kind := _iso_media_kind(head)):
        return kind
    if head.startswith(_OLE):
        return _guarded(_ole_kind, file)
    if head.startswith(_ZIP):
        return _guarded(_zip_kind, file)
    if _is_utf8_text(file):
        return "txt"
    return None


def _guarded(check, file: BinaryIO) -> str | None:
    """A check on a hostile container: anything it trips over (a truncated ZIP, a looping FAT) means "not ours"."""
    try:
        return check(file)
    except Exception:
        return None


def _iso_media_kind(head: bytes) -> str | None:
    size = int.from_bytes(head[:4], "big")
    if size < 16 or size % 4:
        return None
    major = head[8:12]
    compatible = {head[i : i + 4] for i in range(16, min(size, len(head)) - 3, 4)}
    if major == b"qt  ":
        return "mov"
    if major in _MP4_BRANDS or compatible & _MP4_COMPATIBLE:
        return "mp4"
    return None


def _zip_kind(file: BinaryIO) -> str | None:
    file.seek(0)
    with zipfile.ZipFile(file) as archive:
        infos = archive.infolist()
        names = {info.filename.lower() for info in infos}
        if "[content_types].xml" in names:
            for part, kind in _OOXML_PARTS:
                if part in names:
                    return None if any(name.endswith("vbaproject.bin") for name in names) else kind
        mimetype = next((info for info in infos if info.filename == "mimetype"), None)
        if mimetype is not None:
            with archive.open(mimetype) as member:
                declared = member.read(128).strip().decode("ascii", "replace")
            if declared in _ODF_MIMETYPES:
                return _ODF_MIMETYPES[declared]
    return "zip"


def _ole_kind(file: BinaryIO) -> str | None:
    names = _ole_root_names(file)
    return next((kind for stream, kind in _OLE_STREAMS if stream in names), None)


_FREE = 0xFFFFFFFF
_MAX_REGULAR_SECTOR = 0xFFFFFFFA
_MAX_DIRECTORY_SECTORS = 4096


def _ole_root_names(file: BinaryIO) -> set[str]:
    """The names (lower case) of the streams and storages at the root of an OLE compound file ([MS-CFB])."""
    file.seek(0, os.SEEK_END)
    size = file.tell()
    header = _read_at(file, 0, 512)
    shift = struct.unpack_from("<H", header, 0x1E)[0]
    if shift not in (9, 12):
        raise ValueError("sector size")
    sector_size = 1 << shift
    per_sector = sector_size // 4
    fat_count, first_directory = struct.unpack_from("<2I", header, 0x2C)
    first_difat, difat_count = struct.unpack_from("<2I", header, 0x44)
    if fat_count > size // sector_size or difat_count > size // sector_size:
        raise ValueError("more sectors than the file holds")

    def sector(number: int) -> bytes:
        return _read_at(file, (number + 1) * sector_size, sector_size)

    fat_sectors = list(struct.unpack_from("<109I", header, 0x4C))[: min(fat_count, 109)]
    seen: set[int] = set()
    difat = first_difat
    while len(fat_sectors) < fat_count and difat <= _MAX_REGULAR_SECTOR and difat not in seen:
        seen.add(difat)
        entries = struct.unpack(f"<{per_sector}I", sector(difat))
        fat_sectors.extend(entries[:-1])
        difat = entries[-1]
    fat_sectors = fat_sectors[:fat_count]

    def next_sector(number: int) -> int:
        index, offset = divmod(number, per_sector)
        if index >= len(fat_sectors):
            raise ValueError("sector outside the FAT")
        return struct.unpack("<I", _read_at(file, (fat_sectors[index] + 1) * sector_size + offset * 4, 4))[0]

    directory = bytearray()
    seen = set()
    number = first_directory
    while number <= _MAX_REGULAR_SECTOR and number not in seen and len(seen) < _MAX_DIRECTORY_SECTORS:
        seen.add(number)
        directory += sector(number)
        number = next_sector(number)

    entries = []
    for start in range(0, len(directory) - 127, 128):
        length = struct.unpack_from("<H", directory, start + 64)[0]
        name = bytes(directory[start : start + max(0, min(length, 64) - 2)]).decode("utf-16-le", "replace")
        left, right, child = struct.unpack_from("<3I", directory, start + 68)
        entries.append((name, left, right, child))
    if not entries:
        raise ValueError("no directory")
    # The root's children form a red-black tree linked by left and right siblings.
    names: set[str] = set()
    stack, visited = [entries[0][3]], set()
    while stack:
        index = stack.pop()
        if index == _FREE or index >= len(entries) or index in visited:
            continue
        visited.add(index)
        name, left, right, _child = entries[index]
        names.add(name.lower())
        stack += [left, right]
    return names


def _read_at(file: BinaryIO, offset: int, count: int) -> bytes:
    file.seek(offset)
    data = file.read(count)
    if len(data) != count:
        raise ValueError("truncated")
    return data


def _is_utf8_text(file: BinaryIO) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    file.seek(0)
    try:
        while chunk := file.read(CHUNK_BYTES):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


# ------------------------------------------------------------------------------------------------ display names

_WHITESPACE = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[/\\]")
#: Control, format (bidi overrides, zero-width characters), surrogate, private-use and unassigned characters.
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}


def safe_display_name(original: str | None) -> str:
    """The name a person gave a file, safe to show and to offer on download; never a path, never empty.

    The last component of the name (either separator), NFC, without control or bidi-override characters, with
    whitespace collapsed, leading and trailing dots and spaces removed, at most MAX_NAME_LENGTH characters with
    the extension kept; "file" when nothing remains.
    """
    text = original if isinstance(original, str) else ""
    text = "".join(" " if char.isspace() else char for char in text)
    text = "".join(char for char in text if unicodedata.category(char) not in _DROPPED_CATEGORIES)
    text = unicodedata.normalize("NFC", text)
    text = _SEPARATORS.split(text)[-1]
    text = _WHITESPACE.sub(" ", text).strip(" .")
    if len(text) > MAX_NAME_LENGTH:
        stem, extension = _split_extension(text)
        if not extension or len(extension) > MAX_EXTENSION_LENGTH:
            stem, extension = text, ""
        text = stem[: MAX_NAME_LENGTH - len(extension)].rstrip(" .") + extension
    return text or "file"


def _split_extension(name: str) -> tuple[str, str]:
    """("report.final", ".pdf") for "report.final.pdf"; (name, "") without a dot after the first character."""
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or not extension:
        return name, ""
    return stem, "." + extension


# ------------------------------------------------------------------------------------------------------ storing


@dataclass(frozen=True)
class StoredFile:
    stored_name: str  # the random name under upload_dir(folder): what the database keeps to find the file
    original_name: str  # safe_display_name of what was sent (with the canonical extension when it had none)
    kind: str  # a key of KINDS
    mimetype: str
    size: int  # bytes
    sha256: str  # hex digest


def _megabytes(size: int) -> str:
    return format_decimal(round(size / (1024 * 1024), 1))


@dataclass(frozen=True)
class UploadMessages:
    """What a refused upload says. A form may give its own wording for any of them (keep the placeholders)."""

    empty: str = _l("The file is empty.")
    too_large: str = _l("The file is larger than %(mb)s MB.")
    not_accepted: str = _l("This type of file is not accepted. Accepted: %(types)s.")
    mismatch: str = _l("The file content does not match its name (%(ext)s).")


def _render(template: str, values: dict) -> str:
    return str(template) % {key: value() if callable(value) else value for key, value in values.items()}


def _refuse(code: str, template: str, **values) -> UploadError:
    """An UploadError whose message is formatted when shown, in the language of that moment."""
    return UploadError(LazyString(_render, template, values), code)


def _safe_folder(folder: str) -> None:
    path = PurePosixPath(folder.replace("\\", "/"))
    if not folder or path.is_absolute() or ".." in path.parts or "\x00" in folder:
        raise ValueError(f"unsafe upload folder: {folder!r}")


def upload_dir(*parts: str) -> Path:
    for part in parts:
        _safe_folder(part)
    path = Path(current_app.config["UPLOAD_DIR"]).joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_upload(
    file: FileStorage, folder: str, accepted: set[str], max_bytes: int, messages: UploadMessages | None = None
) -> StoredFile:
    """Check a sent file by its content and store it under upload_dir(folder) with a random name.

    Refused (UploadError, nothing left on disk): more than `max_bytes`, empty, a kind not in `accepted` (kinds,
    see expand_accepted), or a name whose extension claims another kind than the content. A name without an
    extension is judged by its content alone. A text is a "csv" when its name ends in .csv, "txt" otherwise.
    """
    unknown = set(accepted) - KINDS.keys()
    if unknown:
        raise ValueError(f"unknown upload kinds: {sorted(unknown)} (use expand_accepted)")
    messages = messages or UploadMessages()
    display = safe_display_name(file.filename)
    _stem, extension = _split_extension(display)
    extension = extension.lower()
    directory = upload_dir(folder)
    handle, temporary = tempfile.mkstemp(prefix=".upload-", suffix=".part", dir=directory)
    try:
        with os.fdopen(handle, "w+b") as out:
            size, sha256 = _copy_limited(file.stream, out, max_bytes)
            if size > max_bytes:
                raise _refuse("too_large", messages.too_large, mb=lambda: _megabytes(max_bytes))
            if size == 0:
                raise _refuse("empty", messages.empty)
            out.flush()
            os.fsync(out.fileno())
            out.seek(0)
            detected = detect_kind(out.read(HEAD_BYTES), out)
        kind = _judge(detected, extension, set(accepted), messages)
        stored_name = secrets.token_hex(16) + KINDS[kind].extensions[0]
        os.replace(temporary, directory / stored_name)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    original_name = display if extension else safe_display_name(display + KINDS[kind].extensions[0])
    return StoredFile(stored_name, original_name, kind, KINDS[kind].mimetype, size, sha256)


def _copy_limited(source: BinaryIO, target: BinaryIO, max_bytes: int) -> tuple[int, str]:
    """Copy at most max_bytes + 1 bytes (one more tells the file is too large); the count and the SHA-256."""
    digest = hashlib.sha256()
    size = 0
    while size <= max_bytes:
        chunk = source.read(min(CHUNK_BYTES, max_bytes + 1 - size))
        if not chunk:
            break
        size += len(chunk)
        digest.update(chunk)
        target.write(chunk)
    return size, digest.hexdigest()


def _judge(detected: str | None, extension: str, accepted: set[str], messages: UploadMessages) -> str:
    """The kind the file is stored as, or the UploadError that refuses it."""
    types = ", ".join(accepted_extensions(accepted))
    if detected == "txt" and extension in KINDS["csv"].extensions:
        detected = "csv"
    if not extension:
        if detected is None or detected not in accepted:
            raise _refuse("not_accepted", messages.not_accepted, types=types)
        return detected
    claimed = KIND_BY_EXTENSION.get(extension)
    if claimed is None or claimed not in accepted:
        raise _refuse("not_accepted", messages.not_accepted, types=types)
    if detected != claimed:
        raise _refuse("mismatch", messages.mismatch, ext=extension)
    return claimed


# ----------------------------------------------------------------------------------------- serving and deleting


def stored_path(folder: str, stored_name: str) -> Path:
    """The path of a stored file; ValueError for any name that is not exactly one of our random names."""
    if not isinstance(stored_name, str) or not STORED_NAME.fullmatch(stored_name):
        raise ValueError(f"not a stored file name: {stored_name!r}")
    return upload_dir(folder) / stored_name


def send_stored(folder: str, stored_name: str, download_name: str, mimetype: str) -> Response:
    """A download of a stored file under its display name: attachment, nosniff, never cached; 404 otherwise."""
    try:
        path = stored_path(folder, stored_name)
    except ValueError:
        abort(404)
    if mimetype not in {spec.mimetype for spec in KINDS.values()}:
        mimetype = "application/octet-stream"
    response = send_from_directory(
        path.parent, path.name, mimetype=mimetype, as_attachment=True, download_name=safe_display_name(download_name)
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    # Should a browser ever render it, the file runs nothing and loads nothing.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def delete_stored(folder: str, stored_name: str) -> None:
    """Remove a stored file; nothing happens when it is already gone."""
    with suppress(FileNotFoundError):
        stored_path(folder, stored_name).unlink()


# ------------------------------------------------------------------------------------------ the organisation logo


def save_image(file: FileStorage, folder: str, max_bytes: int, messages: dict[str, str]) -> str:
    """Check an image by its content (not its name) and store it under a random name; returns the name."""
    data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadError(messages["too_large"])
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise UploadError(messages["not_image"]) from exc
    if kind not in IMAGE_FORMATS:
        raise UploadError(messages["not_image"])
    name = secrets.token_hex(16) + IMAGE_FORMATS[kind]
    (upload_dir(folder) / name).write_bytes(data)
    return name
