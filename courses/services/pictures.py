"""Images from staff and learners: checked, re-encoded by Pillow, EXIF (and GPS) removed."""

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext
from PIL import Image, ImageOps

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# About 60 megapixels: any phone camera, far below what a decompression bomb expands to.
MAX_PIXELS = 60_000_000
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}
RENDITION_WIDTHS = (360, 720, 1080)
TASK_PHOTO_MAX_SIDE = 1600
TASK_THUMBNAIL_WIDTH = 720


def open_image(upload) -> Image.Image:
    """Open an uploaded image safely or raise a ValidationError with a plain message."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(gettext("The photo is too large (maximum 10 MB)."), code="too_large")
    upload.seek(0)
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            previous = Image.MAX_IMAGE_PIXELS
            Image.MAX_IMAGE_PIXELS = MAX_PIXELS
            try:
                image = Image.open(io.BytesIO(data))
                if image.format not in ACCEPTED_FORMATS:
                    raise ValidationError(
                        gettext("Please upload a photo (JPG, PNG or WebP)."), code="format"
                    )
                if image.width * image.height > MAX_PIXELS:
                    raise Image.DecompressionBombError("too many pixels")
                image.load()
            finally:
                Image.MAX_IMAGE_PIXELS = previous
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            gettext("This image is too large to process. Please send a smaller photo."),
            code="bomb",
        ) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            gettext("This file is not a photo we can read. Please upload a JPG or PNG."),
            code="invalid",
        ) from exc
    # Phones store rotation in EXIF; apply it before EXIF is dropped.
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, (255, 255, 255))
        converted = image.convert("RGBA")
        background.paste(converted, mask=converted.getchannel("A"))
        image = background
    return image.convert("RGB")


def _encode(image: Image.Image, fmt: str, quality: int) -> bytes:
    buffer = io.BytesIO()
    # No exif= argument: the new file carries no EXIF at all.
    image.save(buffer, format=fmt, quality=quality, optimize=(fmt == "JPEG"), progressive=True)
    return buffer.getvalue()


def _shrink(image: Image.Image, max_width: int) -> Image.Image:
    if image.width <= max_width:
        return image
    height = round(image.height * max_width / image.width)
    return image.resize((max_width, height), Image.Resampling.LANCZOS)


def task_photo_prepare(upload) -> tuple[ContentFile, ContentFile, int, int]:
    """A learner's photo shrunk to at most 1600 px on its long side, plus a 720 px wide copy
    for pages, both clean JPEGs."""
    image = open_image(upload)
    image.thumbnail((TASK_PHOTO_MAX_SIDE, TASK_PHOTO_MAX_SIDE), Image.Resampling.LANCZOS)
    stem = uuid.uuid4().hex
    full = ContentFile(_encode(image, "JPEG", 80), name=f"{stem}.jpg")
    small = ContentFile(
        _encode(_shrink(image, TASK_THUMBNAIL_WIDTH), "JPEG", 72), name=f"{stem}-720.jpg"
    )
    return full, small, image.width, image.height


def picture_renditions(upload) -> tuple[ContentFile, list[dict]]:
    """The largest JPEG plus WebP and JPEG files for each rendition width."""
    image = open_image(upload)
    stem = uuid.uuid4().hex
    renditions = []
    for width in RENDITION_WIDTHS:
        if renditions and image.width < width:
            break
        scaled = _shrink(image, width)
        entry = {"width": scaled.width, "height": scaled.height}
        for fmt, ext, quality in (("WEBP", "webp", 75), ("JPEG", "jpg", 78)):
            data = _encode(scaled, fmt, quality)
            name = default_storage.save(f"pictures/{stem}-{scaled.width}.{ext}", ContentFile(data))
            entry["webp" if ext == "webp" else "jpeg"] = name
            entry[f"{'webp' if ext == 'webp' else 'jpeg'}_bytes"] = len(data)
        renditions.append(entry)
    largest = _shrink(image, RENDITION_WIDTHS[-1])
    return ContentFile(_encode(largest, "JPEG", 80), name=f"{stem}.jpg"), renditions
