import { z } from 'zod'
import { isCalendarDate } from '@desk/workflow'
import type { FormField, OptionValue, TenantConfig } from './schema'
import { findOption } from './value-display'

/** Why a form answer was refused: keys of `proposals:formErrors.*` in the app's locale files. */
export type FormMessageKey =
  | 'required'
  | 'tooLong'
  | 'notANumber'
  | 'notAWholeNumber'
  | 'tooSmall'
  | 'tooLarge'
  | 'invalidDate'
  | 'dateTooEarly'
  | 'dateTooLate'
  | 'notAnOption'
  | 'tooFewSelected'
  | 'tooManySelected'
  | 'tooManyFiles'
  | 'fileTypeNotAccepted'
  | 'fileTooLarge'
  | 'fileNameNotType'

/**
 * What a refused answer missed, in values rather than words, so the reader's
 * language can write it: a count (characters, choices, files), a quantity in
 * the field's unit, a date (YYYY-MM-DD), a size in bytes, or the accepted
 * MIME types.
 */
export type FormIssueLimit =
  | { kind: 'count'; value: number }
  | { kind: 'quantity'; value: number }
  | { kind: 'date'; value: string }
  | { kind: 'bytes'; value: number }
  | { kind: 'types'; value: string[] }

/**
 * A refused answer as the form's schema reports it: the message's key (the
 * app words it from its locale files, `proposals:formErrors.<key>`), the
 * field it is about (its label comes from the tenant file), what it missed,
 * and for `notAnOption` the value that is not one of the options.
 */
export type FormIssue = {
  key: FormMessageKey
  field: string
  limit?: FormIssueLimit
  detail?: string
}

const FORM_ISSUE = 'form-issue:'

/** A form issue as a zod issue's message (zod messages are strings): read it back with `readFormIssue`. */
export function formIssueMessage(issue: FormIssue): string {
  return FORM_ISSUE + JSON.stringify(issue)
}

/** The form issue a message carries, or undefined for any other message. */
export function readFormIssue(message: string): FormIssue | undefined {
  if (!message.startsWith(FORM_ISSUE)) return undefined
  try {
    return JSON.parse(message.slice(FORM_ISSUE.length)) as FormIssue
  } catch {
    return undefined
  }
}

/** An uploaded file as the form sees it: the upload itself is stored elsewhere. */
export const uploadedFileSchema = z.object({
  name: z.string().min(1),
  mimeType: z.string().min(1),
  bytes: z.number().int().nonnegative(),
})
export type UploadedFile = z.infer<typeof uploadedFileSchema>


/**
 * A zod schema for the answers to a proposal type's form, keyed by field id,
 * enforcing the city's limits. Each refusal's message is a `FormIssue`
 * (`formIssueMessage`): a key and values, which the app words in the
 * reader's language. Empty optional answers ('' or null) count as not given.
 */
export function buildProposalFormSchema(config: ProposalFormRules, proposalTypeId: string) {
  const proposalType = config.proposalTypes.find((type) => type.id === proposalTypeId)
  if (!proposalType) throw new Error(`Unknown proposal type "${proposalTypeId}"`)
  const form = config.forms.find((candidate) => candidate.id === proposalType.form)
  if (!form) throw new Error(`Proposal type "${proposalTypeId}" names unknown form "${proposalType.form}"`)

  const shape = Object.fromEntries(
    form.fields.map((field) => {
      const message: Message = (key, limit, detail) =>
        formIssueMessage({ key, field: field.id, ...(limit ? { limit } : {}), ...(detail !== undefined ? { detail } : {}) })
      const answer = answerSchema(field, message)
      const treatedAsMissing = z.preprocess((value) => (value === '' || value === null ? undefined : value), answer.optional())
      const schema = field.required
        ? treatedAsMissing.refine((value) => value !== undefined, { message: message('required') })
        : treatedAsMissing
      return [field.id, schema]
    }),
  )
  return z.object(shape).strict()
}

/**
 * What of a tenant file a proposal form's schema is built from: its forms and
 * which form each proposal type answers (a page sends no more than this to
 * the browser, which checks the form with the same schema).
 */
export type ProposalFormRules = Pick<TenantConfig, 'forms'> & {
  proposalTypes: readonly Pick<TenantConfig['proposalTypes'][number], 'id' | 'form'>[]
}

type Message = (key: FormMessageKey, limit?: FormIssueLimit, detail?: string) => string

/**
 * One chosen option: its value as the tenant file declares it (13 or "sdg_13"),
 * or as a form posts it ("13"); stored as the file's value, so a numeric option
 * is stored as a number.
 */
function optionChoice(options: readonly { value: OptionValue }[], message: Message) {
  return z
    .union([z.string(), z.number()], { errorMap: () => ({ message: message('notAnOption') }) })
    .transform((value, context) => {
      const option = findOption(options, value)
      if (option) return option.value
      context.addIssue({ code: z.ZodIssueCode.custom, message: message('notAnOption', undefined, String(value)) })
      return z.NEVER
    })
}

/** The schema of one given answer (presence is handled by the caller). */
function answerSchema(field: FormField, message: Message): z.ZodTypeAny {
  const required = field.required
  switch (field.type) {
    case 'text':
    case 'long_text':
      return z
        .string({ invalid_type_error: message('required') })
        .trim()
        .min(required ? 1 : 0, message('required'))
        .max(field.maxLength, message('tooLong', { kind: 'count', value: field.maxLength }))
    case 'number': {
      let schema = z.number({ invalid_type_error: message('notANumber') }).finite(message('notANumber'))
      if (field.integer) schema = schema.int(message('notAWholeNumber'))
      if (field.min !== undefined) schema = schema.min(field.min, message('tooSmall', { kind: 'quantity', value: field.min }))
      if (field.max !== undefined) schema = schema.max(field.max, message('tooLarge', { kind: 'quantity', value: field.max }))
      return schema
    }
    case 'date': {
      const { min, max } = field
      return z
        .string({ invalid_type_error: message('invalidDate') })
        .regex(/^\d{4}-\d{2}-\d{2}$/, message('invalidDate'))
        .refine(isCalendarDate, message('invalidDate'))
        .refine((value) => min === undefined || value >= min, message('dateTooEarly', { kind: 'date', value: min ?? '' }))
        .refine((value) => max === undefined || value <= max, message('dateTooLate', { kind: 'date', value: max ?? '' }))
    }
    case 'select':
      return optionChoice(field.options, message)
    case 'multi_select': {
      const count = field.options.length
      const minimum = Math.max(field.minSelected ?? 0, required ? 1 : 0)
      return z
        .array(optionChoice(field.options, message), { invalid_type_error: message('notAnOption') })
        .min(minimum, minimum === 1 && required ? message('required') : message('tooFewSelected', { kind: 'count', value: minimum }))
        .max(field.maxSelected ?? count, message('tooManySelected', { kind: 'count', value: field.maxSelected ?? count }))
    }
    case 'file': {
      const accepted = field.accept
      const file = uploadedFileSchema
        .refine((upload) => accepted.includes(upload.mimeType), message('fileTypeNotAccepted', { kind: 'types', value: [...accepted] }))
        .refine((upload) => upload.bytes <= field.maxBytes, message('fileTooLarge', { kind: 'bytes', value: field.maxBytes }))
      return z
        .array(file, { invalid_type_error: message('required') })
        .min(required ? 1 : 0, message('required'))
        .max(field.maxFiles, message('tooManyFiles', { kind: 'count', value: field.maxFiles }))
    }
  }
}
