"""argon2id password hashing that never runs on the event loop."""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

import argon2
import msgspec
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


class Argon2Parameters(msgspec.Struct, frozen=True):
    """argon2id cost. The default is OWASP's "m=19 MiB, t=2, p=1" configuration.

    Anything cheaper than OWASP's weakest listed configuration (m=7 MiB, t=5)
    is refused: ``memory_cost`` is in KiB.
    """

    time_cost: int = 2
    memory_cost: int = 19_456
    parallelism: int = 1

    def __post_init__(self) -> None:
        if self.parallelism < 1 or self.time_cost < 1:
            raise ValueError("argon2 time_cost and parallelism must be at least 1")
        if self.memory_cost < 7_168 or self.memory_cost * self.time_cost < 35_840:
            raise ValueError(
                "argon2 parameters are below OWASP's minimum: use at least memory_cost=19456 (KiB) with time_cost=2"
            )


class Argon2Hasher:
    """The ``PasswordHasher`` port on argon2-cffi.

    Hashing takes tens of milliseconds of CPU by design. argon2-cffi releases
    the GIL, so running it on a small dedicated thread pool keeps the event
    loop serving other requests during a burst of logins, and caps how many
    hashes run at once at the number of cores.
    """

    def __init__(self, params: Argon2Parameters | None = None, *, max_threads: int | None = None) -> None:
        params = params or Argon2Parameters()
        self._hasher = argon2.PasswordHasher(
            time_cost=params.time_cost,
            memory_cost=params.memory_cost,
            parallelism=params.parallelism,
            hash_len=32,
            salt_len=16,
            type=argon2.Type.ID,
        )
        self._pool = ThreadPoolExecutor(max_workers=max_threads or os.cpu_count() or 2, thread_name_prefix="argon2")

    async def hash(self, password: str) -> str:
        return await asyncio.get_running_loop().run_in_executor(self._pool, self._hasher.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        return await asyncio.get_running_loop().run_in_executor(self._pool, self._verify, password_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
