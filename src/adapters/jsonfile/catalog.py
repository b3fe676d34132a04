"""The catalog file format: ``{"format": "opengov-food.cocktails/1", "cocktails": [...]}``.

Each cocktail has the fields of a create request (``CocktailDraft``): name,
ingredients ([{name, measure}]), description, instructions, category, glass,
alcoholic, tags, image_url. Unknown fields are errors, as in the API.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterable
from pathlib import Path
from typing import IO, Literal

import msgspec

from core.catalog import Cocktail, CocktailDraft
from core.common import invalid_input_from
from core.errors import InvalidInput

FORMAT = "opengov-food.cocktails/1"
_BYTE = re.compile(r"\(byte (\d+)\)")
_RECORD = re.compile(r"^cocktails\[(\d+)\]")


class CatalogFile(msgspec.Struct, forbid_unknown_fields=True):
    format: Literal["opengov-food.cocktails/1"]
    cocktails: list[CocktailDraft]


def read_catalog(path: Path | str) -> list[CocktailDraft]:
    """Every cocktail in the file, or ``InvalidInput`` naming the line or record at fault."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        return msgspec.json.decode(data, type=CatalogFile).cocktails
    except msgspec.ValidationError as exc:
        error = invalid_input_from(exc)
        field = error.errors[0].field if error.errors else "body"
        record = _RECORD.match(field)
        where = f"cocktail {record.group(1)} ({_name_at(data, int(record.group(1)))})" if record else "the file"
        raise InvalidInput(f"{path}: {where}: {field}: {error.errors[0].message}", error.errors) from exc
    except msgspec.DecodeError as exc:
        byte = _BYTE.search(str(exc))
        line = data[: int(byte.group(1))].count(b"\n") + 1 if byte else None
        where = f"line {line}" if line else "the file"
        raise InvalidInput(f"{path}: {where}: not valid JSON ({_BYTE.sub('', str(exc)).strip()})") from exc


def _name_at(data: bytes, index: int) -> str:
    """The name of record ``index``, if the file is JSON enough to tell."""
    try:
        records = msgspec.json.decode(data).get("cocktails", [])
        return repr(records[index].get("name", "?"))
    except (msgspec.DecodeError, AttributeError, IndexError, TypeError):
        return "?"


async def write_catalog(cocktails: AsyncIterable[Cocktail], out: IO[str]) -> int:
    """Write the file, one cocktail per line, streaming; return how many were written."""
    out.write('{"format": "' + FORMAT + '", "cocktails": [\n')
    count = 0
    async for cocktail in cocktails:
        draft = CocktailDraft(
            name=cocktail.name,
            ingredients=cocktail.ingredients,
            description=cocktail.description,
            instructions=cocktail.instructions,
            category=cocktail.category,
            glass=cocktail.glass,
            alcoholic=cocktail.alcoholic,
            tags=cocktail.tags,
            image_url=cocktail.image_url,
        )
        out.write((",\n" if count else "") + "  " + msgspec.json.encode(draft).decode())
        count += 1
    out.write("\n]}\n")
    return count
