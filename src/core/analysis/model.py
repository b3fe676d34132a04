"""Inspection analysis: findings from an inspector's notes, whoever produced them."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated

import msgspec



NOTES_MAX = 5_000
PROVIDERS = ("rules", "ollama", "openai")
DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class Severity(str, enum.Enum):
    CRITICAL = "critical"
    MAJOR = "major"
    MINOR = "minor"


class Risk(str, enum.Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


Short = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class Violation(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    description: Short
    severity: Severity
    #: The rule's code (a Food Code section) when the rule set has one.
    code: Annotated[str, msgspec.Meta(max_length=50)] | None = None


class ModelFindings(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What any provider must produce; checked here whatever produced it."""

    summary: Annotated[str, msgspec.Meta(min_length=1, max_length=2_000)]
    violations: Annotated[list[Violation], msgspec.Meta(max_length=50)]
    corrective_actions: Annotated[list[Short], msgspec.Meta(max_length=50)]
    risk: Risk
    compliance_score: Annotated[int, msgspec.Meta(ge=0, le=100)]


class ProviderAnswer(msgspec.Struct, frozen=True):
    """A provider's raw answer: a decoded JSON document, and the model that wrote it."""

    document: object
    model: str


Notes = Annotated[
    str, msgspec.Meta(min_length=1, max_length=NOTES_MAX, pattern=r"[^\s\x00]", description="The inspector's notes.")
]
Provider = Annotated[str, msgspec.Meta(pattern="^(rules|ollama|openai)$", description="rules, ollama or openai.")]
ModelName = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class AnalysisRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    notes: Notes
    provider: Provider | None = None
    model: ModelName | None = None


class Analysis(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    item_id: int | None
    notes: str
    summary: str
    violations: list[Violation]
    corrective_actions: list[str]
    risk: Risk
    compliance_score: int
    provider: str
    model: str
    #: The provider that failed when the rules answered instead (only with fallback on).
    fallback_from: str | None
    created_by: int | None
    created_at: datetime


class AnalysisRecord(msgspec.Struct, frozen=True, kw_only=True):
    item_id: int
    notes: str
    findings: ModelFindings
    provider: str
    model: str
    fallback_from: str | None
    created_by: int
    created_at: datetime


AnalysesLimit = Annotated[int, msgspec.Meta(ge=1, le=MAX_LIMIT, description="Page size.")]
