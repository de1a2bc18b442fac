"""Uploaded files: size- and type-checked by content, stored under instance/, never served from static."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app
from PIL import Image, UnidentifiedImageError
from werkzeug.datastructures import FileStorage

IMAGE_FORMATS = {"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp"}


class UploadError(ValueError):
    """The file is refused; the message says why, for the person who sent it."""


def upload_dir(*parts: str) -> Path:
    path = Path(current_app.config["UPLOAD_DIR"]).joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_image(file: FileStorage, folder: str, max_bytes: int, messages: dict[str, str]) -> str:
    """Check an image by its content (not its name) and store it under a random name; returns the name."""
    data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadError(messages["too_large"])
    try:
        from io import BytesIO

        with Image.open(BytesIO(data)) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise UploadError(messages["not_image"]) from exc
    if kind not in IMAGE_FORMATS:
        raise UploadError(messages["not_image"])
    name = secrets.token_hex(16) + IMAGE_FORMATS[kind]
    (upload_dir(folder) / name).write_bytes(data)
    return name
