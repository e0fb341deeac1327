"""Exit 0 when the named services answer (postgres, redis), 1 otherwise.

Usage: wait_for_services.py [--timeout SECONDS] postgres redis
"""

import argparse
import os
import sys
import time


def postgres_ok() -> bool:
    import psycopg

    url = os.environ.get("PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    try:
        with psycopg.connect(url, connect_timeout=2) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def redis_ok() -> bool:
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


CHECKS = {"postgres": postgres_ok, "redis": redis_ok}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=0)
    parser.add_argument("services", nargs="+", choices=sorted(CHECKS))
    args = parser.parse_args()
    deadline = time.monotonic() + args.timeout
    pending = list(args.services)
    while True:
        pending = [name for name in pending if not CHECKS[name]()]
        if not pending:
            return 0
        if time.monotonic() >= deadline:
            print("not reachable: " + ", ".join(pending), file=sys.stderr)
            return 1
        time.sleep(0.5)


if __name__ == "__main__":
    sys.exit(main())
