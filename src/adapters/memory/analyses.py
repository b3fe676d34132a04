"""Analyses in process memory."""

from __future__ import annotations

from core.analysis import Analysis, AnalysisRecord


def analysis_from(analysis_id: int, record: AnalysisRecord) -> Analysis:
    findings = record.findings
    return Analysis(
        id=analysis_id,
        item_id=record.item_id,
        notes=record.notes,
        summary=findings.summary,
        violations=list(findings.violations),
        corrective_actions=list(findings.corrective_actions),
        risk=findings.risk,
        compliance_score=findings.compliance_score,
        provider=record.provider,
        model=record.model,
        fallback_from=record.fallback_from,
        created_by=record.created_by,
        created_at=record.created_at,
    )


class MemoryAnalysisRepository:
    def __init__(self) -> None:
        self._rows: dict[int, Analysis] = {}
        self._next_id = 1

    async def add(self, record: AnalysisRecord) -> Analysis:
        analysis = analysis_from(self._next_id, record)
        self._rows[analysis.id] = analysis
        self._next_id += 1
        return analysis

    async def list_for_item(self, item_id: int, *, skip: int, limit: int) -> tuple[list[Analysis], int]:
        found = sorted((a for a in self._rows.values() if a.item_id == item_id), key=lambda a: (a.created_at, a.id), reverse=True)
        return found[skip : skip + limit], len(found)
