import { json, redirect, type AppLoadContext } from '@remix-run/node'
import { cityIdOf } from '~/http/guards.server'
import { toHttpError } from './errors.server'
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

export type OperationFailure = {
  /** `errors.operation.<code>` in common.json. */
  formError: string
  /** Issues by input path (`a.b`), in the operation's words (form answers: already in the user's language). */
  fieldErrors: Record<string, string>
}

/**
 * An operation's refusal as an action's answer (status and message key); a
 * missing proposal is a real 404 so a forged id of another city reads like any
 * unknown page. Anything else is rethrown for the error boundary.
 */
export function operationRefused(error: unknown, prefix = '') {
  const http = toHttpError(error)
  if (http.status === 404) throw new Response('Not Found', { status: 404 })
  const fieldErrors: Record<string, string> = {}
  for (const issue of http.details.issues ?? [])
    fieldErrors[[prefix, ...issue.path].filter(Boolean).join('.')] ??= issue.message
  return json<OperationFailure>({ formError: http.messageKey, fieldErrors }, { status: http.status })
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
    return operationRefused(error, options.issuePrefix)
  }
}
