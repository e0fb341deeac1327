"""Benchmark certificate drawing: how many certificates one worker process makes per second.

Run on PostgreSQL (the database is created when missing, then migrated):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ukmlearn_bench \\
        .venv/bin/python bench/certificates.py

Creates 50 learners who completed a course, each with a pending certificate (as
courses.services.certificates.certificate_request leaves it), then calls certificate_generate
for each in this process, as the worker task does: draw the page with Pillow (QR code
included), save PNG and PDF, mark issued, write the "certificate ready" reminder. A second pass
draws the same pages again to split the time between drawing and encoding. Files go to a
temporary MEDIA_ROOT that is removed afterwards; the database rows stay (each run adds 50).
"""

import io
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ukmlearn.settings")

from bench import common  # noqa: E402 - needs the path set above

COUNT = 50
NAMES = [
    "Siti Aminah",
    "Ni Luh Putu Ayu Kusumawardhani",
    "Yohanes Wenda",
    "Muhammad Rizky Pratama Nasution",
    "Dewi Lestari",
]


def make_pending(run: str):
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from courses.models import Certificate, Course, Enrollment, Lesson, Module
    from ukmlearn.users.models import User

    course = Course.objects.create(
        title="Jualan Online lewat WhatsApp Business", slug=f"bench-cert-{run}", summary="Bench."
    )
    module = Module.objects.create(course=course, title="Mulai", position=1)
    Lesson.objects.create(module=module, title="Pengantar", position=1, body="Halo.")
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                name=NAMES[i % len(NAMES)],
                phone=f"+62898{run}{i:04d}",
                password=unusable,  # these people never sign in
            )
            for i in range(COUNT)
        ]
    )
    now = timezone.now()
    enrollments = Enrollment.objects.bulk_create(
        [Enrollment(user=u, course=course, progress_percent=100, completed_at=now) for u in users]
    )
    year = timezone.localdate().year
    certificates = Certificate.objects.bulk_create(
        [
            Certificate(
                enrollment=e,
                code=secrets.token_urlsafe(16),
                name=e.user.name,
                number=f"BENCH-{year}-{run}-{i:04d}",
            )
            for i, e in enumerate(enrollments)
        ]
    )
    return [c.pk for c in certificates]


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        common.ensure_database(url)
    else:
        print("DATABASE_URL is not PostgreSQL: the figures will not be the intended ones.")

    media = tempfile.TemporaryDirectory()
    os.environ["MEDIA_ROOT"] = media.name
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import translation
    from PIL import __version__ as pillow_version

    from courses.models import Certificate
    from courses.services.certificates import PDF_RESOLUTION, certificate_generate
    from courses.services.certificates import certificate_render as render

    call_command("migrate", verbosity=0)
    run = str(common.free_block("898"))
    ids = make_pending(run)

    seconds = []
    started = time.perf_counter()
    for pk in ids:
        one = time.perf_counter()
        assert certificate_generate(certificate_id=pk)
        seconds.append(time.perf_counter() - one)
    total = time.perf_counter() - started

    issued = list(Certificate.objects.filter(pk__in=ids).select_related("enrollment__course"))
    assert all(c.status == Certificate.Status.ISSUED for c in issued)
    png_sizes = [c.png.size for c in issued]
    pdf_sizes = [c.pdf.size for c in issued]

    # Where the time goes, on the first ten again: drawing vs PNG vs PDF encoding.
    draw_s, png_s, pdf_s = [], [], []
    for certificate in issued[:10]:
        with translation.override("id"):
            t0 = time.perf_counter()
            page = render(certificate)
            t1 = time.perf_counter()
            page.save(io.BytesIO(), format="PNG", optimize=True)
            t2 = time.perf_counter()
            page.save(io.BytesIO(), format="PDF", resolution=PDF_RESOLUTION, quality=80)
            t3 = time.perf_counter()
        draw_s.append(t1 - t0)
        png_s.append(t2 - t1)
        pdf_s.append(t3 - t2)
    media.cleanup()

    ms, kb = 1000, 1024
    p95 = sorted(seconds)[int(len(seconds) * 0.95) - 1]
    per_certificate = (
        f"{statistics.mean(seconds) * ms:.0f} / {statistics.median(seconds) * ms:.0f} / "
        f"{p95 * ms:.0f} ms"
    )
    png = f"{statistics.mean(png_sizes) / kb:.0f} KB ({min(png_sizes) / kb:.0f}-"
    png += f"{max(png_sizes) / kb:.0f})"
    pdf = f"{statistics.mean(pdf_sizes) / kb:.0f} KB ({min(pdf_sizes) / kb:.0f}-"
    pdf += f"{max(pdf_sizes) / kb:.0f})"
    rows = [
        ("certificates per second", f"{COUNT / total:.2f}"),
        (f"total for {COUNT}", f"{total:.1f} s"),
        ("per certificate, mean / median / p95", per_certificate),
        ("of which drawing the page (mean of 10)", f"{statistics.mean(draw_s) * ms:.0f} ms"),
        ("of which PNG encoding, optimize=True", f"{statistics.mean(png_s) * ms:.0f} ms"),
        ("of which PDF encoding", f"{statistics.mean(pdf_s) * ms:.0f} ms"),
        ("PNG size, mean (min-max)", png),
        ("PDF size, mean (min-max)", pdf),
    ]
    print()
    print(
        f"Certificates, {COUNT} drawn one after another in one process "
        f"({connection.display_name}, Pillow {pillow_version})"
    )
    print()
    print("| measure | value |")
    print("|---|---:|")
    for label, value in rows:
        print(f"| {label} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
