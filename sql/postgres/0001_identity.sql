-- Identity: users who log in. Every table of opengov-food lives in the
-- opengov_food schema (the migration runner creates it).

CREATE TABLE opengov_food.users (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Stored normalized (trimmed, lower-cased) by the core, so a plain unique
    -- constraint makes addresses unique case-insensitively.
    email           text        NOT NULL,
    full_name       text        NOT NULL DEFAULT '',
    hashed_password text        NOT NULL,
    is_active       boolean     NOT NULL DEFAULT true,
    is_superuser    boolean     NOT NULL DEFAULT false,
    -- Bumped on password change and deactivation; tokens carry it.
    token_version   integer     NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_email_length CHECK (char_length(email) BETWEEN 3 AND 254),
    CONSTRAINT users_full_name_length CHECK (char_length(full_name) <= 100)
);
