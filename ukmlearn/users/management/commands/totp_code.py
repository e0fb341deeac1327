from django.core.management.base import BaseCommand, CommandError

from ukmlearn.users.models import User
from ukmlearn.users.phone import normalize_phone


class Command(BaseCommand):
    help = (
        "Print the current two-factor code of a demo staff or mentor account (only accounts set "
        "up with the published demo key; nobody else's secret is ever shown)."
    )

    def add_arguments(self, parser):
        parser.add_argument("phone", help="e.g. 0811-0000-0001")

    def handle(self, *args, **options):
        from allauth.mfa.adapter import get_adapter
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import (
            format_hotp_value,
            hotp_value,
            yield_hotp_counters_from_time,
        )

        from .seed_demo import DEMO_TOTP_SECRET

        try:
            user = User.objects.get(phone=normalize_phone(options["phone"]))
        except Exception as exc:
            raise CommandError("No account with that phone number.") from exc
        authenticator = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError("This account has no two-factor authentication.")
        if get_adapter().decrypt(authenticator.data["secret"]) != DEMO_TOTP_SECRET:
            raise CommandError("Only demo accounts (set up with the demo key) are shown.")
        counters = list(yield_hotp_counters_from_time())
        current = counters[len(counters) // 2]
        self.stdout.write(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, current)))
