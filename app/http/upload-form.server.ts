import { json, type AppLoadContext } from '@remix-run/node'
import type { Locale } from '~/i18n'
import { getFixedT } from '~/utils/i18n.server'
import { uploadRefusalMessage } from '~/http/city-form'
import {
  createUploadReceiver,
  type ReceivedFile,
  type UploadLimits,
} from '../operations/attachments/receive-uploads.server'
import { refusal, type AppFailure } from './errors.server'
import { echoedValues } from './form-schemas'

/**
 * A multipart form with file inputs, for any operation that keeps files: the
 * files stream to storage as they arrive (limits per input), a refused file
 * is reported at its field in the user's language, and when the file or the
 * operation is refused no file is left behind. Returns the failure to answer,
 * or null once `act` has succeeded.
 */
export async function actOnUploadForm(
  request: Request,
  context: AppLoadContext,
  options: {
    /** The city the files belong to. */
    tenantId: string
    limits: Record<string, UploadLimits>
    locale: Locale
    /** The input's label, for the message. */
    fileLabel: (field: string) => string
    /** Words an operation's refusal of a field (`refusal`'s `wordIssue`). */
    wordIssue?: (message: string, key: string) => string
  },
  act: (form: FormData, filesFor: (field: string) => ReceivedFile[]) => Promise<unknown>,
): Promise<Response | null> {
  const receiver = createUploadReceiver({
    files: context.files,
    tenantFor: () => options.tenantId,
    limitsFor: (name) => options.limits[name],
  })
  let formData: FormData | undefined
  try {
    // A malformed body is answered 400/413 by the receiver (a thrown Response, rethrown below).
    formData = await receiver.parseForm(request)
    const [refusal] = receiver.refusals()
    if (refusal) {
      await receiver.discard()
      const limits = options.limits[refusal.field]!
      const message = uploadRefusalMessage(
        { label: options.fileLabel(refusal.field), accept: [...limits.allowedMimeTypes], ...limits },
        refusal,
        options.locale,
        await getFixedT(options.locale),
      )
      return json<AppFailure>(
        {
          formError: 'common:errors.operation.invalid_input',
          fieldErrors: { [refusal.field]: message },
          values: echoedValues(formData),
        },
        { status: 422 },
      )
    }
    await act(formData, receiver.filesFor)
    return null
  } catch (error) {
    await receiver.discard()
    return refusal(error, { wordIssue: options.wordIssue, form: formData })
  }
}
