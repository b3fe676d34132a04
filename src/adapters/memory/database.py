"""The in-memory adapters' stand-in for a database: nothing to open or reach."""


class MemoryDatabase:
    async def open(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def ping(self) -> None:
        return None
