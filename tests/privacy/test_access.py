"""Who reaches each privacy page: an anonymous visitor is sent to sign in (and nothing happens),
everyone signed in has their own "My data" and delete page, only staff the audit log, and
only the owner their export."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from ukmlearn.privacy import services, urls
from ukmlearn.privacy.models import AuditEvent, DataExport
from ukmlearn.users.models import Consent, User

pytestmark = pytest.mark.django_db

PERSONAS = ["learner", "other_learner", "mentor", "staff", "partner"]


@pytest.fixture
def export(learner):
    export = DataExport.objects.create(user=learner.user)
    services.export_finish(export_id=export.pk)
    export.refresh_from_db()
    return export


def url_of(name, export):
    args = [export.pk] if name == "export_download" else []
    return reverse(f"privacy:{name}", args=args)


# name -> method, status for the learner who owns the export, for other signed-in people,
# and for staff
MATRIX = {
    "my_data": ("get", 200, 200, 200),
    "export_request": ("post", 302, 302, 302),
    "export_download": ("get", 200, 404, 404),
    "consent_withdraw": ("post", 302, 302, 302),
    "account_delete": ("get", 200, 200, 200),
    "audit_log": ("get", 404, 404, 200),
}


def test_the_matrix_names_every_privacy_url():
    assert {p.name for p in urls.urlpatterns} == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_an_anonymous_visitor_is_sent_to_sign_in_and_nothing_happens(anonymous, export, name):
    method = MATRIX[name][0]
    url = url_of(name, export)
    response = getattr(anonymous.client, method)(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"
    assert DataExport.objects.count() == 1
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("who", PERSONAS)
def test_each_signed_in_person_gets_what_is_theirs(request, export, name, who):
    method, owner, others, staff_status = MATRIX[name]
    expected = {"learner": owner, "staff": staff_status}.get(who, others)
    persona = request.getfixturevalue(who)
    response = getattr(persona.client, method)(url_of(name, export))
    assert response.status_code == expected, (who, name)
    if response.streaming:
        b"".join(response.streaming_content)


@pytest.mark.parametrize("name", ["export_request", "consent_withdraw"])
def test_the_actions_refuse_get(learner, name):
    assert learner.client.get(reverse(f"privacy:{name}")).status_code == 405


@pytest.mark.parametrize("name", ["export_request", "consent_withdraw", "account_delete"])
def test_the_actions_need_the_csrf_token(learner, name):
    Consent.objects.create(user=learner.user, document="privacy", version="1", channel="signup")
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner.user)
    response = client.post(reverse(f"privacy:{name}"), {"password": PASSWORD, "confirm": "HAPUS"})
    assert response.status_code == 403
    assert not DataExport.objects.exists()
    assert not Consent.objects.filter(withdrawn_at__isnull=False).exists()
    assert User.objects.get(pk=learner.user.pk).is_active


def test_every_export_of_another_learner_is_404_whatever_its_state(learner, other_learner, export):
    theirs_pending = DataExport.objects.create(user=other_learner.user)
    theirs_ready = DataExport.objects.create(user=other_learner.user)
    services.export_finish(export_id=theirs_ready.pk)
    for pk in (theirs_pending.pk, theirs_ready.pk, export.pk + 1000):
        response = learner.client.get(reverse("privacy:export_download", args=[pk]))
        assert response.status_code == 404, pk
    for pk in (export.pk, theirs_pending.pk):
        assert (
            other_learner.client.get(reverse("privacy:export_download", args=[pk])).status_code
            == 404
        )
    assert not AuditEvent.objects.exists()


def test_my_data_lists_only_my_own_exports(learner, other_learner, export):
    theirs = DataExport.objects.create(user=other_learner.user)
    services.export_finish(export_id=theirs.pk)
    html = learner.client.get(reverse("privacy:my_data")).content.decode()
    assert reverse("privacy:export_download", args=[export.pk]) in html
    assert reverse("privacy:export_download", args=[theirs.pk]) not in html


def test_an_inactive_account_is_treated_as_signed_out(learner):
    User.objects.filter(pk=learner.user.pk).update(is_active=False)
    response = learner.client.get(reverse("privacy:my_data"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
