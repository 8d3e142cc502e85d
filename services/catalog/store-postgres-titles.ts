import type pg from "pg";
import { quoteSchema } from "../../platform/storage/schema-name.js";
import type { AudioTrack, ExternalId, ExternalIdHolder, Markers, Rendition, Season, SubtitleTrack, Title, Video } from "./model.js";
import { contentStatus, contentType, maturityRating, subtitleFormat, videoQuality, videoStatus } from "./store-postgres-codes.js";

/** Something that runs a query: the pool, or the client of a transaction. */
export type Queryable = Pick<pg.ClientBase, "query">;

/** Schema-qualified table names: the shared pool's search_path is not the service's schema. */
export function tables(schema: string) {
  const s = quoteSchema(schema);
  return {
    content: `${s}.content`,
    genres: `${s}.genres`,
    contentGenres: `${s}.content_genres`,
    contentCast: `${s}.content_cast`,
    externalIds: `${s}.content_external_ids`,
    seasons: `${s}.seasons`,
    videos: `${s}.videos`,
    videoMarkers: `${s}.video_markers`,
    videoFiles: `${s}.video_files`,
    audioTracks: `${s}.audio_tracks`,
    subtitles: `${s}.subtitles`,
  };
}

export type Tables = ReturnType<typeof tables>;

/**
 * Loads whole titles (genres, cast, seasons, episodes or feature, with their renditions, tracks,
 * subtitles and markers) in three queries, however many ids. Callers wanting one consistent
 * picture run it inside a transaction.
 */
export async function loadTitles(db: Queryable, t: Tables, ids: readonly string[]): Promise<Map<string, Title>> {
  const titles = new Map<string, Title>();
  if (ids.length === 0) return titles;
  const content = await db.query(
    `SELECT c.*,
            ARRAY(SELECT g.name FROM ${t.contentGenres} cg JOIN ${t.genres} g USING (slug)
                  WHERE cg.content_id = c.content_id ORDER BY cg.position) AS genre_names,
            ARRAY(SELECT name FROM ${t.contentCast} WHERE content_id = c.content_id ORDER BY position) AS cast_names,
            COALESCE((SELECT json_agg(json_build_object('source', x.source, 'id', x.external_id) ORDER BY x.position)
                        FROM ${t.externalIds} x WHERE x.content_id = c.content_id), '[]') AS external_ids
       FROM ${t.content} c WHERE c.content_id = ANY($1::uuid[])`,
    [ids],
  );
  for (const row of content.rows) titles.set(row.content_id, titleFromRow(row));
  if (titles.size === 0) return titles;
  const found = [...titles.keys()];

  const seasons = await db.query(
    `SELECT s.*, (SELECT count(*) FROM ${t.videos} v
                   WHERE v.content_id = s.content_id AND v.season_number = s.season_number)::int AS episode_count
       FROM ${t.seasons} s WHERE s.content_id = ANY($1::uuid[]) ORDER BY s.season_number`,
    [found],
  );
  for (const row of seasons.rows) titles.get(row.content_id)!.seasons.push(seasonFromRow(row));

  const videos = await db.query(
    `SELECT v.*, m.intro_start_seconds, m.intro_end_seconds, m.credits_start_seconds, m.credits_end_seconds,
            COALESCE((SELECT json_agg(f ORDER BY f.height, f.bitrate) FROM ${t.videoFiles} f WHERE f.video_id = v.video_id), '[]') AS files,
            COALESCE((SELECT json_agg(a ORDER BY a.position) FROM ${t.audioTracks} a WHERE a.video_id = v.video_id), '[]') AS audio,
            COALESCE((SELECT json_agg(s ORDER BY s.language, s.closed_captions) FROM ${t.subtitles} s WHERE s.video_id = v.video_id), '[]') AS subs
       FROM ${t.videos} v LEFT JOIN ${t.videoMarkers} m USING (video_id)
      WHERE v.content_id = ANY($1::uuid[])
      ORDER BY v.season_number, v.episode_number`,
    [found],
  );
  for (const row of videos.rows) {
    const title = titles.get(row.content_id)!;
    const video = videoFromRow(row);
    if (video.seasonNumber === undefined) title.feature = video;
    else title.episodes.push(video);
  }
  return titles;
}

/** Who holds each of the given external ids (those nobody holds are absent). */
export async function externalIdHolders(db: Queryable, t: Tables, ids: readonly ExternalId[]): Promise<ExternalIdHolder[]> {
  if (ids.length === 0) return [];
  const res = await db.query(
    `SELECT x.source, x.external_id, x.content_id, c.title
       FROM ${t.externalIds} x JOIN ${t.content} c USING (content_id)
      WHERE (x.source, x.external_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [ids.map((x) => x.source), ids.map((x) => x.id)],
  );
  return res.rows.map((r) => ({ externalId: { source: r.source, id: r.external_id }, contentId: r.content_id, title: r.title }));
}

function titleFromRow(row: Record<string, any>): Title {
  return {
    id: row.content_id,
    title: row.title,
    description: row.description,
    type: contentType.fromDb(row.type),
    genres: row.genre_names,
    releaseYear: row.release_year,
    durationMinutes: row.duration_minutes,
    rating: maturityRating.fromDb(row.rating),
    language: row.language,
    cast: row.cast_names,
    director: row.director,
    thumbnailUrl: row.thumbnail_url,
    backdropUrl: row.backdrop_url,
    trailerUrl: row.trailer_url,
    originalTitle: row.original_title,
    keywords: row.keywords,
    externalIds: row.external_ids,
    status: contentStatus.fromDb(row.status),
    popularity: row.popularity,
    averageRating: row.average_rating,
    ratingCount: Number(row.rating_count),
    viewCount: Number(row.view_count),
    seasons: [],
    episodes: [],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.published_at ? { publishedAt: row.published_at } : {}),
  };
}

function seasonFromRow(row: Record<string, any>): Season {
  return {
    id: row.season_id,
    contentId: row.content_id,
    number: row.season_number,
    title: row.title,
    description: row.description,
    releaseYear: row.release_year ?? 0,
    episodeCount: row.episode_count,
  };
}

export function videoFromRow(row: Record<string, any>): Video {
  return {
    id: row.video_id,
    contentId: row.content_id,
    ...(row.season_number === null ? {} : { seasonNumber: row.season_number, episodeNumber: row.episode_number }),
    title: row.title,
    description: row.description,
    durationSeconds: row.duration_seconds,
    status: videoStatus.fromDb(row.status),
    renditions: (row.files as Record<string, any>[]).map(renditionFromRow),
    audioTracks: (row.audio as Record<string, any>[]).map(audioTrackFromRow),
    subtitles: (row.subs as Record<string, any>[]).map(subtitleFromRow),
    markers: markersFromRow(row),
    thumbnailUrl: row.thumbnail_url,
    hlsManifestPath: row.hls_manifest_path,
    dashManifestPath: row.dash_manifest_path,
    trickplayVttPath: row.trickplay_vtt_path,
    previewPath: row.preview_path,
    encodingJobId: row.encoding_job_id ?? "",
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function markersFromRow(row: Record<string, any>): Markers {
  const markers: Markers = {};
  if (row.intro_start_seconds !== null) markers.introStart = row.intro_start_seconds;
  if (row.intro_end_seconds !== null) markers.introEnd = row.intro_end_seconds;
  if (row.credits_start_seconds !== null) markers.creditsStart = row.credits_start_seconds;
  if (row.credits_end_seconds !== null) markers.creditsEnd = row.credits_end_seconds;
  return markers;
}

/** Rows aggregated with json_agg: numbers arrive as JSON numbers, bigint included. */
function renditionFromRow(row: Record<string, any>): Rendition {
  return {
    id: row.file_id,
    quality: videoQuality.fromDb(row.quality),
    codec: row.codec,
    bitrate: row.bitrate,
    peakBitrate: row.peak_bitrate,
    resolution: row.resolution,
    width: row.width,
    height: row.height,
    frameRate: row.frame_rate,
    storageLocation: row.storage_location,
    sizeBytes: Number(row.size_bytes),
  };
}

function audioTrackFromRow(row: Record<string, any>): AudioTrack {
  return {
    id: row.track_id,
    language: row.language,
    label: row.label,
    codec: row.codec,
    channels: row.channels,
    bitrate: row.bitrate,
    storageLocation: row.storage_location,
    isDefault: row.is_default,
  };
}

export function subtitleFromRow(row: Record<string, any>): SubtitleTrack {
  return {
    id: row.subtitle_id,
    videoId: row.video_id,
    language: row.language,
    label: row.label,
    format: subtitleFormat.fromDb(row.format),
    storageLocation: row.storage_location,
    closedCaptions: row.closed_captions,
  };
}
