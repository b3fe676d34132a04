"""One behaviour suite for every AnalysisRepository adapter, through the AnalysisService."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.analysis import RulesAnalyzer
from adapters.security import FixedClock
from core.analysis import AnalysisRequest, AnalysisService
from core.errors import InvalidInput, NotFound
from core.identity import NewUserRecord, Principal
from core.inspections import InspectionService, ItemCreate

ANN, BOB, ROOT = Principal(1, False), Principal(2, False), Principal(3, True)


@pytest.fixture
async def setup(analysis_repository, item_repository, user_repository):
    clock = FixedClock(datetime(2026, 6, 1, tzinfo=UTC))
    for n in (1, 2, 3):
        await user_repository.add(NewUserRecord(email=f"u{n}@example.gov", full_name="", password_hash="x",
                                                is_active=True, is_superuser=n == 3, created_at=clock.now()))  # fmt: skip
    inspections = InspectionService(item_repository, clock)
    service = AnalysisService({"rules": RulesAnalyzer()}, analysis_repository, inspections, clock)
    item = await inspections.create(ANN, ItemCreate(title="Harbour Fish Bar"))
    return service, clock, item.id


async def test_an_analysis_is_stored_with_every_field(setup) -> None:
    service, clock, item_id = setup
    stored = await service.analyze_item(ANN, item_id, AnalysisRequest(notes="Walk-in cooler at 47 F. No soap."))
    assert stored.item_id == item_id and stored.created_by == ANN.user_id and stored.created_at == clock.now()
    assert [v.code for v in stored.violations] == ["3-501.16(A)(2)", "6-301.11"]
    assert stored.risk.value == "high" and stored.compliance_score == 50
    assert stored.provider == "rules" and stored.model == "food-code-rules/1" and stored.fallback_from is None
    page = await service.list_for_item(ANN, item_id)
    assert page.items == [stored] and page.total == 1


async def test_analyses_are_listed_newest_first_and_paged(setup) -> None:
    service, clock, item_id = setup
    for notes in ("No soap.", "Expired milk.", "All clean."):
        clock.advance(timedelta(minutes=1))
        await service.analyze_item(ANN, item_id, AnalysisRequest(notes=notes))
    page = await service.list_for_item(ANN, item_id, skip=0, limit=2)
    assert [a.notes for a in page.items] == ["All clean.", "Expired milk."] and page.total == 3
    assert [a.notes for a in (await service.list_for_item(ROOT, item_id, skip=2, limit=2)).items] == ["No soap."]


async def test_someone_elses_item_is_not_found_for_analysis(setup) -> None:
    service, _, item_id = setup
    with pytest.raises(NotFound):
        await service.analyze_item(BOB, item_id, AnalysisRequest(notes="No soap."))
    with pytest.raises(NotFound):
        await service.list_for_item(BOB, item_id)
    assert (await service.analyze_item(ROOT, item_id, AnalysisRequest(notes="No soap."))).created_by == ROOT.user_id


async def test_blank_or_huge_notes_are_invalid(setup) -> None:
    service, _, item_id = setup
    for notes in ("   ", "x" * 5001):
        with pytest.raises(InvalidInput):
            await service.analyze_item(ANN, item_id, AnalysisRequest(notes=notes))
