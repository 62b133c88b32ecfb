import { redirect, type AppLoadContext } from '@remix-run/node'
import { and, eq, sql } from 'drizzle-orm'
import {
  cityMemberships,
  departments,
  organisationMembers,
  referencedRow,
  type CityRole,
} from '../../db/schema'
import type { RuntimeDb } from '../../db/runtime'
import { OpenTenantTransaction, withTenant, type TenantDb, type TenantTx } from '../../db/tenant-context'
import type { SessionUser } from '../utils/auth.server'
import { isUuid } from '../utils/ids'
import type { CityStaff, OrganisationMember } from '../operations/actors'
import { findCityTenantId } from '../operations/city-staff/city-staff.server'
import { inRequestTransaction } from './request-transaction.server'

/**
 * Guards that throw: a route calls them first and goes on only with what they
 * return. Not signed in → redirect to sign-in (back to the page afterwards);
 * signed in without the right → 403; unknown city or organisation → 404.
 */

/**
 * Only a path on this site: never an absolute or protocol-relative URL, no
 * backslash (browsers read it as a slash), no whitespace or control character;
 * and it must resolve to this site's origin. Anything else is the fallback.
 */
export function safeRedirectPath(value: unknown, fallback = '/account'): string {
  // eslint-disable-next-line no-control-regex
  if (typeof value !== 'string' || !/^\/(?!\/)[^\s\\\u0000-\u001f\u007f]*$/.test(value)) return fallback
  const base = 'http://this-site.invalid'
  return new URL(value, base).origin === base ? value : fallback
}

function signInRedirect(request?: Request): Response {
  if (!request) return redirect('/sign-in')
  const url = new URL(request.url)
  return redirect(`/sign-in?${new URLSearchParams({ redirectTo: `${url.pathname}${url.search}` })}`)
}

export function requireUser(request: Request, context: AppLoadContext): SessionUser {
  if (!context.user) throw signInRedirect(request)
  return context.user
}

/** For pages only for visitors who are not signed in (sign-in, sign-up). */
export function requireAnonymous(context: AppLoadContext): void {
  if (context.user) throw redirect('/account')
}

const membershipColumns = {
  tenantId: cityMemberships.tenantId,
  role: cityMemberships.role,
  departmentId: cityMemberships.departmentId,
  departmentKey: departments.key,
}

/**
 * The signed-in user's membership in a city (by slug), or null. A draft city
 * counts: its staff prepare it before it goes live.
 */
export async function cityMembershipOf(context: AppLoadContext, citySlug: string) {
  const user = context.user
  if (!user) return null
  const [membership] = await withTenant(
    context.db,
    { tenantId: null, userId: user.id, actor: 'staff' },
    async (tx) => {
      // The city's id as a value first: on Citus a definer inside the query would run on every shard.
      const [city] = await tx.execute<{ id: string | null }>(sql`select tenant_id_for_slug(${citySlug}) as id`)
      if (!city?.id) return []
      return tx
        .select(membershipColumns)
        .from(cityMemberships)
        .leftJoin(departments, referencedRow(cityMemberships, cityMemberships.departmentId, departments))
        .where(and(eq(cityMemberships.userId, user.id), eq(cityMemberships.tenantId, city.id)))
    },
  )
  return membership ?? null
}

/** What every staff guard checks before the database: the city exists, someone is signed in, the city is not suspended. */
function signedInToCity(context: AppLoadContext, citySlug: string | undefined, request?: Request) {
  if (!citySlug || !context.tenants.has(citySlug)) throw new Response('Not Found', { status: 404 })
  if (!context.user) throw signInRedirect(request)
  // A suspended city keeps its data, but nobody works in it until the operator resumes it.
  if (context.tenants.get(citySlug)!.status === 'suspended') throw new Response('Forbidden', { status: 403 })
  return { user: context.user, citySlug }
}

type Membership = NonNullable<Awaited<ReturnType<typeof cityMembershipOf>>>

function staffOf(
  user: SessionUser,
  citySlug: string,
  membership: Membership,
  roles: readonly CityRole[],
): CityStaff {
  if (!roles.includes(membership.role)) throw new Response('Forbidden', { status: 403 })
  return {
    user,
    citySlug,
    ...membership,
    tenantContext: { tenantId: membership.tenantId, userId: user.id, actor: 'staff' },
  }
}

/**
 * The city's staff member with one of `roles`, or the guard's answer (404, sign-in redirect, 403): withCityRole
 * with nothing more to read. On a GET the membership is read once, in the request's shared transaction with
 * the desk layout's; a loader that also reads takes readForDeskStaff (./desk-request.server.ts) instead.
 */
export async function requireCityRole(
  context: AppLoadContext,
  citySlug: string | undefined,
  roles: readonly CityRole[],
  request?: Request,
): Promise<CityStaff> {
  return withCityRole(context, citySlug, roles, request, async (staff) => staff)
}

/**
 * A city's row id never changes for its slug (cities are not deleted), so each
 * process looks it up once per database. A refusal looks again (see withCityRole);
 * a city without a row yet (its file loaded, not applied) is looked up each time.
 */
const cityIds = new WeakMap<RuntimeDb, Map<string, string>>()

export async function cityIdOf(db: RuntimeDb, slug: string, fresh = false): Promise<string | null> {
  let ids = cityIds.get(db)
  if (!ids) cityIds.set(db, (ids = new Map()))
  const known = fresh ? undefined : ids.get(slug)
  if (known) return known
  const id = await findCityTenantId(db, slug)
  if (id) ids.set(slug, id)
  else ids.delete(slug)
  return id
}

/**
 * requireCityRole and the page's reads in ONE tenant transaction: the
 * membership is read as the first statement of the city's staff transaction
 * (policy `city_memberships_select_self`), and `fn` runs in the same
 * transaction only when the role is one of `roles`. Same answers as
 * requireCityRole (404, sign-in redirect, 403), with one transaction instead
 * of two for the guard and the page's data; row-level security applies to
 * `fn`'s reads as staff of the city, as in any withTenant. The loaders of one
 * page (the desk layout and the page) share that transaction and the
 * membership's answer (inRequestTransaction).
 */
export async function withCityRole<T>(
  context: AppLoadContext,
  citySlug: string | undefined,
  roles: readonly CityRole[],
  request: Request | undefined,
  fn: (staff: CityStaff, tx: TenantTx) => Promise<T>,
): Promise<T> {
  const { user } = signedInToCity(context, citySlug, request)
  const slug = citySlug!
  const attempt = async (tenantId: string | null) => {
    if (!tenantId) return { refused: true as const }
    const tenantContext = { tenantId, userId: user.id, actor: 'staff' as const }
    return inRequestTransaction(context, request, tenantContext, async ({ tx, memo }) => {
      const [membership] = await memo('membership', () =>
        tx
          .select(membershipColumns)
          .from(cityMemberships)
          .leftJoin(departments, referencedRow(cityMemberships, cityMemberships.departmentId, departments))
          .where(and(eq(cityMemberships.userId, user.id), eq(cityMemberships.tenantId, tenantId))),
      )
      if (!membership) return { refused: true as const }
      return { refused: false as const, value: await fn(staffOf(user, slug, membership, roles), tx) }
    })
  }
  const known = await cityIdOf(context.db, slug)
  let outcome = await attempt(known)
  // Not a member under the remembered id: make sure the id is still the city's before refusing.
  if (outcome.refused) {
    const current = await cityIdOf(context.db, slug, true)
    if (current !== known) outcome = await attempt(current)
  }
  if (outcome.refused) throw new Response('Forbidden', { status: 403 })
  return outcome.value
}

/**
 * An organisation's member, checked in the request's one transaction (as withCityRole does for a city's
 * staff): `fn` gets that transaction as `db`, which operations take in place of the pool, so a page's reads
 * and the membership share it.
 */
export async function withOrgMember<T>(
  context: AppLoadContext,
  organisationId: string | undefined,
  roles: readonly OrganisationMember['role'][],
  request: Request | undefined,
  fn: (member: OrganisationMember, db: TenantDb) => Promise<T>,
): Promise<T> {
  if (!context.user) throw signInRedirect(request)
  const user = context.user
  if (!organisationId || !isUuid(organisationId)) throw new Response('Not Found', { status: 404 })
  const tenantContext = { tenantId: null, userId: user.id, actor: 'proposer' as const }
  return inRequestTransaction(context, request, tenantContext, async ({ tx, memo }) => {
    const [member] = await memo(`organisation ${organisationId}`, () =>
      tx
        .select({ role: organisationMembers.role })
        .from(organisationMembers)
        .where(
          and(
            eq(organisationMembers.organisationId, organisationId),
            eq(organisationMembers.userId, user.id),
          ),
        ),
    )
    // Not a member: the organisation is not visible to this user at all.
    if (!member) throw new Response('Not Found', { status: 404 })
    if (!roles.includes(member.role)) throw new Response('Forbidden', { status: 403 })
    return fn(
      { user, organisationId, role: member.role, tenantContext },
      new OpenTenantTransaction(context.db, tx, tenantContext),
    )
  })
}

export function requireOrgMember(
  context: AppLoadContext,
  organisationId: string | undefined,
  roles: readonly OrganisationMember['role'][] = ['owner', 'member'],
  request?: Request,
): Promise<OrganisationMember> {
  return withOrgMember(context, organisationId, roles, request, async (member) => member)
}
