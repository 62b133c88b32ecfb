import type { AppLoadContext } from '@remix-run/node'
import type { ProposalTenant, RequestActor } from '../proposals/context.server'
import { actOnUploadForm } from '../attachments/upload-form.server'
import { postMessage } from './dialogue.server'

/** At most this many files per message; size and types come from the city's attachments policy. */
export const MESSAGE_MAX_FILES = 5

/**
 * The thread's reply form, for either side: the files stream to storage as
 * they arrive and are linked to the message in its transaction; a refused
 * file or message leaves no file behind.
 */
export async function postMessageFromForm(
  request: Request,
  context: AppLoadContext,
  options: {
    tenant: ProposalTenant
    actor: RequestActor
    proposalId: string
    locale: string
    fileLabel: string
  },
): Promise<Response | null> {
  const { tenant } = options
  return actOnUploadForm(
    request,
    context,
    {
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
        body: String(formData.get('body') ?? ''),
        files: filesFor('files'),
      }),
  )
}
