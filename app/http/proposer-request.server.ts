import type { AppLoadContext } from '@remix-run/node'
import { proposalTenant } from '~/http/edge.server'
import type { RequestActor } from '~/operations/proposals/context.server'
import { requireUser } from '~/http/guards.server'
import { getLocale } from '~/utils/locale.server'

/**
 * Where a proposer's page for one of their proposals starts: the signed-in
 * user as the proposer, the language and the city (unknown city: 404). Whether
 * the proposal is theirs is for the operation (and the database) to say.
 */
export async function proposerRequest(
  request: Request,
  context: AppLoadContext,
  citySlug: string | undefined,
) {
  const user = requireUser(request, context)
  const locale = await getLocale(request)
  const tenant = await proposalTenant(context, citySlug)
  const actor: RequestActor = { kind: 'proposer', userId: user.id }
  return { user, locale, tenant, actor }
}
