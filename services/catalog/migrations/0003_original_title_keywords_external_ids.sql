-- Up Migration
-- What search and importers need of a title: its original-language title, descriptive keywords,
-- and its ids in other catalogs. Existing titles get none of them.

-- Empty when it does not differ from `title`.
ALTER TABLE content ADD COLUMN original_title text NOT NULL DEFAULT '';
-- In the order the admin gave them; only ever read with the title, never queried by keyword
-- (search has its own index), so an array rather than a table.
ALTER TABLE content ADD COLUMN keywords text[] NOT NULL DEFAULT '{}';

-- Each (source, external_id) names at most one title: the key importers are idempotent by.
CREATE TABLE content_external_ids (
  source      text NOT NULL CHECK (source ~ '^[a-z0-9-]{1,30}$'),
  external_id text NOT NULL CHECK (external_id <> ''),
  content_id  uuid NOT NULL REFERENCES content ON DELETE CASCADE,
  position    smallint NOT NULL,
  PRIMARY KEY (source, external_id),
  UNIQUE (content_id, position)
);

-- Down Migration
DROP TABLE content_external_ids;
ALTER TABLE content DROP COLUMN keywords;
ALTER TABLE content DROP COLUMN original_title;
