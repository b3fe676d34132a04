-- Catalog: cocktails. Every key column (name_key, ingredient_keys, category_key,
-- glass_key, search_text) holds text already folded by the core (case and
-- accents removed), so SQL compares exactly what the memory and SQLite adapters
-- compare. Keys use the "C" collation: ordering by code point, as Python does.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE opengov_food.cocktails (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                text        NOT NULL,
    name_key            text        COLLATE "C" NOT NULL,
    description         text        NOT NULL DEFAULT '',
    instructions        text        NOT NULL DEFAULT '',
    -- Ingredients as parallel arrays, in recipe order (the seed's "array
    -- support for ingredients"). One row read gives the whole recipe, and
    -- ingredient_keys gets a GIN index so "has all of these ingredients" is an
    -- indexed containment test (@>) instead of a join per ingredient.
    ingredient_names    text[]      NOT NULL,
    ingredient_measures text[]      NOT NULL,
    ingredient_keys     text[]      COLLATE "C" NOT NULL,
    category            text        NOT NULL DEFAULT '',
    category_key        text        COLLATE "C" NOT NULL DEFAULT '',
    glass               text        NOT NULL DEFAULT '',
    glass_key           text        COLLATE "C" NOT NULL DEFAULT '',
    alcoholic           boolean     NOT NULL DEFAULT true,
    tags                text[]      NOT NULL DEFAULT '{}',
    image_url           text,
    -- fold(name) || E'\n' || fold(description): what ?q= searches.
    search_text         text        NOT NULL,
    created_by          bigint      REFERENCES opengov_food.users (id) ON DELETE SET NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    version             integer     NOT NULL DEFAULT 1,
    CONSTRAINT cocktails_name_key_key UNIQUE (name_key),
    CONSTRAINT cocktails_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
    CONSTRAINT cocktails_ingredients_shape CHECK (
        cardinality(ingredient_names) BETWEEN 1 AND 30
        AND cardinality(ingredient_measures) = cardinality(ingredient_names)
        AND cardinality(ingredient_keys) = cardinality(ingredient_names)
    ),
    CONSTRAINT cocktails_version_positive CHECK (version >= 1)
);

-- Catalog order and keyset pagination use the unique index on name_key
-- (cocktails_name_key_key): names are unique, so (name_key, id) order is name_key order.
-- Substring search (?q=) with LIKE '%...%'.
CREATE INDEX cocktails_search_trgm_idx ON opengov_food.cocktails USING gin (search_text gin_trgm_ops);
-- Ingredient containment (?ingredient=a&ingredient=b).
CREATE INDEX cocktails_ingredient_keys_idx ON opengov_food.cocktails USING gin (ingredient_keys);
-- Exact filters, already in catalog order.
CREATE INDEX cocktails_category_idx ON opengov_food.cocktails (category_key, name_key);
CREATE INDEX cocktails_glass_idx ON opengov_food.cocktails (glass_key, name_key);
CREATE INDEX cocktails_created_by_idx ON opengov_food.cocktails (created_by);

-- updated_at is maintained automatically: a write that changes a row without
-- moving updated_at itself (a manual UPDATE, a data fix) gets now(). The
-- application always sets it from its clock, and always forward.
CREATE FUNCTION opengov_food.touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER cocktails_touch_updated_at
    BEFORE UPDATE ON opengov_food.cocktails
    FOR EACH ROW EXECUTE FUNCTION opengov_food.touch_updated_at();
