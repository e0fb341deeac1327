"""Disk full while a certificate is written (issue 9): no certificate is marked issued
without both of its files, and the next run, with space again, issues it whole."""

import errno
import os

import pytest
from django.core.files.storage import FileSystemStorage

from courses.models import Certificate
from courses.services import certificates
from tests.courses.test_certificates import finish_course


def fill_disk_on(suffix, monkeypatch):
    """The storage writes part of the file named *suffix, then the disk is full."""
    real_save = FileSystemStorage._save

    def save(self, name, content):
        if name.endswith(suffix):
            path = self.path(name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(content.read()[:100])  # what fitted before the disk filled up
            raise OSError(errno.ENOSPC, "No space left on device", path)
        return real_save(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", save)
    return real_save


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", [".png", ".pdf"])
def test_a_full_disk_leaves_the_certificate_pending_and_a_retry_issues_it(
    learner, monkeypatch, suffix, settings
):
    enrollment = finish_course(learner.user)
    certificate = certificates.certificate_request(enrollment_id=enrollment.pk)
    # (the request's worker call waits for a commit that never comes in this test)
    real_save = fill_disk_on(suffix, monkeypatch)

    with pytest.raises(OSError) as raised:
        certificates.certificate_generate(certificate_id=certificate.pk)
    assert raised.value.errno == errno.ENOSPC

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.PENDING
    assert not certificate.png and not certificate.pdf
    assert certificate.generated_at is None

    # Space again: the retry (the task retries on OSError) finishes the job.
    monkeypatch.setattr(FileSystemStorage, "_save", real_save)
    assert certificates.certificate_generate(certificate_id=certificate.pk) is True

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.ISSUED
    for field in (certificate.png, certificate.pdf):
        with field.open("rb") as handle:
            data = handle.read()
        assert len(data) > 1000, f"{field.name} is the truncated file"
    files = sorted(p.name for p in (settings.MEDIA_ROOT / "certificates").iterdir())
    assert files == [f"{certificate.number}.pdf", f"{certificate.number}.png"]


def test_the_worker_task_retries_when_the_disk_is_full():
    from courses.tasks import generate_certificate

    assert OSError in generate_certificate.autoretry_for
    assert generate_certificate.max_retries >= 3
