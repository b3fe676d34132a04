"""Rate limits and the client address they are keyed by."""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Sequence
from typing import Protocol

import msgspec


class CounterStore(Protocol):
    """Fixed-window counters: ``hit`` counts one more and returns (count, seconds until reset)."""

    async def hit(self, key: str, window: int) -> tuple[int, int]: ...

    async def peek(self, key: str) -> tuple[int, int]: ...

    async def reset(self, key: str) -> None: ...

    async def ping(self) -> None: ...

    async def close(self) -> None: ...


class RateLimited(Exception):
    """Too many requests; ``retry_after`` seconds until the window resets."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class Limits(msgspec.Struct, frozen=True, kw_only=True):
    per_minute: int = 600
    login_per_minute: int = 10
    login_max_failures: int = 5
    login_lockout_seconds: int = 900
    registrations_per_hour: int = 10


class Limiter:
    def __init__(self, store: CounterStore, limits: Limits) -> None:
        self.store = store
        self.limits = limits

    async def general(self, client: str) -> None:
        if self.limits.per_minute:
            await self._hit(f"req:{client}", self.limits.per_minute, 60, "Too many requests from this address")

    async def login_attempt(self, client: str, account: str) -> None:
        await self._hit(f"login:{client}", self.limits.login_per_minute, 60, "Too many login attempts from this address")
        failures, ttl = await self.store.peek(f"fail:{account}")
        if failures >= self.limits.login_max_failures:
            raise RateLimited("Too many failed logins for this account; it is locked for a while", ttl)

    async def login_failed(self, account: str) -> None:
        await self.store.hit(f"fail:{account}", self.limits.login_lockout_seconds)

    async def login_succeeded(self, account: str) -> None:
        await self.store.reset(f"fail:{account}")

    async def registration(self, client: str) -> None:
        await self._hit(
            f"register:{client}", self.limits.registrations_per_hour, 3600, "Too many registrations from this address"
        )

    async def _hit(self, key: str, limit: int, window: int, message: str) -> None:
        count, ttl = await self.store.hit(key, window)
        if count > limit:
            raise RateLimited(f"{message}; retry in {ttl} seconds.", ttl)


class ClientAddress:
    """The caller's address: the peer, or what a trusted proxy says it forwarded."""

    def __init__(self, trusted_proxies: Sequence[str]) -> None:
        self._trusted = [ipaddress.ip_network(p, strict=False) for p in trusted_proxies]
        # The same few peers (proxies, load generators, clients) call again and again.
        self.trusted = functools.lru_cache(maxsize=4096)(self._is_trusted)  # type: ignore[method-assign]

    def trusted(self, peer: str) -> bool:
        return self._is_trusted(peer)

    def _is_trusted(self, peer: str) -> bool:
        if not self._trusted:
            return False
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return False
        return any(address in network for network in self._trusted)

    def resolve(self, peer: str, headers: dict[str, str]) -> str:
        if not self.trusted(peer):
            return peer
        fly = headers.get("fly-client-ip", "").strip()
        if fly and _is_ip(fly):
            return fly
        forwarded = [h.strip() for h in headers.get("x-forwarded-for", "").split(",") if h.strip()]
        # Walk back from the nearest hop; the first untrusted address is the client.
        for hop in reversed(forwarded):
            if not _is_ip(hop):
                break
            if not self.trusted(hop):
                return hop
        return peer


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
