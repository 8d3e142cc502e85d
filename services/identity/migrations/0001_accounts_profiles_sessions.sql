-- Up Migration

-- Accounts. `email` is stored normalised (trimmed, lower-case), so the unique index makes
-- addresses unique case-insensitively and a racing second sign-up fails on it.
CREATE TABLE users (
  id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  email             text        NOT NULL CONSTRAINT users_email_normalised CHECK (email = lower(btrim(email))),
  password_hash     text        NOT NULL,
  role              text        NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'admin')),
  plan              text        NOT NULL CHECK (plan IN ('BASIC', 'STANDARD', 'PREMIUM')),
  status            text        NOT NULL CHECK (status IN ('ACTIVE', 'CANCELED', 'EXPIRED')),
  subscription_date timestamptz NOT NULL DEFAULT now(),
  country           text        NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (email);

-- Viewer profiles, at most 5 per account (enforced under a lock on the account row).
CREATE TABLE profiles (
  id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id        uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name           text        NOT NULL,
  avatar_url     text        NOT NULL DEFAULT '',
  is_kids        boolean     NOT NULL DEFAULT false,
  language       text        NOT NULL DEFAULT 'en',
  maturity_level text        NOT NULL CHECK (maturity_level IN ('G', 'PG', 'PG_13', 'R', 'NC_17', 'TV_Y', 'TV_Y7', 'TV_G', 'TV_PG', 'TV_14', 'TV_MA')),
  preferences    jsonb       NOT NULL DEFAULT '{}',
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX profiles_user_id ON profiles (user_id, created_at);

-- A login session: one family of rotating refresh tokens. Access tokens carry its id (`sid`).
CREATE TABLE sessions (
  id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id        uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at     timestamptz NOT NULL DEFAULT now(),
  last_used_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at     timestamptz,
  revoked_reason text
);
CREATE INDEX sessions_open_by_user ON sessions (user_id) WHERE revoked_at IS NULL;

-- Refresh tokens, by the sha256 of the token (the token itself is never stored). A used token
-- is kept until it expires: presenting it again is how a stolen token is detected.
CREATE TABLE refresh_tokens (
  token_hash bytea       PRIMARY KEY CHECK (octet_length(token_hash) = 32),
  session_id uuid        NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
CREATE INDEX refresh_tokens_session_id ON refresh_tokens (session_id);

-- Down Migration

DROP TABLE refresh_tokens;
DROP TABLE sessions;
DROP TABLE profiles;
DROP TABLE users;
