"""Shared set-up for the benchmarks: their own PostgreSQL database, fresh phone numbers."""

import random
import time
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database named in the URL when it does not exist yet."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def free_block(prefix: str) -> int:
    """A block of 10,000 numbers (+62<prefix>BBBBnnnn) that no earlier run has used."""
    from ukmlearn.users.models import User

    rng = random.Random()  # noqa: S311 - picking test data, not a secret
    for _attempt in range(100):
        block = rng.randrange(1000, 10000)
        if not User.objects.filter(phone__startswith=f"+62{prefix}{block}").exists():
            return block
    raise SystemExit("no free block of phone numbers left in the bench database")


@contextmanager
def counting_queries(counter: list):
    """Count every SQL statement the block runs (append one item per query)."""
    from django.db import connection

    def wrapper(execute, sql, params, many, context):
        counter.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield


def timed(func):
    """(result, seconds, queries) of calling func()."""
    queries: list = []
    with counting_queries(queries):
        start = time.perf_counter()
        result = func()
        seconds = time.perf_counter() - start
    return result, seconds, len(queries)
