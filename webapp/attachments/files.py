"""Checking, cleaning and keeping an uploaded file.

The type comes from the bytes (filetype), never from the name or the browser's Content-Type; a
name whose extension says another type is refused too (a PDF called .png is a mistake or a
trick). Images are decoded and encoded again with Pillow: what is kept is pixels only, so the
EXIF block, with the GPS position a phone writes into a photo taken at a pupil's home, is gone.
"""
import hashlib
import io
import os
import uuid
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from ..models import ATTACHMENT_TYPES

EXTENSIONS = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}
MAX_PIXELS = 40_000_000  # a photo of a phone is ≈ 12–50 M; past this, a decompression bomb
MAX_SIDE = 3000  # a paper form stays legible; a 50 MP photo need not be kept whole


class Refused(ValueError):
    """An upload that is not kept, with the words the user sees."""


def max_bytes():
    return current_app.config["ATTACHMENT_MAX_BYTES"]


def _size_text():
    return f"{max_bytes() // (1024 * 1024)} MB"


def read_upload(upload):
    """The bytes of a werkzeug FileStorage, refused when absent, empty or too large."""
    if upload is None or not upload.filename:
        raise Refused(_("Choose a file to attach."))
    data = upload.stream.read(max_bytes() + 1)
    if not data:
        raise Refused(_("The file is empty."))
    if len(data) > max_bytes():
        raise Refused(_("The file is too large: at most %(size)s per file.", size=_size_text()))
    return data


def sniff(data, filename):
    """The MIME type of `data`, one of ATTACHMENT_TYPES and agreeing with the name's extension."""
    kind = filetype.guess(data)
    mime = kind.mime if kind else None
    if mime not in ATTACHMENT_TYPES:
        raise Refused(_("Only PDF, JPEG or PNG files can be attached."))
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension and EXTENSIONS.get(extension) != mime:
        raise Refused(_("The file's content does not match its name (.%(ext)s). Only PDF, JPEG or PNG files "
                        "can be attached.", ext=extension[:8]))
    return mime


def clean_image(data, mime):
    """The image encoded again from its pixels: turned upright as its EXIF said, then without EXIF,
    ICC profile, text chunks or any other metadata."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            if mime == "image/jpeg":
                image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
            else:
                if image.mode not in ("RGB", "RGBA", "L", "LA", "P", "1"):
                    image = image.convert("RGBA")
                image.save(out, "PNG", optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as error:
        raise Refused(_("This image could not be read. Take the photo again or save it as JPEG or PNG.")) from error
    return out.getvalue()


def prepare(upload):
    """(bytes to keep, mime) of an upload, or Refused."""
    data = read_upload(upload)
    mime = sniff(data, upload.filename or "")
    if mime.startswith("image/"):
        data = clean_image(data, mime)
    return data, mime


def digest(data):
    return hashlib.sha256(data).hexdigest()


def directory():
    """ATTACHMENTS_DIR, or None: files go to the database."""
    configured = current_app.config.get("ATTACHMENTS_DIR") or ""
    return Path(configured) if configured else None


def write_file(data, extension):
    """Write whole or not at all (a temporary name, then renamed); the path relative to the directory."""
    root = directory()
    relative = Path(uuid.uuid4().hex[:2]) / f"{uuid.uuid4().hex}.{extension}"
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".part")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)
    return str(relative)


def _inside(relative):
    """The file's path under ATTACHMENTS_DIR, never outside it."""
    root = directory()
    if root is None:
        raise FileNotFoundError(relative)
    target = (root / relative).resolve()
    if root.resolve() not in target.parents:
        raise FileNotFoundError(relative)
    return target


def read_file(relative):
    return _inside(relative).read_bytes()


def remove_file(relative):
    """Delete a kept file (gone already is fine: the aim is that it is not there)."""
    _inside(relative).unlink(missing_ok=True)
