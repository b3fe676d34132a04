"""The analysis context: findings from inspection notes, through a provider port."""

from core.analysis.model import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    NOTES_MAX,
    PROVIDERS,
    Analysis,
    AnalysesLimit,
    AnalysisRecord,
    AnalysisRequest,
    ModelFindings,
    ProviderAnswer,
    Risk,
    Severity,
    Violation,
)
from core.analysis.ports import Analyzer, AnalysisRepository
from core.analysis.service import AnalysisService, checked_findings, context_of

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "NOTES_MAX",
    "PROVIDERS",
    "Analysis",
    "AnalysesLimit",
    "AnalysisRecord",
    "AnalysisRepository",
    "AnalysisRequest",
    "AnalysisService",
    "Analyzer",
    "ModelFindings",
    "ProviderAnswer",
    "Risk",
    "Severity",
    "Violation",
    "checked_findings",
    "context_of",
]
