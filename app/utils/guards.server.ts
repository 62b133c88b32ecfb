import { redirect, type AppLoadContext } from '@remix-run/node'
import { and, eq, sql } from 'drizzle-orm'
import { cityMemberships, organisationMembers, type CityRole } from '../../db/schema'
import { withTenant, type TenantContext } from '../../db/tenant-context'
import type { SessionUser } from './auth.server'

/**
 * Guards that throw: a route calls them first and goes on only with what they
 * return. Not signed in → redirect to sign-in (back to the page afterwards);
 * signed in without the right → 403; unknown city or organisation → 404.
 */

/** Only a path on this site: never an absolute or protocol-relative URL. */
export function safeRedirectPath(value: unknown, fallback = '/account'): string {
  return typeof value === 'string' && /^\/(?!\/)[^\s\\]*$/.test(value) ? value : fallback
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

export type CityStaff = {
  user: SessionUser
  tenantId: string
  citySlug: string
  role: CityRole
  departmentId: string | null
  /** The context to pass to withTenant for this staff member's work in the city. */
  tenantContext: TenantContext
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
    (tx) =>
      tx
        .select({
          tenantId: cityMemberships.tenantId,
          role: cityMemberships.role,
          departmentId: cityMemberships.departmentId,
        })
        .from(cityMemberships)
        .where(
          and(
            eq(cityMemberships.userId, user.id),
            eq(cityMemberships.tenantId, sql`tenant_id_for_slug(${citySlug})`),
          ),
        ),
  )
  return membership ?? null
}

export async function requireCityRole(
  context: AppLoadContext,
  citySlug: string | undefined,
  roles: readonly CityRole[],
  request?: Request,
): Promise<CityStaff> {
  if (!citySlug || !context.tenants.has(citySlug)) throw new Response('Not Found', { status: 404 })
  if (!context.user) throw signInRedirect(request)
  // A suspended city keeps its data, but nobody works in it until the operator resumes it.
  if (context.tenants.get(citySlug)!.status === 'suspended') throw new Response('Forbidden', { status: 403 })
  const user = context.user
  const membership = await cityMembershipOf(context, citySlug)
  if (!membership || !roles.includes(membership.role)) throw new Response('Forbidden', { status: 403 })
  return {
    user,
    citySlug,
    ...membership,
    tenantContext: { tenantId: membership.tenantId, userId: user.id, actor: 'staff' },
  }
}

export type OrganisationMember = { user: SessionUser; organisationId: string; role: 'owner' | 'member' }

export async function requireOrgMember(
  context: AppLoadContext,
  organisationId: string | undefined,
  roles: readonly ('owner' | 'member')[] = ['owner', 'member'],
  request?: Request,
): Promise<OrganisationMember> {
  if (!context.user) throw signInRedirect(request)
  const user = context.user
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
  if (!organisationId || !uuid.test(organisationId)) throw new Response('Not Found', { status: 404 })
  const [member] = await withTenant(
    context.db,
    { tenantId: null, userId: user.id, actor: 'proposer' },
    (tx) =>
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
  return { user, organisationId, role: member.role }
}
