"""What analysis needs: providers that read notes, and storage for their findings."""

from __future__ import annotations

from typing import Protocol

from core.analysis.model import Analysis, AnalysisRecord, ProviderAnswer


class Analyzer(Protocol):
    """Reads an inspector's notes and answers with findings as a JSON document.

    Raises ``Unavailable`` when the provider cannot be reached in time and
    ``UpstreamFailed`` when it answers with an error. The core checks the
    document; an analyzer never invents a result.
    """

    name: str

    async def analyze(self, notes: str, *, context: str, model: str | None) -> ProviderAnswer: ...


class AnalysisRepository(Protocol):
    async def add(self, record: AnalysisRecord) -> Analysis: ...

    async def list_for_item(self, item_id: int, *, skip: int, limit: int) -> tuple[list[Analysis], int]:
        """An item's analyses, newest first (then highest id first), and how many there are."""
        ...
