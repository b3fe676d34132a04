"""Analyses in SQLite."""

from __future__ import annotations

import json
import sqlite3

import msgspec

from adapters.sqlite.database import SqliteDatabase, from_text, to_text, transaction, translated_errors
from core.analysis import Analysis, AnalysisRecord, Risk, Violation

_COLUMNS = (
    "id, item_id, notes, summary, violations, corrective_actions, risk, compliance_score, provider, model, "
    "fallback_from, created_by, created_at"
)


def _analysis(row: sqlite3.Row) -> Analysis:
    return Analysis(
        id=row["id"],
        item_id=row["item_id"],
        notes=row["notes"],
        summary=row["summary"],
        violations=msgspec.json.decode(row["violations"], type=list[Violation]),
        corrective_actions=json.loads(row["corrective_actions"]),
        risk=Risk(row["risk"]),
        compliance_score=row["compliance_score"],
        provider=row["provider"],
        model=row["model"],
        fallback_from=row["fallback_from"],
        created_by=row["created_by"],
        created_at=from_text(row["created_at"]),
    )


class SqliteAnalysisRepository:
    def __init__(self, db: SqliteDatabase) -> None:
        self._db = db

    async def add(self, record: AnalysisRecord) -> Analysis:
        findings = record.findings

        def work(conn: sqlite3.Connection) -> Analysis:
            with translated_errors():
                row = conn.execute(
                    f"""INSERT INTO analyses (item_id, notes, summary, violations, corrective_actions, risk,
                        compliance_score, provider, model, fallback_from, created_by, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {_COLUMNS}""",
                    (
                        record.item_id,
                        record.notes,
                        findings.summary,
                        msgspec.json.encode(findings.violations).decode(),
                        json.dumps(list(findings.corrective_actions), ensure_ascii=False),
                        findings.risk.value,
                        findings.compliance_score,
                        record.provider,
                        record.model,
                        record.fallback_from,
                        record.created_by,
                        to_text(record.created_at),
                    ),
                ).fetchone()
            return _analysis(row)

        return await self._db.run(work)

    async def list_for_item(self, item_id: int, *, skip: int, limit: int) -> tuple[list[Analysis], int]:
        def work(conn: sqlite3.Connection) -> tuple[list[Analysis], int]:
            with transaction(conn, immediate=False):
                rows = conn.execute(
                    f"SELECT {_COLUMNS} FROM analyses WHERE item_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                    (item_id, limit, skip),
                ).fetchall()
                total = conn.execute("SELECT count(*) FROM analyses WHERE item_id = ?", (item_id,)).fetchone()[0]
            return [_analysis(r) for r in rows], total

        return await self._db.run(work)
