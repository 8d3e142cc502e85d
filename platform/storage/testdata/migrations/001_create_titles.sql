-- Up Migration
-- Unqualified names: the migrator sets search_path to the service's schema.
CREATE TABLE titles (
  id bigserial PRIMARY KEY,
  name text NOT NULL UNIQUE
);

-- Down Migration
DROP TABLE titles;
