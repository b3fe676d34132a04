"""Fixed-window counters in Redis, atomic across processes.

One Lua script increments the counter, starts its window on the first hit and
reads the time left, in a single atomic step: two processes can never both
see the same count, so a limit of N lets exactly N requests through.
"""

from __future__ import annotations

import redis.asyncio as redis_asyncio
from redis.exceptions import RedisError

from core.errors import Unavailable

_HIT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
"""
PREFIX = "opengov-food:rl:"


class RedisCounterStore:
    def __init__(self, url: str, *, timeout: float = 2.0) -> None:
        self._redis = redis_asyncio.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
        self._hit = self._redis.register_script(_HIT)

    async def hit(self, key: str, window: int) -> tuple[int, int]:
        try:
            count, ttl = await self._hit(keys=[PREFIX + key], args=[window])
        except RedisError as exc:
            raise Unavailable("The rate-limit store is unavailable right now; try again shortly.") from exc
        return int(count), max(1, int(ttl))

    async def peek(self, key: str) -> tuple[int, int]:
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                count, ttl = await pipe.get(PREFIX + key).ttl(PREFIX + key).execute()
        except RedisError as exc:
            raise Unavailable("The rate-limit store is unavailable right now; try again shortly.") from exc
        return (int(count), max(1, int(ttl))) if count is not None else (0, 0)

    async def reset(self, key: str) -> None:
        try:
            await self._redis.delete(PREFIX + key)
        except RedisError as exc:
            raise Unavailable("The rate-limit store is unavailable right now; try again shortly.") from exc

    async def ping(self) -> None:
        try:
            await self._redis.ping()
        except RedisError as exc:
            raise Unavailable("The shared store (Redis) does not answer.") from exc

    async def close(self) -> None:
        await self._redis.aclose()
