"""Documents without their authoring metadata, for blind judging: judges must not learn authors, units, schools or
localities from the files the app serves.

`strip_metadata(data, extension)` returns the document's content rewritten without what names people:

- PDF (pypdf): the document information dictionary (/Author, /Creator, /Producer, /Title, /Subject, /Keywords...)
  and the XMP metadata streams of the document and of its pages are dropped, annotations (comments) lose their
  author (/T); pages, content, outline and forms are kept. Encrypted files are opened with the empty password.
- Office Open XML (docx, xlsx, pptx) and OpenDocument (odt, ods, odp), rewritten as ZIP archives: the core
  properties creator, lastModifiedBy, title, subject, keywords, description and category are blanked, the extended
  properties Company, Manager and HyperlinkBase too; the custom properties part goes, with its relationship and
  content-type override. Authors of comments and tracked changes (Word's `w:author`/`w:initials`, Excel's comment
  authors and people, PowerPoint's comment authors) are blanked, and so is the file path a workbook remembers.
  OpenDocument's meta.xml loses its creators, title, subject, keywords, description and user-defined fields,
  and `dc:creator` of comments and tracked changes is blanked. Embedded photos are cleaned as images are.
- Images (JPEG, PNG, WebP) through Pillow: the EXIF orientation is applied to the pixels first, then the image is
  saved again without EXIF, XMP, comments or PNG text chunks (a JPEG keeps its quantisation tables, a PNG stays
  lossless, a lossless WebP stays lossless); the colour profile is kept.

Anything else (video, ZIP, text, CSV) is returned unchanged: their metadata is not cleaned.

A file that cannot be cleaned never goes out as it is: `MetadataError` is raised, and the caller turns it into a
clear message. Its `reason` says why: "malformed" (the content is not a valid file of its extension),
"encrypted" (a PDF that needs a password), "too_large" (an archive unpacking past `MAX_UNPACKED_BYTES`), or
"unsupported" (legacy Office files, .doc, .xls and .ppt, whose binary properties cannot be rewritten here: ask for
PDF or the newer format instead).

Pure: no Flask, no database.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from xml.etree import ElementTree

from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

#: The most an Office or OpenDocument archive may unpack to (what its directory declares).
MAX_UNPACKED_BYTES = 256 * 1024 * 1024

MALFORMED = "malformed"
ENCRYPTED = "encrypted"
TOO_LARGE = "too_large"
UNSUPPORTED = "unsupported"
REASONS = (MALFORMED, ENCRYPTED, TOO_LARGE, UNSUPPORTED)


class MetadataError(ValueError):
    """The file's metadata could not be removed, so the file must not be served; `reason` is one of `REASONS`."""

    def __init__(self, reason: str, extension: str, detail: object = None) -> None:
        super().__init__(f"{reason}: .{extension}" + ("" if detail is None else f" ({detail})"))
        self.reason = reason
        self.extension = extension


def strip_metadata(data: bytes, extension: str) -> bytes:
    """`data` (a file of type `extension`: "pdf", ".PDF", "docx", "jpg"...) without its authoring metadata.

    Files of a type not cleaned (video, zip, txt...) come back unchanged; a file that cannot be cleaned raises
    `MetadataError` (see the module's docstring).
    """
    ext = extension.lower().lstrip(".")
    cleaner = _CLEANERS.get(ext)
    if ext in _LEGACY_OFFICE:
        raise MetadataError(UNSUPPORTED, ext)
    if cleaner is None:
        return data
    try:
        return cleaner(data)
    except MetadataError as exc:
        exc.extension = ext
        raise
    except Exception as exc:  # whatever a hostile or broken file trips up, it is not served
        raise MetadataError(MALFORMED, ext, type(exc).__name__) from exc


# ------------------------------------------------------------------------------------------------------------- PDF

#: Annotations whose /T is a field name, not the name of who wrote the annotation.
_NOT_MARKUP = {"/Widget", "/Link", "/Popup"}


def _clean_pdf(data: bytes) -> bytes:
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise MetadataError(ENCRYPTED, "pdf")
    # Removed from the reader's objects before cloning, so that nothing of them is copied.
    root = reader.root_object
    root.pop(NameObject("/Metadata"), None)
    for page in reader.pages:
        page.pop(NameObject("/Metadata"), None)
        annotations = page.get("/Annots")
        for ref in annotations.get_object() if annotations is not None else []:
            annotation = ref.get_object()
            if annotation.get("/Subtype") not in _NOT_MARKUP:
                annotation.pop(NameObject("/T"), None)
    writer = PdfWriter(clone_from=reader)
    writer.metadata = None
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------------------- images

_PIL_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
#: What Pillow may call a file of each format (MPO: a phone's JPEG with a second picture; its first is kept).
_READ_AS = {"JPEG": {"JPEG", "MPO"}, "PNG": {"PNG"}, "WEBP": {"WEBP"}}


def _webp_lossless(data: bytes) -> bool:
    """True when a WebP's image chunk is VP8L (lossless)."""
    offset = 12
    while offset + 8 <= len(data):
        chunk, size = data[offset : offset + 4], int.from_bytes(data[offset + 4 : offset + 8], "little")
        if chunk in (b"VP8L", b"VP8 "):
            return chunk == b"VP8L"
        if chunk == b"ANMF":
            offset += 8 + 16  # the frame's header, then its own chunks
            continue
        offset += 8 + size + (size & 1)
    return False


def _clean_image(data: bytes, fmt: str) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        if image.format not in _READ_AS[fmt]:
            raise MetadataError(MALFORMED, fmt.lower(), image.format)
        image.load()
        animated = fmt != "JPEG" and getattr(image, "n_frames", 1) > 1
        if not animated:
            ImageOps.exif_transpose(image, in_place=True)
        options: dict = {"format": fmt}
        if icc := image.info.get("icc_profile"):
            options["icc_profile"] = icc
        if "dpi" in image.info:
            options["dpi"] = image.info["dpi"]
        if animated:
            options["save_all"] = True
        if fmt == "JPEG":
            options.update(quality="keep", subsampling="keep", qtables="keep", comment=b"", exif=b"", xmp=b"")
        elif fmt == "WEBP":
            options.update(exif=b"", xmp=b"")
            options.update({"lossless": True} if _webp_lossless(data) else {"quality": 90})
        else:  # PNG: no text chunks unless pnginfo is given
            options["exif"] = b""
        out = io.BytesIO()
        try:
            image.save(out, **options)
        except ValueError:  # "keep" needs the JPEG's own tables (a progressive or odd file may lack them)
            for key in ("quality", "subsampling", "qtables"):
                options.pop(key, None)
            out = io.BytesIO()
            image.save(out, quality=95, **options)
        return out.getvalue()


def _image_cleaner(fmt: str) -> Callable[[bytes], bytes]:
    def clean(data: bytes) -> bytes:
        try:
            return _clean_image(data, fmt)
        except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
            raise MetadataError(MALFORMED, fmt.lower(), type(exc).__name__) from exc

    return clean


# ------------------------------------------------------------------------------------- Office Open XML, OpenDocument

_CUSTOM_PROPERTIES = "/custom-properties"
_CORE_PROPERTIES = "/core-properties"
_EXTENDED_PROPERTIES = "/extended-properties"
_CORE_FIELDS = ("creator", "lastModifiedBy", "title", "subject", "keywords", "description", "category")
_APP_FIELDS = ("Company", "Manager", "HyperlinkBase")
_ODF_META_FIELDS = ("initial-creator", "creator", "printed-by", "title", "subject", "keyword", "description")
_RELATIONSHIP = re.compile(r"<Relationship\b[^>]*?/>|<Relationship\b[^>]*>.*?</Relationship\s*>", re.S)
_ATTRIBUTE = r"\s({names})\s*=\s*(\"[^\"]*\"|'[^']*')"


def _elements(*local_names: str) -> re.Pattern[str]:
    """Elements with these local names (any prefix) and content; self-closing ones are empty already."""
    names = "|".join(map(re.escape, local_names))
    return re.compile(rf"<((?:[\w.-]+:)?(?:{names}))(\s[^>]*?)?(?<!/)>.*?</\1\s*>", re.S)


def _attributes(*local_names: str, element: str | None = None) -> re.Pattern[str]:
    """Attributes with these local names (any prefix), anywhere or only on `element` (a local name)."""
    names = "|".join(rf"(?:[\w.-]+:)?{re.escape(n)}" for n in local_names)
    if element is None:
        return re.compile(r"(\s(?:" + names + r")\s*=\s*)(?:\"[^\"]*\"|'[^']*')")
    return re.compile(
        r"(<(?:[\w.-]+:)?" + re.escape(element) + r"\b[^>]*?\s(?:" + names + r")\s*=\s*)(?:\"[^\"]*\"|'[^']*')"
    )


def _blank_elements(pattern: re.Pattern[str]) -> Callable[[str], str]:
    return lambda text: pattern.sub(lambda m: f"<{m.group(1)}{m.group(2) or ''}></{m.group(1)}>", text)


def _blank_attributes(pattern: re.Pattern[str]) -> Callable[[str], str]:
    return lambda text: pattern.sub(lambda m: f'{m.group(1)}""', text)


def _remove(pattern: re.Pattern[str]) -> Callable[[str], str]:
    return lambda text: pattern.sub("", text)


_blank_core = _blank_elements(_elements(*_CORE_FIELDS))
_blank_app = _blank_elements(_elements(*_APP_FIELDS))
_blank_review_authors = _blank_attributes(_attributes("author", "initials", "userId", "providerId"))
_blank_comment_authors = _blank_elements(_elements("author"))
_blank_people = _blank_attributes(_attributes("displayName", "userId", "providerId"))
_blank_slide_authors = _blank_attributes(_attributes("name", "initials", "userId", "providerId"))
_blank_workbook_paths = _blank_attributes(_attributes("url", element="absPath"))
_blank_workbook_users = _blank_attributes(_attributes("userName", "reservationPassword", element="fileSharing"))
_blank_odf_meta = _blank_elements(_elements(*_ODF_META_FIELDS))
_remove_odf_user_fields = _remove(_elements("user-defined"))
_blank_odf_creators = _blank_elements(_elements("creator"))


def _ooxml_rewriters(name: str, core: set[str], app: set[str]) -> list[Callable[[str], str]]:
    """What to apply to the XML part `name` of an Office Open XML package."""
    lower = name.lower()
    if name in core:
        return [_blank_core]
    if name in app:
        return [_blank_app]
    if lower.startswith("word/") and lower.endswith(".xml"):
        return [_blank_review_authors]
    if re.fullmatch(r"xl/comments\d*\.xml", lower):
        return [_blank_comment_authors]
    if lower.startswith("xl/persons/") and lower.endswith(".xml"):
        return [_blank_people]
    if lower == "xl/workbook.xml":
        return [_blank_workbook_paths, _blank_workbook_users]
    if lower in ("ppt/commentauthors.xml", "ppt/authors.xml"):
        return [_blank_slide_authors]
    return []


def _odf_rewriters(name: str) -> list[Callable[[str], str]]:
    if name == "meta.xml":
        return [_blank_odf_meta, _remove_odf_user_fields]
    if name in ("content.xml", "styles.xml"):
        return [_blank_odf_creators]
    return []


_MEDIA = re.compile(r"(?:word|xl|ppt)/media/[^/]+|Pictures/[^/]+", re.I)


def _decode(raw: bytes) -> tuple[str, str]:
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if raw.startswith(bom):
            return raw.decode(encoding), encoding
    return raw.decode("utf-8"), "utf-8"


def _rewrite_xml(raw: bytes, rewriters: list[Callable[[str], str]]) -> bytes:
    text, encoding = _decode(raw)
    if "<!DOCTYPE" in text or "<!ENTITY" in text:  # never in these packages; a way to hide or expand content
        raise ValueError("document type declaration")
    for rewrite in rewriters:
        text = rewrite(text)
    out = text.encode(encoding)
    ElementTree.fromstring(out)  # still well-formed (and was)
    return out


def _without(text: str, elements: list[str]) -> str:
    for element in elements:
        text = text.replace(element, "")
    return text


def _part_name(target: str, base: str = "") -> str:
    """A relationship's target as a ZIP member name (relative to the package root's rels here)."""
    return target.lstrip("/") if target.startswith("/") else (base + target)


def _relationships(text: str) -> list[tuple[str, str, str]]:
    """(whole element, type, target) of each relationship in a .rels part."""
    found = []
    for match in _RELATIONSHIP.finditer(text):
        element = match.group(0)
        rel_type = re.search(r"\sType\s*=\s*[\"']([^\"']*)[\"']", element)
        target = re.search(r"\sTarget\s*=\s*[\"']([^\"']*)[\"']", element)
        found.append((element, rel_type.group(1) if rel_type else "", target.group(1) if target else ""))
    return found


def _open_archive(data: bytes) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(data))
    if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
        raise MetadataError(TOO_LARGE, "zip")
    return archive


def _write_archive(archive: zipfile.ZipFile, replace: dict[str, bytes], drop: set[str], clean_media: bool) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in archive.infolist():
            if info.filename in drop:
                continue
            content = replace.get(info.filename)
            if content is None:
                content = archive.read(info)
                fmt = _PIL_FORMATS.get(info.filename.rsplit(".", 1)[-1].lower())
                if clean_media and fmt and _MEDIA.fullmatch(info.filename):
                    content = _clean_image(content, fmt)
            member = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            member.compress_type = info.compress_type
            member.external_attr = info.external_attr
            target.writestr(member, content)
    return out.getvalue()


def _clean_ooxml(data: bytes) -> bytes:
    with _open_archive(data) as archive:
        names = set(archive.namelist())
        if "[Content_Types].xml" not in names:
            raise ValueError("no [Content_Types].xml")
        replace: dict[str, bytes] = {}
        drop: set[str] = set()
        core, app = {"docProps/core.xml"}, {"docProps/app.xml"}
        if "_rels/.rels" in names:
            raw = archive.read("_rels/.rels")
            custom: list[str] = []
            for element, rel_type, target in _relationships(_decode(raw)[0]):
                if rel_type.endswith(_CUSTOM_PROPERTIES):
                    drop.add(_part_name(target))
                    custom.append(element)
                elif rel_type.endswith(_CORE_PROPERTIES):
                    core.add(_part_name(target))
                elif rel_type.endswith(_EXTENDED_PROPERTIES):
                    app.add(_part_name(target))
            replace["_rels/.rels"] = _rewrite_xml(raw, [lambda text: _without(text, custom)])
        drop.add("docProps/custom.xml")
        overrides = re.compile(
            r"<Override\b[^>]*\sPartName\s*=\s*[\"']/(?:"
            + "|".join(re.escape(d) for d in sorted(drop))
            + r")[\"'][^>]*?(?:/>|>\s*</Override\s*>)",
            re.I,
        )
        replace["[Content_Types].xml"] = _rewrite_xml(archive.read("[Content_Types].xml"), [_remove(overrides)])
        for name in names - drop - set(replace):
            if name.lower().endswith((".xml", ".rels")) and (rewriters := _ooxml_rewriters(name, core, app)):
                replace[name] = _rewrite_xml(archive.read(name), rewriters)
        return _write_archive(archive, replace, drop, clean_media=True)


def _clean_odf(data: bytes) -> bytes:
    with _open_archive(data) as archive:
        names = set(archive.namelist())
        if "mimetype" not in names:
            raise ValueError("no mimetype")
        replace = {
            name: _rewrite_xml(archive.read(name), rewriters) for name in names if (rewriters := _odf_rewriters(name))
        }
        return _write_archive(archive, replace, set(), clean_media=True)


_CLEANERS: dict[str, Callable[[bytes], bytes]] = {
    "pdf": _clean_pdf,
    **{ext: _image_cleaner(fmt) for ext, fmt in _PIL_FORMATS.items()},
    **dict.fromkeys(("docx", "xlsx", "pptx"), _clean_ooxml),
    **dict.fromkeys(("odt", "ods", "odp"), _clean_odf),
}
_LEGACY_OFFICE = frozenset({"doc", "xls", "ppt"})
