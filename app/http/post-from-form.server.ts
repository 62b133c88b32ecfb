import { redirect, type AppLoadContext } from '@remix-run/node'
import type { z, ZodTypeAny } from 'zod'
import type { Locale } from '~/i18n'
import { getFixedT } from '~/utils/i18n.server'
import type { ProposalTenant, RequestActor } from '../operations/proposals/context.server'
import { actOnUploadForm } from './upload-form.server'
import { postMessage } from '../operations/dialogue/dialogue.server'
import { actThenShow } from './edge.server'
import { MessageSchema } from './form-schemas'
import { parseSubmission } from './form-validation.server'

/** At most this many files per message; size and types come from the city's attachments policy. */
export const MESSAGE_MAX_FILES = 5

/** Who posts to which proposal, and in which language refusals are worded. */
type ProposalPost = { tenant: ProposalTenant; actor: RequestActor; proposalId: string; locale: Locale }

/**
 * The thread's reply form, for either side: the files stream to storage as
 * they arrive and are linked to the message in its transaction; a refused
 * file or message leaves no file behind.
 */
export async function postMessageFromForm(
  request: Request,
  context: AppLoadContext,
  options: ProposalPost & { fileLabel: string },
): Promise<Response | null> {
  const { tenant } = options
  return actOnUploadForm(
    request,
    context,
    {
      tenantId: tenant.id,
      limits: {
        files: {
          allowedMimeTypes: tenant.config.attachments.allowedMimeTypes,
          maxBytes: tenant.config.attachments.maxBytes,
          maxFiles: MESSAGE_MAX_FILES,
        },
      },
      locale: options.locale,
      fileLabel: () => options.fileLabel,
    },
    (formData, filesFor) =>
      postMessage(context.db, {
        tenant,
        actor: options.actor,
        proposalId: options.proposalId,
        ...parseSubmission(formData, MessageSchema),
        files: filesFor('files'),
      }),
  )
}

/**
 * A post to a proposal's page, for either side: a multipart form is a reply in
 * the thread (with its files); any other form is read with `schema` and goes
 * to `act`. After a change the page is shown again; a refused reply, form or
 * operation is the action's answer and changes nothing.
 */
export async function actOnProposalPage<S extends ZodTypeAny>(
  request: Request,
  context: AppLoadContext,
  options: ProposalPost & {
    /** The page to show again after a change. */
    pageHref: string
    schema: S
    act: (form: z.output<S>) => Promise<unknown>
    /** What the page shown again says was done (its query): from the form, or for a reply in the thread (null). */
    done?: (form: z.output<S> | null) => Record<string, string>
  },
): Promise<Response> {
  const shown = (form: z.output<S> | null) =>
    options.done ? `${options.pageHref}?${new URLSearchParams(options.done(form))}` : options.pageHref
  const { tenant, actor, proposalId, locale } = options
  if (request.headers.get('Content-Type')?.startsWith('multipart/form-data')) {
    const t = await getFixedT(locale)
    const failure = await postMessageFromForm(request, context, {
      tenant,
      actor,
      proposalId,
      locale,
      fileLabel: t('proposals:thread.files'),
    })
    return failure ?? redirect(shown(null))
  }
  return actThenShow(request, { ...options, pageHref: shown }, options.act)
}
