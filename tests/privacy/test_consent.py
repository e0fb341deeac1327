"""Withdrawing consent: every consent of the person is marked withdrawn, reminders stop at once,
and the person is led to delete the account; "My data" shows what was agreed and when."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tests.courses.builders import translated
from ukmlearn import gateway
from ukmlearn.notifications import services as notifications
from ukmlearn.notifications.models import Kind, Notification, Reminder
from ukmlearn.users.models import Consent

pytestmark = pytest.mark.django_db

WITHDRAW_URL = reverse("privacy:consent_withdraw")
MY_DATA_URL = reverse("privacy:my_data")
WIB = ZoneInfo("Asia/Jakarta")


def consent(user, version, *, given, channel=Consent.Channel.SIGNUP, withdrawn=None):
    return Consent.objects.create(
        user=user,
        document=Consent.Document.PRIVACY,
        version=version,
        channel=channel,
        given_at=given,
        withdrawn_at=withdrawn,
    )


def pending_reminder(user, text, *, subject="course:1"):
    return Reminder.objects.create(
        user=user,
        kind=Kind.INACTIVE,
        subject=subject,
        period="p1",
        channels=["in_app", "whatsapp"],
        text=text,
        link="/",
        due_at=timezone.now() - timedelta(minutes=1),
    )


def test_withdrawing_marks_every_consent_and_leads_to_deleting_the_account(learner, other_learner):
    old = consent(learner.user, "2025-06", given=timezone.now() - timedelta(days=200))
    new = consent(learner.user, "2026-01", given=timezone.now() - timedelta(days=10))
    theirs = consent(other_learner.user, "2026-01", given=timezone.now())
    response = learner.client.post(WITHDRAW_URL, follow=True)
    assert response.redirect_chain == [(reverse("privacy:account_delete"), 302)]
    assert (
        translated(
            "Your consent is withdrawn: you will get no more reminders. To finish, delete "
            "your account below."
        )
        in response.content.decode()
    )
    for row in (old, new):
        row.refresh_from_db()
        assert abs(row.withdrawn_at - timezone.now()) < timedelta(minutes=1)
    theirs.refresh_from_db()
    assert theirs.withdrawn_at is None
    # Withdrawing does not delete anything by itself: the account is still there.
    learner.user.refresh_from_db()
    assert learner.user.is_active and learner.user.name == "Siti Aminah"


def test_withdrawing_again_keeps_the_first_date(learner):
    first = timezone.now() - timedelta(days=3)
    row = consent(learner.user, "2026-01", given=first - timedelta(days=30), withdrawn=first)
    learner.client.post(WITHDRAW_URL)
    row.refresh_from_db()
    assert row.withdrawn_at == first


def test_withdrawing_needs_a_post_with_the_csrf_token(learner):
    row = consent(learner.user, "2026-01", given=timezone.now())
    assert learner.client.get(WITHDRAW_URL).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner.user)
    assert strict.post(WITHDRAW_URL).status_code == 403
    row.refresh_from_db()
    assert row.withdrawn_at is None


def test_after_withdrawing_no_reminder_reaches_them_but_others_still_get_theirs(
    learner, other_learner
):
    consent(learner.user, "2026-01", given=timezone.now() - timedelta(days=5))
    mine = pending_reminder(learner.user, "Ayo lanjutkan kelas Anda")
    theirs = pending_reminder(other_learner.user, "Ayo lanjutkan kelas Anda")
    learner.client.post(WITHDRAW_URL)

    assert notifications.reminders_deliver(now=timezone.now()) == 1

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == (Reminder.Status.SKIPPED, Reminder.Status.SENT)
    assert [m.to for m in gateway.outbox] == [other_learner.user.phone]
    assert not Notification.objects.filter(user=learner.user).exists()
    # Later reminders for them are skipped too.
    later = pending_reminder(learner.user, "Kelas kedua", subject="course:2")
    notifications.reminders_deliver(now=timezone.now() + timedelta(days=1))
    later.refresh_from_db()
    assert later.status == Reminder.Status.SKIPPED
    assert learner.user.phone not in [m.to for m in gateway.outbox]


def test_my_data_shows_each_consent_with_version_channel_and_dates(learner):
    given_old = datetime(2025, 6, 3, 10, 0, tzinfo=WIB)
    given_new = datetime(2026, 1, 15, 10, 0, tzinfo=WIB)
    withdrawn = datetime(2026, 2, 20, 10, 0, tzinfo=WIB)
    consent(learner.user, "2025-06", given=given_old, channel=Consent.Channel.INVITATION)
    consent(learner.user, "2026-01", given=given_new, withdrawn=withdrawn)
    html = learner.client.get(MY_DATA_URL).content.decode()
    with translation.override("id"):
        expected_new = " · ".join(
            [
                str(Consent.Document.PRIVACY.label),
                translation.gettext("version %(version)s") % {"version": "2026-01"},
                str(Consent.Channel.SIGNUP.label),
                "15 Jan 2026",
            ]
        )
        expected_old = " · ".join(
            [
                str(Consent.Document.PRIVACY.label),
                translation.gettext("version %(version)s") % {"version": "2025-06"},
                str(Consent.Channel.INVITATION.label),
                "3 Jun 2025",
            ]
        )
        withdrawn_text = translation.gettext("withdrawn %(when)s") % {"when": "20 Feb 2026"}
    assert expected_new in html
    assert expected_old in html
    assert withdrawn_text in html
    assert html.index(expected_new) < html.index(expected_old)  # newest first
    # The newest is withdrawn already: the button is gone.
    assert WITHDRAW_URL not in html


def test_my_data_offers_withdrawal_while_consent_stands(learner):
    consent(learner.user, "2026-01", given=timezone.now())
    html = learner.client.get(MY_DATA_URL).content.decode()
    assert WITHDRAW_URL in html
    assert translated("Withdraw my consent") in html
    assert reverse("privacy:account_delete") in html
    assert reverse("privacy:export_request") in html


def test_my_data_says_when_no_consent_is_recorded(learner):
    html = learner.client.get(MY_DATA_URL).content.decode()
    assert translated("No consent recorded.") in html
    assert WITHDRAW_URL not in html


def test_my_data_shows_only_my_own_consents(learner, other_learner):
    consent(other_learner.user, "2099-99", given=timezone.now())
    html = learner.client.get(MY_DATA_URL).content.decode()
    assert "2099-99" not in html
