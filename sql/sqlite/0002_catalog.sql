-- Catalog: cocktails. Key columns hold text already folded by the core, so
-- SQLite compares exactly what PostgreSQL and the memory adapter compare.

CREATE TABLE cocktails (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL,
    name_key     TEXT    NOT NULL UNIQUE,
    description  TEXT    NOT NULL DEFAULT '',
    instructions TEXT    NOT NULL DEFAULT '',
    -- JSON array of {"name", "measure"} in recipe order.
    ingredients  TEXT    NOT NULL,
    category     TEXT    NOT NULL DEFAULT '',
    category_key TEXT    NOT NULL DEFAULT '',
    glass        TEXT    NOT NULL DEFAULT '',
    glass_key    TEXT    NOT NULL DEFAULT '',
    alcoholic    INTEGER NOT NULL DEFAULT 1 CHECK (alcoholic IN (0, 1)),
    tags         TEXT    NOT NULL DEFAULT '[]',
    image_url    TEXT,
    search_text  TEXT    NOT NULL,
    created_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1)
) STRICT;

CREATE INDEX cocktails_order_idx ON cocktails (name_key, id);
CREATE INDEX cocktails_category_idx ON cocktails (category_key, name_key, id);
CREATE INDEX cocktails_glass_idx ON cocktails (glass_key, name_key, id);

-- One row per ingredient, for "has all of these ingredients" and the ingredient list.
CREATE TABLE cocktail_ingredients (
    cocktail_id INTEGER NOT NULL REFERENCES cocktails (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    key         TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    PRIMARY KEY (cocktail_id, position)
) STRICT;

CREATE INDEX cocktail_ingredients_key_idx ON cocktail_ingredients (key, cocktail_id);

-- Substring search: FTS5's trigram tokenizer indexes search_text.
CREATE VIRTUAL TABLE cocktails_fts USING fts5 (
    search_text, content = 'cocktails', content_rowid = 'id', tokenize = 'trigram'
);

CREATE TRIGGER cocktails_fts_insert AFTER INSERT ON cocktails BEGIN
    INSERT INTO cocktails_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TRIGGER cocktails_fts_delete AFTER DELETE ON cocktails BEGIN
    INSERT INTO cocktails_fts (cocktails_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;

CREATE TRIGGER cocktails_fts_update AFTER UPDATE OF search_text ON cocktails BEGIN
    INSERT INTO cocktails_fts (cocktails_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO cocktails_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
