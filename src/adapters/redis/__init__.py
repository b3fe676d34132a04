"""Redis adapters: counters shared by every server process."""

from adapters.redis.counters import RedisCounterStore

__all__ = ["RedisCounterStore"]
