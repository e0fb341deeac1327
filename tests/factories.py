import factory

from ukmlearn.users.choices import Province, Sector
from ukmlearn.users.models import BusinessProfile, User

PASSWORD = "Belajar-Jualan-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    name = factory.Faker("name", locale="id_ID")
    phone = factory.Sequence(lambda n: f"+62813{n:08d}")
    phone_verified = True
    is_learner = True
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()
            if instance.is_staff or instance.is_mentor or instance.is_superuser:
                with_two_factor(instance)


def with_two_factor(user, secret: str = "JBSWY3DPEHPK3PXPJBSWY3DP"):  # noqa: S107
    """Staff and mentors must have two-factor authentication (ukmlearn.security): give them
    a TOTP authenticator, as they would have set up on their first visit."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)
    return user


class BusinessProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessProfile

    user = factory.SubFactory(UserFactory)
    business_name = factory.Sequence(lambda n: f"Warung Demo {n}")
    sector = Sector.KULINER
    city = "Bandung"
    province = Province.JABAR
    year_started = 2018
    workers = 2
