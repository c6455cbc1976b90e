"""Images that arrive inside requests: data URLs, bare base64, inline `<img src="data:">`.

Each is stored once, under a name made from its content, so sending the same image
twice (or from two cards) writes one file, and two different images never collide.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from .field_media import replace_sources

MIME_EXTENSIONS = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/jpg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/svg+xml": "svg",
    "image/avif": "avif",
    "image/bmp": "bmp",
}
EXTENSIONS = frozenset(MIME_EXTENSIONS.values()) | {"jpeg"}
DATA_URL = re.compile(r"^data:([\w.+-]+/[\w.+-]+)?((?:;[\w-]+=[^;,]*)*)(;base64)?,(.*)$", re.DOTALL)


class MediaError(ValueError):
    pass


@dataclass(frozen=True)
class MediaFile:
    name: str
    data: bytes


def content_name(data: bytes, extension: str) -> str:
    return f"cc-{hashlib.sha256(data).hexdigest()[:24]}.{extension}"


def _b64(text: str) -> bytes:
    try:
        data = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise MediaError(f"not valid base64 ({exc})") from None
    if not data:
        raise MediaError("image is empty")
    return data


def from_data_url(url: str) -> MediaFile:
    match = DATA_URL.match(url.strip())
    if not match:
        raise MediaError("not a data URL (expected data:image/png;base64,...)")
    mime, _params, is_base64, payload = match.groups()
    extension = MIME_EXTENSIONS.get((mime or "").lower())
    if extension is None:
        raise MediaError(f"unsupported image type {mime!r} (use png, jpeg, gif, webp or svg)")
    if not is_base64:
        raise MediaError("data URL must be base64-encoded (;base64,)")
    data = _b64(payload)
    return MediaFile(content_name(data, extension), data)


def from_base64(payload: str, filename: str) -> MediaFile:
    extension = PurePosixPath(filename).suffix.lower().lstrip(".")
    if extension not in EXTENSIONS:
        raise MediaError(
            f"filename {filename!r} is not an image (use .png, .jpg, .gif, .webp or .svg)"
        )
    data = _b64(payload)
    return MediaFile(content_name(data, "jpg" if extension == "jpeg" else extension), data)


def extract_inline_images(html: str) -> tuple[str, list[MediaFile]]:
    """Replace `<img src="data:...">` by the stored file's name."""
    files: list[MediaFile] = []

    def replace(src: str) -> str:
        if not src.startswith("data:"):
            return src
        media = from_data_url(src)
        files.append(media)
        return media.name

    return replace_sources(html, replace), files
