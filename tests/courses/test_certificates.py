"""Certificates: one per learner and course, drawn by the worker, verifiable, revocable."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from courses.models import Certificate
from courses.services import certificates, progress
from tests.courses.builders import CourseFactory, LessonFactory, ModuleFactory
from tests.factories import UserFactory


def finish_course(user, *, title="Jualan Online lewat WhatsApp Business"):
    course = CourseFactory(title=title)
    module = ModuleFactory(course=course)
    lessons = [LessonFactory(module=module, position=i) for i in range(2)]
    enrollment = progress.enrollment_create(user=user, course=course)
    for lesson in lessons:
        progress.lesson_complete(enrollment=enrollment, lesson=lesson)
    return enrollment


@pytest.mark.django_db
def test_completing_a_course_issues_exactly_one_certificate(
    learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = finish_course(learner.user)
    certificate = Certificate.objects.get()
    assert certificate.enrollment == enrollment
    assert certificate.status == Certificate.Status.ISSUED
    assert certificate.number.startswith("UKM-")
    assert certificate.png.name.endswith(".png") and certificate.pdf.name.endswith(".pdf")
    # The hook running again (a retried task, a second completion) adds nothing.
    with django_capture_on_commit_callbacks(execute=True):
        certificates.certificate_request(enrollment_id=enrollment.pk)
    assert Certificate.objects.count() == 1


@pytest.mark.django_db
def test_generating_twice_keeps_one_file_per_format(
    learner, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        finish_course(learner.user)
    certificate = Certificate.objects.get()
    Certificate.objects.filter(pk=certificate.pk).update(status=Certificate.Status.PENDING)
    certificates.certificate_generate(certificate_id=certificate.pk)
    files = sorted(p.name for p in (settings.MEDIA_ROOT / "certificates").iterdir())
    assert files == [f"{certificate.number}.pdf", f"{certificate.number}.png"]


@pytest.mark.django_db
def test_the_pdf_is_small_and_a_long_unicode_name_fits(learner, django_capture_on_commit_callbacks):
    learner.user.name = "Ni Luh Putu Ayu Kusumawardhani Ṡẹ́tiawati Ñoñó Çağlar " * 2
    learner.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        finish_course(learner.user, title="Pemasaran Digital untuk Usaha Mikro " * 4)
    certificate = Certificate.objects.get()
    assert certificate.pdf.size <= 300 * 1024
    with certificate.png.open("rb") as fh:
        image = Image.open(io.BytesIO(fh.read()))
        assert image.size == certificates.PAGE


@pytest.mark.django_db
def test_the_qr_code_leads_to_the_public_verification_page(
    learner, anonymous, django_capture_on_commit_callbacks
):
    zxingcpp = pytest.importorskip("zxingcpp")
    with django_capture_on_commit_callbacks(execute=True):
        finish_course(learner.user)
    certificate = Certificate.objects.get()
    with certificate.png.open("rb") as fh:
        image = Image.open(io.BytesIO(fh.read()))
        image.load()
    results = zxingcpp.read_barcodes(image)
    assert len(results) == 1
    url = results[0].text
    assert url.endswith(reverse("courses:certificate_verify", args=[certificate.code]))
    path = url.split("://", 1)[1].split("/", 1)[1]
    page = anonymous.client.get("/" + path)
    body = page.content.decode()
    assert page.status_code == 200
    assert learner.user.name in body and certificate.number in body
    # Only what verifies the certificate: no phone number, no e-mail.
    assert learner.user.phone not in body


@pytest.mark.django_db
def test_revoking_shows_on_the_verification_page_and_reissue_keeps_the_number(
    learner, staff, anonymous, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        finish_course(learner.user)
    certificate = Certificate.objects.get()
    manage = reverse("courses:certificate_manage", args=[certificate.pk])
    staff.client.post(manage, {"revoke": "1", "reason": "Nama salah ketik"})
    page = anonymous.client.get(certificate.get_absolute_url()).content.decode()
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert "Nama salah ketik" not in page  # the reason is for staff
    with django_capture_on_commit_callbacks(execute=True):
        staff.client.post(manage, {"reissue": "1", "name": "Siti Aminah, S.E."})
    reissued = Certificate.objects.get()
    assert (reissued.number, reissued.code) == (certificate.number, certificate.code)
    assert reissued.status == Certificate.Status.ISSUED and reissued.name == "Siti Aminah, S.E."


@pytest.mark.django_db
def test_only_the_learner_and_staff_download_it(
    learner, other_learner, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        finish_course(learner.user)
    certificate = Certificate.objects.get()
    url = reverse("courses:certificate_download", args=[certificate.pk, "pdf"])
    assert learner.client.get(url).status_code == 200
    assert staff.client.get(url).status_code == 200
    assert other_learner.client.get(url).status_code == 404


@pytest.mark.django_db
def test_an_unknown_code_is_404(anonymous):
    assert (
        anonymous.client.get(reverse("courses:certificate_verify", args=["bukan-kode"])).status_code
        == 404
    )


@pytest.mark.django_db
def test_a_pending_certificate_left_behind_is_picked_up_by_the_sweep(learner):
    enrollment = finish_course(learner.user)
    # The row is written with the request; the prompt to the worker (on commit) is lost, as
    # when Redis is down.
    certificate = certificates.certificate_request(enrollment_id=enrollment.pk)
    assert certificate.status == Certificate.Status.PENDING
    import datetime

    from django.utils import timezone

    Certificate.objects.filter(pk=certificate.pk).update(
        requested_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    assert certificates.certificates_requeue_stale() == 1  # eager: runs now
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.ISSUED


@pytest.mark.django_db
def test_the_learner_home_offers_the_download_and_a_whatsapp_share(
    learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        finish_course(learner.user)
    certificate = Certificate.objects.get()
    body = learner.client.get(reverse("home")).content.decode()
    assert reverse("courses:certificate_download", args=[certificate.pk, "pdf"]) in body
    assert "https://wa.me/?text=" in body and certificate.code in body


@pytest.mark.django_db
def test_two_learners_never_share_a_number(django_capture_on_commit_callbacks):
    numbers = set()
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            enrollment = finish_course(UserFactory())
        numbers.add(Certificate.objects.get(enrollment=enrollment).number)
    assert len(numbers) == 3
