-- Up Migration
-- One spelling of every enum in storage (platform/storage/enum-column.ts): the generated enum's
-- member name. Ratings were stored as the seed's 'PG-13', qualities as '1080p'; identity already
-- stored 'PG_13'. Existing rows are rewritten in place.
ALTER TABLE content DROP CONSTRAINT content_rating_check;
UPDATE content SET rating = replace(rating, '-', '_') WHERE rating LIKE '%-%';
ALTER TABLE content ADD CONSTRAINT content_rating_check
  CHECK (rating IN ('G', 'PG', 'PG_13', 'R', 'NC_17', 'TV_Y', 'TV_Y7', 'TV_G', 'TV_PG', 'TV_14', 'TV_MA'));

ALTER TABLE video_files DROP CONSTRAINT video_files_quality_check;
UPDATE video_files SET quality = 'VIDEO_QUALITY_' || upper(quality) WHERE quality NOT LIKE 'VIDEO_QUALITY_%';
ALTER TABLE video_files ADD CONSTRAINT video_files_quality_check
  CHECK (quality IN ('VIDEO_QUALITY_360P', 'VIDEO_QUALITY_480P', 'VIDEO_QUALITY_720P', 'VIDEO_QUALITY_1080P', 'VIDEO_QUALITY_2160P'));

-- Down Migration
ALTER TABLE video_files DROP CONSTRAINT video_files_quality_check;
UPDATE video_files SET quality = lower(substr(quality, length('VIDEO_QUALITY_') + 1));
ALTER TABLE video_files ADD CONSTRAINT video_files_quality_check CHECK (quality IN ('360p', '480p', '720p', '1080p', '2160p'));

ALTER TABLE content DROP CONSTRAINT content_rating_check;
UPDATE content SET rating = replace(rating, '_', '-');
ALTER TABLE content ADD CONSTRAINT content_rating_check
  CHECK (rating IN ('G', 'PG', 'PG-13', 'R', 'NC-17', 'TV-Y', 'TV-Y7', 'TV-G', 'TV-PG', 'TV-14', 'TV-MA'));
