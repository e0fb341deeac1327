"""A Redis cache that keeps the site up while Redis is down (issue 9).

The cache only holds what can be lost: rate-limit counters, the phone-reset tries, throttles.
With Django's RedisCache a stopped Redis turns every sign-in into a 500 (allauth's rate limit
calls ``cache.add``). Here an unreachable Redis reads as an empty cache and writes are
dropped, with a warning in the log; rate limits are not enforced until Redis is back.
``add`` answers True, because callers loop until it does (allauth's lock).
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("ukmlearn.cache")
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _tolerant(name, fallback):
    method = getattr(RedisCache, name)

    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNREACHABLE as exc:
            logger.warning("cache unreachable during %s: %s", name, type(exc).__name__)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    wrapper.__name__ = name
    return wrapper


class TolerantRedisCache(RedisCache):
    get = _tolerant("get", lambda key, default=None, version=None: default)
    add = _tolerant("add", True)
    set = _tolerant("set", None)
    touch = _tolerant("touch", False)
    delete = _tolerant("delete", False)
    get_many = _tolerant("get_many", {})
    has_key = _tolerant("has_key", False)
    incr = _tolerant("incr", lambda key, delta=1, version=None: delta)
    set_many = _tolerant("set_many", [])
    delete_many = _tolerant("delete_many", None)
    clear = _tolerant("clear", None)
