-- Up Migration
-- Unqualified names: the migrator sets search_path to the service's schema.

-- A profile's stars for a title (rating's ContentRated), the newest rating winning whatever the
-- arrival order: (rated_at, event_id) only ever goes up.
CREATE TABLE ratings (
  profile_id uuid        NOT NULL,
  content_id uuid        NOT NULL,
  stars      smallint    NOT NULL CHECK (stars BETWEEN 1 AND 5),
  rated_at   timestamptz NOT NULL,
  event_id   text        NOT NULL,
  PRIMARY KEY (profile_id, content_id)
);

-- Whether a title is on a profile's My List (library's MyListItemAdded / MyListItemRemoved), by
-- the newest of the two events.
CREATE TABLE my_list (
  profile_id uuid        NOT NULL,
  content_id uuid        NOT NULL,
  listed     boolean     NOT NULL,
  changed_at timestamptz NOT NULL,
  event_id   text        NOT NULL,
  PRIMARY KEY (profile_id, content_id)
);

-- The catalog as ranking sees it (catalog's ContentPublished / Updated / Removed): `features` and
-- `card` of a published title, null once it is removed or back in draft. `version` is the title's
-- updated_at (or the removal's time) in ms; only a newer version replaces a row.
CREATE TABLE titles (
  content_id uuid   PRIMARY KEY,
  version    bigint NOT NULL,
  features   jsonb,
  card       jsonb
);

-- Counted views (analytics' ViewCounted), one row per event so a redelivery counts once: what
-- trending is computed from.
CREATE TABLE views (
  event_id    text        PRIMARY KEY,
  content_id  uuid        NOT NULL,
  occurred_at timestamptz NOT NULL
);
CREATE INDEX views_recent ON views (occurred_at, content_id);

-- Down Migration
DROP TABLE views;
DROP TABLE titles;
DROP TABLE my_list;
DROP TABLE ratings;
