"""Background jobs for accounts: sending invitations through the message gateway."""

from celery import shared_task
from django.utils import timezone, translation
from django.utils.translation import gettext

from ukmlearn import gateway

from .models import Invitation


def invitation_message(*, name: str, link: str) -> str:
    return gettext(
        "Hello {name}, you are invited to study at ukmlearn. "
        "Open this link to set your password: {link}"
    ).format(name=name, link=link)


@shared_task(autoretry_for=(gateway.GatewayError,), retry_backoff=True, max_retries=3)
def send_invitation_message(invitation_id: int, link: str) -> None:
    invitation = Invitation.objects.select_related("user").get(pk=invitation_id)
    if not invitation.is_usable() or invitation.sent_at is not None:
        return
    with translation.override(invitation.user.language or "id"):
        text = invitation_message(name=invitation.user.name, link=link)
    gateway.send_message(to=invitation.user.phone, text=text)
    Invitation.objects.filter(pk=invitation_id, sent_at__isnull=True).update(sent_at=timezone.now())
