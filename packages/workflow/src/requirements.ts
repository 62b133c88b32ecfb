import { z } from 'zod'
import type { Requirement, Transition } from './definition'

/**
 * What the actor hands over with a transition, and the schema of each piece.
 * Inputs come from forms, so every piece a transition requires is validated
 * here; what a transition does not require is not looked at.
 */

/** Long free texts (reasons, grounds, notes): the same bound as the forms. */
export const MAX_TEXT_LENGTH = 4000
/** Names, references and ids. */
const MAX_SHORT_TEXT_LENGTH = 200

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`)

/**
 * Whether a YYYY-MM-DD text names a day that exists and that PostgreSQL's
 * `date` stores: not 30 February, not month 13, not year 0000 (the calendar
 * has no year 0). Checked without `Date#toISOString`, which throws
 * ("Invalid time value") on such input.
 */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!match) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  if (year < 1 || month < 1 || month > 12 || day < 1) return false
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  return day <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!
}

/**
 * The one schema of a date taken from a form, for every date the platform
 * stores: a day written YYYY-MM-DD that exists in the calendar.
 */
export const isoDateSchema = z.string().superRefine((value, context) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    context.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a date written YYYY-MM-DD' })
  } else if (!isCalendarDate(value)) {
    context.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a real calendar date' })
  }
})

export const decisionSchema = z
  .object({
    /** Why the proposal can go ahead (or how it was judged). */
    grounds: text(MAX_TEXT_LENGTH),
    /** Conditions attached to going ahead, if any. */
    conditions: text(MAX_TEXT_LENGTH).optional(),
  })
  .strict()

export const agreementDetailsSchema = z
  .object({
    /** The agreement kind id from the tenant file (e.g. a business or comprehensive agreement). */
    kind: text(MAX_SHORT_TEXT_LENGTH),
    parties: z.array(text(MAX_SHORT_TEXT_LENGTH)).min(1, 'must name at least one party'),
    concludedOn: isoDateSchema,
    /** The term: from (default: the day it is concluded) until (open-ended when absent). */
    validFrom: isoDateSchema.optional(),
    validUntil: isoDateSchema.optional(),
  })
  .strict()
  .refine(
    (agreement) =>
      !agreement.validUntil || agreement.validUntil >= (agreement.validFrom ?? agreement.concludedOn),
    { message: 'must not end before it begins', path: ['validUntil'] },
  )

export const permitRecordSchema = z
  .object({
    /** What was permitted, e.g. road use or use of a public facility. */
    kind: text(MAX_SHORT_TEXT_LENGTH),
    reference: text(MAX_SHORT_TEXT_LENGTH),
    issuedBy: text(MAX_SHORT_TEXT_LENGTH),
    issuedOn: isoDateSchema,
    validUntil: isoDateSchema.optional(),
  })
  .strict()
  .refine((permit) => !permit.validUntil || permit.validUntil >= permit.issuedOn, {
    message: 'must not end before it is issued',
    path: ['validUntil'],
  })

export const receiptSchema = z
  .object({
    receivedOn: isoDateSchema,
    note: text(MAX_TEXT_LENGTH).optional(),
  })
  .strict()

/** One schema per requirement, keyed by the requirement names of the definition. */
export const requirementSchemas = {
  reason: text(MAX_TEXT_LENGTH),
  decision: decisionSchema,
  collaboration_method: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a collaboration method id'),
  departments: z
    .array(text(MAX_SHORT_TEXT_LENGTH))
    .min(1, 'must assign at least one department')
    .refine(
      (departments) => new Set(departments).size === departments.length,
      'must not list a department twice',
    ),
  agreement: agreementDetailsSchema,
  permit_record: permitRecordSchema,
  report_file: text(MAX_SHORT_TEXT_LENGTH),
  receipt: receiptSchema,
  note: text(MAX_TEXT_LENGTH),
} satisfies Record<Requirement, z.ZodTypeAny>

/** Where each requirement is carried in a transition's input. */
export const requirementFields = {
  reason: 'reason',
  decision: 'decision',
  collaboration_method: 'collaborationMethod',
  departments: 'departments',
  agreement: 'agreement',
  permit_record: 'permitRecord',
  report_file: 'reportFileId',
  receipt: 'receipt',
  note: 'note',
} as const satisfies Record<Requirement, string>

type RequirementField = (typeof requirementFields)[Requirement]
type SchemaOf<R extends Requirement> = (typeof requirementSchemas)[R]

/** The input as the actor sends it (before trimming and checks). */
export type TransitionInput = {
  [R in Requirement as (typeof requirementFields)[R]]?: z.input<SchemaOf<R>>
}
/** The input once every required piece has passed its schema. */
export type ValidatedInput = {
  [R in Requirement as (typeof requirementFields)[R]]?: z.output<SchemaOf<R>>
}
export type Decision = z.output<typeof decisionSchema>
export type AgreementDetails = z.output<typeof agreementDetailsSchema>
export type PermitRecord = z.output<typeof permitRecordSchema>
export type Receipt = z.output<typeof receiptSchema>

export interface RequirementSpec {
  requirement: Requirement
  /** The key of the transition input that carries it. */
  field: RequirementField
}

export interface RequirementIssue {
  requirement: Requirement
  /** Path within the input, starting with the field. */
  path: (string | number)[]
  message: string
}

/** What a transition asks for, each requirement once, with the input field that carries it. */
export function requirementsOf(transition: Transition): RequirementSpec[] {
  return [...new Set(transition.requires)].map((requirement) => ({
    requirement,
    field: requirementFields[requirement],
  }))
}

/**
 * Validates the pieces of `input` the transition requires. Returns the parsed
 * values (trimmed) of those that pass and an issue for each that is absent or
 * malformed; a blank reason counts as absent.
 */
export function validateRequirements(
  transition: Transition,
  input: TransitionInput,
): { values: ValidatedInput; issues: RequirementIssue[] } {
  const values: Record<string, unknown> = {}
  const issues: RequirementIssue[] = []
  for (const { requirement, field } of requirementsOf(transition)) {
    const given = input[field]
    if (given === undefined || given === null) {
      issues.push({ requirement, path: [field], message: `${field} is required` })
      continue
    }
    const parsed = requirementSchemas[requirement].safeParse(given)
    if (parsed.success) values[field] = parsed.data
    else {
      for (const issue of parsed.error.issues) {
        issues.push({
          requirement,
          path: [field, ...issue.path],
          message: `${[field, ...issue.path].join('.')} ${issue.message}`,
        })
      }
    }
  }
  return { values: values as ValidatedInput, issues }
}
