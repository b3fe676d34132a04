-- Analyses: findings about an item, from the rule set or a language model.

CREATE TYPE opengov_food.risk AS ENUM ('low', 'medium', 'high');

CREATE TABLE opengov_food.analyses (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_id            bigint            NOT NULL REFERENCES opengov_food.items (id) ON DELETE CASCADE,
    notes              text              NOT NULL,
    summary            text              NOT NULL,
    -- [{"code", "description", "severity"}], checked by the core before it is stored.
    violations         jsonb             NOT NULL,
    corrective_actions jsonb             NOT NULL,
    risk               opengov_food.risk NOT NULL,
    compliance_score   smallint          NOT NULL CHECK (compliance_score BETWEEN 0 AND 100),
    provider           text              NOT NULL,
    model              text              NOT NULL,
    fallback_from      text,
    created_by         bigint            REFERENCES opengov_food.users (id) ON DELETE SET NULL,
    created_at         timestamptz       NOT NULL DEFAULT now()
);

CREATE INDEX analyses_item_created_idx ON opengov_food.analyses (item_id, created_at DESC, id DESC);
