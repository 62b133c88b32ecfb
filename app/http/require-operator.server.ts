import { redirect, type AppLoadContext } from '@remix-run/node'
import { and, eq, isNotNull } from 'drizzle-orm'
import { sessions } from '../../db/schema'
import { withTenant } from '../../db/tenant-context'
import type { Operator } from '../operations/actors'

function pathOf(request: Request): string {
  const url = new URL(request.url)
  return `${url.pathname}${url.search}`
}

/** Whether this session has given its second factor (read as the operator, on their own session row). */
export async function sessionHasSecondFactor(context: AppLoadContext): Promise<boolean> {
  if (!context.user || !context.session || context.user.platformRole !== 'operator') return false
  const rows = await withTenant(
    context.db,
    { tenantId: null, userId: context.user.id, actor: 'operator' },
    (tx) =>
      tx
        .select({ id: sessions.id })
        .from(sessions)
        .where(and(eq(sessions.id, context.session!.id), isNotNull(sessions.secondFactorAt))),
  )
  return rows.length === 1
}

/**
 * The operator console's guard. Signed out → sign-in; not an operator → 403;
 * an operator whose session has no second factor yet → the TOTP step (unless
 * `secondFactor: 'pending'`, for that step itself).
 */
export async function requireOperator(
  request: Request,
  context: AppLoadContext,
  options: { secondFactor: 'verified' | 'pending' } = { secondFactor: 'verified' },
): Promise<Operator> {
  const { user, session } = context
  if (!user || !session) throw redirect(`/sign-in?${new URLSearchParams({ redirectTo: pathOf(request) })}`)
  if (user.platformRole !== 'operator') throw new Response('Forbidden', { status: 403 })
  if (options.secondFactor === 'verified' && !(await sessionHasSecondFactor(context))) {
    throw redirect(`/operator/verify?${new URLSearchParams({ redirectTo: pathOf(request) })}`)
  }
  return {
    user,
    sessionId: session.id,
    tenantContext: { tenantId: null, userId: user.id, actor: 'operator' },
  }
}
