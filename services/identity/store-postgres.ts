import type { JsonObject } from "@bufbuild/protobuf";
import type pg from "pg";
import { MaturityRating, SubscriptionPlan, SubscriptionStatus } from "../../gen/cinemesh/common/v1/enums_pb.js";
import type { Role } from "../../platform/auth/tokens.js";
import type { DomainEvents } from "../../platform/events/domain-events.js";
import { quoteSchema } from "../../platform/storage/schema-name.js";
import { enumColumn } from "../../platform/storage/enum-column.js";
import { withTransaction } from "../../platform/storage/postgres.js";
import type { NewUser, ProfileRecord, ProfileValues, RefreshTokenState, UserRecord } from "./model.js";
import type { IdentityStore, IdentityTx } from "./store.js";

/**
 * The identity store on Postgres (schema from migrations/). Enums are stored by member name
 * ('PREMIUM', 'PG_13': platform/storage/enum-column.ts). Ids that are not UUIDs cannot name a
 * row, so they are answered as absent instead of reaching Postgres as a cast error.
 */
export function createPostgresIdentityStore(pool: pg.Pool, schema: string, events: DomainEvents): IdentityStore {
  const s = quoteSchema(schema);
  return {
    transaction: (fn) => withTransaction(pool, (client) => fn(new PgIdentityTx(client, schema, events))),
    async findUserByEmail(email) {
      const { rows } = await pool.query(`SELECT * FROM ${s}.users WHERE email = $1`, [email]);
      return rows[0] && toUser(rows[0]);
    },
    async findUserById(id) {
      if (!isUuid(id)) return undefined;
      const { rows } = await pool.query(`SELECT * FROM ${s}.users WHERE id = $1`, [id]);
      return rows[0] && toUser(rows[0]);
    },
    async listProfiles(userId) {
      if (!isUuid(userId)) return [];
      const { rows } = await pool.query(`SELECT * FROM ${s}.profiles WHERE user_id = $1 ORDER BY created_at, id`, [userId]);
      return rows.map(toProfile);
    },
    async findProfile(profileId, userId) {
      if (!isUuid(profileId) || !isUuid(userId)) return undefined;
      const { rows } = await pool.query(`SELECT * FROM ${s}.profiles WHERE id = $1 AND user_id = $2`, [profileId, userId]);
      return rows[0] && toProfile(rows[0]);
    },
    async findProfileWithOwner(profileId) {
      if (!isUuid(profileId)) return undefined;
      const { rows } = await pool.query(
        `SELECT to_jsonb(p) AS profile, to_jsonb(u) AS owner FROM ${s}.profiles p JOIN ${s}.users u ON u.id = p.user_id WHERE p.id = $1`,
        [profileId],
      );
      return rows[0] && { profile: toProfile(jsonRow(rows[0].profile)), owner: toUser(jsonRow(rows[0].owner)) };
    },
  };
}

class PgIdentityTx implements IdentityTx {
  private readonly s: string;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly schema: string,
    private readonly events: DomainEvents,
  ) {
    this.s = quoteSchema(schema);
  }

  async insertUser(user: NewUser): Promise<UserRecord | undefined> {
    const { rows } = await this.client.query(
      `INSERT INTO ${this.s}.users (email, password_hash, role, plan, status, country) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (email) DO NOTHING RETURNING *`,
      [user.email, user.passwordHash, user.role, plans.toDb(user.plan), statuses.toDb(user.status), user.country],
    );
    return rows[0] && toUser(rows[0]);
  }

  async lockUser(id: string): Promise<UserRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.client.query(`SELECT * FROM ${this.s}.users WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] && toUser(rows[0]);
  }

  async setRole(id: string, role: Role): Promise<void> {
    await this.client.query(`UPDATE ${this.s}.users SET role = $2, updated_at = now() WHERE id = $1`, [id, role]);
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.client.query(`UPDATE ${this.s}.users SET password_hash = $2, updated_at = now() WHERE id = $1`, [id, passwordHash]);
  }

  async updateSubscription(id: string, change: { plan: SubscriptionPlan; status: SubscriptionStatus; restarted: boolean }): Promise<UserRecord> {
    const { rows } = await this.client.query(
      `UPDATE ${this.s}.users SET plan = $2, status = $3, updated_at = now(),
         subscription_date = CASE WHEN $4 THEN now() ELSE subscription_date END
       WHERE id = $1 RETURNING *`,
      [id, plans.toDb(change.plan), statuses.toDb(change.status), change.restarted],
    );
    return toUser(rows[0]);
  }

  async countProfiles(userId: string): Promise<number> {
    const { rows } = await this.client.query(`SELECT count(*)::int AS n FROM ${this.s}.profiles WHERE user_id = $1`, [userId]);
    return rows[0].n as number;
  }

  async insertProfile(userId: string, v: ProfileValues): Promise<ProfileRecord> {
    const { rows } = await this.client.query(
      `INSERT INTO ${this.s}.profiles (user_id, name, avatar_url, is_kids, language, maturity_level, preferences)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [userId, v.name, v.avatarUrl, v.isKids, v.language, maturities.toDb(v.maturityLevel), JSON.stringify(v.preferences)],
    );
    return toProfile(rows[0]);
  }

  async lockProfile(profileId: string, userId: string): Promise<ProfileRecord | undefined> {
    if (!isUuid(profileId) || !isUuid(userId)) return undefined;
    const { rows } = await this.client.query(`SELECT * FROM ${this.s}.profiles WHERE id = $1 AND user_id = $2 FOR UPDATE`, [profileId, userId]);
    return rows[0] && toProfile(rows[0]);
  }

  async updateProfile(profileId: string, v: ProfileValues): Promise<ProfileRecord> {
    const { rows } = await this.client.query(
      `UPDATE ${this.s}.profiles SET name = $2, avatar_url = $3, is_kids = $4, language = $5, maturity_level = $6, preferences = $7, updated_at = now()
       WHERE id = $1 RETURNING *`,
      [profileId, v.name, v.avatarUrl, v.isKids, v.language, maturities.toDb(v.maturityLevel), JSON.stringify(v.preferences)],
    );
    return toProfile(rows[0]);
  }

  async deleteProfile(profileId: string, userId: string): Promise<ProfileRecord | undefined> {
    if (!isUuid(profileId) || !isUuid(userId)) return undefined;
    const { rows } = await this.client.query(`DELETE FROM ${this.s}.profiles WHERE id = $1 AND user_id = $2 RETURNING *`, [profileId, userId]);
    return rows[0] && toProfile(rows[0]);
  }

  async createSession(userId: string, refreshTokenHash: Buffer, refreshTtlSeconds: number): Promise<string> {
    const { rows } = await this.client.query(`INSERT INTO ${this.s}.sessions (user_id) VALUES ($1) RETURNING id`, [userId]);
    const sessionId = rows[0].id as string;
    await this.insertRefreshToken(sessionId, refreshTokenHash, refreshTtlSeconds);
    return sessionId;
  }

  async lockRefreshToken(hash: Buffer): Promise<RefreshTokenState | undefined> {
    const { rows } = await this.client.query(
      `SELECT t.session_id, s.user_id, u.role, t.used_at IS NOT NULL AS used, t.expires_at <= now() AS expired, s.revoked_at IS NOT NULL AS session_revoked
       FROM ${this.s}.refresh_tokens t JOIN ${this.s}.sessions s ON s.id = t.session_id JOIN ${this.s}.users u ON u.id = s.user_id
       WHERE t.token_hash = $1
       FOR UPDATE OF t, s`,
      [hash],
    );
    const r = rows[0];
    return r && { sessionId: r.session_id, userId: r.user_id, role: r.role, used: r.used, expired: r.expired, sessionRevoked: r.session_revoked };
  }

  async rotateRefreshToken(sessionId: string, oldHash: Buffer, newHash: Buffer, refreshTtlSeconds: number): Promise<void> {
    await this.client.query(`UPDATE ${this.s}.refresh_tokens SET used_at = now() WHERE token_hash = $1`, [oldHash]);
    await this.insertRefreshToken(sessionId, newHash, refreshTtlSeconds);
    // Expired tokens can no longer be presented, so reuse detection does not need them.
    await this.client.query(`DELETE FROM ${this.s}.refresh_tokens WHERE session_id = $1 AND expires_at <= now()`, [sessionId]);
    await this.client.query(`UPDATE ${this.s}.sessions SET last_used_at = now() WHERE id = $1`, [sessionId]);
  }

  async revokeSession(sessionId: string, reason: string): Promise<void> {
    await this.client.query(`UPDATE ${this.s}.sessions SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL`, [sessionId, reason]);
  }

  async revokeOwnSession(userId: string, target: { sessionId: string } | { refreshTokenHash: Buffer }, reason: string): Promise<boolean> {
    if (!isUuid(userId)) return false;
    let sessionId: string | undefined;
    if ("sessionId" in target) {
      sessionId = isUuid(target.sessionId) ? target.sessionId : undefined;
    } else {
      const { rows } = await this.client.query(`SELECT session_id FROM ${this.s}.refresh_tokens WHERE token_hash = $1`, [target.refreshTokenHash]);
      sessionId = rows[0]?.session_id;
    }
    if (sessionId === undefined) return false;
    const { rowCount } = await this.client.query(
      `UPDATE ${this.s}.sessions SET revoked_at = coalesce(revoked_at, now()), revoked_reason = coalesce(revoked_reason, $3)
       WHERE id = $1 AND user_id = $2`,
      [sessionId, userId, reason],
    );
    return rowCount === 1;
  }

  async revokeAllSessions(userId: string, reason: string): Promise<number> {
    if (!isUuid(userId)) return 0;
    const { rowCount } = await this.client.query(
      `UPDATE ${this.s}.sessions SET revoked_at = now(), revoked_reason = $2 WHERE user_id = $1 AND revoked_at IS NULL`,
      [userId, reason],
    );
    return rowCount ?? 0;
  }

  emit: IdentityTx["emit"] = (desc, event) => this.events.enqueue(this.client, this.schema, desc, event);

  private async insertRefreshToken(sessionId: string, hash: Buffer, ttlSeconds: number): Promise<void> {
    await this.client.query(
      `INSERT INTO ${this.s}.refresh_tokens (token_hash, session_id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))`,
      [hash, sessionId, ttlSeconds],
    );
  }
}

// Rows ------------------------------------------------------------------------------------------

type Row = Record<string, unknown>;

function toUser(r: Row): UserRecord {
  return {
    id: r.id as string,
    email: r.email as string,
    passwordHash: r.password_hash as string,
    role: r.role as Role,
    plan: plans.fromDb(r.plan),
    status: statuses.fromDb(r.status),
    subscriptionDate: new Date(r.subscription_date as string | Date),
    country: r.country as string,
    createdAt: new Date(r.created_at as string | Date),
  };
}

function toProfile(r: Row): ProfileRecord {
  return {
    id: r.id as string,
    userId: r.user_id as string,
    name: r.name as string,
    avatarUrl: r.avatar_url as string,
    isKids: r.is_kids as boolean,
    language: r.language as string,
    maturityLevel: maturities.fromDb(r.maturity_level),
    preferences: r.preferences as JsonObject,
    createdAt: new Date(r.created_at as string | Date),
    updatedAt: new Date(r.updated_at as string | Date),
  };
}

/** A row read back through to_jsonb: timestamps arrive as ISO strings, which toUser/toProfile accept. */
function jsonRow(value: unknown): Row {
  return value as Row;
}

const plans = enumColumn<SubscriptionPlan>(SubscriptionPlan, "subscription plan");
const statuses = enumColumn<SubscriptionStatus>(SubscriptionStatus, "subscription status");
const maturities = enumColumn<MaturityRating>(MaturityRating, "maturity rating");

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function isUuid(id: string): boolean {
  return UUID.test(id);
}
