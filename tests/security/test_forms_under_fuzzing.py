"""Issue 9: every form under property-based testing. No input makes a view answer 500.

Each POST endpoint of the project (ours and allauth's) is posted hypothesis-generated values
for its real field names, as the persona allowed to use it: unicode, control characters,
huge strings, numbers out of range, lists where one value is expected, missing fields,
impossible dates, files that are not what they say, and the ids of other people's objects.
Every answer must be 2xx, 3xx or 4xx, and nothing other people own may change.
"""

import json
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import UserFactory
from tests.list_urls import iter_patterns
from tests.security.forms import GET_ONLY, SPECS, no_fields
from tests.security.helpers import assert_no_server_error, client_for, consume, short
from tests.security.strategies import FUZZ, scalar
from tests.security.world import foreign_snapshot

pytestmark = pytest.mark.django_db


def project_url_names():
    return {name for name, _r, _c in iter_patterns() if name and not name.startswith("admin:")}


def test_every_url_is_either_fuzzed_as_a_form_or_declared_read_only():
    names = project_url_names()
    missing = sorted(names - SPECS.keys() - GET_ONLY)
    stale = sorted((SPECS.keys() | GET_ONLY) - names)
    assert not missing, f"URLs with no fuzz spec (add one to tests/security/forms.py): {missing}"
    assert not stale, f"fuzz specs for URLs that no longer exist: {stale}"
    assert not SPECS.keys() & GET_ONLY


def id_strings(w) -> set[str]:
    """Ids of the world's objects, the persona's own and other people's alike."""
    objects = [
        w.course,
        w.reading,
        w.quiz,
        w.task,
        w.submission,
        w.photo,
        w.attempt,
        w.cohort,
        w.session,
        w.pairing,
        w.mentoring_session,
        w.action_item,
        w.certificate,
        w.evidence,
        w.learner,
        w.other_learner,
        w.other_mentor,
        w.other_staff,
        w.foreign_cohort,
        w.foreign_session,
        w.foreign_submission,
        w.foreign_pairing,
        w.foreign_mentoring_session,
        w.foreign_action_item,
        w.foreign_certificate,
        w.foreign_lesson,
    ]
    return {str(obj.pk) for obj in objects}


def _context(world, personas, spec):
    """Per test (not per example): the client, the persona and the foreign snapshot."""
    ctx = getattr(world, "fuzz_context", None)
    if ctx is None:
        if spec.persona == "passwordless":
            user = UserFactory(name="Tanpa Sandi", password=None)
        else:
            user = personas[spec.persona].user
        ctx = {"user": user, "client": client_for()}
        if spec.setup:
            spec.setup(ctx["client"], world, personas, ctx)
        ctx["ids"] = id_strings(world)
        ctx["foreign"] = foreign_snapshot(world)
        world.fuzz_context = ctx
    return ctx


def _post(client, url, payload, files, encoding):
    if encoding == "json":
        return client.post(url, json.dumps(payload), content_type="application/json")
    if encoding == "urlencoded":
        body = urlencode(payload, doseq=True)
        return client.post(url, body, content_type="application/x-www-form-urlencoded")
    return client.post(url, {**payload, **files})


extra_fields = st.dictionaries(
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=12), scalar(), max_size=2
)


def _ready(world, personas, spec):
    ctx = _context(world, personas, spec)
    client = ctx["client"]
    # Rate limits would answer 429 before the form is read: every example starts afresh.
    cache.clear()
    if spec.persona != "anonymous":
        client.force_login(ctx["user"])
    else:
        client.logout()
    if spec.before:
        spec.before(client, world, ctx)
    return ctx, client


def _check(response, spec, url, encoding, payload, world, ctx):
    consume(response)
    assert_no_server_error(response, f"POST {url} as {spec.persona} ({encoding})", payload)
    for follow_up in spec.after(ctx["client"], world) if spec.after else []:
        assert_no_server_error(follow_up, f"the step after POST {url}", payload)
    assert foreign_snapshot(world) == ctx["foreign"], (
        f"POST {url} as {spec.persona} changed another person's objects; sent {short(payload)}"
    )


WITH_FIELDS = sorted(
    name for name, spec in SPECS.items() if spec.files or spec.fields is not no_fields
)
WITHOUT_FIELDS = sorted(set(SPECS) - set(WITH_FIELDS))
JUNK_BODIES = [
    ("multipart", {}),
    ("multipart", {"x": "\x00", "id": ["9223372036854775808", "²"], "next": "//evil.example"}),
    ("urlencoded", {"a": "b" * 100_000}),
    ("json", {"id": [1, 2], "x": None}),
]


@pytest.mark.parametrize("name", WITHOUT_FIELDS)
def test_a_button_without_fields_takes_any_body_without_a_server_error(name, world, personas):
    spec = SPECS[name]
    for encoding, payload in JUNK_BODIES:
        ctx, client = _ready(world, personas, spec)
        url = spec.url(world)
        response = _post(client, url, payload, {}, encoding)
        _check(response, spec, url, encoding, payload, world, ctx)


@pytest.mark.parametrize("name", WITH_FIELDS)
@FUZZ
@given(data=st.data())
def test_no_input_makes_a_form_answer_with_a_server_error(name, data, world, personas):
    spec = SPECS[name]
    ctx, client = _ready(world, personas, spec)
    if not ctx.get("reached"):
        reached = client.get(spec.url(world)).status_code
        assert reached in spec.reaches, f"{name}: the fuzzed person never gets to the form"
        ctx["reached"] = True

    fields = spec.fields(world, ctx["ids"])
    payload = data.draw(st.fixed_dictionaries({}, optional=fields), label="fields")
    extra = data.draw(extra_fields, label="unknown fields")
    payload = {**extra, **payload}
    files = {}
    if spec.files:
        uploads = spec.files(world)
        chosen = data.draw(st.fixed_dictionaries({}, optional=uploads), label="files")
        files = {key: value for key, value in chosen.items() if value}
    encoding = data.draw(
        st.sampled_from(["multipart"] * 4 + ["urlencoded", "json"]), label="encoding"
    )
    if encoding != "multipart":
        files = {}

    url = spec.url(world)
    response = _post(client, url, payload, files, encoding)
    _check(response, spec, url, encoding, payload, world, ctx)


# --- Query strings ------------------------------------------------------------------------


def _report_params(w, ids):
    from tests.security.strategies import field

    return {
        "partner": field(ids=ids),
        "programme": field("Program Digital UMKM", ids=ids),
        "cohort": field(str(w.cohort.pk), str(w.foreign_cohort.pk), ids=ids),
        "province": field("jabar", ids=ids),
        "sector": field("kuliner", ids=ids),
        "gender": field("female", ids=ids),
        "start_from": field("2026-01-01", ids=ids),
        "start_to": field("2025-01-01", ids=ids),
        "format": field("csv", "xlsx", ids=ids),
        "page": field("2", ids=ids),
    }


def _paging(*names):
    from tests.security.strategies import field

    return lambda w, ids: {name: field("1", "2", "last", ids=ids) for name in names}


def _q(persona, url, params):
    return (persona, url, params)


QUERY_PAGES = {
    "cohort learners (sort, page)": _q(
        "staff",
        lambda w: f"/staff/cohorts/{w.cohort.pk}/learners/",
        lambda w, ids: {
            **_paging("page")(w, ids),
            "sort": st.one_of(
                st.sampled_from(["name", "-progress", "progress", "last", "user__password"]),
                scalar(ids),
            ),
        },
    ),
    "cohort invitations (page)": _q(
        "staff", lambda w: f"/staff/cohorts/{w.cohort.pk}/invitations/", _paging("page")
    ),
    "session detail (page)": _q(
        "staff",
        lambda w: f"/staff/cohorts/{w.cohort.pk}/sessions/{w.session.pk}/",
        _paging("page"),
    ),
    "cohort mentoring (proposals, pairs)": _q(
        "staff",
        lambda w: f"/staff/cohorts/{w.cohort.pk}/mentoring/",
        _paging("proposals", "pairs"),
    ),
    "outcome report (filters)": _q("staff", lambda w: "/reports/outcomes/", _report_params),
    "outcome report as a partner (filters)": _q(
        "partner", lambda w: "/reports/outcomes/", _report_params
    ),
    "outcome report export (filters)": _q(
        "staff", lambda w: "/reports/outcomes/export/", _report_params
    ),
    "audit log (subject, action, page)": _q(
        "staff",
        lambda w: "/staff/audit/",
        lambda w, ids: {
            **_paging("page")(w, ids),
            "subject": st.one_of(st.sampled_from(sorted(ids)), scalar(ids)),
            "action": st.one_of(st.sampled_from(["view_learners", "export"]), scalar(ids)),
        },
    ),
    "roster export (format)": _q(
        "staff",
        lambda w: f"/staff/cohorts/{w.cohort.pk}/export/roster/",
        lambda w, ids: {"format": st.one_of(st.sampled_from(["csv", "xlsx"]), scalar(ids))},
    ),
    "attendance export (format)": _q(
        "staff",
        lambda w: f"/staff/cohorts/{w.cohort.pk}/export/attendance/",
        lambda w, ids: {"format": st.one_of(st.sampled_from(["csv", "xlsx"]), scalar(ids))},
    ),
    "mentoring export (format)": _q(
        "staff",
        lambda w: f"/staff/cohorts/{w.cohort.pk}/mentoring/export/",
        lambda w, ids: {"format": st.one_of(st.sampled_from(["csv", "xlsx"]), scalar(ids))},
    ),
    "check-in (code)": _q(
        "learner",
        lambda w: f"/sessions/{w.session.pk}/checkin/",
        lambda w, ids: {"code": st.one_of(st.just(w.session.checkin_code), scalar(ids))},
    ),
    "survey (next)": _q(
        "learner",
        lambda w: f"/surveys/{w.cohort.pk}/baseline/",
        lambda w, ids: {"next": scalar(ids)},
    ),
    "task photo (full)": _q(
        "learner", lambda w: f"/submissions/photos/{w.photo.pk}/", lambda w, ids: {"full": scalar()}
    ),
    "evidence photo (full)": _q(
        "learner",
        lambda w: f"/surveys/evidence/{w.evidence.pk}/",
        lambda w, ids: {"full": scalar()},
    ),
    "sign-in page (next)": _q(
        "anonymous", lambda w: "/accounts/login/", lambda w, ids: {"next": scalar(ids)}
    ),
    "course list (anything)": _q("learner", lambda w: "/courses/", lambda w, ids: {}),
    "notifications (anything)": _q("learner", lambda w: "/notifications/", lambda w, ids: {}),
}


@pytest.mark.parametrize("page", sorted(QUERY_PAGES))
@FUZZ
@given(data=st.data())
def test_no_query_string_makes_a_page_answer_with_a_server_error(page, data, world, personas):
    persona, url, params = QUERY_PAGES[page]
    client = getattr(world, "query_client", None)
    if client is None:
        user = personas[persona].user
        client = world.query_client = client_for(user)
    ids = id_strings(world)
    query = data.draw(st.fixed_dictionaries({}, optional=params(world, ids)), label="query")
    query = {**data.draw(extra_fields, label="unknown parameters"), **query}
    path = url(world)
    response = client.get(path, query)
    consume(response)
    assert_no_server_error(response, f"GET {path} as {persona}", query)


# --- Ids in the path ----------------------------------------------------------------------

HUGE_IDS = ["9223372036854775808", "99999999999999999999999"]
METHODS = {HUGE_IDS[0]: ("get", "post"), HUGE_IDS[1]: ("get",)}


def int_routes():
    """Every project URL with an <int:...> in its path, the ints filled with `value`."""
    import re

    routes = []
    for name, route, converters in iter_patterns():
        if not name or name.startswith("admin:") or "(?P" in route:
            continue
        if not any(type(c).__name__ == "IntConverter" for c in converters.values()):
            continue
        routes.append((name, route))
    return [
        (name, lambda value, route=route: "/" + re.sub(r"<(int|slug|str):\w+>", value, route))
        for name, route in sorted(routes)
    ]


@pytest.mark.parametrize("persona", ["learner", "mentor", "staff"])
def test_ids_too_large_for_the_database_are_not_found_rather_than_a_crash(persona, personas):
    client = client_for(personas[persona].user)
    checked = 0
    for name, make in int_routes():
        for value in HUGE_IDS:
            path = make(value)
            for method in METHODS[value]:
                response = getattr(client, method)(path)
                consume(response)
                assert_no_server_error(response, f"{method.upper()} {path} ({name}) as {persona}")
                checked += 1
    assert checked > 90


# --- Bodies that are too big or too many ----------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({f"f{n}": "x" for n in range(1500)}, id="more fields than Django reads"),
        pytest.param({"name": "x" * 3_000_000}, id="a body over the in-memory limit"),
    ],
)
def test_an_oversized_form_is_refused_with_a_client_error(body, learner):
    client = client_for(learner.user)

    response = client.post("/profile/settings/", body)

    assert response.status_code == 400
    assert_no_server_error(response, "oversized POST")


# --- Crashes this suite found, fixed since (kept as regression tests) ---------------------


@pytest.mark.parametrize("value", ["²", "³", "①"])
def test_attendance_with_a_superscript_digit_for_an_id_is_not_a_server_error(value, world, staff):
    """str.isdigit() accepts '²', int() does not (fixed in 1b7633f)."""
    url = reverse("cohorts:session_attendance", args=[world.cohort.pk, world.session.pk])

    response = client_for(staff.user).post(url, {"shown": [value], "present": [value]})

    assert_no_server_error(response, f"attendance with {value!r}")


def test_a_session_dated_in_year_one_is_refused_with_a_message(world, staff):
    """Year 1 at midnight WIB is before datetime.min in UTC (fixed in 1b7633f)."""
    url = reverse("cohorts:session_create", args=[world.cohort.pk])
    data = {
        "title": "Sesi",
        "date": "0001-01-01",
        "start_time": "00:00",
        "end_time": "01:00",
        "venue": "Balai Desa",
    }

    response = client_for(staff.user).post(url, data)

    assert_no_server_error(response, "a session in year 1")
    assert response.status_code == 200
    assert response.context["form"].errors
