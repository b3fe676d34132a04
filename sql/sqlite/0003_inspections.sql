-- Inspections: work items owned by users, with a constrained status.

CREATE TABLE items (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    title                 TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    description           TEXT    NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
    status                TEXT    NOT NULL DEFAULT 'pending'
                          CHECK (status IN ('pending', 'in_progress', 'completed', 'cancelled')),
    owner_id              INTEGER NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    establishment_name    TEXT,
    establishment_address TEXT,
    inspection_type       TEXT CHECK (inspection_type IN ('routine', 'follow_up', 'complaint')),
    due_date              TEXT,
    score                 INTEGER CHECK (score BETWEEN 0 AND 100),
    search_text           TEXT    NOT NULL,
    created_at            TEXT    NOT NULL,
    updated_at            TEXT    NOT NULL,
    version               INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1)
) STRICT;

CREATE INDEX items_owner_status_idx ON items (owner_id, status);
CREATE INDEX items_owner_created_idx ON items (owner_id, created_at, id);
CREATE INDEX items_owner_updated_idx ON items (owner_id, updated_at, id);
CREATE INDEX items_created_idx ON items (created_at, id);
