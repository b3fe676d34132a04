"""Settings from environment variables, validated with msgspec.

Nothing here runs at import time: call ``load_settings()``. A bad value stops
start-up with ``SettingsError``, whose message is one line naming the variable.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

import msgspec

log = logging.getLogger("opengov_food.settings")

DEFAULT_SQLITE_PATH = "./var/opengov-food.db"
DEV_SECRET_FILE = "./var/secret_key"
MIN_SECRET_LENGTH = 32
#: Values seen in tutorials and templates; never acceptable in production.
WEAK_SECRETS = {"changethis", "changeme", "secret", "secret-key", "your-secret-key", "supersecret"}


class SettingsError(Exception):
    """A configuration problem, described in one line."""


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    env: Literal["development", "production"] = "development"
    database_url: str = f"sqlite:///{DEFAULT_SQLITE_PATH}"
    secret_key: str = ""
    host: str = "127.0.0.1"
    port: Annotated[int, msgspec.Meta(ge=1, le=65535)] = 8000
    workers: Annotated[int, msgspec.Meta(ge=1, le=64)] = 1
    access_token_expire_minutes: Annotated[int, msgspec.Meta(ge=1, le=60 * 24 * 30)] = 60
    users_open_registration: bool = True
    first_superuser_email: str | None = None
    first_superuser_password: str | None = None
    #: Passwords for the demo accounts `opengov-food db seed` creates; random (printed once) when unset.
    demo_inspector_password: str | None = None
    demo_admin_password: str | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    #: ``json`` lines or readable ``console`` output; empty means json in production, console otherwise.
    log_format: Literal["", "json", "console"] = ""
    #: Where rate-limit counters live: ``memory://`` (this process) or ``redis://host:port/db`` (shared).
    store_url: str = "memory://"
    #: Requests per minute per client address, on every route but health and metrics; 0 turns it off.
    rate_limit_per_minute: Annotated[int, msgspec.Meta(ge=0)] = 600
    #: Login attempts per minute per client address.
    login_rate_limit_per_minute: Annotated[int, msgspec.Meta(ge=1)] = 10
    #: Failed logins per account before it is locked for LOGIN_LOCKOUT_MINUTES.
    login_max_failures: Annotated[int, msgspec.Meta(ge=1)] = 5
    login_lockout_minutes: Annotated[int, msgspec.Meta(ge=1, le=24 * 60)] = 15
    #: Self-registrations per hour per client address.
    registration_rate_limit_per_hour: Annotated[int, msgspec.Meta(ge=1)] = 10
    #: Comma-separated addresses or networks of proxies whose X-Forwarded-For / Fly-Client-IP are believed.
    trusted_proxies: str = ""
    #: Comma-separated origins allowed by CORS (the seed's name); none by default.
    backend_cors_origins: str = ""
    #: Comma-separated host names the server answers for (``*.example.org`` allowed); empty means any.
    allowed_hosts: str = ""
    max_body_size: Annotated[int, msgspec.Meta(ge=1024, le=100 * 1024 * 1024)] = 1024 * 1024
    #: Seconds a request waits for a database connection before answering 503.
    db_pool_timeout: Annotated[float, msgspec.Meta(gt=0, le=60)] = 3.0
    db_pool_min_size: Annotated[int, msgspec.Meta(ge=0, le=100)] = 2
    db_pool_max_size: Annotated[int, msgspec.Meta(ge=1, le=200)] = 20
    argon2_time_cost: Annotated[int, msgspec.Meta(ge=1, le=20)] = 2
    argon2_memory_cost: Annotated[int, msgspec.Meta(ge=7168, le=4 * 1024 * 1024)] = 19_456
    argon2_parallelism: Annotated[int, msgspec.Meta(ge=1, le=16)] = 1
    #: Analysis providers: ``rules`` (offline, the default), ``ollama``, ``openai``.
    analyzer_default_provider: Literal["rules", "ollama", "openai"] = "rules"
    #: Answer with the rule set (and say so) when a remote provider fails.
    analyzer_fallback: bool = False
    analyzer_timeout: Annotated[float, msgspec.Meta(gt=0, le=600)] = 60.0
    analyzer_retries: Annotated[int, msgspec.Meta(ge=0, le=10)] = 2
    ollama_base_url: str = "http://localhost:11434"
    ollama_model: str = "llama3.1"
    openai_base_url: str = "https://api.openai.com"
    openai_api_key: str | None = None
    openai_model: str = "gpt-4o-mini"
    #: Where ``sql/postgres`` and ``sql/sqlite`` live; found automatically when empty.
    sql_dir: str = ""

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def resolved_log_format(self) -> str:
        return self.log_format or ("json" if self.is_production else "console")

    @staticmethod
    def split(value: str) -> list[str]:
        return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]

    @property
    def storage(self) -> Literal["sqlite", "postgres", "memory"]:
        return storage_kind(self.database_url)

    @property
    def sqlite_path(self) -> str:
        """The file behind a ``sqlite:///path`` URL (``:memory:`` allowed)."""
        return self.database_url.removeprefix("sqlite:///") or DEFAULT_SQLITE_PATH

    def migrations_dir(self, dialect: str) -> Path:
        if self.sql_dir:
            return Path(self.sql_dir) / dialect
        # A source checkout (editable install) keeps sql/ two levels above src/entrypoints;
        # an installed copy (Docker) runs from the project directory.
        for root in (Path(__file__).resolve().parents[2], Path.cwd()):
            if (root / "sql" / dialect).is_dir():
                return root / "sql" / dialect
        raise SettingsError(f"SQL_DIR: cannot find sql/{dialect}; set SQL_DIR to the project's sql directory")


def storage_kind(url: str) -> Literal["sqlite", "postgres", "memory"]:
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        return "sqlite"
    if scheme in ("postgresql", "postgres"):
        return "postgres"
    if scheme == "memory":
        return "memory"
    raise SettingsError(
        f"DATABASE_URL: unsupported scheme {scheme!r}; use sqlite:///path, postgresql://user@host/db or memory://"
    )


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read, convert and check every setting; raise ``SettingsError`` on the first bad one."""
    environ = os.environ if environ is None else environ
    fields = {name: environ[name.upper()] for name in Settings.__struct_fields__ if name.upper() in environ}
    if "log_level" in fields:
        fields["log_level"] = fields["log_level"].upper()
    try:
        settings = msgspec.convert(fields, Settings, strict=False)
    except msgspec.ValidationError as exc:
        message = str(exc)
        field = message.rsplit("$.", 1)[-1].rstrip("`") if "$." in message else ""
        raise SettingsError(f"{field.upper() or 'settings'}: {message.split(' - at ')[0]}") from None
    return check(settings)


def check(settings: Settings) -> Settings:
    """Cross-field rules, and the development secret key."""
    storage_kind(settings.database_url)
    if settings.db_pool_min_size > settings.db_pool_max_size:
        raise SettingsError("DB_POOL_MIN_SIZE: must not exceed DB_POOL_MAX_SIZE")
    if (settings.first_superuser_email is None) != (settings.first_superuser_password is None):
        raise SettingsError("FIRST_SUPERUSER_PASSWORD: set both FIRST_SUPERUSER_EMAIL and FIRST_SUPERUSER_PASSWORD, or neither")
    if settings.argon2_memory_cost * settings.argon2_time_cost < 35_840:
        raise SettingsError("ARGON2_MEMORY_COST: below OWASP's minimum; use 19456 (KiB) with ARGON2_TIME_COST=2 or more")
    if not (settings.store_url.startswith("memory://") or settings.store_url.startswith(("redis://", "rediss://"))):
        raise SettingsError("STORE_URL: use memory:// or redis://host:port/db")
    for proxy in Settings.split(settings.trusted_proxies):
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise SettingsError(f"TRUSTED_PROXIES: {proxy!r} is not an IP address or network") from None
    if settings.is_production:
        if settings.first_superuser_password is not None and (
            len(settings.first_superuser_password) < 12 or settings.first_superuser_password.lower() in WEAK_SECRETS
        ):
            raise SettingsError("FIRST_SUPERUSER_PASSWORD: too weak for production; use at least 12 characters, not a default")
        if not settings.secret_key:
            raise SettingsError(
                "SECRET_KEY: required in production; generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
        if len(settings.secret_key) < MIN_SECRET_LENGTH or settings.secret_key.lower() in WEAK_SECRETS:
            raise SettingsError(f"SECRET_KEY: too weak; use at least {MIN_SECRET_LENGTH} random characters")
        if settings.storage == "memory":
            raise SettingsError("DATABASE_URL: memory:// keeps nothing; production needs PostgreSQL or SQLite")
        return settings
    if not settings.secret_key:
        return msgspec.structs.replace(settings, secret_key=development_secret_key())
    if len(settings.secret_key) < MIN_SECRET_LENGTH:
        raise SettingsError(f"SECRET_KEY: use at least {MIN_SECRET_LENGTH} characters")
    return settings


def development_secret_key(path: str = DEV_SECRET_FILE) -> str:
    """A random key made once and kept in ``./var`` so tokens survive restarts."""
    file = Path(path)
    if file.exists():
        key = file.read_text(encoding="utf-8").strip()
        if len(key) >= MIN_SECRET_LENGTH:
            return key
    file.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    file.touch(mode=0o600)
    file.write_text(key, encoding="utf-8")
    log.warning("SECRET_KEY is not set: generated a development key in %s (never use this in production)", file)
    return key
