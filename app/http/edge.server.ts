import { redirect, type AppLoadContext } from '@remix-run/node'
import { cityIdOf } from '~/http/guards.server'
import { refusal } from './errors.server'
import type { ProposalTenant } from '../operations/proposals/context.server'

/** A city as the operations take it: its row id and its tenant file. Unknown city → 404. */
export async function proposalTenant(
  context: AppLoadContext,
  slug: string | undefined,
  knownId?: string,
): Promise<ProposalTenant> {
  const registered = slug ? context.tenants.get(slug) : undefined
  const id = registered ? (knownId ?? (await cityIdOf(context.db, registered.slug))) : null
  if (!registered || !id) throw new Response('Not Found', { status: 404 })
  return { id, config: registered.config, configVersion: registered.version }
}

/**
 * A page's form post: the change (which enqueues its notifications' mail job in
 * its own transaction), then the page again (its loader shows the result); a
 * refusal is the action's answer, its input issues under `issuePrefix` (the
 * form they belong to).
 */
export async function actThenShow(
  context: AppLoadContext,
  request: Request,
  options: { tenant: ProposalTenant; pageHref: string; issuePrefix?: string },
  act: () => Promise<unknown>,
): Promise<Response> {
  try {
    await act()
    return redirect(options.pageHref)
  } catch (error) {
    return refusal(error, { issuePrefix: options.issuePrefix })
  }
}
