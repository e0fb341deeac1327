"""Certificates: requested when a course is completed, drawn with Pillow by a worker, verified
by anyone through an unguessable link, revoked or re-issued by staff."""

import functools
import io
import secrets
import textwrap
from datetime import timedelta
from pathlib import Path

import qrcode
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from PIL import Image, ImageDraw, ImageFont

from courses.models import Certificate, CertificateTemplate, Enrollment

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
PAGE = (1754, 1240)  # A4 landscape at 150 dpi
PDF_RESOLUTION = 150


def certificate_request(*, enrollment_id: int) -> Certificate | None:
    """The course-completion hook: make sure a certificate row exists and ask a worker to
    draw it. Calling it twice (or concurrently) leaves one certificate."""
    from courses.tasks import generate_certificate
    from ukmlearn.queue import enqueue_on_commit

    enrollment = Enrollment.objects.select_related("user").get(pk=enrollment_id)
    if enrollment.completed_at is None:
        return None
    try:
        with transaction.atomic():
            certificate, created = Certificate.objects.get_or_create(
                enrollment=enrollment,
                defaults={"code": secrets.token_urlsafe(16), "name": enrollment.user.name},
            )
            if created:
                year = timezone.localdate().year
                Certificate.objects.filter(pk=certificate.pk).update(
                    number=f"UKM-{year}-{certificate.pk:06d}"
                )
            enqueue_on_commit(generate_certificate, certificate.pk)
    except IntegrityError:
        certificate = Certificate.objects.get(enrollment=enrollment)
    return certificate


@functools.lru_cache(maxsize=32)
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONT_DIR / name), size)


def _fit_lines(draw, text: str, *, max_width: int, sizes: tuple[int, ...], bold=False, max_lines=2):
    """Largest size at which the text fits in max_lines lines of max_width pixels."""
    for size in sizes:
        font = _font(size, bold)
        words, lines, line = text.split(), [], ""
        for word in words:
            trial = f"{line} {word}".strip()
            if draw.textlength(trial, font=font) <= max_width:
                line = trial
            else:
                if line:
                    lines.append(line)
                line = word
                # A single word wider than the line (no spaces in some names): cut it.
                while draw.textlength(line, font=font) > max_width and len(line) > 1:
                    cut = max(1, int(len(line) * max_width / draw.textlength(line, font=font)))
                    lines.append(line[:cut])
                    line = line[cut:]
        if line:
            lines.append(line)
        if len(lines) <= max_lines:
            return font, lines
    font = _font(sizes[-1], bold)
    return font, textwrap.wrap(text, 60)[:max_lines]


def _centered(draw, lines, font, *, y: int, fill, spacing: int = 12) -> int:
    for line in lines:
        width = draw.textlength(line, font=font)
        draw.text(((PAGE[0] - width) / 2, y), line, font=font, fill=fill)
        y += font.size + spacing
    return y


def verification_url(certificate: Certificate) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "courses:certificate_verify", args=[certificate.code]
    )


def certificate_render(certificate: Certificate) -> Image.Image:
    """Draw the certificate page."""
    enrollment = certificate.enrollment
    course = enrollment.course
    template = course.certificate_template or CertificateTemplate(
        name="default",
        programme_name="ukmlearn",
        signatory_name=gettext("Programme lead"),
    )
    accent = template.accent_color or "#0b6b4f"
    if template.background:
        with template.background.open("rb") as fh:
            page = Image.open(fh).convert("RGB").resize(PAGE)
    else:
        page = Image.new("RGB", PAGE, "white")
    draw = ImageDraw.Draw(page)
    if not template.background:
        draw.rectangle([30, 30, PAGE[0] - 30, PAGE[1] - 30], outline=accent, width=12)
        draw.rectangle([56, 56, PAGE[0] - 56, PAGE[1] - 56], outline=accent, width=2)
    if template.logo:
        with template.logo.open("rb") as fh:
            logo = Image.open(fh).convert("RGBA")
            logo.thumbnail((260, 140))
            page.paste(logo, (110, 100), logo)
    ink, muted = "#1d2327", "#4f5b62"
    y = _centered(draw, [gettext("CERTIFICATE OF COMPLETION")], _font(60, True), y=210, fill=accent)
    y = _centered(draw, [gettext("awarded to")], _font(34), y=y + 40, fill=muted)
    name_font, name_lines = _fit_lines(
        draw, certificate.name, max_width=1400, sizes=(96, 84, 72, 60, 52, 44), bold=True
    )
    y = _centered(draw, name_lines, name_font, y=y + 20, fill=ink)
    y = _centered(draw, [gettext("for completing the course")], _font(34), y=y + 30, fill=muted)
    course_font, course_lines = _fit_lines(
        draw, course.title, max_width=1400, sizes=(52, 46, 40, 34), bold=True
    )
    y = _centered(draw, course_lines, course_font, y=y + 10, fill=ink)
    _centered(draw, [template.programme_name], _font(34), y=y + 20, fill=muted)
    issued = formats.date_format(certificate.issued_on or timezone.localdate(), "j F Y")
    draw.text((140, 1000), issued, font=_font(30), fill=ink)
    draw.text(
        (140, 1045),
        gettext("Certificate number: {number}").format(number=certificate.number or ""),
        font=_font(26),
        fill=muted,
    )
    if template.signature:
        with template.signature.open("rb") as fh:
            signature = Image.open(fh).convert("RGBA")
            signature.thumbnail((320, 120))
            page.paste(signature, (760, 880), signature)
    draw.line([(700, 1010), (1140, 1010)], fill=muted, width=2)
    _centered(draw, [template.signatory_name], _font(30, True), y=1022, fill=ink, spacing=6)
    if template.signatory_title:
        _centered(draw, [template.signatory_title], _font(24), y=1062, fill=muted)
    qr = qrcode.make(verification_url(certificate), box_size=6, border=2).convert("RGB")
    qr = qr.resize((230, 230))
    page.paste(qr, (PAGE[0] - 140 - 230, 880))
    draw.text((PAGE[0] - 140 - 230, 1115), gettext("Scan to verify"), font=_font(22), fill=muted)
    return page


def _store(name: str, data: bytes) -> str:
    # Fixed names: a second run (a retried or duplicated task) replaces, never adds, a file.
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(data))


def certificate_generate(*, certificate_id: int) -> bool:
    """Draw and store the PNG and PDF, then mark the certificate issued. Safe to run twice or
    after a crash half-way: files have fixed names and the status changes once."""
    certificate = (
        Certificate.objects.select_related(
            "enrollment__user", "enrollment__course__certificate_template"
        )
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None or certificate.status != Certificate.Status.PENDING:
        return False
    if certificate.issued_on is None:
        certificate.issued_on = timezone.localdate(certificate.enrollment.completed_at)
    with translation.override(certificate.enrollment.user.language or "id"):
        page = certificate_render(certificate)
    png = io.BytesIO()
    page.save(png, format="PNG", optimize=True)
    pdf = io.BytesIO()
    page.save(pdf, format="PDF", resolution=PDF_RESOLUTION, quality=80)
    stem = f"certificates/{certificate.number or certificate.pk}"
    png_name = _store(f"{stem}.png", png.getvalue())
    pdf_name = _store(f"{stem}.pdf", pdf.getvalue())
    # Issued and "ready" reminder together: a crash in between must not leave an issued
    # certificate nobody was told about.
    with transaction.atomic():
        issued = Certificate.objects.filter(
            pk=certificate.pk, status=Certificate.Status.PENDING
        ).update(
            status=Certificate.Status.ISSUED,
            png=png_name,
            pdf=pdf_name,
            issued_on=certificate.issued_on,
            generated_at=timezone.now(),
        )
        if issued:
            _notify_ready(certificate)
    return bool(issued)


def _notify_ready(certificate: Certificate) -> None:
    """Hook for the "certificate ready" reminder; reminders plug in through settings."""
    from django.utils.module_loading import import_string

    for path in getattr(settings, "CERTIFICATE_READY_HOOKS", []):
        import_string(path)(certificate_id=certificate.pk)


def certificates_requeue_stale(*, older_than=timedelta(minutes=5)) -> int:
    """Ask again for certificates still pending (the broker was down, a worker died), and for
    completed enrolments that have none."""
    from courses.tasks import generate_certificate

    stale = list(
        Certificate.objects.filter(
            status=Certificate.Status.PENDING, requested_at__lt=timezone.now() - older_than
        ).values_list("pk", flat=True)[:500]
    )
    for pk in stale:
        generate_certificate.apply_async((pk,), retry=False)
    # A completion whose certificate was never asked for (the database went away between
    # committing the completion and the hook): ask now.
    forgotten = list(
        Enrollment.objects.filter(
            completed_at__isnull=False,
            completed_at__lt=timezone.now() - older_than,
            certificate__isnull=True,
        ).values_list("pk", flat=True)[:500]
    )
    for enrollment_id in forgotten:
        certificate_request(enrollment_id=enrollment_id)
    return len(stale) + len(forgotten)


def certificate_revoke(*, certificate: Certificate, reason: str) -> None:
    Certificate.objects.filter(pk=certificate.pk).update(
        status=Certificate.Status.REVOKED, revoked_at=timezone.now(), revoke_reason=reason
    )


def certificate_reissue(*, certificate: Certificate, name: str) -> None:
    """After a name correction: same number and code, new files, valid again."""
    from courses.tasks import generate_certificate
    from ukmlearn.queue import enqueue_on_commit

    with transaction.atomic():
        Certificate.objects.filter(pk=certificate.pk).update(
            name=name,
            status=Certificate.Status.PENDING,
            revoked_at=None,
            revoke_reason="",
            requested_at=timezone.now(),
        )
        enqueue_on_commit(generate_certificate, certificate.pk)
