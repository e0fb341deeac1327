"""Assertions shared by every app's tests."""

import gzip
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(func) -> int:
    """How many SQL queries func() runs."""
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


def assert_constant_queries(client, url: str, *, grow, expected: int | None = None) -> int:
    """GET url, add rows with grow(), GET again: the query count must not change.

    Returns the count, and checks it against expected when given, so a page's budget is
    pinned in its test.
    """
    # Warm caches (session, content types, the course content cache: adding lessons starts a
    # new content version) so both counts compare alike.
    client.get(url)
    before = count_queries(lambda: client.get(url))
    grow()
    client.get(url)
    after = count_queries(lambda: client.get(url))
    assert before == after, f"{url}: {before} queries before, {after} after adding rows"
    if expected is not None:
        assert after == expected, f"{url}: {after} queries, budget is {expected}"
    return after


def gzipped_size(response) -> int:
    """Bytes of the body after gzip, as the GZip middleware would send it."""
    return len(gzip.compress(response.content, compresslevel=6))


# Every page loads the one enhancement script of the layout (static/js/app.js, issue 8);
# tests that look for injected or page-drawn scripts take it out first and see the rest.
APP_SCRIPT = re.compile(r'<script src="/static/js/app(\.[0-9a-f]{12})?\.js" defer></script>')


def without_app_script(html: str) -> str:
    stripped, count = APP_SCRIPT.subn("", html)
    assert count == 1, "the layout's app.js should appear exactly once"
    return stripped
