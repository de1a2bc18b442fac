"""QR images (app/qr.py): the PNG pixels and the SVG path hold exactly qrcode's module matrix, and a small
reader written here from the standard gets the text back out of that matrix (no decoder is installed)."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from urllib.parse import unquote

import pytest
import qrcode
from PIL import Image
from qrcode.base import rs_blocks
from qrcode.util import PATTERN_POSITION_TABLE

from app.qr import LEVELS, SVG_CSP, qr_code, qr_png, qr_svg, send_qr

SVG = "{http://www.w3.org/2000/svg}"
SAMPLES = [
    "STKT-2026-0042 Nguyễn",
    "https://sangtao.example.vn/chung-nhan/xac-minh/6f1c2a9e4b7d4e0c9a1b2c3d4e5f6a7b",
    "PASS:EV-2026-0007:Trần Thị Bích Ngọc:Đồng Xoài, Bình Phước",
    "20260000420000000000000000001234",  # long digit runs go in numeric mode
    "STKT2026 HOI THI SANG TAO KY THUAT 0042",  # upper-case runs go in alphanumeric mode
    "Ư",
]


# --- a minimal reader: format information, unmasking, zigzag, de-interleaving, segments -----------------------

MASKS = [
    lambda i, j: (i + j) % 2 == 0,
    lambda i, j: i % 2 == 0,
    lambda i, j: j % 3 == 0,
    lambda i, j: (i + j) % 3 == 0,
    lambda i, j: (i // 2 + j // 3) % 2 == 0,
    lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
    lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
    lambda i, j: ((i * j) % 3 + (i + j) % 2) % 2 == 0,
]
ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def format_bits(level_bits: int, mask: int) -> int:
    """The 15 format bits: 5 data bits, their BCH(15,5) remainder, XOR 101010000010010."""
    data = (level_bits << 3) | mask
    remainder = data << 10
    for shift in range(4, -1, -1):
        if remainder & (1 << (shift + 10)):
            remainder ^= 0b10100110111 << shift
    return ((data << 10) | remainder) ^ 0b101010000010010


def read_format(matrix: list[list[bool]]) -> tuple[int, int]:
    """(error correction bits, mask) from the copy of the format information beside the top-left finder."""
    n = len(matrix)
    bits = 0
    for i in range(15):
        row = i if i < 6 else i + 1 if i < 8 else n - 15 + i
        bits |= int(matrix[row][8]) << i
    for level_bits in range(4):
        for mask in range(8):
            if format_bits(level_bits, mask) == bits:
                return level_bits, mask
    raise AssertionError("no valid format information")


def function_modules(n: int, version: int) -> list[list[bool]]:
    """Finders with separators and format areas, timing lines, alignment patterns, version information."""
    reserved = [[False] * n for _ in range(n)]

    def block(top: int, left: int, height: int, width: int) -> None:
        for r in range(top, top + height):
            for c in range(left, left + width):
                reserved[r][c] = True

    block(0, 0, 9, 9)
    block(0, n - 8, 9, 8)
    block(n - 8, 0, 8, 9)
    block(6, 0, 1, n)
    block(0, 6, n, 1)
    centres = PATTERN_POSITION_TABLE[version - 1]
    for r in centres:
        for c in centres:
            if not (r < 9 and c < 9) and not (r < 9 and c > n - 9) and not (r > n - 9 and c < 9):
                block(r - 2, c - 2, 5, 5)
    if version >= 7:
        block(0, n - 11, 6, 3)
        block(n - 11, 0, 3, 6)
    return reserved


def read_qr(matrix: list[list[bool]]) -> tuple[bytes, int]:
    """(the bytes encoded, the error correction bits) of a QR matrix without its quiet zone."""
    n = len(matrix)
    version = (n - 17) // 4
    assert n == 17 + 4 * version
    level_bits, mask = read_format(matrix)
    reserved = function_modules(n, version)
    bits: list[int] = []
    col, upward = n - 1, True
    while col > 0:
        if col == 6:
            col -= 1
        for r in range(n - 1, -1, -1) if upward else range(n):
            for c in (col, col - 1):
                if not reserved[r][c]:
                    bits.append(int(matrix[r][c] ^ MASKS[mask](r, c)))
        upward, col = not upward, col - 2
    codewords = [int("".join(map(str, bits[i : i + 8])), 2) for i in range(0, len(bits) - 7, 8)]
    blocks = rs_blocks(version, level_bits)  # qrcode's error-correction constants are the format bits
    data: list[list[int]] = [[] for _ in blocks]
    k = 0
    for i in range(max(b.data_count for b in blocks)):
        for block, out in zip(blocks, data, strict=True):
            if i < block.data_count:
                out.append(codewords[k])
                k += 1
    stream = "".join(f"{byte:08b}" for out in data for byte in out)
    return parse_segments(stream, version), level_bits


def parse_segments(stream: str, version: int) -> bytes:
    """Numeric, alphanumeric and byte segments up to the terminator."""
    size = 0 if version < 10 else 1 if version < 27 else 2
    out = bytearray()
    pos = 0

    def take(count: int) -> int:
        nonlocal pos
        value = int(stream[pos : pos + count], 2)
        pos += count
        return value

    while pos + 4 <= len(stream):
        mode = take(4)
        if mode == 0:
            break
        if mode == 0b0100:
            out += bytes(take(8) for _ in range(take((8, 16, 16)[size])))
        elif mode == 0b0001:
            count = take((10, 12, 14)[size])
            digits = ""
            while count >= 3:
                digits, count = digits + f"{take(10):03d}", count - 3
            if count:
                digits += f"{take(7):02d}" if count == 2 else f"{take(4):01d}"
            out += digits.encode()
        elif mode == 0b0010:
            count = take((9, 11, 13)[size])
            for _ in range(count // 2):
                pair = take(11)
                out += (ALPHANUMERIC[pair // 45] + ALPHANUMERIC[pair % 45]).encode()
            if count % 2:
                out += ALPHANUMERIC[take(6)].encode()
        else:
            raise AssertionError(f"unexpected mode {mode:04b}")
    return bytes(out)


def expected_modules(data: str, level: str = "M") -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=LEVELS[level], border=0)
    code.add_data(data)
    code.make(fit=True)
    return [[bool(m) for m in row] for row in code.modules]


def png_modules(png: bytes, box_size: int, border: int) -> list[list[bool]]:
    """The module matrix sampled at the module centres; checks the quiet zone is white."""
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    pixels = image.convert("L")
    width, height = image.size
    assert width == height and width % box_size == 0
    n = width // box_size - 2 * border
    if border:
        edges = [(x, y) for x in range(width) for y in (0, height - 1)] + [
            (x, y) for x in (0, width - 1) for y in range(height)
        ]
        assert all(pixels.getpixel(xy) == 255 for xy in edges), "the quiet zone is white"
    half = box_size // 2
    return [
        [pixels.getpixel(((border + c) * box_size + half, (border + r) * box_size + half)) < 128 for c in range(n)]
        for r in range(n)
    ]


def svg_modules(svg: bytes, border: int = 4) -> tuple[ET.Element, list[list[bool]]]:
    """The SVG's root and the matrix its one path draws (one unit square per dark module)."""
    root = ET.fromstring(svg)
    size = int(root.get("viewBox").split()[2])
    n = size - 2 * border
    matrix = [[False] * n for _ in range(n)]
    (path,) = root.iter(f"{SVG}path")
    squares = re.findall(r"M(\d+),(\d+)H(\d+)V(\d+)H(\d+)z", path.get("d"))
    assert "".join(f"M{x},{y}H{x1}V{y1}H{x2}z" for x, y, x1, y1, x2 in squares) == path.get("d")
    for x, y, x1, y1, x2 in squares:
        assert (int(x1), int(y1), int(x2)) == (int(x) + 1, int(y) + 1, int(x))
        matrix[int(y) - border][int(x) - border] = True
    return root, matrix


# --- the reader itself ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", SAMPLES)
def test_the_reader_reads_qrcode_matrices(data):
    assert read_qr(expected_modules(data))[0] == data.encode("utf-8")


# --- PNG ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", SAMPLES)
def test_png_holds_the_matrix_of_the_text(data):
    modules = png_modules(qr_png(data), box_size=10, border=4)
    assert modules == expected_modules(data)
    assert read_qr(modules) == (data.encode("utf-8"), LEVELS["M"])


def test_vietnamese_text_goes_in_as_utf8_bytes():
    data = "STKT-2026-0042 Nguyễn"
    decoded, _ = read_qr(png_modules(qr_png(data), 10, 4))
    assert decoded.decode("utf-8") == data
    assert decoded != data.encode("latin-1", "replace")


@pytest.mark.parametrize(("box_size", "border"), [(1, 0), (3, 1), (10, 4), (12, 6)])
def test_png_box_size_and_border(box_size, border):
    data = "STKT-2026-0042"
    png = qr_png(data, box_size=box_size, border=border)
    n = len(expected_modules(data))
    assert Image.open(io.BytesIO(png)).size == ((n + 2 * border) * box_size,) * 2
    assert png_modules(png, box_size, border) == expected_modules(data)


@pytest.mark.parametrize("level", ["L", "M", "Q", "H"])
def test_error_correction_level_is_chosen(level):
    data = "https://sangtao.example.vn/xac-minh/ABC123"
    modules = png_modules(qr_png(data, level=level), 10, 4)
    assert modules == expected_modules(data, level)
    assert read_qr(modules) == (data.encode(), LEVELS[level])


def test_error_correction_is_m_by_default():
    assert qr_code("x").error_correction == LEVELS["M"]


def test_higher_levels_need_more_modules_for_the_same_text():
    data = "PASS:EV-2026-0007:Trần Thị Bích Ngọc:Đồng Xoài, Bình Phước"
    sizes = [len(expected_modules(data, level)) for level in "LMQH"]
    assert sizes == sorted(sizes)
    assert sizes[0] < sizes[-1]


@pytest.mark.parametrize("data", ["", "x" * 2332])
def test_nothing_or_too_much_to_encode_is_a_value_error(data):
    with pytest.raises(ValueError):
        qr_png(data)
    with pytest.raises(ValueError):
        qr_svg(data)


def test_the_largest_code_at_level_m():
    data = "x" * 2331
    assert read_qr(png_modules(qr_png(data, box_size=2, border=0), 2, 0))[0] == data.encode()


# --- SVG ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", SAMPLES)
def test_svg_path_draws_the_matrix_of_the_text(data):
    _, modules = svg_modules(qr_svg(data))
    assert modules == expected_modules(data)
    assert read_qr(modules)[0] == data.encode("utf-8")


def test_svg_is_a_standalone_document_with_a_white_background():
    svg = qr_svg("STKT-2026-0042 Nguyễn")
    assert svg.startswith(b"<?xml")
    root, modules = svg_modules(svg)
    assert root.tag == f"{SVG}svg"
    size = len(modules) + 8
    assert root.get("viewBox") == f"0 0 {size} {size}"
    assert root.get("width") == root.get("height") == f"{size}mm"
    background = root.find(f"{SVG}rect")
    assert background is not None
    assert background.get("fill") == "white"
    assert (background.get("width"), background.get("height")) == ("100%", "100%")
    assert list(root).index(background) == 0, "the background is drawn first"


def test_svg_has_no_script_handler_or_external_reference():
    svg = qr_svg('"><script>alert(1)</script><svg onload="alert(2)">')
    root = ET.fromstring(svg)
    tags = {element.tag.removeprefix(SVG).lower() for element in root.iter()}
    assert tags == {"svg", "rect", "path"}
    for element in root.iter():
        for name in element.attrib:
            local = name.rsplit("}", 1)[-1].lower()
            assert not local.startswith("on")
            assert local != "href"
    assert b"script" not in svg.lower()


def test_svg_border():
    _, modules = svg_modules(qr_svg("STKT-2026-0042", border=2), border=2)
    assert modules == expected_modules("STKT-2026-0042")


# --- responses ------------------------------------------------------------------------------------------------


def test_send_png_inline(app):
    with app.test_request_context():
        response = send_qr("STKT-2026-0042")
        assert response.status_code == 200
        assert response.mimetype == "image/png"
        assert response.headers["Content-Disposition"] == "inline"
        assert response.headers["Cache-Control"] == "private, max-age=300"
        response.direct_passthrough = False
        assert png_modules(response.get_data(), 10, 4) == expected_modules("STKT-2026-0042")
        assert "Content-Security-Policy" not in response.headers


def test_send_svg_inline_runs_nothing(app):
    with app.test_request_context():
        response = send_qr("STKT-2026-0042", "svg")
        assert response.mimetype == "image/svg+xml"
        assert response.headers["Content-Disposition"] == "inline"
        assert response.headers["Content-Security-Policy"] == SVG_CSP
        assert response.headers["Cache-Control"] == "private, max-age=300"
        response.direct_passthrough = False
        assert svg_modules(response.get_data())[1] == expected_modules("STKT-2026-0042")


def test_site_headers_do_not_replace_the_qr_headers(app):
    with app.test_request_context("/"):
        response = app.process_response(send_qr("STKT-2026-0042", "svg"))
        assert response.headers["Content-Security-Policy"] == SVG_CSP
        assert response.headers["Cache-Control"] == "private, max-age=300"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_send_with_a_vietnamese_filename_downloads(app):
    name = "Thẻ dự thi Đặng Văn Ân.svg"
    with app.test_request_context():
        response = send_qr("STKT-2026-0042", "svg", filename=name)
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment; ")
        assert 'filename="The du thi Dang Van An.svg"' in disposition
        assert unquote(disposition.split("filename*=UTF-8''")[1]) == name
        assert response.headers["Content-Security-Policy"] == SVG_CSP


def test_send_with_another_level(app):
    with app.test_request_context():
        response = send_qr("STKT-2026-0042", level="H")
        response.direct_passthrough = False
        assert read_qr(png_modules(response.get_data(), 10, 4))[1] == LEVELS["H"]


def test_send_refuses_unknown_formats(app):
    with app.test_request_context(), pytest.raises(ValueError):
        send_qr("STKT-2026-0042", "gif")  # type: ignore[arg-type]
