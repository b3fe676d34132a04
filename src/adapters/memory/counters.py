"""Fixed-window counters in this process (the default rate-limit store)."""

from __future__ import annotations

import math
import time


class MemoryCounterStore:
    """Exact within one process; each process has its own budget."""

    def __init__(self) -> None:
        self._counts: dict[str, tuple[int, float]] = {}

    async def hit(self, key: str, window: int) -> tuple[int, int]:
        now = time.monotonic()
        count, resets = self._counts.get(key, (0, 0.0))
        if resets <= now:
            count, resets = 0, now + window
        count += 1
        self._counts[key] = (count, resets)
        if len(self._counts) > 100_000:
            self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
        return count, max(1, math.ceil(resets - now))

    async def peek(self, key: str) -> tuple[int, int]:
        now = time.monotonic()
        count, resets = self._counts.get(key, (0, 0.0))
        return (0, 0) if resets <= now else (count, max(1, math.ceil(resets - now)))

    async def reset(self, key: str) -> None:
        self._counts.pop(key, None)

    async def ping(self) -> None:
        return None

    async def close(self) -> None:
        return None
