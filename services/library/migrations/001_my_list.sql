-- Up Migration
-- Unqualified names: the migrator sets search_path to the service's schema.
-- A profile's My List (seed §7.3 my_list). Profiles and titles live in other services, so there
-- are no foreign keys: a removed title leaves every list through the ContentRemoved consumer.
CREATE TABLE my_list (
  list_id    uuid        PRIMARY KEY,
  profile_id uuid        NOT NULL,
  content_id uuid        NOT NULL,
  added_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (profile_id, content_id)
);
-- GetMyList: newest first, with a unique tiebreak so pages never overlap.
CREATE INDEX my_list_by_profile ON my_list (profile_id, added_at DESC, list_id DESC);
-- ContentRemoved: every list holding a title.
CREATE INDEX my_list_by_content ON my_list (content_id);

-- Down Migration
DROP TABLE my_list;
