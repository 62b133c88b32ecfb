import { and, inArray, isNull, lt, or, sql } from 'drizzle-orm'
import { throttleCounters } from '../../db/schema'
import { asSystem } from '../../db/as-system'
import type { RuntimeDb } from '../../db/runtime'

/**
 * The one attempt limiter: sign-in, the operators' second factor, reset
 * requests and sign-ups each name their attempt here (`ATTEMPTS`), count it
 * with `takeAttempt` before doing the work, and report a success with
 * `attemptSucceeded`. Behind it, one counter row per key in
 * `throttle_counters`, taken by `throttle_take()` under the row's lock, so
 * counting an attempt and checking the limit are one step even for concurrent
 * requests. A key over its limit is blocked; each block of the same key lasts
 * twice the one before, up to the rule's longest (backoff). Why this table and
 * not rate-limiter-flexible: docs/decisions/006-security.md.
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

type ThrottleKey = { key: string; rule: ThrottleRule }

/**
 * One limited attempt: the counters it takes, and what a success does to
 * them — `forget` keys start afresh (blocks included), `giveBack` keys get
 * this attempt back.
 */
export type LimitedAttempt = { keys: ThrottleKey[]; onSuccess: { forget: string[]; giveBack: string[] } }

/** A key's name for an e-mail address: case and surrounding spaces do not make a new allowance. */
const emailKey = (email: string) => email.trim().toLowerCase()
const addressKey = (ip: string | null) => ip ?? 'unknown'

/** Every limited attempt of the product. No key is an account alone, so nobody can lock its owner out (ADR 006). */
export const ATTEMPTS = {
  /** Per account from this address, and per address; a success forgets the first and gives the second back. */
  signIn(email: string, ip: string | null): LimitedAttempt {
    const accountAddress = `sign-in:${emailKey(email)}|${addressKey(ip)}`
    const address = `sign-in-address:${addressKey(ip)}`
    return {
      keys: [
        { key: accountAddress, rule: THROTTLE_RULES.signInAccountAddress },
        { key: address, rule: THROTTLE_RULES.signInAddress },
      ],
      onSuccess: { forget: [accountAddress], giveBack: [address] },
    }
  },
  /** Codes per operator (the password is already behind them); a success starts afresh. */
  secondFactor(userId: string): LimitedAttempt {
    const key = `totp:${userId}`
    return { keys: [{ key, rule: THROTTLE_RULES.secondFactor }], onSuccess: { forget: [key], giveBack: [] } }
  },
  /** Per e-mail address (known or not: the limit says nothing about which exist) and per client. */
  passwordResetRequest(email: string, ip: string | null): LimitedAttempt {
    return {
      keys: [
        { key: `reset:${emailKey(email)}`, rule: THROTTLE_RULES.resetRequestAccount },
        { key: `reset-address:${addressKey(ip)}`, rule: THROTTLE_RULES.resetRequestAddress },
      ],
      onSuccess: { forget: [], giveBack: [] },
    }
  },
  /** Per client. */
  signUp(ip: string | null): LimitedAttempt {
    return {
      keys: [{ key: `sign-up-address:${addressKey(ip)}`, rule: THROTTLE_RULES.signUpAddress }],
      onSuccess: { forget: [], giveBack: [] },
    }
  },
} as const

/**
 * Counts one attempt against each of its keys and returns the seconds to wait
 * before the busiest may try again, or 0 when all allow it: the caller refuses
 * with that wait (429, Retry-After) and does nothing else. Its own short
 * transaction: the rows are locked only while they are counted, never during
 * a password check. Keys are taken in one order, so two callers never wait on
 * each other in a cycle.
 */
export async function takeAttempt(db: RuntimeDb, attempt: LimitedAttempt): Promise<number> {
  const ordered = [...attempt.keys].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
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

/** After a success: the attempt's `onSuccess` (e.g. an office's good sign-ins never add up to a block). */
export async function attemptSucceeded(db: RuntimeDb, attempt: LimitedAttempt): Promise<void> {
  const { forget, giveBack } = attempt.onSuccess
  if (forget.length === 0 && giveBack.length === 0) return
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
