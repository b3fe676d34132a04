"""Query parameters whose constraints come from the core's annotated types.

Litestar documents and enforces query constraints given as ``Parameter(...)``
but not msgspec ``Meta`` on the type. ``query(CoreType)`` reads the ``Meta`` the
core states once and hands the same bounds to Litestar, so the schema, the
validation and the core agree.
"""

from __future__ import annotations

import types
import typing
from typing import Annotated, Any

import msgspec
from litestar.params import QueryParameter


def _meta_of(tp: Any) -> tuple[Any, list[msgspec.Meta]]:
    """The first ``Annotated`` in ``tp`` (looking inside ``X | None``) and its Meta."""
    if typing.get_origin(tp) is Annotated:
        base, *extras = typing.get_args(tp)
        return base, [m for m in extras if isinstance(m, msgspec.Meta)]
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            if typing.get_origin(arg) is Annotated:
                return _meta_of(arg)
    return tp, []


def query(tp: Any) -> Any:
    base, metas = _meta_of(tp)
    is_list = typing.get_origin(base) is list
    kwargs: dict[str, Any] = {}
    for meta in metas:
        for name in ("ge", "le", "gt", "lt", "pattern", "description"):
            if getattr(meta, name, None) is not None:
                kwargs[name] = getattr(meta, name)
        if meta.min_length is not None:
            kwargs["min_items" if is_list else "min_length"] = meta.min_length
        if meta.max_length is not None:
            kwargs["max_items" if is_list else "max_length"] = meta.max_length
    return Annotated[tp, QueryParameter(**kwargs)]
