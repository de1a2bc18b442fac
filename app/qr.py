"""QR codes for entry codes, event passes and certificate verification, as PNG or standalone SVG.

The text is encoded as UTF-8 bytes; error correction M (15 %) unless asked otherwise.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Literal

import qrcode
from flask import Response
from PIL import Image
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q
from qrcode.exceptions import DataOverflowError
from qrcode.image.svg import SvgPathFillImage

from app.exports import send_download

Level = Literal["L", "M", "Q", "H"]
Format = Literal["png", "svg"]

#: Error correction: the share of the code that may be damaged and still read (7, 15, 25, 30 %).
LEVELS = {"L": ERROR_CORRECT_L, "M": ERROR_CORRECT_M, "Q": ERROR_CORRECT_Q, "H": ERROR_CORRECT_H}
MIMETYPES = {"png": "image/png", "svg": "image/svg+xml"}
#: An SVG opened on its own can load and run nothing; its inline style (the fill) still applies.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'"


def qr_code(data: str, level: Level = "M", border: int = 4, box_size: int = 10) -> qrcode.QRCode:
    """The QR code of `data`, in the smallest version that holds it; ValueError when there is nothing to
    encode, or more than the largest version holds (2,331 bytes at level M)."""
    if not data:
        raise ValueError("nothing to encode")
    code = qrcode.QRCode(error_correction=LEVELS[level], box_size=box_size, border=border)
    code.add_data(data)
    try:
        code.make(fit=True)
    except (DataOverflowError, ValueError) as exc:  # qrcode says "Invalid version (was 41...)"
        raise ValueError("too much data for a QR code") from exc
    return code


@lru_cache(maxsize=1024)  # bytes, never changed: a pass or a certificate is shown again and again
def qr_png(data: str, box_size: int = 10, border: int = 4, level: Level = "M") -> bytes:
    """A black-on-white PNG, `box_size` pixels a module, with a quiet zone of `border` modules."""
    # Drawn by Pillow from the module matrix (one pixel a module, then scaled without smoothing): a third of the
    # time of qrcode's own drawing, the same pixels.
    matrix = qr_code(data, level, border, box_size).get_matrix()
    side = len(matrix)
    image = Image.frombytes("L", (side, side), bytes(0 if dark else 255 for row in matrix for dark in row))
    image = image.convert("1", dither=Image.Dither.NONE).resize((side * box_size,) * 2, Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@lru_cache(maxsize=1024)
def qr_svg(data: str, border: int = 4, level: Level = "M") -> bytes:
    """A standalone SVG document (one path on a white background, 1 mm a module) that scales freely."""
    buffer = io.BytesIO()
    qr_code(data, level, border).make_image(image_factory=SvgPathFillImage).save(buffer)
    return buffer.getvalue()


def send_qr(data: str, fmt: Format = "png", filename: str | None = None, level: Level = "M") -> Response:
    """The QR code as an image response: shown inline, or downloaded when a file name is given; kept
    privately for five minutes. An SVG comes with a Content-Security-Policy that lets it run nothing."""
    if fmt not in MIMETYPES:
        raise ValueError(f"unknown QR image format: {fmt}")
    image = qr_png(data, level=level) if fmt == "png" else qr_svg(data, level=level)
    response = send_download(image, filename, MIMETYPES[fmt], attachment=filename is not None)
    response.headers["Cache-Control"] = "private, max-age=300"
    if fmt == "svg":
        response.headers["Content-Security-Policy"] = SVG_CSP
    return response
