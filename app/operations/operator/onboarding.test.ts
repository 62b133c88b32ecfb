import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { localize } from '@desk/tenant-config'
import { applyTenant, planTenantApply, TenantApplyError } from '../../../db/operator/apply-tenant'
import { createTestDatabase, type TestDatabase } from '../../../db/testing'
import { acceptInvitation } from '../city-staff/city-staff.server'
import { createLogger } from '../../utils/logger.server'
import { verifySignIn } from '../accounts/sign-in.server'
import {
  appliedTenantsIn,
  createTenantRegistry,
  type TenantRegistry,
} from '../../utils/tenant-registry.server'
import { submitProposal } from '../proposals/submit-proposal.server'
import { createTestProposer, readProposerProposalPage, type TestProposer } from '../proposals/testing.server'
import { transitionProposal } from '../proposals/transition-proposal.server'
import { listCityHealth } from './list-city-health.server'
import type { Operator } from '../actors'
import { setCityStatus } from './set-city-status.server'
import { AppError } from '../app-error'

/**
 * Issue 10's "done when": the third city is onboarded from its file alone
 * (tenants:apply's owner-side logic), goes live without a restart (the
 * registry of a running server picks it up), and a business proposes there
 * and is answered — with the proposal operations every city uses.
 */

const FILE = 'e2e/fixtures/tenants/sample-town.yaml'
const ADMIN_EMAIL = 'town-admin@example.test'
const PASSWORD = 'town-admin-pass-2026'

let db: TestDatabase
let registry: TenantRegistry
let source: string
let operator: Operator
let business: TestProposer

const request = () => ({ source, file: FILE, tenantsDir: 'tenants' })

beforeAll(async () => {
  db = await createTestDatabase()
  source = await readFile(FILE, 'utf8')
  // A running server's registry: the real cities' folder plus whatever the database has applied.
  registry = await createTenantRegistry({
    directory: 'tenants',
    logger: createLogger('silent'),
    watch: false,
    applied: appliedTenantsIn(db.runtimeDb),
    pollMs: 50,
  })
  const operatorId = randomUUID()
  await db.ownerSql`
    INSERT INTO users (id, email, display_name, password_hash, platform_role)
    VALUES (${operatorId}, 'op@example.test', 'Operator', 'not-a-password-hash', 'operator')`
  operator = {
    user: {
      id: operatorId,
      email: 'op@example.test',
      displayName: 'Operator',
      locale: 'en',
      platformRole: 'operator',
    },
    sessionId: 'no-session',
    tenantContext: { tenantId: null, userId: operatorId, actor: 'operator' },
  }
  business = await createTestProposer(db.ownerSql)
})
afterAll(async () => {
  await registry?.close()
  await db?.drop()
})

async function eventually(check: () => boolean) {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 20))
  expect(check()).toBe(true)
}

const tenantOf = () => {
  const town = registry.get('sample-town')!
  return { id: '', config: town.config, configVersion: town.version }
}

describe('onboarding the third city from its file', () => {
  let tenantId: string
  let invitationLink: string | null

  it('plans a new city, then applies it as a draft with its departments and the first admin invited', async () => {
    const planned = await planTenantApply(db.ownerSql, request())
    expect(planned).toMatchObject({
      ok: true,
      plan: { kind: 'create', slug: 'sample-town', applicable: true },
    })
    expect(registry.has('sample-town')).toBe(false)

    const applied = await applyTenant(db.ownerSql, {
      ...request(),
      actorUserId: null,
      invitation: {
        email: ADMIN_EMAIL,
        origin: 'http://localhost',
        mail: (link) => ({ subject: 'Invitation', text: link }),
      },
    })
    tenantId = applied.tenantId
    invitationLink = applied.invitationLink
    expect(applied).toMatchObject({ slug: 'sample-town', status: 'draft' })
    expect(invitationLink).toMatch(/^http:\/\/localhost\/sample-town\/invitation\/[\w-]+$/)
    const [row] =
      await db.adminSql`SELECT status, config_revision, config_file, reference_prefix FROM tenants WHERE id = ${tenantId}`
    expect(row).toEqual({ status: 'draft', config_revision: 1, config_file: FILE, reference_prefix: 'SMT' })
    expect(await db.adminSql`SELECT key FROM departments WHERE tenant_id = ${tenantId}`).toEqual([
      { key: 'town_planning' },
    ])
    expect(await db.adminSql`SELECT email, role FROM invitations WHERE tenant_id = ${tenantId}`).toEqual([
      { email: ADMIN_EMAIL, role: 'desk_admin' },
    ])
    expect(await db.adminSql`SELECT to_address FROM mail_outbox WHERE kind = 'city_invitation'`).toEqual([
      { to_address: ADMIN_EMAIL },
    ])
    expect(
      await db.adminSql`SELECT action, actor_kind FROM platform_audit_log WHERE subject_tenant_id = ${tenantId}`,
    ).toEqual([{ action: 'tenant.onboarded', actor_kind: 'operator' }])
  })

  it('serves the draft without a restart, then makes it live (audited)', async () => {
    await eventually(() => registry.get('sample-town')?.status === 'draft')
    // Resolvable for the operator's preview, but not offered to visitors.
    expect(registry.list().map((city) => city.slug)).not.toContain('sample-town')
    await setCityStatus(db.runtimeDb, registry, operator, {
      slug: 'sample-town',
      change: 'make_live',
      ip: null,
    })
    expect(registry.get('sample-town')?.status).toBe('live')
    expect(registry.list().map((city) => city.slug)).toContain('sample-town')
    const [audit] =
      await db.adminSql`SELECT actor_user_id FROM platform_audit_log WHERE action = 'tenant.made_live'`
    expect(audit!.actor_user_id).toBe(operator.user.id)
  })

  it('falls back to Japanese where the file has no English text', () => {
    const { config } = registry.get('sample-town')!
    expect(config.fallbackLocales).toEqual(['en'])
    expect(localize(config.purpose.text, 'en', config.defaultLocale)).toBe(
      '町の暮らしを事業者とともに支えます。',
    )
    expect(localize(config.proposalTypes[0]!.label, 'en', config.defaultLocale)).toBe('Pilot proposal')
  })

  let proposalId: string
  let version: number
  let deskAdmin: string

  it('lets the invited admin join, and a business propose with the required number', async () => {
    const token = invitationLink!.split('/').pop()!
    deskAdmin = await acceptInvitation(db.runtimeDb, {
      tenantId,
      token,
      invitee: { newUser: { password: PASSWORD, displayName: 'Town admin', locale: 'ja' } },
      ip: null,
    })
    const tenant = { ...tenantOf(), id: tenantId }
    const submit = (answers: Record<string, unknown>) =>
      submitProposal(db.runtimeDb, {
        tenant,
        actor: business.actor,
        proposal: { organisationId: business.organisationId, proposalTypeId: 'pilot', trackId: 'town_pilot' },
        idempotencyKey: randomUUID(),
        answers,
        acknowledgedNoteIds: ['no_compensation'],
      })
    const missing = await submit({ title: '朝市の試行' }).catch((error: unknown) => error)
    expect(missing).toBeInstanceOf(AppError)
    expect((missing as AppError).code).toBe('invalid_input')

    const { proposal } = await submit({ title: '朝市の試行', participants: 40 })
    expect(proposal).toMatchObject({ state: 'intake' })
    expect(proposal.referenceCode).toMatch(/^SMT-\d{4}-0001$/)
    proposalId = proposal.id
    version = proposal.version
  })

  it('takes the extra approval step and answers the business', async () => {
    const tenant = { ...tenantOf(), id: tenantId }
    const staff = { kind: 'staff' as const, userId: deskAdmin }
    for (const [transitionId, input] of [
      ['request_approval', { collaborationMethod: 'informal' }],
      ['approve', { decision: { grounds: '町の賑わいづくりに資するため。' } }],
    ] as const) {
      const { proposal } = await transitionProposal(db.runtimeDb, {
        tenant,
        actor: staff,
        proposalId,
        transitionId,
        input,
        expectedVersion: version,
      })
      version = proposal.version
    }
    const { status } = await readProposerProposalPage(db.runtimeDb, {
      tenant,
      actor: business.actor,
      proposalId,
      locale: 'en',
    })
    expect(status).toMatchObject({ stepLabel: 'Implementation' })
  })

  it('shows the operator numbers only', async () => {
    const health = await listCityHealth(db.runtimeDb, registry, operator)
    const town = health.find((city) => city.slug === 'sample-town')!
    expect(town).toMatchObject({
      status: 'live',
      validation: 'valid',
      proposalsByState: { implementation: 1 },
      proposals: 1,
      staff: 1,
    })
    expect(town.lastActivityAt).not.toBeNull()
    expect(JSON.stringify(health)).not.toContain('朝市')
  })

  it('refuses a change that strands proposals in a removed step, and applies it with a state mapping', async () => {
    await db.adminSql`UPDATE proposals SET state = 'manager_approval' WHERE id = ${proposalId}`
    const withoutApproval = source
      .replace(/^ {6}- \{ id: manager_approval.*\n/m, '')
      .replace(/^ {6}- id: request_approval[\s\S]*?notifiesProposer: true\n/m, '')
      .replace('from: [intake, manager_approval]', 'from: intake')
      .replace('from: [intake, manager_approval, implementation]', 'from: [intake, implementation]')
      .replace(
        '- { id: submit,',
        '- { id: start, label: { ja: 開始, en: Start }, from: intake, to: implementation, by: [desk], requires: [decision] }\n      - { id: submit,',
      )
    const changed = { ...request(), source: withoutApproval }
    const refused = await applyTenant(db.ownerSql, { ...changed, actorUserId: null }).catch(
      (error: unknown) => error,
    )
    expect(refused).toBeInstanceOf(TenantApplyError)
    expect((refused as TenantApplyError).problems[0]).toMatch(
      /1 proposal\(s\) are in town_pilot\.manager_approval/,
    )
    expect(
      registry.get('sample-town')!.config.tracks[0]!.steps.some((step) => step.id === 'manager_approval'),
    ).toBe(true)

    const applied = await applyTenant(db.ownerSql, {
      ...changed,
      actorUserId: null,
      stateMapping: { town_pilot: { manager_approval: 'intake' } },
    })
    expect(applied.plan.workflow[0]).toMatchObject({
      removedSteps: ['manager_approval'],
      removedTransitions: ['request_approval', 'approve'],
    })
    expect((await db.adminSql`SELECT state FROM proposals WHERE id = ${proposalId}`)[0]!.state).toBe('intake')
    await eventually(
      () =>
        !registry.get('sample-town')!.config.tracks[0]!.steps.some((step) => step.id === 'manager_approval'),
    )
    expect(
      (await db.adminSql`SELECT status, config_revision FROM tenants WHERE id = ${tenantId}`)[0],
    ).toEqual({ status: 'live', config_revision: 2 })
  })

  it('suspends the city: its staff cannot sign in, its data stays; resuming lets them in again', async () => {
    const before = await db.adminSql`SELECT id, state, version FROM proposals ORDER BY id`
    await setCityStatus(db.runtimeDb, registry, operator, {
      slug: 'sample-town',
      change: 'suspend',
      ip: null,
    })
    expect(registry.get('sample-town')!.status).toBe('suspended')
    expect(registry.list().map((city) => city.slug)).not.toContain('sample-town')
    const signIn = () => verifySignIn(db.runtimeDb, { email: ADMIN_EMAIL, password: PASSWORD, ip: null })
    const refused = await signIn().catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(AppError)
    expect((refused as AppError).code).toBe('city_suspended')
    expect(await db.adminSql`SELECT id, state, version FROM proposals ORDER BY id`).toEqual(before)

    await setCityStatus(db.runtimeDb, registry, operator, { slug: 'sample-town', change: 'resume', ip: null })
    await expect(signIn()).resolves.toMatchObject({ userId: deskAdmin, operator: false })
    const actions =
      await db.adminSql`SELECT action FROM platform_audit_log WHERE actor_user_id = ${operator.user.id} ORDER BY at`
    expect(actions.map((row) => row.action)).toEqual([
      'tenant.made_live',
      'tenant.suspended',
      'tenant.resumed',
    ])
  })
  it('keeps serving the last good configuration when a stored file no longer validates, and says so', async () => {
    const serving = registry.get('sample-town')!.version
    await db.ownerSql`
      UPDATE tenants SET config_source = ${source.replace('accentColor: "#7A3E9D"', 'accentColor: purple')},
                         config_version = 'not-served', config_revision = config_revision + 1
       WHERE slug = 'sample-town'`
    await eventually(() => registry.rejected().some((rejected) => rejected.file === FILE))
    expect(registry.get('sample-town')!.version).toBe(serving)
    expect(registry.rejected().find((rejected) => rejected.file === FILE)!.problems[0]).toMatch(
      /identity\.accentColor/,
    )
    const health = await listCityHealth(db.runtimeDb, registry, operator)
    expect(health.find((city) => city.slug === 'sample-town')!.validation).toBe('stale')
  })
})
