import { json, type AppLoadContext } from '@remix-run/node'
import { readFormIssue } from '@desk/tenant-config'
import type { TFunction } from 'i18next'
import { AppError, APP_ERRORS } from '~/operations/app-error'
import { createUploadReceiver } from '~/operations/attachments/receive-uploads.server'
import type { ProposalTenant } from '~/operations/proposals/context.server'
import { SubmissionIncomplete, type CityPart } from '~/operations/proposals/proposals-for-cities.server'
import {
  cityFormView,
  cityPartInputs,
  fileFieldsOf,
  uploadRefusalMessage,
  wordFormIssue,
  type CityFormView,
} from './city-form'
import { asAppError, refusal, type AppFailure } from './errors.server'
import { echoedValues, type FormValues } from './form-schemas'
import { parseSubmission } from './form-validation.server'
import {
  chosenTypesOf,
  intentOf,
  proposalSubmissionSchema,
  type ProposalIntent,
  type ProposalSubmission,
} from './proposal-submission'

/** The proposal form as read once: the button, each city's part for the operations, what to show again. */
export type ProposalForm = {
  intent: ProposalIntent
  idempotencyKey: string
  cities: CityPart[]
  values: FormValues
  /**
   * After a city's transaction committed: the files this request linked to it
   * are kept (`linked`), and those it took out of the draft are deleted.
   */
  committed: (city: CityPart, outcome: { linked: boolean; unreferenced: string[] }) => Promise<void>
}

/**
 * Reads the proposal form's multipart post and hands it to `act`: the files
 * stream to storage (each file input, `<city slug>.<field>`, with its field's
 * limits), the form is parsed once with the schema built from the chosen
 * cities' tenant forms (proposalSubmissionSchema), and a refused file is
 * reported with the form's own refusals. Any refusal — the form's or an
 * operation's — is answered through the one mapper in the reader's language,
 * with what was sent, so the page shows it again. Whatever the outcome, a
 * file no committed record refers to is deleted: a refusal's, a preview's
 * (the proposer chooses it again to send it), a replayed submission's copies.
 */
export async function actOnProposalForm(
  request: Request,
  context: AppLoadContext,
  options: { tenants: ProposalTenant[]; locale: string; t: TFunction },
  act: (form: ProposalForm) => Promise<Response>,
): Promise<Response> {
  const { tenants, locale, t } = options
  const views = tenants.map((tenant) => cityFormView(tenant.config, locale, undefined, []))
  const cityOf = (name: string) => name.split('.')[0] ?? ''
  const fileFieldOf = (name: string) =>
    fileFieldsOf(views.find((view) => view.slug === cityOf(name)) ?? { forms: {} }).find(
      (field) => field.name === name,
    )
  const receiver = createUploadReceiver({
    files: context.files,
    tenantFor: (name) => tenants.find((tenant) => tenant.config.slug === cityOf(name))!.id,
    limitsFor: (name) => {
      const field = fileFieldOf(name)
      return field
        ? {
            allowedMimeTypes: field.accept ?? [],
            maxBytes: field.maxBytes ?? 0,
            maxFiles: field.maxFiles ?? 1,
          }
        : undefined
    },
  })
  let typeIds: Record<string, string> = {}
  let values: FormValues = {}
  // A refusal's messages in the reader's language: a city form's FormIssue, a locale key, or already worded.
  const wordIssue = (message: string, key: string) => {
    const view = views.find((candidate) => key.startsWith(`${candidate.slug}.`))
    if (readFormIssue(message) && view)
      return wordFormIssue(message, {
        config: view.rules,
        proposalTypeId: typeIds[view.slug] ?? '',
        locale,
        t,
      })
    return t(message, { defaultValue: message })
  }
  try {
    const formData = await receiver.parseForm(request)
    typeIds = chosenTypesOf(formData, views)
    values = echoedValues(formData, cityPartInputs(views))
    if (views.length === 0)
      return json<AppFailure>({ formError: 'proposals:new.noCity', fieldErrors: {} }, { status: 422 })
    const intent = intentOf(formData)
    // A refused file is reported whatever the button: nothing is saved with a file missing.
    const refusedFiles = receiver.refusals().flatMap((refused) => {
      const field = fileFieldOf(refused.field)
      return field
        ? [{ path: [refused.field], message: uploadRefusalMessage(field, refused, locale, t) }]
        : []
    })
    let submission: ProposalSubmission
    try {
      submission = parseSubmission(
        formData,
        proposalSubmissionSchema(views, typeIds, intent),
      ) as ProposalSubmission
    } catch (error) {
      if (error instanceof AppError) error.details.issues?.push(...refusedFiles)
      throw error
    }
    if (refusedFiles.length > 0)
      throw new AppError('invalid_form', 'A file was refused', { issues: refusedFiles })
    return await act({
      intent,
      idempotencyKey: submission.idempotencyKey,
      cities: tenants.map((tenant, index) =>
        cityPartOf(tenant, views[index]!, submission, receiver.filesFor),
      ),
      values,
      committed: async (city, { linked, unreferenced }) => {
        if (linked) receiver.keep(city.files.added.map((entry) => entry.file))
        await context.files.remove(city.tenant.id, unreferenced)
      },
    })
  } catch (error) {
    if (error instanceof SubmissionIncomplete) return incompleteSubmission(error, context, values)
    const refused = refusal(error, { wordIssue })
    // A later city's refusal after earlier cities were submitted: the page names those (they went through).
    const submitted = error instanceof AppError ? error.details.submitted : undefined
    return json(
      { ...(await refused.json()), values, ...(submitted ? { submitted } : {}) },
      { status: refused.status, headers: refused.headers },
    )
  } finally {
    await receiver.discard()
  }
}

/**
 * A later city failed (not refused) after earlier ones were submitted: the form page, never the error page
 * (which would hide that some cities have the proposal), names the cities that have it and asks to send it
 * again to the others, whose transactions stored nothing. A failure the database explains (42501 for a city
 * suspended a moment ago, a lost connection) is a warning; anything else is logged as the error it is.
 */
function incompleteSubmission(
  error: SubmissionIncomplete,
  context: AppLoadContext,
  values: FormValues,
): Response {
  const worded = asAppError(error.cause)
  if (worded) context.log.warn({ code: worded.code }, 'submission incomplete')
  else context.log.error({ err: error.cause }, 'submission incomplete')
  return json<AppFailure & { submitted: SubmissionIncomplete['submitted']; submissionFailed: true }>(
    {
      formError: 'proposals:new.partlySubmitted.failed',
      fieldErrors: {},
      values,
      submitted: error.submitted,
      submissionFailed: true,
    },
    { status: worded ? APP_ERRORS[worded.code].status : 500 },
  )
}

/** The inputs of a city's part that are choices about the proposal, not answers to its form. */
const CITY_CHOICES = new Set([
  'proposalType',
  'trackId',
  'themeId',
  'draftId',
  'draftVersion',
  'criteria',
  'notes',
  'removeFile',
])

/** One city's part of the parsed form as the operations take it. */
function cityPartOf(
  tenant: ProposalTenant,
  view: CityFormView,
  submission: ProposalSubmission,
  filesFor: ReturnType<typeof createUploadReceiver>['filesFor'],
): CityPart {
  const part = submission[view.slug]!
  const fileFields = fileFieldsOf(view)
  const ofType = (view.forms[view.formOfType[part.proposalType] ?? ''] ?? []).map((field) => field.id)
  // The theme list belongs to a type that answers a theme. Without JavaScript the page keeps the list
  // of the type it opened on when the proposer ticks another type, and the browser sends it: ignored.
  const answersTheme = view.types.some((type) => type.id === part.proposalType && type.answersTheme)
  return {
    tenant,
    draft: part.draftId ? { draftId: part.draftId, expectedVersion: part.draftVersion } : undefined,
    proposal: {
      organisationId: submission.organisationId,
      proposalTypeId: part.proposalType,
      trackId: part.trackId,
      themeId: answersTheme ? (part.themeId ?? null) : null,
    },
    answers: Object.fromEntries(
      Object.entries(part).filter(
        ([id, value]) =>
          !CITY_CHOICES.has(id) && !fileFields.some((field) => field.id === id) && value !== undefined,
      ),
    ),
    // The draft's own files, less those the proposer took out, plus the ones chosen now.
    files: {
      added: fileFields
        .filter((field) => ofType.includes(field.id))
        .flatMap((field) => filesFor(field.name).map((file) => ({ fieldId: field.id, file }))),
      removedAttachmentIds: part.removeFile,
    },
    acknowledgedNoteIds: part.notes,
  }
}
