"""The floor: the least a Litestar app can do for each benchmark request.

Same token check (PyJWT, same key and claims), one SQL round trip that both
resolves the caller and reads the data, msgspec encoding, nothing else: no
layers, no validation beyond the token, no middleware. Our service is measured
as a ratio of this.
"""

from __future__ import annotations

import os
import time
from typing import Any

import anyio
import argon2
import jwt
import msgspec
import psycopg_pool
from litestar import Litestar, Request, Response, get, patch, post
from litestar.exceptions import NotAuthorizedException

SECRET = os.environ["SECRET_KEY"]
POOL = psycopg_pool.AsyncConnectionPool(
    os.environ["DATABASE_URL"], min_size=4, max_size=20, open=False, kwargs={"autocommit": True}
)
USER = "SELECT id, email, full_name, is_active, is_superuser, created_at, updated_at FROM opengov_food.users"
ITEM_COLUMNS = (
    "i.id, i.title, i.description, i.status::text AS status, i.owner_id, i.establishment_name, "
    "i.establishment_address, i.inspection_type::text AS inspection_type, i.due_date, i.score, i.created_at, "
    "i.updated_at, i.version"
)
COCKTAIL_COLUMNS = (
    "id, name, description, instructions, ingredient_names, ingredient_measures, category, glass, alcoholic, tags, "
    "image_url, created_by, created_at, updated_at, version"
)


def caller(request: Request) -> tuple[int, int]:
    token = request.headers.get("authorization", "").removeprefix("Bearer ")
    try:
        claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    except jwt.InvalidTokenError as exc:
        raise NotAuthorizedException() from exc
    return int(claims["sub"]), int(claims["ver"])


async def rows(sql: str, params: tuple) -> list[tuple]:
    async with POOL.connection() as conn:
        cur = await conn.execute(sql, params)
        return await cur.fetchall()


def as_dicts(cursor_rows: list[tuple], names: list[str]) -> list[dict[str, Any]]:
    return [dict(zip(names, row, strict=True)) for row in cursor_rows]


@get("/health")
async def health() -> dict:
    return {"status": "ok"}


@get("/api/v1/users/me")
async def me(request: Request) -> Response:
    user_id, ver = caller(request)
    found = await rows(f"{USER} WHERE id = %s AND is_active AND token_version = %s", (user_id, ver))
    if not found:
        raise NotAuthorizedException()
    keys = ["id", "email", "full_name", "is_active", "is_superuser", "created_at", "updated_at"]
    return Response(msgspec.json.encode(dict(zip(keys, found[0], strict=True))), media_type="application/json")


# The caller check and the data in one statement: the user row must exist, be
# active and carry the token's version, and own the item (or be a superuser).
_AUTHZ = "JOIN opengov_food.users u ON u.id = %s AND u.is_active AND u.token_version = %s AND (u.is_superuser OR i.owner_id = u.id)"
ITEM_NAMES = ["id", "title", "description", "status", "owner_id", "establishment_name", "establishment_address",
              "inspection_type", "due_date", "score", "created_at", "updated_at", "version"]  # fmt: skip


@get("/api/v1/items/{item_id:int}")
async def item(request: Request, item_id: int) -> Response:
    user_id, ver = caller(request)
    found = await rows(f"SELECT {ITEM_COLUMNS} FROM opengov_food.items i {_AUTHZ} WHERE i.id = %s", (user_id, ver, item_id))
    if not found:
        return Response(b'{"detail":"not found"}', status_code=404, media_type="application/json")
    return Response(msgspec.json.encode(as_dicts(found, ITEM_NAMES)[0]), media_type="application/json")


@get("/api/v1/items/")
async def items(request: Request, limit: int = 20) -> Response:
    user_id, ver = caller(request)
    # The least work for a regular user's own items: owner filter straight on the index.
    found = await rows(
        f"SELECT {ITEM_COLUMNS}, count(*) OVER () FROM opengov_food.items i "
        "JOIN opengov_food.users u ON u.id = %s AND u.is_active AND u.token_version = %s "
        "WHERE i.owner_id = %s ORDER BY i.created_at DESC, i.id DESC LIMIT %s",
        (user_id, ver, user_id, limit),
    )
    total = found[0][-1] if found else 0
    page = as_dicts([row[:-1] for row in found], ITEM_NAMES)
    return Response(msgspec.json.encode({"items": page, "total": total, "skip": 0, "limit": limit}), media_type="application/json")


@post("/api/v1/items/")
async def create_item(request: Request) -> Response:
    user_id, ver = caller(request)
    body = msgspec.json.decode(await request.body())
    found = await rows(
        f"INSERT INTO opengov_food.items (title, description, owner_id, search_text) "
        f"SELECT %s, %s, u.id, lower(%s) FROM opengov_food.users u WHERE u.id = %s AND u.is_active AND u.token_version = %s "
        f"RETURNING {ITEM_COLUMNS.replace('i.', '')}",
        (body["title"], body.get("description", ""), body["title"], user_id, ver),
    )
    return Response(msgspec.json.encode(as_dicts(found, ITEM_NAMES)[0]), status_code=201, media_type="application/json")


@patch("/api/v1/items/{item_id:int}")
async def change_item(request: Request, item_id: int) -> Response:
    user_id, ver = caller(request)
    body = msgspec.json.decode(await request.body())
    expected = int(request.headers.get("if-match", '"0"').strip('"'))
    found = await rows(
        f"UPDATE opengov_food.items i SET status = %s::opengov_food.item_status, version = i.version + 1, "
        f"updated_at = now() FROM opengov_food.users u WHERE u.id = %s AND u.is_active AND u.token_version = %s "
        f"AND (u.is_superuser OR i.owner_id = u.id) AND i.id = %s AND i.version = %s RETURNING {ITEM_COLUMNS}",
        (body["status"], user_id, ver, item_id, expected),
    )
    if not found:
        return Response(b'{"detail":"stale"}', status_code=412, media_type="application/json")
    return Response(msgspec.json.encode(as_dicts(found, ITEM_NAMES)[0]), media_type="application/json")


COCKTAIL_NAMES = ["id", "name", "description", "instructions", "ingredient_names", "ingredient_measures", "category",
                  "glass", "alcoholic", "tags", "image_url", "created_by", "created_at", "updated_at", "version"]  # fmt: skip


@get("/api/v1/cocktails")
async def cocktails(q: str | None = None, ingredient: list[str] | None = None, cursor: str | None = None, limit: int = 20) -> Response:
    where, params = ["TRUE"], []
    if q:
        where.append("search_text LIKE %s")
        params.append(f"%{q.lower()}%")
    if ingredient:
        where.append("ingredient_keys @> %s::text[]")
        params.append([i.lower() for i in ingredient])
    if cursor:
        where.append("name_key > %s")
        params.append(cursor)
    sql = f"SELECT {COCKTAIL_COLUMNS} FROM opengov_food.cocktails WHERE {' AND '.join(where)}"
    async with POOL.connection() as conn:
        page = await (await conn.execute(f"{sql} ORDER BY name_key LIMIT %s", (*params, limit))).fetchall()
        total = (await (await conn.execute(f"SELECT count(*) FROM opengov_food.cocktails WHERE {' AND '.join(where[:-1] if cursor else where)}", params[:-1] if cursor else params)).fetchone())[0]
    body = {"items": as_dicts(page, COCKTAIL_NAMES), "total": total, "skip": 0, "limit": limit}
    return Response(msgspec.json.encode(body), media_type="application/json")


@post("/api/v1/users/login/access-token")
async def login(request: Request) -> Response:
    form = await request.form()
    found = await rows("SELECT id, hashed_password, token_version FROM opengov_food.users WHERE email = %s", (form["username"],))
    if not found or not await anyio.to_thread.run_sync(_verify, found[0][1], form["password"]):
        raise NotAuthorizedException()
    now = int(time.time())
    token = jwt.encode({"sub": str(found[0][0]), "ver": found[0][2], "iat": now, "exp": now + 3600}, SECRET, algorithm="HS256")
    return Response(msgspec.json.encode({"access_token": token, "token_type": "bearer"}), media_type="application/json")


def _verify(hashed: str, password: str) -> bool:
    try:
        return argon2.PasswordHasher().verify(hashed, password)
    except argon2.exceptions.VerificationError:
        return False


async def _open() -> None:
    await POOL.open()


async def _close() -> None:
    await POOL.close()


def create_app() -> Litestar:
    return Litestar(
        [health, me, item, items, create_item, change_item, cocktails, login],
        on_startup=[_open],
        on_shutdown=[_close],
        openapi_config=None,
        logging_config=None,
    )
