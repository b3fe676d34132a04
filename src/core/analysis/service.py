"""Analysis use cases: analyse an item's notes with a provider, store and list findings."""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from core.analysis.model import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    Analysis,
    AnalysisRecord,
    AnalysisRequest,
    ModelFindings,
    ProviderAnswer,
)
from core.analysis.ports import Analyzer, AnalysisRepository
from core.common import Clock, Page, check_page, invalid_input_from, validated
from core.errors import InvalidInput, Unavailable, UpstreamFailed
from core.identity.model import Caller, Principal
from core.inspections.model import Item
from core.inspections.service import InspectionService


def checked_findings(answer: ProviderAnswer, provider: str) -> ModelFindings:
    """The provider's document as findings, or ``UpstreamFailed`` saying why it does not fit.
    Never a partial result."""
    try:
        return msgspec.convert(answer.document, ModelFindings)
    except msgspec.ValidationError as exc:
        problem = invalid_input_from(exc).message
        raise UpstreamFailed(f"The {provider} provider's answer does not fit the findings format ({problem}).") from exc


def context_of(item: Item) -> str:
    parts = [f"Title: {item.title}"]
    if item.establishment_name:
        parts.append(f"Establishment: {item.establishment_name}")
    if item.inspection_type:
        parts.append(f"Inspection type: {item.inspection_type.value}")
    if item.description:
        parts.append(f"Description: {item.description}")
    return "\n".join(parts)


class AnalysisService:
    def __init__(
        self,
        analyzers: Mapping[str, Analyzer],
        analyses: AnalysisRepository,
        inspections: InspectionService,
        clock: Clock,
        *,
        default_provider: str = "rules",
        fallback_to_rules: bool = False,
    ) -> None:
        if default_provider not in analyzers:
            raise ValueError(f"unknown default provider {default_provider!r}")
        self._analyzers = dict(analyzers)
        self._analyses = analyses
        self._inspections = inspections
        self._clock = clock
        self._default = default_provider
        self._fallback = fallback_to_rules and "rules" in analyzers

    async def analyze_item(self, actor: Principal | Caller, item_id: int, request: AnalysisRequest) -> Analysis:
        """Analyse notes about an item the caller may see (owner or superuser) and store the findings."""
        request = validated(request)
        item = await self._inspections.get(actor, item_id)
        findings, provider, model, fallback_from = await self.findings(request, context=context_of(item))
        return await self._analyses.add(
            AnalysisRecord(
                item_id=item.id,
                notes=request.notes,
                findings=findings,
                provider=provider,
                model=model,
                fallback_from=fallback_from,
                created_by=actor.user_id,
                created_at=self._clock.now(),
            )
        )

    async def findings(
        self, request: AnalysisRequest, *, context: str = ""
    ) -> tuple[ModelFindings, str, str, str | None]:
        """(findings, provider, model, fallback_from) for notes, without storing anything.

        With fallback on, a remote provider that is down or answers badly is
        replaced by the rules, and the result names the provider that failed.
        """
        request = validated(request)
        name = request.provider or self._default
        analyzer = self._analyzers.get(name)
        if analyzer is None:
            raise InvalidInput.for_field("provider", f"{name!r} is not configured here; use one of {sorted(self._analyzers)}")
        try:
            answer = await analyzer.analyze(request.notes, context=context, model=request.model)
            return checked_findings(answer, name), name, answer.model, None
        except (Unavailable, UpstreamFailed):
            if not self._fallback or name == "rules":
                raise
        rules = self._analyzers["rules"]
        answer = await rules.analyze(request.notes, context=context, model=None)
        return checked_findings(answer, "rules"), "rules", answer.model, name

    async def list_for_item(
        self, actor: Principal | Caller, item_id: int, *, skip: int = 0, limit: int = DEFAULT_LIMIT
    ) -> Page[Analysis]:
        check_page(skip, limit, MAX_LIMIT)
        item = await self._inspections.get(actor, item_id)
        items, total = await self._analyses.list_for_item(item.id, skip=skip, limit=limit)
        return Page(items=items, total=total, skip=skip, limit=limit)

    @property
    def providers(self) -> list[str]:
        return sorted(self._analyzers)
