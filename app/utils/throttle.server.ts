import { and, inArray, isNull, lt, or, sql } from 'drizzle-orm'
import { throttleCounters } from '../../db/schema'
import { withTenant, type TenantTx } from '../../db/tenant-context'
import type { RuntimeDb } from '../../db/runtime'

/**
 * Attempt throttling for sign-in, the second factor, reset requests and
 * sign-ups: one counter row per key in `throttle_counters`, taken by
 * `throttle_take()` under the row's lock, so counting an attempt and checking
 * the limit are one step even for concurrent requests. A key over its limit is
 * blocked; each block of the same key lasts twice the one before, up to the
 * rule's longest (backoff). Why not a library: docs/decisions/006-security.md.
 */
export type ThrottleRule = {
  /** Attempts allowed per window. */
  limit: number
  windowSeconds: number
  /** The first block; each next one doubles, up to `maxBlockSeconds`. */
  blockSeconds: number
  maxBlockSeconds: number
}

const MINUTE = 60
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

export const THROTTLE_RULES = {
  /** Wrong passwords for one account from one address: the guesser stops, the owner elsewhere does not. */
  signInAccountAddress: {
    limit: 10,
    windowSeconds: 15 * MINUTE,
    blockSeconds: 15 * MINUTE,
    maxBlockSeconds: DAY,
  },
  /** Failed sign-ins from one address, any account (stuffing); a success is given back (an office's NAT). */
  signInAddress: { limit: 50, windowSeconds: 15 * MINUTE, blockSeconds: 15 * MINUTE, maxBlockSeconds: DAY },
  /** Codes tried by an operator who has passed the password. */
  secondFactor: { limit: 5, windowSeconds: 15 * MINUTE, blockSeconds: 15 * MINUTE, maxBlockSeconds: DAY },
  /** Reset links asked for one address (the mails the owner gets) and from one client. */
  resetRequestAccount: { limit: 5, windowSeconds: HOUR, blockSeconds: HOUR, maxBlockSeconds: DAY },
  resetRequestAddress: { limit: 20, windowSeconds: HOUR, blockSeconds: HOUR, maxBlockSeconds: DAY },
  /** Sign-ups from one client. */
  signUpAddress: { limit: 10, windowSeconds: HOUR, blockSeconds: HOUR, maxBlockSeconds: DAY },
} as const satisfies Record<string, ThrottleRule>

export type ThrottleKey = { key: string; rule: ThrottleRule }

/** A key's name for an e-mail address: case and surrounding spaces do not make a new allowance. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase()
}

function asSystem<T>(db: RuntimeDb, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  return withTenant(db, { tenantId: null, userId: null, actor: 'system' }, fn)
}

/**
 * Counts one attempt against every key and returns the seconds to wait before
 * the busiest may try again, or 0 when all allow it. Its own short transaction:
 * the rows are locked only while they are counted, never during a password
 * check. Keys are taken in one order, so two callers never wait on each other in a cycle.
 */
export async function takeAttempt(db: RuntimeDb, keys: ThrottleKey[]): Promise<number> {
  const ordered = [...keys].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return asSystem(db, async (tx) => {
    let wait = 0
    for (const { key, rule } of ordered) {
      const [row] = await tx.execute<{ wait: number }>(
        sql`select throttle_take(${key}, ${rule.limit}, ${rule.windowSeconds}, ${rule.blockSeconds}, ${rule.maxBlockSeconds}) as wait`,
      )
      wait = Math.max(wait, Number(row?.wait ?? 0))
    }
    return wait
  })
}

/**
 * After a success: `forget` keys start afresh (failures of the account from
 * that address, blocks included); `giveBack` keys get this attempt back
 * (an address's count of failures, so many good sign-ins from one office never add up).
 */
export async function settleAttempt(
  db: RuntimeDb,
  options: { forget?: string[]; giveBack?: string[] },
): Promise<void> {
  const forget = options.forget ?? []
  const giveBack = options.giveBack ?? []
  await asSystem(db, async (tx) => {
    if (forget.length > 0) await tx.delete(throttleCounters).where(inArray(throttleCounters.key, forget))
    if (giveBack.length > 0)
      await tx
        .update(throttleCounters)
        .set({ hits: sql`greatest(${throttleCounters.hits} - 1, 0)` })
        .where(inArray(throttleCounters.key, giveBack))
  })
}

/** Drops counters idle for a day and not blocked (the session sweeper calls it). */
export async function sweepThrottleCounters(db: RuntimeDb): Promise<void> {
  await asSystem(db, (tx) =>
    tx
      .delete(throttleCounters)
      .where(
        and(
          lt(throttleCounters.updatedAt, sql`now() - interval '1 day'`),
          or(isNull(throttleCounters.blockedUntil), lt(throttleCounters.blockedUntil, sql`now()`)),
        ),
      ),
  )
}
