"""Inspection items: the second seed's work items, with an owner and a status workflow."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, UnsetType

from core.common import Id, Skip
from core.text import NON_BLANK_PATTERN

TITLE_MAX = 100
DESCRIPTION_MAX = 1_000
ESTABLISHMENT_MAX = 200
ADDRESS_MAX = 300
SEARCH_MAX = 100
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


class ItemStatus(str, enum.Enum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class InspectionType(str, enum.Enum):
    ROUTINE = "routine"
    FOLLOW_UP = "follow_up"
    COMPLAINT = "complaint"


Title = Annotated[
    str,
    msgspec.Meta(
        min_length=1, max_length=TITLE_MAX, pattern=NON_BLANK_PATTERN, description="1-100 characters after trimming."
    ),
]
Description = Annotated[str, msgspec.Meta(max_length=DESCRIPTION_MAX)]
Establishment = Annotated[str, msgspec.Meta(max_length=ESTABLISHMENT_MAX, description="Name of the inspected place.")]
Address = Annotated[str, msgspec.Meta(max_length=ADDRESS_MAX)]
Score = Annotated[int, msgspec.Meta(ge=0, le=100, description="Inspection score, 0-100.")]


class Item(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    title: str
    description: str
    status: ItemStatus
    owner_id: int
    establishment_name: str | None
    establishment_address: str | None
    inspection_type: InspectionType | None
    due_date: date | None
    score: int | None
    created_at: datetime
    updated_at: datetime
    #: Starts at 1 and grows by one on every update; the HTTP ETag.
    version: int


class ItemCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A new item. It always belongs to its creator and starts as ``pending``."""

    title: Title
    description: Description = ""
    status: Literal["pending"] = "pending"
    establishment_name: Establishment | None = None
    establishment_address: Address | None = None
    inspection_type: InspectionType | None = None
    due_date: date | None = None
    score: Score | None = None


class ItemUpdate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Fields to change (PUT and PATCH both take this); ``owner_id`` is not one of them."""

    title: Title | UnsetType = UNSET
    description: Description | UnsetType = UNSET
    status: ItemStatus | UnsetType = UNSET
    establishment_name: Establishment | None | UnsetType = UNSET
    establishment_address: Address | None | UnsetType = UNSET
    inspection_type: InspectionType | None | UnsetType = UNSET
    due_date: date | None | UnsetType = UNSET
    score: Score | None | UnsetType = UNSET


SortOrder = Literal["created_at", "-created_at", "updated_at", "-updated_at"]
ItemsLimit = Annotated[int, msgspec.Meta(ge=1, le=MAX_LIMIT, description="Page size.")]
SearchText = Annotated[str, msgspec.Meta(max_length=SEARCH_MAX, description="Substring of title or description.")]
Statuses = Annotated[list[ItemStatus], msgspec.Meta(max_length=4)]


class ItemQuery(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Filters and paging for a list of items. ``sort`` names a timestamp, with
    ``-`` for newest first (the default is ``-created_at``); ties go by id."""

    status: Statuses = []
    search: SearchText | None = None
    owner_id: Id | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    sort: SortOrder = "-created_at"
    skip: Skip = 0
    limit: ItemsLimit = DEFAULT_LIMIT


# -- what storage adapters receive --------------------------------------------


class ItemRecord(msgspec.Struct, frozen=True, kw_only=True):
    title: str
    description: str
    status: ItemStatus
    owner_id: int
    establishment_name: str | None
    establishment_address: str | None
    inspection_type: InspectionType | None
    due_date: date | None
    score: int | None
    #: fold(title) + "\n" + fold(description): what ``search`` matches.
    search_text: str
    created_at: datetime
    updated_at: datetime


class ItemFilter(msgspec.Struct, frozen=True, kw_only=True):
    """An item matches when every set condition holds: its owner is ``owner_id``,
    its status is among ``statuses``, ``text`` is a substring of its
    ``search_text``, and ``created_after <= created_at < created_before``."""

    owner_id: int | None = None
    statuses: tuple[ItemStatus, ...] = ()
    text: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None


class ItemOrder(msgspec.Struct, frozen=True, kw_only=True):
    field: Literal["created_at", "updated_at"] = "created_at"
    descending: bool = True
    skip: int = 0
    limit: int = DEFAULT_LIMIT
