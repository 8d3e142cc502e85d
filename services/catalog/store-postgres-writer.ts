import type pg from "pg";
import type { GenreName } from "./genres.js";
import type { CatalogEvent, Markers, SubtitleTrack } from "./model.js";
import type { CatalogWriter, EncodingOutcome, NewSeason, NewTitle, NewVideo, TitleFields } from "./store.js";
import { contentStatus, contentType, maturityRating, subtitleFormat, videoQuality, videoStatus } from "./store-postgres-codes.js";
import { externalIdHolders, loadTitles, subtitleFromRow, type Tables } from "./store-postgres-titles.js";
import { VideoStatus } from "./model.js";

/** Writes a catalog event into the outbox with the transaction's client (wired in service.ts). */
export type EventWriter = (tx: pg.ClientBase, event: CatalogEvent) => Promise<void>;

/** Plain columns of `content` and how a field's value is stored. */
const TITLE_COLUMNS: { [K in keyof TitleFields]?: [column: string, toDb: (v: TitleFields[K]) => unknown] } = {
  title: ["title", (v) => v],
  description: ["description", (v) => v],
  releaseYear: ["release_year", (v) => v],
  durationMinutes: ["duration_minutes", (v) => v],
  rating: ["rating", (v) => maturityRating.toDb(v)],
  language: ["language", (v) => v],
  director: ["director", (v) => v],
  thumbnailUrl: ["thumbnail_url", (v) => v],
  backdropUrl: ["backdrop_url", (v) => v],
  trailerUrl: ["trailer_url", (v) => v],
  originalTitle: ["original_title", (v) => v],
  keywords: ["keywords", (v) => v],
  status: ["status", (v) => contentStatus.toDb(v)],
};

/** The changes of one transaction, on its client. */
export function createWriter(tx: pg.PoolClient, t: Tables, writeEvent: EventWriter): CatalogWriter {
  const writeGenres = async (contentId: string, genres: GenreName[]) => {
    const slugs = genres.map((g) => g.slug);
    // First spelling wins the display name; concurrent first uses of a genre do not conflict.
    await tx.query(`INSERT INTO ${t.genres} (slug, name) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (slug) DO NOTHING`, [
      slugs,
      genres.map((g) => g.name),
    ]);
    await tx.query(`DELETE FROM ${t.contentGenres} WHERE content_id = $1`, [contentId]);
    await tx.query(
      `INSERT INTO ${t.contentGenres} (content_id, slug, position)
       SELECT $1, slug, ord - 1 FROM unnest($2::text[]) WITH ORDINALITY AS u(slug, ord)`,
      [contentId, slugs],
    );
  };

  const writeCast = async (contentId: string, cast: string[]) => {
    await tx.query(`DELETE FROM ${t.contentCast} WHERE content_id = $1`, [contentId]);
    await tx.query(
      `INSERT INTO ${t.contentCast} (content_id, position, name)
       SELECT $1, ord - 1, name FROM unnest($2::text[]) WITH ORDINALITY AS u(name, ord)`,
      [contentId, cast],
    );
  };

  const lockTitle = async (id: string) => {
    const locked = await tx.query(`SELECT 1 FROM ${t.content} WHERE content_id = $1 FOR UPDATE`, [id]);
    if (locked.rowCount === 0) return undefined;
    return (await loadTitles(tx, t, [id])).get(id);
  };

  return {
    lockTitle,

    async lockVideo(videoId) {
      const owner = await tx.query(`SELECT content_id FROM ${t.videos} WHERE video_id = $1`, [videoId]);
      if (owner.rowCount === 0) return undefined;
      const title = await lockTitle(owner.rows[0].content_id);
      const video = title && [...(title.feature ? [title.feature] : []), ...title.episodes].find((v) => v.id === videoId);
      return title && video ? { title, video } : undefined;
    },

    async loadTitle(id) {
      const title = (await loadTitles(tx, t, [id])).get(id);
      if (title === undefined) throw new Error(`content ${id} vanished inside its own transaction`);
      return title;
    },

    async insertTitle(n: NewTitle) {
      await tx.query(
        `INSERT INTO ${t.content} (content_id, title, description, type, release_year, duration_minutes, rating, language,
                                   director, thumbnail_url, backdrop_url, trailer_url, status, published_at, original_title, keywords)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, CASE WHEN $13 = 'PUBLISHED' THEN now() END, $14, $15)`,
        [
          n.id, n.title, n.description, contentType.toDb(n.type), n.releaseYear, n.durationMinutes, maturityRating.toDb(n.rating),
          n.language, n.director, n.thumbnailUrl, n.backdropUrl, n.trailerUrl, contentStatus.toDb(n.status), n.originalTitle, n.keywords,
        ],
      );
      await writeGenres(n.id, n.genres);
      await writeCast(n.id, n.cast);
    },

    async claimExternalIds(contentId, ids) {
      const key = (source: string, id: string) => JSON.stringify([source, id]);
      let pending = [...ids];
      // Positions follow the request, gaps and all: a title with a conflict is never committed.
      const position = new Map(ids.map((x, i) => [key(x.source, x.id), i]));
      while (pending.length > 0) {
        // A concurrent claim of the same id makes this wait for the other transaction, which wins if it commits.
        const claimed = await tx.query(
          `INSERT INTO ${t.externalIds} (source, external_id, content_id, position)
           SELECT source, external_id, $1, position FROM unnest($2::text[], $3::text[], $4::smallint[]) AS u(source, external_id, position)
           ON CONFLICT (source, external_id) DO NOTHING RETURNING source, external_id`,
          [contentId, pending.map((x) => x.source), pending.map((x) => x.id), pending.map((x) => position.get(key(x.source, x.id)))],
        );
        const mine = new Set(claimed.rows.map((r) => key(r.source, r.external_id)));
        const taken = pending.filter((x) => !mine.has(key(x.source, x.id)));
        const holders = await externalIdHolders(tx, t, taken);
        if (holders.length > 0) return holders;
        // Whoever held the rest was deleted in between: they are free again.
        pending = taken;
      }
      return [];
    },

    async updateTitle(id, fields: Partial<TitleFields>) {
      const sets = ["updated_at = now()"];
      const values: unknown[] = [id];
      for (const [field, spec] of Object.entries(TITLE_COLUMNS) as [keyof TitleFields, [string, (v: unknown) => unknown]][]) {
        if (fields[field] === undefined) continue;
        values.push(spec[1](fields[field]));
        sets.push(`${spec[0]} = $${values.length}`);
      }
      // SET expressions see the old row: compare the new status, keep the first publication time.
      if (fields.status !== undefined) {
        values.push(contentStatus.toDb(fields.status));
        sets.push(`published_at = CASE WHEN $${values.length}::text = 'PUBLISHED' THEN COALESCE(published_at, now()) END`);
      }
      await tx.query(`UPDATE ${t.content} SET ${sets.join(", ")} WHERE content_id = $1`, values);
      if (fields.genres !== undefined) await writeGenres(id, fields.genres);
      if (fields.cast !== undefined) await writeCast(id, fields.cast);
    },

    async renameFeature(videoId, title) {
      await tx.query(`UPDATE ${t.videos} SET title = $2, updated_at = now() WHERE video_id = $1`, [videoId, title]);
    },

    async touchTitle(id) {
      await tx.query(`UPDATE ${t.content} SET updated_at = now() WHERE content_id = $1`, [id]);
    },

    async deleteTitle(id) {
      await tx.query(`DELETE FROM ${t.content} WHERE content_id = $1`, [id]);
    },

    async insertSeason(s: NewSeason) {
      const res = await tx.query(
        `INSERT INTO ${t.seasons} (season_id, content_id, season_number, title, description, release_year)
         VALUES ($1, $2, $3, $4, $5, NULLIF($6, 0)) ON CONFLICT (content_id, season_number) DO NOTHING`,
        [s.id, s.contentId, s.number, s.title, s.description, s.releaseYear],
      );
      return res.rowCount === 1;
    },

    async insertVideo(v: NewVideo) {
      const res = await tx.query(
        `INSERT INTO ${t.videos} (video_id, content_id, season_number, episode_number, title, description, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
        [v.id, v.contentId, v.seasonNumber ?? null, v.episodeNumber ?? null, v.title, v.description, videoStatus.toDb(VideoStatus.AWAITING_UPLOAD)],
      );
      return res.rowCount === 1;
    },

    async setMarkers(videoId, m: Markers) {
      if (Object.values(m).every((v) => v === undefined)) {
        await tx.query(`DELETE FROM ${t.videoMarkers} WHERE video_id = $1`, [videoId]);
      } else {
        await tx.query(
          `INSERT INTO ${t.videoMarkers} (video_id, intro_start_seconds, intro_end_seconds, credits_start_seconds, credits_end_seconds)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (video_id) DO UPDATE SET intro_start_seconds = EXCLUDED.intro_start_seconds, intro_end_seconds = EXCLUDED.intro_end_seconds,
             credits_start_seconds = EXCLUDED.credits_start_seconds, credits_end_seconds = EXCLUDED.credits_end_seconds`,
          [videoId, m.introStart ?? null, m.introEnd ?? null, m.creditsStart ?? null, m.creditsEnd ?? null],
        );
      }
      await tx.query(`UPDATE ${t.videos} SET updated_at = now() WHERE video_id = $1`, [videoId]);
    },

    async recordEncoding(videoId, o: EncodingOutcome) {
      await tx.query(
        `UPDATE ${t.videos} SET duration_seconds = $2, status = $3, hls_manifest_path = $4, dash_manifest_path = $5,
                trickplay_vtt_path = $6, preview_path = $7, thumbnail_url = COALESCE(NULLIF($8, ''), thumbnail_url),
                encoding_job_id = $9, updated_at = now()
          WHERE video_id = $1`,
        [videoId, o.durationSeconds, videoStatus.toDb(VideoStatus.READY), o.hlsManifestPath, o.dashManifestPath, o.trickplayVttPath, o.previewPath, o.thumbnailUrl, o.encodingJobId],
      );
      await tx.query(`DELETE FROM ${t.videoFiles} WHERE video_id = $1`, [videoId]);
      for (const r of o.renditions) {
        await tx.query(
          `INSERT INTO ${t.videoFiles} (file_id, video_id, quality, codec, bitrate, peak_bitrate, resolution, width, height, frame_rate, storage_location, size_bytes)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [r.id, videoId, videoQuality.toDb(r.quality), r.codec, r.bitrate, r.peakBitrate, r.resolution, r.width, r.height, r.frameRate, r.storageLocation, r.sizeBytes],
        );
      }
      await tx.query(`DELETE FROM ${t.audioTracks} WHERE video_id = $1`, [videoId]);
      for (const [position, a] of o.audioTracks.entries()) {
        await tx.query(
          `INSERT INTO ${t.audioTracks} (track_id, video_id, position, language, label, codec, channels, bitrate, storage_location, is_default)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [a.id, videoId, position, a.language, a.label, a.codec, a.channels, a.bitrate, a.storageLocation, a.isDefault],
        );
      }
    },

    async setVideoStatus(videoId, status) {
      await tx.query(`UPDATE ${t.videos} SET status = $2, updated_at = now() WHERE video_id = $1`, [videoId, videoStatus.toDb(status)]);
    },

    async upsertSubtitle(s: SubtitleTrack) {
      const res = await tx.query(
        `INSERT INTO ${t.subtitles} (subtitle_id, video_id, language, label, format, storage_location, closed_captions)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (video_id, language, closed_captions)
           DO UPDATE SET label = EXCLUDED.label, format = EXCLUDED.format, storage_location = EXCLUDED.storage_location
         RETURNING *`,
        [s.id, s.videoId, s.language, s.label, subtitleFormat.toDb(s.format), s.storageLocation, s.closedCaptions],
      );
      await tx.query(`UPDATE ${t.videos} SET updated_at = now() WHERE video_id = $1`, [s.videoId]);
      return subtitleFromRow(res.rows[0]);
    },

    emit: (event) => writeEvent(tx, event),
  };
}
