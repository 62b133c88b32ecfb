import { Writable } from 'node:stream'
import type { AppLoadContext } from '@remix-run/node'
import { sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/postgres-js'
import { describe, expect, it } from 'vitest'
import type { TestDatabase } from '../../db/testing'
import { withTenant } from '../../db/tenant-context'
import { handleError } from '~/entry.server'
import { submitTestProposal, type TestCity, type TestProposer } from '~/operations/proposals/testing.server'
import { shareOneCityWorld } from '~/test/operations-world'
import { createLogger } from '~/utils/logger.server'
import { AppError } from '~/operations/app-error'
import { DrizzleQueryError } from 'drizzle-orm/errors'
import { refusal, toHttpError } from './errors.server'

/**
 * Issue 19: the edge maps the database's refusals, however drizzle wraps them,
 * to a clear answer; and no log line carries a query's values.
 */

let db: TestDatabase
let city: TestCity
let business: TestProposer

shareOneCityWorld('komatsu', (world) => {
  ;({ db, city, business } = world)
})

/** What the action answers for an error: its status, or 500 when the error reaches the error boundary. */
function answerTo(error: unknown): number {
  try {
    return refusal(error).status
  } catch (thrown) {
    return thrown instanceof Response ? thrown.status : 500
  }
}

describe('the edge', () => {
  it('maps every proposal code to an HTTP status and a message key, and rethrows anything else', () => {
    const codes = [
      'not_found',
      'conflict',
      'forbidden',
      'invalid_transition',
      'missing_requirement',
      'invalid_input',
      'ineligible',
      'limit_reached',
    ] as const
    const statuses = Object.fromEntries(
      codes.map((code) => [code, toHttpError(new AppError(code, code)).status]),
    )
    expect(statuses).toEqual({
      not_found: 404,
      conflict: 409,
      forbidden: 403,
      invalid_transition: 409,
      missing_requirement: 422,
      invalid_input: 422,
      ineligible: 422,
      limit_reached: 422,
    })
    const conflict = toHttpError(new AppError('conflict', 'x', { currentVersion: 3 }))
    expect(conflict).toMatchObject({ status: 409, message: 'common:errors.operation.conflict' })
    expect(conflict.error.details).toEqual({ currentVersion: 3 })
    const bug = new TypeError('a bug')
    expect(() => toHttpError(bug)).toThrow(bug)
  })

  /** An error as drizzle hands it over: the failed query wrapping the driver's error. */
  const wrapped = (code: string) =>
    new DrizzleQueryError(
      'select 1 where $1',
      ['a value'],
      Object.assign(new Error('driver error'), { code }),
    )

  it('words the database’s refusals however drizzle wraps them: 403, 409, and 503 with Retry-After', async () => {
    const expected: Record<string, [number, string]> = {
      '42501': [403, 'common:errors.operation.forbidden'],
      '23505': [409, 'common:errors.operation.conflict'],
      '40001': [503, 'common:errors.operation.busy'],
      '55P03': [503, 'common:errors.operation.busy'],
      '57014': [503, 'common:errors.operation.timed_out'],
      '57P01': [503, 'common:errors.operation.unavailable'],
      CONNECTION_CLOSED: [503, 'common:errors.operation.unavailable'],
      ECONNREFUSED: [503, 'common:errors.operation.unavailable'],
    }
    for (const [code, [status, message]] of Object.entries(expected)) {
      const response = refusal(wrapped(code))
      expect(response.status, code).toBe(status)
      expect((await response.json()).formError, code).toBe(message)
      if (status === 503) expect(response.headers.get('Retry-After'), code).toBeTruthy()
    }
  })

  it('rethrows what it cannot word (a bug, an unknown database error) for the error boundary', () => {
    const bug = new TypeError('a bug')
    expect(() => refusal(bug)).toThrow(bug)
    const unknown = wrapped('22P02')
    expect(() => refusal(unknown)).toThrow(unknown)
  })

  it('answers a missing proposal with a 404 page and an input refusal with its issues by input name', async () => {
    expect(answerTo(new AppError('not_found'))).toBe(404)
    const response = refusal(
      new AppError('invalid_input', 'x', {
        issues: [{ path: ['answers', 'title'], message: 'title is required' }],
      }),
    )
    expect(response.status).toBe(422)
    expect(await response.json()).toEqual({
      formError: 'common:errors.operation.invalid_input',
      fieldErrors: { 'answers.title': 'title is required' },
    })
  })
})

describe('a proposal to a city suspended a moment ago', () => {
  it('is refused with a 403 and its message, not a 500 page', async () => {
    const answers = { title: '空き店舗の活用', summary: '空き店舗を創業支援の拠点にします。' }
    await submitTestProposal(db.runtimeDb, { city, proposer: business, answers })
    // The operator suspends the city; this server's registry has not heard yet, so the route lets the post through.
    await db.ownerSql`UPDATE tenants SET status = 'suspended' WHERE id = ${city.tenant.id}`
    try {
      const refused = await submitTestProposal(db.runtimeDb, { city, proposer: business, answers }).then(
        () => null,
        (error: unknown) => error,
      )
      expect(refused).not.toBeNull()
      expect(answerTo(refused)).toBe(403)
    } finally {
      await db.ownerSql`UPDATE tenants SET status = 'live' WHERE id = ${city.tenant.id}`
    }
  })
})

/** A logger writing into a string, and the load context handleError reads. */
function capturedLog() {
  let text = ''
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk)
      done()
    },
  })
  const log = createLogger('info', stream)
  return { context: { log } as unknown as AppLoadContext, text: () => text }
}

describe('logs', () => {
  const request = new Request('http://localhost/proposals/new', { method: 'POST' })

  it('never carry a failed query’s parameters (a proposal’s text) nor a row’s values (an e-mail address)', async () => {
    const proposalText = '駅前の空き店舗を、週末だけ子ども食堂にする提案です'
    const castError = await withTenant(
      db.runtimeDb,
      { tenantId: city.tenant.id, userId: business.actor.userId, actor: 'proposer' },
      (tx) => tx.execute(sql`select ${proposalText}::integer`),
    ).then(
      () => null,
      (error: unknown) => error,
    )
    const email = 'taken-address@example.test'
    const owner = drizzle(db.ownerSql)
    const insertUser = () =>
      owner.execute(
        sql`insert into users (email, display_name, password_hash) values (${email}, 'Someone', 'not-a-hash')`,
      )
    await insertUser()
    const duplicateError = await insertUser().then(
      () => null,
      (error: unknown) => error,
    )
    expect(String((castError as Error).message)).toContain(proposalText)
    expect(String((duplicateError as Error).message)).toContain(email)

    const { context, text } = capturedLog()
    handleError(castError, { request, context })
    handleError(duplicateError, { request, context })
    context.log.flush()
    const logged = text()
    expect(logged).toContain('22P02')
    expect(logged).toContain('23505')
    expect(logged).not.toContain(proposalText)
    expect(logged).not.toContain(email)
    expect(logged).not.toContain('example.test')
  })
})
