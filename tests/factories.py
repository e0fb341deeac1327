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
