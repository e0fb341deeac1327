"""Fixtures of the security suite (issue 9): a world with one of everything and a superuser.
(Clients that answer a crash with status 500 instead of raising: helpers.client_for.)"""

import pytest

from tests.factories import UserFactory
from tests.security.world import build_security_world


@pytest.fixture
def world(learner, staff, mentor, partner, other_learner, other_mentor, other_staff):
    return build_security_world(
        learner=learner,
        staff=staff,
        mentor=mentor,
        partner=partner,
        other_learner=other_learner,
        other_mentor=other_mentor,
        other_staff=other_staff,
    )


@pytest.fixture
def superuser(db):
    return UserFactory(name="Agus Salim", is_staff=True, is_superuser=True, is_learner=False)
