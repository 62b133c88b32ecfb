import { randomUUID } from 'node:crypto'
import type postgres from 'postgres'
import { loadTenantDirectory, type LoadedTenant } from '@desk/tenant-config'
import { seedTenantFromConfig, syncTenant } from '../../../db/seed/tenants'
import type { OrganisationKind } from '../../../db/schema'
import type { RuntimeDb } from '../../../db/runtime'
import { inProposalTransaction, staffMembership, type ProposalTenant, type RequestActor } from './context.server'
import {
  readProposalPageForProposer,
  type ReadProposalPageForProposerOptions,
} from './read-proposal-page-for-proposer.server'
import { readProposalPageForStaff, type ReadProposalPageForStaffOptions } from './read-proposal-page-for-staff.server'
import { submitProposal } from './submit-proposal.server'

/**
 * Fixtures for the operations' integration tests, made through the owner
 * connection: a city from its tenant file with its staff, and proposers.
 * Nobody signs in, so no password is ever checked: the hash is a placeholder.
 */

export type TestCity = {
  tenant: ProposalTenant
  deskAdmin: RequestActor
  desk: RequestActor
  /** One department-staff member per department of the tenant file, by the file's department id. */
  department: Record<string, RequestActor>
}

export type TestProposer = { actor: RequestActor; organisationId: string }

async function createUser(ownerSql: postgres.Sql, label: string): Promise<string> {
  const id = randomUUID()
  await ownerSql`
    INSERT INTO users (id, email, display_name, password_hash)
    VALUES (${id}, ${`${label}-${id}@example.test`}, ${label}, 'not-a-password-hash')`
  return id
}

export async function createTestCity(ownerSql: postgres.Sql, loaded: LoadedTenant): Promise<TestCity> {
  const tenantId = await syncTenant(ownerSql, seedTenantFromConfig(loaded))
  const member = async (role: string, departmentKey: string | null): Promise<RequestActor> => {
    const userId = await createUser(ownerSql, `${loaded.config.slug}-${departmentKey ?? role}`)
    // The department's id first: Citus refuses a subquery inside INSERT … VALUES.
    const [department] = departmentKey
      ? await ownerSql<{ id: string }[]>`
          SELECT id FROM departments WHERE tenant_id = ${tenantId} AND key = ${departmentKey}`
      : []
    await ownerSql`
      INSERT INTO city_memberships (tenant_id, user_id, role, department_id)
      VALUES (${tenantId}, ${userId}, ${role}, ${department?.id ?? null})`
    return { kind: 'staff', userId }
  }
  const department: Record<string, RequestActor> = {}
  for (const { id } of loaded.config.departments) department[id] = await member('department_staff', id)
  return {
    tenant: { id: tenantId, config: loaded.config, configVersion: loaded.contentVersion },
    deskAdmin: await member('desk_admin', null),
    desk: await member('desk_staff', null),
    department,
  }
}

export async function createTestProposer(
  ownerSql: postgres.Sql,
  kind: OrganisationKind = 'corporation',
): Promise<TestProposer> {
  const userId = await createUser(ownerSql, `proposer-${kind}`)
  const organisationId = randomUUID()
  await ownerSql`INSERT INTO organisations (id, name, kind) VALUES (${organisationId}, ${`Test ${kind}`}, ${kind})`
  await ownerSql`
    INSERT INTO organisation_members (organisation_id, user_id, role) VALUES (${organisationId}, ${userId}, 'owner')`
  return { actor: { kind: 'proposer', userId }, organisationId }
}

/** An open theme of the city, for proposal types that answer one. */
export async function createOpenTheme(ownerSql: postgres.Sql, tenantId: string): Promise<string> {
  const id = randomUUID()
  await ownerSql`
    INSERT INTO themes (tenant_id, id, title_ja, status, published_at)
    VALUES (${tenantId}, ${id}, 'テスト用のテーマ', 'open', now())`
  return id
}

/** Every city of tenants/ by its slug, and two unrelated proposing organisations. */
export async function createTestCitiesAndProposers(ownerSql: postgres.Sql) {
  const { tenants } = await loadTenantDirectory('tenants')
  const cities: Record<string, TestCity> = {}
  for (const tenant of tenants) cities[tenant.config.slug] = await createTestCity(ownerSql, tenant)
  return {
    cities,
    business: await createTestProposer(ownerSql),
    rival: await createTestProposer(ownerSql),
  }
}

/** Submits a free proposal of `proposer` to `city` on `trackId`, with every note acknowledged. */
export async function submitTestProposal(
  runtimeDb: RuntimeDb,
  options: { city: TestCity; proposer: TestProposer; trackId?: string; answers: Record<string, string> },
) {
  const { city, proposer, trackId, answers } = options
  const { proposal } = await submitProposal(runtimeDb, {
    tenant: city.tenant,
    actor: proposer.actor,
    proposal: { organisationId: proposer.organisationId, proposalTypeId: 'free', trackId },
    idempotencyKey: randomUUID(),
    answers,
    acknowledgedNoteIds: city.tenant.config.notes?.items.map((note) => note.id) ?? [],
  })
  return proposal
}

/**
 * The desk's proposal page as its loader reads it (withCityRole): the reader's
 * membership, then everything the page shows, in one transaction of the staff
 * member. Not a member of the city: forbidden; not visible to them: not found.
 */
export function readStaffProposalPage(
  runtimeDb: RuntimeDb,
  options: Omit<ReadProposalPageForStaffOptions, 'membership'>,
) {
  const { tenant, actor } = options
  return inProposalTransaction(runtimeDb, tenant, actor, async (tx) =>
    readProposalPageForStaff(tx, { ...options, membership: await staffMembership(tx, tenant, actor) }),
  )
}

/** The proposer's proposal page as its loader reads it: everything it shows, in one transaction of the proposer. */
export function readProposerProposalPage(runtimeDb: RuntimeDb, options: ReadProposalPageForProposerOptions) {
  return inProposalTransaction(runtimeDb, options.tenant, options.actor, (tx) =>
    readProposalPageForProposer(tx, options),
  )
}
