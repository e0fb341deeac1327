"""A cohort with mentors and learners, ready for pairing."""

from datetime import date

from cohorts.models import Cohort, Membership
from cohorts.services.members import cohort_members_add
from mentoring.models import ExpertiseTag, LearnerNeeds, MentorProfile
from tests.courses.builders import CourseFactory, LessonFactory, ModuleFactory
from tests.factories import BusinessProfileFactory, UserFactory


def make_cohort(owner):
    course = CourseFactory()
    module = ModuleFactory(course=course)
    LessonFactory(module=module, position=0)
    cohort = Cohort.objects.create(
        name="Angkatan Pendampingan",
        programme="Program",
        start_date=date(2026, 11, 1),
        end_date=date(2026, 12, 31),
        province="jabar",
        owner=owner,
    )
    cohort.courses.add(course)
    return cohort


def add_mentor(
    cohort,
    user=None,
    *,
    expertise=(),
    sectors=(),
    provinces=(),
    cities=(),
    modes=("online",),
    capacity=5,
    languages=(),
):
    user = user or UserFactory(is_mentor=True, is_learner=False)
    profile, _ = MentorProfile.objects.get_or_create(user=user)
    profile.sectors, profile.provinces, profile.cities = (
        list(sectors),
        list(provinces),
        list(cities),
    )
    profile.modes, profile.capacity, profile.languages = list(modes), capacity, list(languages)
    profile.save()
    profile.expertise.set([ExpertiseTag.objects.get_or_create(name=t)[0] for t in expertise])
    cohort_members_add(cohort=cohort, user_ids=[user.pk], role=Membership.Role.MENTOR)
    return user


def add_learner(
    cohort,
    user=None,
    *,
    sector="kuliner",
    city="Bandung",
    province="jabar",
    needs=(),
    mode="any",
    language="id",
):
    user = user or UserFactory()
    BusinessProfileFactory(user=user, sector=sector, city=city, province=province)
    learner_needs, _ = LearnerNeeds.objects.get_or_create(user=user)
    learner_needs.preferred_mode, learner_needs.language = mode, language
    learner_needs.save()
    learner_needs.skills.set([ExpertiseTag.objects.get_or_create(name=t)[0] for t in needs])
    cohort_members_add(cohort=cohort, user_ids=[user.pk], role=Membership.Role.LEARNER)
    return user
