import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import type postgres from 'postgres'
import {
  findClashesWithCities,
  formatProblem,
  loadTenantDirectory,
  loadTenantFile,
  parseTenantSource,
  planTenantChange,
  type LoadedTenant,
  type ProposalCounts,
  type StateMapping,
  type TenantConfig,
  type TenantPlan,
} from '@desk/tenant-config'
import { seedTenantFromConfig, syncTenant } from '../seed/tenants'
import { createEmailToken } from '../tokens'
import { enqueueJob } from '../queue/enqueue'

/**
 * Onboarding and updating a city from its tenant file (owner connection:
 * `pnpm tenants:apply` and the operator console's service). Validate, plan,
 * then apply in one transaction that re-plans against the locked row, so a
 * proposal created between the dry run and the apply cannot be stranded.
 */

type Sql = postgres.Sql | postgres.TransactionSql

export const INVITATION_TTL_DAYS = 7

export type TenantApplyRequest = {
  /** The tenant file's text and the name it is reported under. */
  source: string
  file: string
  stateMapping?: StateMapping
  /** Where the real cities' files are: the configuration of a city never applied from the database. */
  tenantsDir: string
}

export type PreparedApply =
  | { ok: false; problems: string[] }
  | { ok: true; loaded: LoadedTenant; plan: TenantPlan; tenantId: string | null; status: TenantStatus | null }

export type TenantStatus = 'draft' | 'live' | 'suspended'

type TenantRow = {
  id: string
  status: TenantStatus
  config_source: string | null
  config_file: string | null
  reference_prefix: string | null
}

async function currentConfig(
  row: TenantRow | undefined,
  slug: string,
  tenantsDir: string,
): Promise<TenantConfig | null> {
  if (!row) return null
  if (row.config_source) {
    const stored = parseTenantSource(row.config_source, row.config_file ?? `${slug}.yaml`)
    if (stored.ok) return stored.tenant.config
  }
  // A city seeded from tenants/ has no stored source: its file there is what runs. It is
  // tenants/<slug>.yaml by convention; only a file named otherwise makes the whole folder be
  // read (1,000 cities: ~4 s of CPU, in the server's process when the console applies a file).
  const named = await loadTenantFile(join(tenantsDir, `${slug}.yaml`)).catch(() => null)
  if (named?.ok && named.tenant.config.slug === slug) return named.tenant.config
  const { tenants } = await loadTenantDirectory(tenantsDir)
  return tenants.find((tenant) => tenant.config.slug === slug)?.config ?? null
}

async function proposalCounts(sql: Sql, tenantId: string | undefined): Promise<ProposalCounts> {
  if (!tenantId) return {}
  const rows = await sql<{ track: string; state: string; n: number }[]>`
    SELECT track, state, count(*)::int AS n FROM proposals WHERE tenant_id = ${tenantId} GROUP BY track, state`
  const counts: ProposalCounts = {}
  for (const row of rows) counts[row.track] = { ...counts[row.track], [row.state]: row.n }
  return counts
}

async function prepare(sql: Sql, request: TenantApplyRequest, lock: boolean): Promise<PreparedApply> {
  const parsed = parseTenantSource(request.source, request.file)
  if (!parsed.ok) return { ok: false, problems: parsed.problems.map(formatProblem) }
  const { config } = parsed.tenant
  const [row] = lock
    ? await sql<
        TenantRow[]
      >`SELECT id, status, config_source, config_file, reference_prefix FROM tenants WHERE slug = ${config.slug} FOR UPDATE`
    : await sql<
        TenantRow[]
      >`SELECT id, status, config_source, config_file, reference_prefix FROM tenants WHERE slug = ${config.slug}`
  const taken = await sql<{ slug: string }[]>`
    SELECT slug FROM tenants WHERE reference_prefix = ${config.identity.referenceCodePrefix} AND slug <> ${config.slug}`
  const clashes = findClashesWithCities(
    parsed.tenant,
    request.source,
    taken.map(({ slug }) => ({ slug, referenceCodePrefix: config.identity.referenceCodePrefix, name: slug })),
  )
  if (clashes.length > 0) return { ok: false, problems: clashes.map(formatProblem) }
  const plan = planTenantChange({
    current: await currentConfig(row, config.slug, request.tenantsDir),
    next: config,
    proposals: await proposalCounts(sql, row?.id),
    stateMapping: request.stateMapping,
  })
  return { ok: true, loaded: parsed.tenant, plan, tenantId: row?.id ?? null, status: row?.status ?? null }
}

/** Validation and the dry-run plan; changes nothing. */
export function planTenantApply(ownerSql: postgres.Sql, request: TenantApplyRequest): Promise<PreparedApply> {
  return prepare(ownerSql, request, false)
}

export type FirstAdminInvitation = {
  email: string
  /** The application's public origin, for the link in the mail. */
  origin: string
  /** The mail's subject and text for the link (in the operator's language). */
  mail: (link: string) => { subject: string; text: string }
}

export type AppliedTenant = {
  tenantId: string
  slug: string
  status: TenantStatus
  plan: TenantPlan
  /** The first desk admin's invitation link (also queued as mail), when one was asked for. */
  invitationLink: string | null
}

export class TenantApplyError extends Error {
  constructor(readonly problems: string[]) {
    super(problems[0] ?? 'the tenant file cannot be applied')
  }
}

/**
 * Creates or updates the city: its row (new cities start as drafts unless
 * `live`), the applied file, its departments, proposals moved by the mapping,
 * an invitation for the first desk admin, and a platform audit row.
 */
export async function applyTenant(
  ownerSql: postgres.Sql,
  request: TenantApplyRequest & {
    actorUserId: string | null
    live?: boolean
    invitation?: FirstAdminInvitation
  },
): Promise<AppliedTenant> {
  return ownerSql.begin(async (sql) => {
    const prepared = await prepare(sql, request, true)
    if (!prepared.ok) throw new TenantApplyError(prepared.problems)
    const { loaded, plan } = prepared
    if (!plan.applicable)
      throw new TenantApplyError([...plan.stranded.map(strandedProblem), ...plan.mappingProblems])

    const tenantId = await syncTenant(sql, seedTenantFromConfig(loaded))
    const status: TenantStatus = prepared.status ?? (request.live ? 'live' : 'draft')
    await sql`
      UPDATE tenants SET status = ${status}, config_source = ${request.source}, config_file = ${request.file}
       WHERE id = ${tenantId}`
    // A city made live here (a new one with --live) has its open themes and published cases matched
    // against the saved searches, as the operator console's "make live" does (app/operations/alerts).
    if (status === 'live' && prepared.status !== 'live')
      await enqueueJob(sql, 'alerts.city_live', { tenantId })
    for (const move of plan.moves) {
      await sql`
        UPDATE proposals SET state = ${move.to}, version = version + 1, updated_at = now()
         WHERE tenant_id = ${tenantId} AND track = ${move.track} AND state = ${move.from}`
    }
    const invitationLink = request.invitation
      ? await inviteFirstAdmin(sql, tenantId, loaded.config.slug, request.invitation)
      : null
    await sql`
      INSERT INTO platform_audit_log (actor_user_id, actor_kind, action, subject_tenant_id, target_type, target_id, payload)
      VALUES (${request.actorUserId}, 'operator', ${plan.kind === 'create' ? 'tenant.onboarded' : 'tenant.config_applied'},
              ${tenantId}, 'tenant', ${loaded.config.slug},
              ${sql.json({
                file: request.file,
                configVersion: loaded.contentVersion,
                changedPaths: plan.changes.map((change) => change.path),
                moves: plan.moves,
                invited: request.invitation?.email ?? null,
              })})`
    return { tenantId, slug: loaded.config.slug, status, plan, invitationLink }
  })
}

function strandedProblem(stranded: TenantPlan['stranded'][number]): string {
  return `${stranded.proposals} proposal(s) are in ${stranded.track}.${stranded.state}, which the file removes; map the state to one the file has`
}

async function inviteFirstAdmin(
  sql: Sql,
  tenantId: string,
  slug: string,
  invitation: FirstAdminInvitation,
): Promise<string> {
  const { token, tokenHash } = createEmailToken()
  const email = invitation.email.trim()
  await sql`
    INSERT INTO invitations (tenant_id, id, email, role, token_hash, expires_at)
    VALUES (${tenantId}, ${randomUUID()}, ${email}, 'desk_admin', ${tokenHash}, now() + make_interval(days => ${INVITATION_TTL_DAYS}))`
  const link = `${invitation.origin}/${slug}/invitation/${token}`
  const mail = invitation.mail(link)
  const mailId = randomUUID()
  await sql`
    INSERT INTO mail_outbox (id, to_address, subject, text_body, kind, subject_tenant_id)
    VALUES (${mailId}, ${email}, ${mail.subject}, ${mail.text}, 'city_invitation', ${tenantId})`
  await enqueueJob(sql, 'mail.deliver', { mailId })
  return link
}
