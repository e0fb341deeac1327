"""Create a believable Indonesian demo: staff, mentors, learners with business profiles.

Idempotent: people are matched by phone number, so running it again changes nothing.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from ukmlearn.users.choices import Province, Sector, TimeZone
from ukmlearn.users.models import BusinessProfile, Consent, User
from ukmlearn.users.services import consent_record

DEMO_PASSWORD = "belajar-bareng-2026"  # noqa: S105 - demo data only, printed on purpose

STAFF = [("+6281100000001", "Rina Kusumawati")]
PARTNER = ("+6281100000021", "Hasan Basri")
# These learners form the demo cohort (the others learn on their own); all but the last
# have sent baseline and endline surveys. Gender and birth year feed the report's reach.
COHORT_LEARNERS = [2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 17, 19, 20]
MEN = {3, 5, 7, 9, 12, 14, 16, 18, 20}
MENTORS = [
    ("+6281100000011", "Budi Santoso", TimeZone.WIB),
    ("+6281100000012", "Made Wirawan", TimeZone.WITA),
]
# name, business, sector, city, province, year, workers, time zone
LEARNERS = [
    ("Siti Aminah", "Warung Bu Siti", Sector.KULINER, "Bandung", Province.JABAR, 2015, 2),
    ("Dewi Lestari", "Dewi Batik", Sector.FASHION, "Pekalongan", Province.JATENG, 2018, 3),
    ("Agus Prasetyo", "Kopi Agus", Sector.KULINER, "Malang", Province.JATIM, 2020, 1),
    ("Nur Hidayah", "Hijab Nur", Sector.FASHION, "Surabaya", Province.JATIM, 2019, 2),
    ("Yohanes Tefa", "Tenun Ikat Tefa", Sector.KERAJINAN, "Kupang", Province.NTT, 2012, 4),
    ("Ketut Sari", "Canang Sari Bali", Sector.KERAJINAN, "Denpasar", Province.BALI, 2016, 2),
    ("Rahmat Hidayat", "Servis HP Rahmat", Sector.JASA, "Makassar", Province.SULSEL, 2017, 1),
    ("Sri Wahyuni", "Keripik Sri", Sector.KULINER, "Yogyakarta", Province.DIY, 2014, 5),
    ("Andi Baso", "Andi Laundry", Sector.JASA, "Parepare", Province.SULSEL, 2021, 2),
    ("Lina Marlina", "Sayur Segar Lina", Sector.PERTANIAN, "Garut", Province.JABAR, 2010, 3),
    ("Fitri Handayani", "Fitri Kue Basah", Sector.KULINER, "Padang", Province.SUMBAR, 2019, 1),
    ("Joko Susilo", "Jok Motor Joko", Sector.JASA, "Semarang", Province.JATENG, 2013, 2),
    ("Maria Wenda", "Noken Mama Maria", Sector.KERAJINAN, "Jayapura", Province.PAPUA, 2018, 3),
    (
        "Eko Saputra",
        "Toko Kelontong Eko",
        Sector.PERDAGANGAN,
        "Palembang",
        Province.SUMSEL,
        2011,
        2,
    ),
    ("Wulan Sari", "Sambal Wulan", Sector.KULINER, "Depok", Province.JABAR, 2022, 1),
    ("Hendra Gunawan", "Ikan Asin Hendra", Sector.PERTANIAN, "Cirebon", Province.JABAR, 2009, 4),
    ("Putu Ayu", "Ayu Kebaya", Sector.FASHION, "Gianyar", Province.BALI, 2017, 2),
    ("Rudi Hartono", "Reseller Rudi", Sector.PERDAGANGAN, "Medan", Province.SUMUT, 2023, 1),
    ("Yuliana Mote", "Kopi Wamena Yuli", Sector.PERTANIAN, "Wamena", Province.PAPPEG, 2020, 2),
    ("Asep Sunandar", "Wayang Golek Asep", Sector.KERAJINAN, "Bogor", Province.JABAR, 2008, 3),
]
EAST = {Province.NTT, Province.BALI, Province.SULSEL}
FAR_EAST = {Province.PAPUA, Province.PAPPEG}


def _zone(province):
    if province in FAR_EAST:
        return TimeZone.WIT
    if province in EAST:
        return TimeZone.WITA
    return TimeZone.WIB


# The demo's staff and mentors have two-factor authentication set up with this published key
# (demo data only): add it to an authenticator app, or print the current code with
# `python manage.py totp_code <phone>`.
DEMO_TOTP_SECRET = "KVFUWTDFIFJE4IDEMO4ZDEMO"  # noqa: S105 (published demo key)


def demo_two_factor(user) -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)


class Command(BaseCommand):
    help = "Create (or refresh) the Indonesian demo people. Safe to run repeatedly."

    @transaction.atomic
    def handle(self, *args, **options):
        created = 0
        for phone, name in STAFF:
            created += self._person(phone, name, is_staff=True, is_superuser=True, is_learner=False)
        for phone, name, zone in MENTORS:
            created += self._person(phone, name, is_mentor=True, is_learner=False, timezone=zone)
        for index, row in enumerate(LEARNERS, start=1):
            name, business, sector, city, province, year, workers = row
            phone = f"+6281200000{index:03d}"
            created += self._person(phone, name, timezone=_zone(province))
            user = User.objects.get(phone=phone)
            BusinessProfile.objects.update_or_create(
                user=user,
                defaults={
                    "business_name": business,
                    "sector": sector,
                    "city": city,
                    "province": province,
                    "year_started": year,
                    "workers": workers,
                },
            )
        created += self._person(*PARTNER, is_learner=False)
        for user in User.objects.filter(phone__in=[p for p, *_ in (*STAFF, *MENTORS)]):
            demo_two_factor(user)
        course = self._courses()
        self._outcomes(course)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new people)."))
        self.stdout.write(f"All demo accounts use the password: {DEMO_PASSWORD}")
        self.stdout.write(
            f"Staff and mentors also need a code: authenticator key {DEMO_TOTP_SECRET}, "
            "or `python manage.py totp_code 0811-0000-0001`"
        )
        self.stdout.write("  staff:   0811-0000-0001 (Rina Kusumawati)")
        self.stdout.write("  mentors: 0811-0000-0011 (Budi), 0811-0000-0012 (Made)")
        self.stdout.write("  learner: 0812-0000-0001 (Siti Aminah) ... 0812-0000-0020")
        self.stdout.write("  partner: 0811-0000-0021 (Hasan Basri, reads the outcome report)")

    def _courses(self):
        # The demo course belongs to the courses app; this command only orchestrates.
        from courses.demo import demo_course_load, demo_progress_apply
        from courses.demo_content import DEMO_COURSE

        course = demo_course_load(DEMO_COURSE)
        learners = list(User.objects.filter(phone__startswith="+6281200000").order_by("phone"))
        reviewer = User.objects.get(phone=STAFF[0][0])
        demo_progress_apply(course=course, learners=learners, reviewer=reviewer)
        self.stdout.write(f"Demo course: {course.title} (/courses/{course.slug}/)")
        return course

    def _outcomes(self, course):
        from outcomes.demo import demo_outcomes_load

        learners = [User.objects.get(phone=f"+6281200000{n:03d}") for n in COHORT_LEARNERS]
        for n, user in zip(COHORT_LEARNERS, learners, strict=True):
            if not user.gender:
                user.gender = "male" if n in MEN else "female"
                user.birth_year = 1970 + (n * 7) % 35
                user.save(update_fields=["gender", "birth_year"])
        cohort = demo_outcomes_load(
            course=course,
            owner=User.objects.get(phone=STAFF[0][0]),
            learners=learners,
            partner_user=User.objects.get(phone=PARTNER[0]),
        )
        self.stdout.write(f"Demo cohort with survey answers: {cohort.name}")

    def _person(self, phone, name, **fields) -> int:
        user = User.objects.filter(phone=phone).first()
        if user is not None:
            return 0
        user = User.objects.create_user(
            phone=phone, password=DEMO_PASSWORD, name=name, phone_verified=True, **fields
        )
        consent_record(user=user, channel=Consent.Channel.SIGNUP)
        return 1
