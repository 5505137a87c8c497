import type { Adapter, DatabaseSession, DatabaseUser } from 'lucia';
import type { Database } from '#db/client';
import { storedSessionId } from '~/models/sessions.server';

/**
 * lucia's storage, written over our own Kysely database (sessions and users tables). lucia hands
 * it the token; every query looks the row up by the token's hash.
 */
export function createKyselyAdapter(db: Database): Adapter {
  return {
    async getSessionAndUser(sessionId) {
      const row = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select([
          'sessions.expires_at',
          'sessions.last_seen_at',
          'sessions.sign_in_provider',
          'users.id as user_id',
          'users.username',
          'users.display_name',
          'users.role',
          'users.email',
          'users.organization_id',
          'users.suspended_until',
          'users.email_verified_at',
        ])
        .where('sessions.id', '=', storedSessionId(sessionId))
        .executeTakeFirst();
      if (!row) return [null, null];
      const session: DatabaseSession = {
        id: sessionId,
        userId: row.user_id,
        expiresAt: new Date(row.expires_at),
        attributes: { last_seen_at: row.last_seen_at, sign_in_provider: row.sign_in_provider },
      };
      const user: DatabaseUser = {
        id: row.user_id,
        attributes: {
          username: row.username,
          display_name: row.display_name,
          role: row.role,
          email: row.email,
          organization_id: row.organization_id,
          suspended_until: row.suspended_until,
          email_verified_at: row.email_verified_at,
        },
      };
      return [session, user];
    },

    // NOTE: these ids are the stored hashes, which the other methods do not take: nothing here
    // invalidates sessions one by one from this list (deleteUserSessions ends them all).
    async getUserSessions(userId) {
      const rows = await db
        .selectFrom('sessions')
        .select(['id', 'user_id', 'expires_at'])
        .where('user_id', '=', userId)
        .execute();
      return rows.map((row) => ({
        id: row.id,
        userId: row.user_id,
        expiresAt: new Date(row.expires_at),
        attributes: {},
      }));
    },

    async setSession(session) {
      const now = new Date().toISOString();
      await db
        .insertInto('sessions')
        .values({
          id: storedSessionId(session.id),
          user_id: session.userId,
          expires_at: session.expiresAt.toISOString(),
          created_at: now,
          last_seen_at: now,
          user_agent: session.attributes.user_agent ?? null,
          ip_address: session.attributes.ip_address ?? null,
          sign_in_provider: session.attributes.sign_in_provider ?? null,
        })
        .execute();
    },

    async updateSessionExpiration(sessionId, expiresAt) {
      await db
        .updateTable('sessions')
        .set({ expires_at: expiresAt.toISOString() })
        .where('id', '=', storedSessionId(sessionId))
        .execute();
    },

    async deleteSession(sessionId) {
      await db.deleteFrom('sessions').where('id', '=', storedSessionId(sessionId)).execute();
    },

    async deleteUserSessions(userId) {
      await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
    },

    async deleteExpiredSessions() {
      await db.deleteFrom('sessions').where('expires_at', '<=', new Date().toISOString()).execute();
    },
  };
}
