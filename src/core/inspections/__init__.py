"""The inspections context: work items owned by inspectors, with a status workflow."""

from core.inspections.model import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    InspectionType,
    Item,
    ItemCreate,
    ItemFilter,
    ItemOrder,
    ItemQuery,
    ItemRecord,
    ItemsLimit,
    ItemStatus,
    ItemUpdate,
    SearchText,
    SortOrder,
    Statuses,
)
from core.inspections.ports import ItemRepository
from core.inspections.service import InspectionService, matches, search_text, stale_version
from core.inspections.workflow import SUPERUSER_TRANSITIONS, TRANSITIONS, allowed, check_transition

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "SUPERUSER_TRANSITIONS",
    "TRANSITIONS",
    "InspectionService",
    "InspectionType",
    "Item",
    "ItemCreate",
    "ItemFilter",
    "ItemOrder",
    "ItemQuery",
    "ItemRecord",
    "ItemRepository",
    "ItemStatus",
    "ItemUpdate",
    "ItemsLimit",
    "SearchText",
    "SortOrder",
    "Statuses",
    "allowed",
    "check_transition",
    "matches",
    "search_text",
    "stale_version",
]
