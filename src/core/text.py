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
    result = _fold_once(text.replace("\x00", ""))
    # Case folding can produce combining marks and compatibility decomposition
    # can produce capitals; repeat until nothing changes so fold is idempotent.
    for _ in range(4):
        again = _fold_once(result)
        if again == result:
            break
        result = again
    return " ".join(result.split())


def clean(text: str) -> str:
    """A one-line text as stored: NUL characters dropped (no database keeps
    them), trimmed, inner whitespace runs collapsed to one space, NFC-composed."""
    return " ".join(unicodedata.normalize("NFC", text.replace("\x00", "")).split())


def clean_block(text: str) -> str:
    """A multi-line text as stored: NUL characters dropped, trimmed, lines kept."""
    return unicodedata.normalize("NFC", text.replace("\x00", "")).strip()


#: Characters counted as whitespace by Python's ``\s`` or by ECMAScript's (the
#: dialect of OpenAPI ``pattern``), so one pattern means the same in both.
WHITESPACE_CLASS = r"\s\x1c-\x1f\x85\ufeff"
#: A pattern for "contains something other than whitespace (or NUL, which is dropped)".
NON_BLANK_PATTERN = "[^" + WHITESPACE_CLASS + r"\x00]"
