import { count, desc, eq, sql } from 'drizzle-orm'
import { localize, type TenantConfig } from '@desk/tenant-config'
import { forwardNextSteps, leadOf, stepOf, type Lane } from '@desk/workflow'
import type { RuntimeDb } from '../../../db/runtime'
import { withTenant } from '../../../db/tenant-context'
import { messageReads, messages, organisations, proposals, tenants } from '../../../db/schema'

export type MyProposalRow = {
  id: string
  citySlug: string
  referenceCode: string | null
  title: string
  organisationName: string
  state: string
  stepLabel: string
  /** Labels of the steps that may come next. */
  nextSteps: string[]
  /** Whose turn it is: the lanes leading the current step. */
  turn: Lane[]
  isDraft: boolean
  unread: number
  updatedAt: Date
}

/** Proposals a page of the list shows (issue 17, finding 9: the unpaged list grew to 3.6 MB). */
export const MY_PROPOSALS_PAGE_SIZE = 50

/**
 * One page of the proposals of the user's organisations in every city (no
 * city set: the proposer policy then spans all cities), newest change first,
 * with where each stands, whose turn it is and how many city messages are
 * unread; and how many there are in all.
 */
export async function listMyProposals(
  db: RuntimeDb,
  options: {
    userId: string
    configOf: (slug: string) => TenantConfig | undefined
    locale: string
    /** From 1. */
    page: number
  },
): Promise<{ rows: MyProposalRow[]; total: number }> {
  const unread = sql<number>`(SELECT count(*)::int FROM ${messages}
      WHERE ${messages.tenantId} = ${proposals.tenantId} AND ${messages.proposalId} = ${proposals.id}
        AND ${messages.authorSide} = 'city'
        AND ${messages.createdAt} > coalesce((SELECT ${messageReads.lastReadAt} FROM ${messageReads}
              WHERE ${messageReads.tenantId} = ${proposals.tenantId} AND ${messageReads.proposalId} = ${proposals.id}
                AND ${messageReads.userId} = ${options.userId}), '-infinity'))`
  const { rows, total } = await withTenant(
    db,
    { tenantId: null, userId: options.userId, actor: 'proposer' },
    async (tx) => {
      const [all] = await tx.select({ n: count() }).from(proposals)
      const page = await tx
        .select({
          id: proposals.id,
          tenantId: proposals.tenantId,
          citySlug: tenants.slug,
          referenceCode: proposals.referenceCode,
          title: proposals.title,
          organisationName: organisations.name,
          track: proposals.track,
          state: proposals.state,
          collaborationMethod: proposals.collaborationMethod,
          submittedAt: proposals.submittedAt,
          updatedAt: proposals.updatedAt,
          unread,
        })
        .from(proposals)
        // A proposer reads only live cities' rows: one closed since (suspended) is named below.
        .leftJoin(tenants, eq(tenants.id, proposals.tenantId))
        .innerJoin(organisations, eq(organisations.id, proposals.organisationId))
        .orderBy(desc(proposals.updatedAt), desc(proposals.id))
        .limit(MY_PROPOSALS_PAGE_SIZE)
        .offset((Math.max(1, options.page) - 1) * MY_PROPOSALS_PAGE_SIZE)
      return { rows: page, total: all?.n ?? 0 }
    },
  )
  const closedCities = await slugsOfClosedCities(
    db,
    rows.flatMap((row) => (row.citySlug === null ? [row.tenantId] : [])),
  )
  return {
    total,
    rows: rows.flatMap(({ tenantId, ...row }) => {
      const citySlug = row.citySlug ?? closedCities.get(tenantId)
      const config = citySlug ? options.configOf(citySlug) : undefined
      const track = config?.tracks.find((candidate) => candidate.id === row.track)
      if (!config || !track) return []
      const text = (label: Parameters<typeof localize>[0]) =>
        localize(label, options.locale, config.defaultLocale)
      const step = stepOf(track, row.state)
      // Routing is the city's: the proposer's view of whose turn it is knows no departments.
      const lead = leadOf(
        track,
        { state: row.state, collaborationMethod: row.collaborationMethod },
        config.roleMatrix,
      )
      return [
        {
          id: row.id,
          citySlug: citySlug!,
          referenceCode: row.referenceCode,
          title: row.title,
          organisationName: row.organisationName,
          state: row.state,
          stepLabel: step ? text(step.label) : row.state,
          nextSteps: forwardNextSteps(track, row.state).map((next) => text(next.label)),
          turn: lead?.leads ?? [],
          isDraft: row.submittedAt === null,
          unread: row.unread,
          updatedAt: row.updatedAt,
        },
      ]
    }),
  }
}

/**
 * The slugs of the cities of these proposals that a proposer's reads do not
 * show (a city suspended since: the tenants policy shows visitors live cities
 * only), by tenant id. Their proposals are still the proposer's: nothing
 * acknowledged leaves their list. Each is read in its own city's transaction
 * as the system (current_tenant_slug, as the mail worker does), slug only.
 */
async function slugsOfClosedCities(db: RuntimeDb, tenantIds: string[]): Promise<Map<string, string>> {
  const slugs = new Map<string, string>()
  for (const tenantId of new Set(tenantIds)) {
    const [row] = await withTenant(db, { tenantId, userId: null, actor: 'system' }, (tx) =>
      tx.execute<{ slug: string | null }>(sql`select current_tenant_slug() as slug`),
    )
    if (row?.slug) slugs.set(tenantId, row.slug)
  }
  return slugs
}
