"""Pictures for the demo course, drawn with Pillow so the repository ships no photos.

Lesson text in demo_content.py refers to them as ``picture:demo-<name>``; the loader swaps
that for the Picture's id. Each is made once (found again by its alt text).
"""

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFilter

from .models import Picture
from .services.pictures import picture_renditions

WIDTH, HEIGHT = 1080, 720


def _noise(image: Image.Image, rng: random.Random, amount: int) -> Image.Image:
    """Grain, so the picture compresses like a photo and not like a flat drawing."""
    grain = Image.effect_noise(image.size, amount).convert("RGB")
    return Image.blend(image, grain, 0.08 + rng.random() * 0.02)


def _jar(draw: ImageDraw.ImageDraw, x: int, y: int, scale: float, dark: bool) -> None:
    body = (200, 120, 40) if not dark else (90, 60, 30)
    label = (250, 240, 220) if not dark else (120, 110, 100)
    w, h = int(150 * scale), int(220 * scale)
    draw.rounded_rectangle([x, y, x + w, y + h], radius=int(20 * scale), fill=body)
    draw.rectangle([x + 10, y - int(30 * scale), x + w - 10, y], fill=(180, 30, 30))
    draw.rectangle([x + 12, y + h // 3, x + w - 12, y + 2 * h // 3], fill=label)


def _product_photo(rng: random.Random) -> Image.Image:
    """Left: a jar near a window on a plain cloth. Right: the same jar in a dark, busy corner."""
    image = Image.new("RGB", (WIDTH, HEIGHT), (245, 243, 238))
    draw = ImageDraw.Draw(image)
    half = WIDTH // 2
    for y in range(HEIGHT):  # window light, falling off downwards
        shade = 250 - y // 12
        draw.line([(0, y), (half, y)], fill=(shade, shade - 2, shade - 8))
    draw.rectangle([half, 0, WIDTH, HEIGHT], fill=(70, 62, 55))
    _jar(draw, half // 2 - 110, 260, 1.5, dark=False)
    for _ in range(14):  # clutter: plates, boxes, cables
        x, y = rng.randrange(half, WIDTH - 80), rng.randrange(60, HEIGHT - 80)
        color = tuple(rng.randrange(40, 140) for _ in range(3))
        if rng.random() < 0.5:
            draw.ellipse([x, y, x + rng.randrange(60, 160), y + rng.randrange(30, 80)], fill=color)
        else:
            draw.rectangle(
                [x, y, x + rng.randrange(50, 140), y + rng.randrange(50, 140)], fill=color
            )
    _jar(draw, half + 170, 300, 1.0, dark=True)
    draw.line([(half, 0), (half, HEIGHT)], fill=(255, 255, 255), width=8)
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    return _noise(image, rng, 40)


def _catalogue(rng: random.Random) -> Image.Image:
    """A phone showing a catalogue: five product rows with a picture, name and price."""
    image = Image.new("RGB", (WIDTH, HEIGHT), (222, 232, 226))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle([360, 20, 720, 700], radius=36, fill=(30, 30, 30))
    draw.rectangle([380, 70, 700, 660], fill=(255, 255, 255))
    draw.rectangle([380, 70, 700, 130], fill=(11, 107, 79))
    for row in range(5):
        top = 150 + row * 100
        color = tuple(rng.randrange(80, 230) for _ in range(3))
        draw.rounded_rectangle([395, top, 475, top + 80], radius=10, fill=color)
        draw.rectangle([490, top + 12, 490 + rng.randrange(120, 190), top + 30], fill=(60, 60, 60))
        draw.rectangle([490, top + 48, 560, top + 64], fill=(11, 107, 79))
    image = image.filter(ImageFilter.GaussianBlur(0.8))
    return _noise(image, rng, 30)


DRAWINGS = {
    "product-photo": (
        _product_photo,
        "Foto produk yang baik (kiri: terang, latar polos) dan yang buruk (kanan: gelap, "
        "latar berantakan)",
    ),
    "catalogue": (_catalogue, "Katalog WhatsApp Business dengan lima produk, harga dan foto"),
}


def demo_pictures() -> dict[str, int]:
    """{"demo-<name>": picture id} for every drawing, creating the ones that are missing."""
    ids = {}
    for name, (draw, alt) in DRAWINGS.items():
        picture = Picture.objects.filter(alt=alt).first()
        if picture is None:
            buffer = io.BytesIO()
            draw(random.Random(name)).save(buffer, format="PNG")  # noqa: S311 (a drawing)
            upload = SimpleUploadedFile(f"{name}.png", buffer.getvalue(), "image/png")
            largest, renditions = picture_renditions(upload)
            picture = Picture(alt=alt, renditions=renditions)
            picture.file.save(largest.name, largest, save=False)
            picture.save()
        ids[f"demo-{name}"] = picture.pk
    return ids
