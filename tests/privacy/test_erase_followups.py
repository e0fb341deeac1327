"""What erasure and exports do around the edges: the mentor's pairing ends, the certificate
stops being shown but still counts, old downloads are cleaned up, the delete form cannot be
used to guess a password."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from courses.models import Certificate
from mentoring.models import Pairing
from tests.privacy.builders import rich_world
from ukmlearn.privacy import services
from ukmlearn.privacy.models import DataExport
from ukmlearn.privacy.views import DELETE_TRIES

pytestmark = pytest.mark.django_db

DELETE_URL = reverse("privacy:account_delete")


@pytest.fixture
def world(learner, other_learner, mentor, staff):
    return rich_world(learner=learner, other_learner=other_learner, mentor=mentor, staff=staff)


def test_the_mentor_no_longer_has_an_erased_mentee(world, learner):
    assert Pairing.objects.filter(learner=learner.user, status=Pairing.Status.ACTIVE).exists()

    services.account_erase(user=learner.user)

    pairing = Pairing.objects.get(learner=learner.user)
    assert pairing.status == Pairing.Status.ENDED and pairing.ended_at is not None


def test_an_erased_certificate_is_no_longer_verifiable_or_downloadable(world, learner, anonymous):
    certificate = Certificate.objects.get(enrollment__user=learner.user)
    assert anonymous.client.get(certificate.get_absolute_url()).status_code == 200

    services.account_erase(user=learner.user)

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.ERASED
    assert anonymous.client.get(certificate.get_absolute_url()).status_code == 404


def test_downloads_older_than_a_week_lose_their_file_and_stuck_ones_fail(learner):
    ready = DataExport(user=learner.user, status=DataExport.Status.READY, bytes=3)
    ready.file.save("x.zip", ContentFile(b"zip"), save=False)
    ready.finished_at = timezone.now()
    ready.save()
    stuck = DataExport.objects.create(user=learner.user)
    name = ready.file.name

    assert services.exports_cleanup() == 0  # a fresh one stays
    assert default_storage.exists(name)

    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert services.exports_cleanup() == 1

    ready.refresh_from_db()
    stuck.refresh_from_db()
    assert not ready.file and not default_storage.exists(name)
    assert stuck.status == DataExport.Status.FAILED


def test_asking_again_for_a_lost_export_sends_it_once_per_ten_minutes(learner, monkeypatch):
    sent = []
    monkeypatch.setattr("ukmlearn.queue.enqueue_on_commit", lambda task, *args: sent.append(args))
    first = services.export_request(user=learner.user)
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        again = services.export_request(user=learner.user)
        twice = services.export_request(user=learner.user)

    assert first.pk == again.pk == twice.pk
    assert len(sent) == 2  # the first request and one re-send, not one per press


def test_the_delete_form_stops_password_guessing(learner):
    for _ in range(DELETE_TRIES):
        response = learner.client.post(DELETE_URL, {"password": "wrong", "confirm": "HAPUS"})
        assert response.status_code == 200
    response = learner.client.post(DELETE_URL, {"password": "wrong", "confirm": "HAPUS"})

    assert response.status_code == 429
    learner.user.refresh_from_db()
    assert learner.user.is_active
