"""Text keys shared by every context: how two strings are compared "ignoring case and accents"."""

from __future__ import annotations

import unicodedata


def _fold_once(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """The comparison key of ``text``: case-folded, accents removed, whitespace
    collapsed to single spaces and trimmed.

    ``fold("  Piña   COLADA ") == "pina colada"``. Storage adapters never fold
    anything themselves: the core computes every key and they store it, so
    memory, SQLite and PostgreSQL compare exactly the same strings.
    """
    result = _fold_once(text)
    # Case folding can produce combining marks and compatibility decomposition
    # can produce capitals; repeat until nothing changes so fold is idempotent.
    for _ in range(4):
        again = _fold_once(result)
        if again == result:
            break
        result = again
    return " ".join(result.split())


def clean(text: str) -> str:
    """Trimmed, inner whitespace runs collapsed to one space, NFC-composed."""
    return " ".join(unicodedata.normalize("NFC", text).split())
