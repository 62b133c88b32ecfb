import { Lucia, TimeSpan, type Adapter, type DatabaseSession } from 'lucia'
import { eq, lt, sql } from 'drizzle-orm'
import { cityMemberships, sessions } from '../../db/schema'
import { asSystem, asSystemStatements } from '../../db/as-system'
import { withTenant } from '../../db/tenant-context'
import type { RuntimeDb } from '../../db/runtime'

/**
 * Sessions: the one module that imports lucia (docs/decisions/003-lucia-behind-one-module.md).
 *
 * Rows keep lucia's shape (`id`, `user_id`, `expires_at`) plus an idle and an
 * absolute limit; `expires_at` is always the earlier of the two. The adapter
 * below reaches the database only through `withTenant`: the validator acts as
 * the `system` actor through `find_session()` and `touch_session()` (sent
 * together) and `end_session()`; the user's own sessions are written as that user.
 */

export const SESSION_LIMITS = {
  /** Idle timeout of city staff (anyone with a city membership). */
  staffIdleSeconds: 30 * 60,
  /** Idle timeout of everyone else. */
  idleSeconds: 2 * 60 * 60,
  /** Absolute lifetime from sign-in, whatever the activity. */
  absoluteSeconds: 12 * 60 * 60,
} as const

export type SessionUser = {
  id: string
  email: string
  displayName: string
  locale: 'ja' | 'en'
  platformRole: 'operator' | null
}

export type SessionInfo = { id: string; userId: string }

type SessionAttributes = { idleSeconds: number; ip: string | null; userAgent: string | null }
type UserAttributes = Omit<SessionUser, 'id'>

type FoundSession = {
  session_id: string
  user_id: string
  idle_expires_at: string | Date
  absolute_expires_at: string | Date
  last_seen_at: string | Date
  created_at: string | Date
  password_changed_at: string | Date
  disabled_at: string | Date | null
  email: string
  display_name: string
  locale: 'ja' | 'en'
  platform_role: 'operator' | null
}

/** postgres.js hands drizzle's raw rows timestamps as text; the database's own ISO form parses everywhere. */
function toDate(value: string | Date): Date {
  return value instanceof Date ? value : new Date(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'))
}

function createAdapter(db: RuntimeDb, limits: typeof SESSION_LIMITS): Adapter {
  return {
    async getSessionAndUser(sessionId) {
      // The lookup and the touch go together with BEGIN and COMMIT, one transaction and one round trip per
      // request: lucia asks for the touch on every validation (see createLucia), and touch_session() leaves a
      // dead session alone. The lookup is sent first, so it reads the session as it was before this request.
      const [found] = await asSystemStatements(db, [
        sql`select * from find_session(${sessionId})`,
        sql`select touch_session(${sessionId})`,
      ])
      const row = found?.[0] as FoundSession | undefined
      if (!row) return [null, null]
      const idle = toDate(row.idle_expires_at)
      const absolute = toDate(row.absolute_expires_at)
      const session: DatabaseSession = {
        id: row.session_id,
        userId: row.user_id,
        expiresAt: idle < absolute ? idle : absolute,
        attributes: {
          idleSeconds: (idle.getTime() - toDate(row.last_seen_at).getTime()) / 1000,
          ip: null,
          userAgent: null,
        },
      }
      // A disabled account, or a password changed after this session began, orphans the session: lucia deletes it.
      const usable = row.disabled_at === null && toDate(row.password_changed_at) <= toDate(row.created_at)
      const attributes: UserAttributes = {
        email: row.email,
        displayName: row.display_name,
        locale: row.locale,
        platformRole: row.platform_role,
      }
      return [session, usable ? { id: row.user_id, attributes } : null]
    },
    async getUserSessions(userId) {
      const rows = await asSystem(
        db,
        (tx) => tx.select().from(sessions).where(eq(sessions.userId, userId)),
        userId,
      )
      return rows.map((row) => ({
        id: row.id,
        userId: row.userId,
        expiresAt: row.expiresAt,
        attributes: { idleSeconds: 0, ip: row.ip, userAgent: row.userAgent },
      }))
    },
    async setSession(session) {
      const { idleSeconds, ip, userAgent } = session.attributes as SessionAttributes
      const idle = sql`now() + make_interval(secs => ${idleSeconds})`
      const absolute = sql`now() + make_interval(secs => ${limits.absoluteSeconds})`
      await asSystem(
        db,
        (tx) =>
          tx.insert(sessions).values({
            id: session.id,
            userId: session.userId,
            expiresAt: sql`least(${idle}, ${absolute})`,
            idleExpiresAt: idle,
            absoluteExpiresAt: absolute,
            ip,
            userAgent,
          }),
        session.userId,
      )
    },
    async updateSessionExpiration() {
      // lucia asks to extend the session after every validation; getSessionAndUser has already slid the
      // idle window (within the absolute limit) in the lookup's own transaction.
    },
    async deleteSession(sessionId) {
      await asSystem(db, (tx) => tx.execute(sql`select end_session(${sessionId})`))
    },
    async deleteUserSessions(userId) {
      await asSystem(db, (tx) => tx.delete(sessions).where(eq(sessions.userId, userId)), userId)
    },
    async deleteExpiredSessions() {
      await asSystem(db, (tx) => tx.delete(sessions).where(lt(sessions.expiresAt, sql`now()`)))
    },
  }
}

function createLucia(db: RuntimeDb, options: { production: boolean; limits: typeof SESSION_LIMITS }) {
  return new Lucia(createAdapter(db, options.limits), {
    // Longer than any idle window, so lucia asks to extend on every validation and touch_session() decides.
    sessionExpiresIn: new TimeSpan(options.limits.absoluteSeconds, 's'),
    sessionCookie: {
      name: options.production ? '__Host-session' : 'session',
      attributes: { secure: options.production, sameSite: 'lax' },
    },
    getUserAttributes: (attributes): UserAttributes => attributes,
  })
}

declare module 'lucia' {
  interface Register {
    Lucia: ReturnType<typeof createLucia>
    UserId: string
    DatabaseUserAttributes: UserAttributes
    DatabaseSessionAttributes: SessionAttributes
  }
}

/** Where a session was started from, shown in the user's list of sessions. */
export type SessionOrigin = { ip: string | null; userAgent: string | null }

export type Auth = ReturnType<typeof createAuth>

/**
 * The session service, built once per process (`app/server/services.ts`) and
 * reached by routes as `context.auth`.
 */
export function createAuth(options: { db: RuntimeDb; production: boolean; limits?: typeof SESSION_LIMITS }) {
  const { db } = options
  const limits = options.limits ?? SESSION_LIMITS
  const lucia = createLucia(db, { production: options.production, limits })

  async function isCityStaff(userId: string): Promise<boolean> {
    const rows = await withTenant(db, { tenantId: null, userId, actor: 'staff' }, (tx) =>
      tx
        .select({ id: cityMemberships.id })
        .from(cityMemberships)
        .where(eq(cityMemberships.userId, userId))
        .limit(1),
    )
    return rows.length > 0
  }

  return {
    cookieName: lucia.sessionCookieName,

    /** The session id in a Cookie header, or null. */
    readSessionId(cookieHeader: string | null | undefined): string | null {
      try {
        return lucia.readSessionCookie(cookieHeader ?? '')
      } catch {
        // lucia decodes every cookie of the header; a malformed %-escape in any of them
        // (URIError) means no readable session, not a failed request.
        return null
      }
    },

    /** The session and its user, sliding the idle window; null when unknown, expired, orphaned or ended. */
    async validateSession(sessionId: string): Promise<{ session: SessionInfo; user: SessionUser } | null> {
      const { session, user } = await lucia.validateSession(sessionId)
      if (!session || !user) return null
      return { session: { id: session.id, userId: session.userId }, user }
    },

    /** A new session (sign-in): a fresh id every time, with the idle timeout of the user's kind. */
    async startSession(
      userId: string,
      origin: SessionOrigin,
    ): Promise<{ session: SessionInfo; cookie: string }> {
      const idleSeconds = (await isCityStaff(userId)) ? limits.staffIdleSeconds : limits.idleSeconds
      const session = await lucia.createSession(userId, { idleSeconds, ...origin })
      return {
        session: { id: session.id, userId },
        cookie: lucia.createSessionCookie(session.id).serialize(),
      }
    },

    /** Ends one session on the server; returns the cookie that clears it in the browser. */
    async endSession(sessionId: string): Promise<string> {
      await lucia.invalidateSession(sessionId)
      return lucia.createBlankSessionCookie().serialize()
    },

    /** Ends every session of a user (sign out everywhere, password change, disablement). */
    endUserSessions(userId: string): Promise<void> {
      return lucia.invalidateUserSessions(userId)
    },

    /** Deletes sessions past their limits (the sweeper). */
    sweepExpiredSessions(): Promise<void> {
      return lucia.deleteExpiredSessions()
    },

    /** The cookie for a live session, sent back on every response so the browser's copy stays fresh. */
    sessionCookie(sessionId: string): string {
      return lucia.createSessionCookie(sessionId).serialize()
    },

    blankCookie(): string {
      return lucia.createBlankSessionCookie().serialize()
    },
  }
}
