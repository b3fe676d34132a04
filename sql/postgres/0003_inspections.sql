-- Inspections: work items owned by users, with a constrained status.

CREATE TYPE opengov_food.item_status AS ENUM ('pending', 'in_progress', 'completed', 'cancelled');
CREATE TYPE opengov_food.inspection_type AS ENUM ('routine', 'follow_up', 'complaint');

CREATE TABLE opengov_food.items (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title                 text                         NOT NULL,
    description           text                         NOT NULL DEFAULT '',
    status                opengov_food.item_status     NOT NULL DEFAULT 'pending',
    -- Users are deactivated, never deleted: an item's history is never lost.
    owner_id              bigint                       NOT NULL REFERENCES opengov_food.users (id) ON DELETE RESTRICT,
    establishment_name    text,
    establishment_address text,
    inspection_type       opengov_food.inspection_type,
    due_date              date,
    score                 smallint,
    -- fold(title) || E'\n' || fold(description), computed by the core: what ?search= matches.
    search_text           text                         NOT NULL,
    created_at            timestamptz                  NOT NULL DEFAULT now(),
    updated_at            timestamptz                  NOT NULL DEFAULT now(),
    version               integer                      NOT NULL DEFAULT 1,
    CONSTRAINT items_title_length CHECK (char_length(title) BETWEEN 1 AND 100),
    CONSTRAINT items_description_length CHECK (char_length(description) <= 1000),
    CONSTRAINT items_score_range CHECK (score BETWEEN 0 AND 100),
    CONSTRAINT items_version_positive CHECK (version >= 1)
);

CREATE INDEX items_owner_status_idx ON opengov_food.items (owner_id, status);
CREATE INDEX items_owner_created_idx ON opengov_food.items (owner_id, created_at, id);
CREATE INDEX items_owner_updated_idx ON opengov_food.items (owner_id, updated_at, id);
CREATE INDEX items_created_idx ON opengov_food.items (created_at, id);
CREATE INDEX items_search_trgm_idx ON opengov_food.items USING gin (search_text gin_trgm_ops);

CREATE TRIGGER items_touch_updated_at
    BEFORE UPDATE ON opengov_food.items
    FOR EACH ROW EXECUTE FUNCTION opengov_food.touch_updated_at();
