"""Page budgets that are deterministic: compressed HTML size and SQL query counts.

Bytes on the wire in a real browser are measured in tests/e2e; these catch regressions early.
"""

import pytest
from django.urls import reverse

from tests.factories import BusinessProfileFactory, UserFactory
from tests.helpers import assert_constant_queries, count_queries, gzipped_size

HTML_BUDGET = 14 * 1024


def more_people():
    for _ in range(5):
        BusinessProfileFactory(user=UserFactory())
    UserFactory.create_batch(3, is_mentor=True, is_learner=False)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "url_name"),
    [
        ("anonymous", "account_login"),
        ("anonymous", "account_signup"),
        ("learner", "home"),
        ("mentor", "home"),
        ("staff", "home"),
        ("learner", "business_profile"),
        ("staff", "invite_person"),
    ],
)
def test_html_fits_in_the_first_round_trip(personas, persona, url_name):
    response = personas[persona].client.get(reverse(url_name))
    assert response.status_code == 200
    assert gzipped_size(response) <= HTML_BUDGET


@pytest.mark.django_db
def test_responses_are_gzipped_for_browsers_that_ask(learner):
    response = learner.client.get(reverse("home"), headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "url_name", "budget"),
    [
        # session + user, then the page's own reads
        # (learner home: enrolments and cohort memberships; no revision waiting and no
        # cohort here, so no sessions, finished-lessons check or responses are read, see
        # tests/outcomes/test_budgets.py; the complete profile is cached after a first visit)
        ("learner", "home", 4),
        ("mentor", "home", 3),
        ("staff", "home", 3),
        ("learner", "business_profile", 3),
        ("learner", "account_settings", 2),
        ("staff", "invite_person", 2),
    ],
)
def test_query_count_does_not_grow_with_data(personas, persona, url_name, budget):
    assert_constant_queries(
        personas[persona].client, reverse(url_name), grow=more_people, expected=budget
    )


@pytest.mark.django_db
def test_sign_in_page_needs_no_query(anonymous):
    url = reverse("account_login")
    anonymous.client.get(url)
    assert count_queries(lambda: anonymous.client.get(url)) == 0
