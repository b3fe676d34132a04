-- Identity: users who log in. Timestamps are ISO 8601 UTC text.

CREATE TABLE users (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    email           TEXT    NOT NULL,
    full_name       TEXT    NOT NULL DEFAULT '',
    hashed_password TEXT    NOT NULL,
    is_active       INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    is_superuser    INTEGER NOT NULL DEFAULT 0 CHECK (is_superuser IN (0, 1)),
    token_version   INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    CONSTRAINT users_email_key UNIQUE (email)
) STRICT;
