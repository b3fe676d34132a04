-- Analyses: findings about an item, from the rule set or a language model.

CREATE TABLE analyses (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id            INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    notes              TEXT    NOT NULL,
    summary            TEXT    NOT NULL,
    violations         TEXT    NOT NULL,
    corrective_actions TEXT    NOT NULL,
    risk               TEXT    NOT NULL CHECK (risk IN ('low', 'medium', 'high')),
    compliance_score   INTEGER NOT NULL CHECK (compliance_score BETWEEN 0 AND 100),
    provider           TEXT    NOT NULL,
    model              TEXT    NOT NULL,
    fallback_from      TEXT,
    created_by         INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at         TEXT    NOT NULL
) STRICT;

CREATE INDEX analyses_item_created_idx ON analyses (item_id, created_at DESC, id DESC);
