import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../db/testing'
import type { CityStaff } from '../actors'
import type { Operator } from '../actors'
import { createTestCitiesAndProposers, type TestCity } from '../proposals/testing.server'
import { AppError } from '../app-error'
import {
  findAccountForOperator,
  setAccountDisabledAsOperator,
  setStaffAccountDisabled,
} from './disable-account.server'

/** Issue 20: operators and desk admins disable accounts; sessions end at once; every change is audited. */

let db: TestDatabase
let cities: Record<string, TestCity>
let operator: Operator
let proposerId: string
const ip = '192.0.2.7'

function deskAdminOf(city: TestCity): CityStaff {
  const userId = city.deskAdmin.userId
  return {
    user: { id: userId, email: 'admin@example.test', displayName: 'Admin', locale: 'ja', platformRole: null },
    tenantId: city.tenant.id,
    citySlug: city.tenant.config.slug,
    role: 'desk_admin',
    departmentId: null,
    departmentKey: null,
    tenantContext: { tenantId: city.tenant.id, userId, actor: 'staff' },
  }
}

async function openSession(userId: string): Promise<string> {
  const id = randomUUID()
  await db.ownerSql`
    INSERT INTO sessions (id, user_id, expires_at, idle_expires_at, absolute_expires_at)
    VALUES (${id}, ${userId}, now() + interval '1 hour', now() + interval '1 hour', now() + interval '2 hours')`
  return id
}

async function stateOf(userId: string) {
  const [user] = await db.ownerSql<
    { disabled_at: Date | null }[]
  >`SELECT disabled_at FROM users WHERE id = ${userId}`
  const [sessions] = await db.ownerSql<
    { n: number }[]
  >`SELECT count(*)::int AS n FROM sessions WHERE user_id = ${userId}`
  return { disabled: user!.disabled_at !== null, sessions: sessions!.n }
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return (error as AppError).code
}

beforeAll(async () => {
  db = await createTestDatabase()
  const made = await createTestCitiesAndProposers(db.ownerSql)
  cities = made.cities
  proposerId = made.business.actor.userId
  const operatorId = randomUUID()
  await db.ownerSql`
    INSERT INTO users (id, email, display_name, password_hash, platform_role)
    VALUES (${operatorId}, 'op-disable@example.test', 'Operator', 'not-a-password-hash', 'operator')`
  operator = {
    user: {
      id: operatorId,
      email: 'op-disable@example.test',
      displayName: 'Operator',
      locale: 'en',
      platformRole: 'operator',
    },
    sessionId: 'no-session',
    tenantContext: { tenantId: null, userId: operatorId, actor: 'operator' },
  }
})
afterAll(async () => {
  await db?.drop()
})

describe('an operator', () => {
  it('disables any account: its sessions end in the same change, the platform audit records it; re-enables it', async () => {
    await openSession(proposerId)
    await openSession(proposerId)
    expect(await stateOf(proposerId)).toEqual({ disabled: false, sessions: 2 })

    expect(
      await setAccountDisabledAsOperator(db.runtimeDb, operator, { userId: proposerId, disabled: true, ip }),
    ).toBe(true)
    expect(await stateOf(proposerId)).toEqual({ disabled: true, sessions: 0 })
    // Again: nothing changes, nothing more is audited.
    expect(
      await setAccountDisabledAsOperator(db.runtimeDb, operator, { userId: proposerId, disabled: true, ip }),
    ).toBe(false)

    expect(
      await setAccountDisabledAsOperator(db.runtimeDb, operator, { userId: proposerId, disabled: false, ip }),
    ).toBe(true)
    expect((await stateOf(proposerId)).disabled).toBe(false)

    const audit = await db.ownerSql<
      { action: string; actor_user_id: string; target_id: string; ip: string }[]
    >`
      SELECT action, actor_user_id, target_id, ip FROM platform_audit_log
       WHERE action LIKE 'account.%' AND target_id = ${proposerId} ORDER BY at, action`
    expect(audit.map((row) => row.action)).toEqual(['account.disabled', 'account.enabled'])
    expect(audit.every((row) => row.actor_user_id === operator.user.id && row.ip === ip)).toBe(true)
  })

  it('finds an account by e-mail in any case, and cannot disable their own', async () => {
    const found = await findAccountForOperator(db.runtimeDb, operator, 'OP-DISABLE@example.test')
    expect(found).toMatchObject({ id: operator.user.id, operator: true, disabledAt: null })
    expect(await findAccountForOperator(db.runtimeDb, operator, 'nobody@example.test')).toBeNull()
    expect(
      await refusal(
        setAccountDisabledAsOperator(db.runtimeDb, operator, {
          userId: operator.user.id,
          disabled: true,
          ip,
        }),
      ),
    ).toBe('cannot_disable_self')
  })
})

describe('a desk admin', () => {
  it("disables a staff account of their own city: sessions gone, the city's audit log records it", async () => {
    const [city] = Object.values(cities)
    const admin = deskAdminOf(city!)
    const staffId = city!.desk.userId
    await openSession(staffId)

    expect(await setStaffAccountDisabled(db.runtimeDb, admin, { userId: staffId, disabled: true, ip })).toBe(
      true,
    )
    expect(await stateOf(staffId)).toEqual({ disabled: true, sessions: 0 })
    expect(await setStaffAccountDisabled(db.runtimeDb, admin, { userId: staffId, disabled: false, ip })).toBe(
      true,
    )
    expect(await stateOf(staffId)).toEqual({ disabled: false, sessions: 0 })

    const audit = await db.ownerSql<{ action: string; tenant_id: string; actor_user_id: string }[]>`
      SELECT action, tenant_id, actor_user_id FROM audit_log
       WHERE target_id = ${staffId} AND action LIKE 'staff.%abled' ORDER BY at, action`
    expect(audit.map((row) => row.action)).toEqual(['staff.disabled', 'staff.enabled'])
    expect(
      audit.every((row) => row.tenant_id === city!.tenant.id && row.actor_user_id === admin.user.id),
    ).toBe(true)
  })

  it("cannot disable another city's staff, a proposer, an operator or themselves; nothing changes", async () => {
    const [city, other] = Object.values(cities)
    const admin = deskAdminOf(city!)
    const otherStaffId = other!.desk.userId
    await openSession(otherStaffId)
    const attempt = (userId: string) =>
      setStaffAccountDisabled(db.runtimeDb, admin, { userId, disabled: true, ip })

    expect(await refusal(attempt(otherStaffId))).toBe('no_longer_exists')
    expect(await stateOf(otherStaffId)).toEqual({ disabled: false, sessions: 1 })
    expect(await refusal(attempt(proposerId))).toBe('no_longer_exists')
    expect(await refusal(attempt(randomUUID()))).toBe('no_longer_exists')
    expect(await refusal(attempt(admin.user.id))).toBe('cannot_disable_self')

    // An operator who also works at the city's desk stays out of the desk admin's reach.
    await db.ownerSql`
      INSERT INTO city_memberships (tenant_id, user_id, role) VALUES (${city!.tenant.id}, ${operator.user.id}, 'desk_staff')`
    expect(await refusal(attempt(operator.user.id))).toBe('cannot_disable_operator')
    expect((await stateOf(operator.user.id)).disabled).toBe(false)
    await db.ownerSql`DELETE FROM city_memberships WHERE user_id = ${operator.user.id}`
  })

  it('desk staff who are not admins are refused by the database', async () => {
    const [city] = Object.values(cities)
    const desk = deskAdminOf(city!)
    const notAdmin: CityStaff = {
      ...desk,
      user: { ...desk.user, id: city!.desk.userId },
      role: 'desk_staff',
      tenantContext: { tenantId: city!.tenant.id, userId: city!.desk.userId, actor: 'staff' },
    }
    await expect(
      setStaffAccountDisabled(db.runtimeDb, notAdmin, { userId: city!.deskAdmin.userId, disabled: true, ip }),
    ).rejects.toThrow()
    expect((await stateOf(city!.deskAdmin.userId)).disabled).toBe(false)
  })
})
