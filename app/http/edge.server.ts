import { redirect, type AppLoadContext } from '@remix-run/node'
import { cityIdOf } from '~/http/guards.server'
import type { z, ZodTypeAny } from 'zod'
import { refusal } from './errors.server'
import { parseSubmission } from './form-validation.server'
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
 * A page's form post: its answers read with the page's schema (a malformed
 * post is a 400 that changes nothing), the change (which enqueues its
 * notifications' mail job in its own transaction), then the page again (its
 * loader shows the result). A refusal is the action's answer with the answers
 * sent (the kit's echo, whose intent tells the page which form it answers):
 * its input issues by input name, worded by `wordIssue` if given.
 */
export async function actThenShow<S extends ZodTypeAny, R>(
  request: Request,
  options: {
    schema: S
    /** The page to show after the change (by what was asked and what the change answered). */
    pageHref: string | ((form: z.output<S>, result: R) => string)
    wordIssue?: (message: string, key: string) => string
  },
  act: (form: z.output<S>) => Promise<R>,
): Promise<Response> {
  const formData = await request.formData()
  try {
    const form = parseSubmission(formData, options.schema)
    const result = await act(form)
    return redirect(typeof options.pageHref === 'string' ? options.pageHref : options.pageHref(form, result))
  } catch (error) {
    return refusal(error, {
      wordIssue: options.wordIssue,
      form: formData,
    })
  }
}
