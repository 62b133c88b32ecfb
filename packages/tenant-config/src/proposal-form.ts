import { z } from 'zod'
import { isCalendarDate } from '@desk/workflow'
import { localize } from './localization'
import type { FormField, OptionValue, TenantConfig } from './schema'
import { findOption, formatDate, formatFileSize, formatQuantity } from './value-display'

/** Why a form answer was refused; the same keys in every language. */
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

/** `detail`: what else the message names (for `fileNameNotType`, the file's name). */
type MessageTemplate = (label: string, limit: string, detail?: string) => string

/** Platform wording of form errors; the field's label comes from the tenant file. */
export const formMessages: Record<'ja' | 'en', Record<FormMessageKey, MessageTemplate>> = {
  ja: {
    required: (label) => `「${label}」を入力してください。`,
    tooLong: (label, limit) => `「${label}」は${limit}文字以内で入力してください。`,
    notANumber: (label) => `「${label}」には数値を入力してください。`,
    notAWholeNumber: (label) => `「${label}」には整数を入力してください。`,
    tooSmall: (label, limit) => `「${label}」には${limit}以上の値を入力してください。`,
    tooLarge: (label, limit) => `「${label}」には${limit}以下の値を入力してください。`,
    invalidDate: (label) => `「${label}」には正しい日付（YYYY-MM-DD）を入力してください。`,
    dateTooEarly: (label, limit) => `「${label}」には${limit}以降の日付を入力してください。`,
    dateTooLate: (label, limit) => `「${label}」には${limit}以前の日付を入力してください。`,
    notAnOption: (label, _limit, value) =>
      value === undefined ? `「${label}」は選択肢から選んでください。` : `「${label}」に「${value}」という選択肢はありません。選択肢から選んでください。`,
    tooFewSelected: (label, limit) => `「${label}」は${limit}つ以上選んでください。`,
    tooManySelected: (label, limit) => `「${label}」は${limit}つまで選べます。`,
    tooManyFiles: (label, limit) => `「${label}」に添付できるファイルは${limit}件までです。`,
    fileTypeNotAccepted: (label, limit) => `「${label}」に添付できるファイルの種類は ${limit} です。`,
    fileTooLarge: (label, limit) => `「${label}」のファイルは${limit}以下にしてください。`,
    fileNameNotType: (label, extension, file) =>
      `「${label}」の「${file}」は、名前の拡張子が中身の種類と合いません。名前の最後を「${extension}」に変えてから添付してください。`,
  },
  en: {
    required: (label) => `Please fill in "${label}".`,
    tooLong: (label, limit) => `"${label}" must be at most ${limit} characters.`,
    notANumber: (label) => `"${label}" must be a number.`,
    notAWholeNumber: (label) => `"${label}" must be a whole number.`,
    tooSmall: (label, limit) => `"${label}" must be at least ${limit}.`,
    tooLarge: (label, limit) => `"${label}" must be at most ${limit}.`,
    invalidDate: (label) => `"${label}" must be a valid date (YYYY-MM-DD).`,
    dateTooEarly: (label, limit) => `"${label}" must be on or after ${limit}.`,
    dateTooLate: (label, limit) => `"${label}" must be on or before ${limit}.`,
    notAnOption: (label, _limit, value) =>
      value === undefined
        ? `Please choose "${label}" from the options.`
        : `"${value}" is not one of the options of "${label}". Please choose from the options.`,
    tooFewSelected: (label, limit) => `Please choose at least ${limit} for "${label}".`,
    tooManySelected: (label, limit) => `Please choose at most ${limit} for "${label}".`,
    tooManyFiles: (label, limit) => `"${label}" accepts at most ${limit} file(s).`,
    fileTypeNotAccepted: (label, limit) => `"${label}" accepts these file types: ${limit}.`,
    fileTooLarge: (label, limit) => `Each file of "${label}" must be at most ${limit}.`,
    fileNameNotType: (label, extension, file) =>
      `"${label}": the name "${file}" does not match what the file contains. Rename it to end in "${extension}" and attach it again.`,
  },
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
 * enforcing the city's limits. Error messages are in `locale` (ja or en;
 * otherwise the city's default locale, then English) and name the field by
 * its label. Empty optional answers ('' or null) count as not given.
 */
export function buildProposalFormSchema(config: TenantConfig, proposalTypeId: string, locale?: string) {
  const proposalType = config.proposalTypes.find((type) => type.id === proposalTypeId)
  if (!proposalType) throw new Error(`Unknown proposal type "${proposalTypeId}"`)
  const form = config.forms.find((candidate) => candidate.id === proposalType.form)
  if (!form) throw new Error(`Proposal type "${proposalTypeId}" names unknown form "${proposalType.form}"`)

  const messageLocale = [locale, config.defaultLocale, 'en'].find(
    (candidate): candidate is keyof typeof formMessages => candidate !== undefined && candidate in formMessages,
  ) ?? 'en'
  const labelLocale = locale ?? config.defaultLocale

  const shape = Object.fromEntries(
    form.fields.map((field) => {
      const label = localize(field.label, labelLocale, config.defaultLocale)
      const message = (key: FormMessageKey, limit: string | number = '', detail?: string) =>
        formMessages[messageLocale][key](label, String(limit), detail)
      const limits: Limits = {
        quantity: (value) =>
          formatQuantity(value, 'unit' in field && field.unit ? localize(field.unit, labelLocale, config.defaultLocale) : undefined, messageLocale),
        date: (value) => (value === undefined ? '' : formatDate(value, messageLocale)),
        size: (bytes) => formatFileSize(bytes, messageLocale),
      }
      const answer = answerSchema(field, message, limits)
      const treatedAsMissing = z.preprocess((value) => (value === '' || value === null ? undefined : value), answer.optional())
      const schema = field.required
        ? treatedAsMissing.refine((value) => value !== undefined, { message: message('required') })
        : treatedAsMissing
      return [field.id, schema]
    }),
  )
  return z.object(shape).strict()
}

type Message = (key: FormMessageKey, limit?: string | number, detail?: string) => string
/** Limits written as the reader reads values (3,000,000円, 2026年12月6日, 10 MB). */
type Limits = { quantity: (value: number) => string; date: (value: string | undefined) => string; size: (bytes: number) => string }

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
      context.addIssue({ code: z.ZodIssueCode.custom, message: message('notAnOption', '', String(value)) })
      return z.NEVER
    })
}

/** The schema of one given answer (presence is handled by the caller). */
function answerSchema(field: FormField, message: Message, limits: Limits): z.ZodTypeAny {
  const required = field.required
  switch (field.type) {
    case 'text':
    case 'long_text':
      return z
        .string({ invalid_type_error: message('required') })
        .trim()
        .min(required ? 1 : 0, message('required'))
        .max(field.maxLength, message('tooLong', field.maxLength))
    case 'number': {
      let schema = z.number({ invalid_type_error: message('notANumber') }).finite(message('notANumber'))
      if (field.integer) schema = schema.int(message('notAWholeNumber'))
      if (field.min !== undefined) schema = schema.min(field.min, message('tooSmall', limits.quantity(field.min)))
      if (field.max !== undefined) schema = schema.max(field.max, message('tooLarge', limits.quantity(field.max)))
      return schema
    }
    case 'date': {
      const { min, max } = field
      return z
        .string({ invalid_type_error: message('invalidDate') })
        .regex(/^\d{4}-\d{2}-\d{2}$/, message('invalidDate'))
        .refine(isCalendarDate, message('invalidDate'))
        .refine((value) => min === undefined || value >= min, message('dateTooEarly', limits.date(min)))
        .refine((value) => max === undefined || value <= max, message('dateTooLate', limits.date(max)))
    }
    case 'select':
      return optionChoice(field.options, message)
    case 'multi_select': {
      const count = field.options.length
      const minimum = Math.max(field.minSelected ?? 0, required ? 1 : 0)
      return z
        .array(optionChoice(field.options, message), { invalid_type_error: message('notAnOption') })
        .min(minimum, minimum === 1 && required ? message('required') : message('tooFewSelected', minimum))
        .max(field.maxSelected ?? count, message('tooManySelected', field.maxSelected ?? count))
    }
    case 'file': {
      const accepted = field.accept
      const file = uploadedFileSchema
        .refine((upload) => accepted.includes(upload.mimeType), message('fileTypeNotAccepted', accepted.join(', ')))
        .refine((upload) => upload.bytes <= field.maxBytes, message('fileTooLarge', limits.size(field.maxBytes)))
      return z
        .array(file, { invalid_type_error: message('required') })
        .min(required ? 1 : 0, message('required'))
        .max(field.maxFiles, message('tooManyFiles', field.maxFiles))
    }
  }
}
