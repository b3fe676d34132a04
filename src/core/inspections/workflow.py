"""The status workflow, stated once.

    pending ──▶ in_progress ──▶ completed
       │             │
       └──────▶ cancelled ◀─────┘

``completed`` and ``cancelled`` can be reopened to ``in_progress`` by a
superuser only. Keeping the same status is not a transition and is always
allowed. Anything else is refused with the allowed moves named.
"""

from __future__ import annotations

from core.errors import Conflict
from core.inspections.model import ItemStatus

P, I, C, X = ItemStatus.PENDING, ItemStatus.IN_PROGRESS, ItemStatus.COMPLETED, ItemStatus.CANCELLED

#: Moves anyone who may edit the item can make.
TRANSITIONS: dict[ItemStatus, frozenset[ItemStatus]] = {
    P: frozenset({I, X}),
    I: frozenset({C, X}),
    C: frozenset(),
    X: frozenset(),
}
#: Moves only a superuser can make: reopening finished work.
SUPERUSER_TRANSITIONS: dict[ItemStatus, frozenset[ItemStatus]] = {
    P: frozenset(),
    I: frozenset(),
    C: frozenset({I}),
    X: frozenset({I}),
}


def allowed(current: ItemStatus, *, superuser: bool) -> frozenset[ItemStatus]:
    """The statuses ``current`` may move to."""
    return TRANSITIONS[current] | (SUPERUSER_TRANSITIONS[current] if superuser else frozenset())


def check_transition(current: ItemStatus, target: ItemStatus, *, superuser: bool) -> None:
    """Refuse an illegal move with ``Conflict`` naming the legal ones."""
    if target == current or target in allowed(current, superuser=superuser):
        return
    legal = sorted(s.value for s in allowed(current, superuser=superuser))
    options = ", ".join(legal) if legal else "none"
    hint = ""
    if target in SUPERUSER_TRANSITIONS[current]:
        hint = " (reopening needs a superuser)"
    raise Conflict(
        f"An item cannot go from {current.value} to {target.value}{hint}; from {current.value} it can go to: {options}."
    )
