import { json, type AppLoadContext } from '@remix-run/node'
import { formMessages } from '@desk/tenant-config'
import { operationRefused, type OperationFailure } from '../edge.server'
import type { ProposalTenant, RequestActor } from '../proposals/context.server'
import { createUploadReceiver } from '../attachments/receive-uploads.server'
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
  const receiver = createUploadReceiver({
    dataDir: context.env.DATA_DIR,
    limitsFor: (name) =>
      name === 'files'
        ? {
            allowedMimeTypes: tenant.config.attachments.allowedMimeTypes,
            maxBytes: tenant.config.attachments.maxBytes,
            maxFiles: MESSAGE_MAX_FILES,
          }
        : undefined,
  })
  try {
    const formData = await receiver.parseForm(request)
    const [refusal] = receiver.refusals()
    if (refusal) {
      await receiver.discard()
      const messages = formMessages[options.locale === 'en' ? 'en' : 'ja']
      const message =
        refusal.reason === 'too_large'
          ? messages.fileTooLarge(options.fileLabel, String(tenant.config.attachments.maxBytes))
          : refusal.reason === 'too_many'
            ? messages.tooManyFiles(options.fileLabel, String(MESSAGE_MAX_FILES))
            : messages.fileTypeNotAccepted(
                options.fileLabel,
                tenant.config.attachments.allowedMimeTypes.join(', '),
              )
      return json<OperationFailure>(
        { formError: 'errors.operation.invalid_input', fieldErrors: { files: message } },
        { status: 422 },
      )
    }
    await postMessage(context.db, {
      tenant,
      actor: options.actor,
      proposalId: options.proposalId,
      body: String(formData.get('body') ?? ''),
      files: receiver.filesFor('files'),
    })
    return null
  } catch (error) {
    await receiver.discard()
    return operationRefused(error)
  }
}
