import { z } from 'zod'
import { proposalAnswerSchemas } from '~/operations/attachments/file-answers'
import type { CityFormView } from './city-form'

/**
 * The proposal form's one schema per submission, built from the chosen
 * cities' tenant forms for the types chosen in them: the action parses the
 * posted form with it once (parseSubmission), and the browser checks the
 * form with the very same schema before sending it (useValidatedForm). Its
 * field names are the inputs' (`<city slug>.<field id>`).
 *
 * File inputs are not in it: a file field's answer is the draft's saved
 * files plus the ones chosen, so it is checked where the draft is read (the
 * submission's transaction, submitProposal); the browser does not check them.
 */

export const PROPOSAL_INTENTS = ['save', 'preview', 'submit'] as const
export type ProposalIntent = (typeof PROPOSAL_INTENTS)[number]

const TICK_REQUIRED = 'proposals:new.confirmRequired'

/** The button pressed (the form's default is a preview, which changes nothing). */
export function intentOf(formData: FormData): ProposalIntent {
  const intent = formData.get('intent')
  return PROPOSAL_INTENTS.find((candidate) => candidate === intent) ?? 'preview'
}

/** The proposal type chosen in each city's part of the form: which form schema reads its answers. */
export function chosenTypesOf(
  formData: FormData,
  cities: Pick<CityFormView, 'slug'>[],
): Record<string, string> {
  return Object.fromEntries(
    cities.map((city) => [city.slug, String(formData.get(`${city.slug}.proposalType`) ?? '')]),
  )
}

export function proposalSubmissionSchema(
  cities: Pick<CityFormView, 'slug' | 'types' | 'rules' | 'toConfirm' | 'notes'>[],
  chosenTypes: Record<string, string>,
  intent: ProposalIntent,
) {
  return z.object({
    intent: z.enum(PROPOSAL_INTENTS).default('preview'),
    organisationId: z.string().uuid(),
    idempotencyKey: z.string().min(1).max(200),
    ...Object.fromEntries(
      cities.map((city) => [city.slug, citySchema(city, chosenTypes[city.slug] ?? '', intent)]),
    ),
  })
}

export type ProposalSubmission = {
  intent: ProposalIntent
  organisationId: string
  idempotencyKey: string
} & Record<string, CitySubmission>

export type CitySubmission = {
  proposalType: string
  trackId?: string
  themeId?: string
  draftId?: string
  draftVersion: number
  criteria: string[]
  notes: string[]
  removeFile: string[]
  [fieldId: string]: unknown
}

function citySchema(
  city: Pick<CityFormView, 'types' | 'rules' | 'toConfirm' | 'notes'>,
  typeId: string,
  intent: ProposalIntent,
) {
  const known = city.types.some((type) => type.id === typeId)
  const answers = !known
    ? z.object({})
    : intent === 'save'
      ? draftAnswers(city, typeId)
      : proposalAnswerSchemas(city.rules, typeId).posted
  // Everything a city's notes and criteria ask to tick, at submission and in the preview; a draft may wait.
  const ticked = (required: { id: string }[]) =>
    z
      .array(z.string())
      .default([])
      .superRefine((ids, context) => {
        if (intent === 'save') return
        for (const item of required)
          if (!ids.includes(item.id))
            context.addIssue({ code: 'custom', path: [item.id], message: TICK_REQUIRED })
      })
  return answers
    .extend({
      proposalType: z.string({ required_error: TICK_REQUIRED }).refine(() => known, TICK_REQUIRED),
      trackId: z.string().optional(),
      themeId: z.string().optional(),
      draftId: z.string().optional(),
      draftVersion: z.number().int().nonnegative().default(0),
      criteria: ticked(city.toConfirm),
      notes: ticked(city.notes),
      removeFile: z.array(z.string()).default([]),
    })
    .strip()
}

/** A draft's answers, read as the form's fields type them but not yet checked (a draft may be incomplete). */
function draftAnswers(city: Pick<CityFormView, 'rules'>, typeId: string) {
  const formId = city.rules.proposalTypes.find((type) => type.id === typeId)?.form
  const fields = city.rules.forms.find((form) => form.id === formId)?.fields ?? []
  return z.object(
    Object.fromEntries(
      fields
        .filter((field) => field.type !== 'file')
        .map((field) => [
          field.id,
          (field.type === 'multi_select'
            ? z.array(z.string())
            : field.type === 'number'
              ? z.union([z.number(), z.string()])
              : z.string()
          ).optional(),
        ]),
    ),
  )
}
