"""Analyses in PostgreSQL."""

from __future__ import annotations

from typing import Any

import msgspec
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from adapters.postgres.database import SCHEMA, PostgresDatabase, translated_errors
from core.analysis import Analysis, AnalysisRecord, Risk, Violation

_TABLE = f"{SCHEMA}.analyses"
_COLUMNS = (
    "id, item_id, notes, summary, violations, corrective_actions, risk::text AS risk, compliance_score, provider, "
    "model, fallback_from, created_by, created_at"
)


def _analysis(row: dict[str, Any]) -> Analysis:
    return Analysis(
        id=row["id"],
        item_id=row["item_id"],
        notes=row["notes"],
        summary=row["summary"],
        violations=msgspec.convert(row["violations"], list[Violation]),
        corrective_actions=list(row["corrective_actions"]),
        risk=Risk(row["risk"]),
        compliance_score=row["compliance_score"],
        provider=row["provider"],
        model=row["model"],
        fallback_from=row["fallback_from"],
        created_by=row["created_by"],
        created_at=row["created_at"],
    )


class PostgresAnalysisRepository:
    def __init__(self, db: PostgresDatabase) -> None:
        self._db = db

    async def add(self, record: AnalysisRecord) -> Analysis:
        findings = record.findings
        async with self._db.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            with translated_errors():
                await cur.execute(
                    f"""INSERT INTO {_TABLE} (item_id, notes, summary, violations, corrective_actions, risk,
                        compliance_score, provider, model, fallback_from, created_by, created_at)
                        VALUES (%s, %s, %s, %s, %s, %s::{SCHEMA}.risk, %s, %s, %s, %s, %s, %s) RETURNING {_COLUMNS}""",
                    (
                        record.item_id,
                        record.notes,
                        findings.summary,
                        Jsonb(msgspec.to_builtins(findings.violations)),
                        Jsonb(list(findings.corrective_actions)),
                        findings.risk.value,
                        findings.compliance_score,
                        record.provider,
                        record.model,
                        record.fallback_from,
                        record.created_by,
                        record.created_at,
                    ),
                )
            return _analysis(await cur.fetchone())

    async def list_for_item(self, item_id: int, *, skip: int, limit: int) -> tuple[list[Analysis], int]:
        async with self._db.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            await cur.execute(
                f"SELECT {_COLUMNS} FROM {_TABLE} WHERE item_id = %s ORDER BY created_at DESC, id DESC LIMIT %s OFFSET %s",
                (item_id, limit, skip),
            )
            rows = await cur.fetchall()
            await cur.execute(f"SELECT count(*) AS n FROM {_TABLE} WHERE item_id = %s", (item_id,))
            total = (await cur.fetchone())["n"]
        return [_analysis(row) for row in rows], total
