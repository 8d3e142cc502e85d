-- Up Migration
ALTER TABLE titles ADD COLUMN kind text NOT NULL DEFAULT 'movie';

-- Down Migration
ALTER TABLE titles DROP COLUMN kind;
