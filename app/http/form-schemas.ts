import { z } from 'zod'
import { isCalendarDate, MAX_TEXT_LENGTH, type TransitionInput } from '@desk/workflow'
import { organisationKinds } from '../../db/schema/platform'
import { supportedLocales } from '~/i18n'
import type { NewOrganisation } from '../operations/accounts/accounts.server'
import { MESSAGE_MAX_LENGTH } from '../operations/dialogue/message-rules'
import { KNOW_HOW_TITLE_MAX } from '../operations/know-how/know-how-rules'
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../utils/password-rules'

/**
 * Form schemas and fields shared by several pages (the account pages, the
 * proposal pages of both sides). Route modules declare their own schemas at
 * the top, so this module is not `.server`: it must load in the browser
 * bundle too.
 */

/**
 * The kit's echo rule: a refused form's answers are given back to the page
 * (so a refusal loses nothing typed, also without JavaScript), except
 * - a password: only the inputs named here may hold one (the field kit's
 *   TextField refuses `type="password"` under any other name), and none of
 *   them is ever sent back;
 * - a file: a file input's entry is a file, never text (in the browser's
 *   FormData and in the upload receiver's alike), and only text is sent back.
 */
export const PASSWORD_INPUTS = ['password', 'currentPassword', 'newPassword'] as const
export type PasswordInput = (typeof PASSWORD_INPUTS)[number]

export const isPasswordInput = (name: string): name is PasswordInput =>
  (PASSWORD_INPUTS as readonly string[]).includes(name)

/** A form's answers by input name; a name sent several times has a list. */
export type FormValues = Record<string, string | string[]>

/**
 * The answers of a form to give back with its refusal, by the echo rule above
 * (as conform's `submission.reply({ hideFields })` does); `scope` keeps only
 * the inputs a page shows again (the proposal form: the cities' parts).
 */
export function echoedValues(formData: FormData | URLSearchParams, scope: (name: string) => boolean = () => true): FormValues {
  const values: FormValues = {}
  for (const [name, value] of formData) {
    if (typeof value !== 'string' || isPasswordInput(name) || !scope(name)) continue
    const earlier = values[name]
    values[name] = earlier === undefined ? value : [earlier, value].flat()
  }
  return values
}

/** Every answer sent for `name`, as a list (a checkbox group, a multiple select); none: an empty list. */
export function sentList(values: FormValues | undefined, name: string): string[] {
  const sent = values?.[name]
  return sent === undefined ? [] : [sent].flat()
}

/** A message of the forms: a key of `auth:validation.*`, worded by the field kit in the reader's language. */
const message = (
  key:
    'required' | 'email' | 'passwordLength' | 'tooLong' | 'choose' | 'corporateNumber' | 'date' | 'invalid',
) => `auth:validation.${key}`

/**
 * The message of an issue its schema words no message for (a field left out,
 * a number that is not one, an option not offered): a locale key, never
 * zod's English. Used by `parseSubmission` and `useValidatedForm` alike.
 */
export const formErrorMap: z.ZodErrorMap = (issue, context) => {
  // A schema's own message (the `message` or `errorMap` it was given) stands; only zod's English is replaced.
  if (context.defaultError !== z.defaultErrorMap(issue, context).message)
    return { message: context.defaultError }
  const missing =
    (issue.code === z.ZodIssueCode.invalid_type && issue.received === 'undefined') ||
    (issue.code === z.ZodIssueCode.invalid_literal && issue.received === undefined)
  if (missing) return { message: message('required') }
  if (issue.code === z.ZodIssueCode.too_big) return { message: message('tooLong') }
  if (
    issue.code === z.ZodIssueCode.invalid_enum_value ||
    issue.code === z.ZodIssueCode.invalid_literal ||
    issue.code === z.ZodIssueCode.invalid_union_discriminator
  )
    return { message: message('choose') }
  return { message: message('invalid') }
}

/** One of a fixed list of values, refused with this message. */
const oneOf = <T extends string>(values: readonly [T, ...T[]], refused: string) =>
  z.enum(values as [T, ...T[]], { errorMap: () => ({ message: refused }) })

/** One of a fixed list of options the reader chooses (a select, radios). */
export const choice = <T extends string>(values: readonly [T, ...T[]]) => oneOf(values, message('choose'))

/**
 * Fields shared by several forms. A form reads an empty input as missing
 * (@conform-to/zod); a missing text is read as '' so that every field's own
 * message is given at once and the form's refinements still run.
 */
export const fields = {
  email: z
    .string()
    .trim()
    .min(1, message('required'))
    .max(254, message('tooLong'))
    .email(message('email'))
    .default(''),
  newPassword: z
    .string()
    .min(PASSWORD_MIN_LENGTH, message('passwordLength'))
    .max(PASSWORD_MAX_LENGTH, message('tooLong'))
    .default(''),
  anyPassword: z
    .string()
    .min(1, message('required'))
    .max(PASSWORD_MAX_LENGTH, message('tooLong'))
    .default(''),
  displayName: z.string().trim().min(1, message('required')).max(100, message('tooLong')).default(''),
  locale: choice(supportedLocales),
  text: (max: number) => z.string().trim().max(max, message('tooLong')).default(''),
  /** A text that must be given. */
  requiredText: (max: number) =>
    z.string().trim().min(1, message('required')).max(max, message('tooLong')).default(''),
  /** A text that may be left blank (then undefined). */
  optionalText: (max: number) => z.string().trim().max(max, message('tooLong')).optional(),
  /** A day written YYYY-MM-DD that exists in the calendar; blank is undefined. */
  date: z.string().refine(isCalendarDate, message('date')).optional(),
  /** A day that must be given. */
  requiredDate: z.string({ required_error: message('required') }).refine(isCalendarDate, message('date')),
  /** One of the ids a page offers (the city's departments, methods, fields): anything else is refused. */
  oneOf: (ids: readonly string[]) => z.string().refine((id) => ids.includes(id), message('choose')),
  /** A file chosen in a file input (none chosen: refused as missing). */
  file: z.instanceof(File, { message: message('required') }),
  /** Several of the ids a page offers, as checkboxes send them (none checked: an empty list). */
  someOf: (ids: readonly string[]) =>
    z
      .array(z.string())
      .refine((chosen) => chosen.every((id) => ids.includes(id)), message('choose'))
      .default([]),
}

/**
 * The message of a value the page itself put in the form (a hidden id, the
 * form's intent, a button's value): the reader never typed it, so it is not
 * theirs to correct; `parseSubmission` refuses the whole form as out of date
 * (`stale_form`) instead of naming a field they cannot see.
 */
export const STALE_FORM = 'common:errors.request.stale_form'

/** Values the page put in the form (hidden inputs, button values), refused as `STALE_FORM`. */
export const hidden = {
  id: z.string().uuid(STALE_FORM).default(''),
  choice: <T extends string>(values: readonly [T, ...T[]]) => oneOf(values, STALE_FORM),
  text: (max: number) => z.string().max(max, STALE_FORM).default(''),
  /** The version a page was loaded at. */
  version: z
    .number({ invalid_type_error: STALE_FORM, required_error: STALE_FORM })
    .int(STALE_FORM)
    .nonnegative(STALE_FORM),
  /** One of the keys the page lists (the city's own, so possibly none). */
  key: (keys: readonly string[]) =>
    z.string({ required_error: STALE_FORM }).refine((key) => keys.includes(key), STALE_FORM),
}

/** The forms of one page, told apart by their `intent` (a hidden input or the submit button's value). */
export function intents<
  Options extends [z.ZodDiscriminatedUnionOption<'intent'>, ...z.ZodDiscriminatedUnionOption<'intent'>[]],
>(options: Options) {
  return z.discriminatedUnion('intent', options, { errorMap: () => ({ message: STALE_FORM }) })
}

/** The account someone without one creates to accept an emailed invitation (its address is the invited one). */
export const invitationAccountSchema = z.object({
  intent: z.literal('create'),
  displayName: fields.displayName,
  password: fields.newPassword,
  locale: fields.locale,
})

/** An organisation's profile: a 法人番号 has 13 digits; an individual's "organisation" is the person. */
export const organisationProfileSchema = z.object({
  organisationName: fields.text(200),
  kind: choice(organisationKinds),
  corporateNumber: z
    .string()
    .trim()
    .regex(/^(\d{13})?$/, message('corporateNumber'))
    .default(''),
  address: fields.text(300),
  contactPerson: fields.text(100),
})

export function organisationFrom(
  profile: z.infer<typeof organisationProfileSchema>,
  person: string,
): NewOrganisation {
  return {
    name: profile.organisationName || person,
    kind: profile.kind,
    corporateNumber: profile.corporateNumber || null,
    address: profile.address,
    contactPerson: profile.contactPerson || person,
  }
}

/** Every organisation kind but an individual must give its name. */
export const organisationNameRequired = (
  profile: { kind: string; organisationName: string },
  ctx: z.RefinementCtx,
) => {
  if (profile.kind !== 'individual' && !profile.organisationName) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['organisationName'], message: message('required') })
  }
}

/** The thread's reply (its files are read by the upload receiver) and the city's internal note: a body to send. */
const threadBody = z
  .string()
  .trim()
  .min(1, 'proposals:thread.bodyError')
  .max(MESSAGE_MAX_LENGTH, 'proposals:thread.bodyError')
  .default('')
export const MessageSchema = z.object({ body: threadBody })
export const NoteSchema = z.object({ intent: z.literal('note'), body: threadBody })

/**
 * A transition form of a proposal's page (either side): the transition and
 * the version the page was loaded at, and whatever the transition asks for.
 * What a transition requires is the engine's to say (`missing_requirement`);
 * the form refuses only what no transition could take — a malformed date, a
 * method or department the city does not offer, a text too long.
 */
export function transitionSchema(offered: { methods: readonly string[]; departments: readonly string[] }) {
  const longText = fields.optionalText(MAX_TEXT_LENGTH)
  return z.object({
    intent: z.literal('transition'),
    transitionId: hidden.text(100),
    version: hidden.version,
    reason: longText,
    note: longText,
    collaborationMethod: fields.oneOf(offered.methods).optional(),
    departments: fields.someOf(offered.departments),
    decision: z.object({ grounds: longText, conditions: longText }).default({}),
    agreement: z
      .object({
        kind: fields.optionalText(200),
        parties: longText,
        concludedOn: fields.date,
        validUntil: fields.date,
      })
      .default({}),
  })
}

/** A transition form's answers as the engine's input: only what the form sent is passed on. */
export function transitionInputOf(form: z.output<ReturnType<typeof transitionSchema>>): TransitionInput {
  const { decision, agreement } = form
  return {
    reason: form.reason,
    note: form.note,
    collaborationMethod: form.collaborationMethod,
    departments: form.departments.length > 0 ? form.departments : undefined,
    decision: decision.grounds ? { grounds: decision.grounds, conditions: decision.conditions } : undefined,
    agreement: agreement.kind
      ? {
          kind: agreement.kind,
          parties: (agreement.parties ?? '')
            .split('\n')
            .map((party) => party.trim())
            .filter(Boolean),
          concludedOn: agreement.concludedOn ?? '',
          validUntil: agreement.validUntil,
        }
      : undefined,
  }
}

/** A progress note of the accompanied implementation (either side), about a milestone or the whole. */
export const ProgressNoteSchema = z.object({
  intent: z.literal('note'),
  milestoneId: z.string().uuid(message('choose')).optional(),
  body: fields.requiredText(MAX_TEXT_LENGTH),
})

/**
 * The toggle under an internal note (the know-how page's action, checked in the browser too): mark it as good
 * practice with a lesson title and the city's fields, or unmark it.
 */
export function knowHowMarkSchema(fieldIds: readonly string[]) {
  return z.object({
    intent: hidden.choice(['mark', 'unmark']).default('mark'),
    noteId: hidden.id,
    title: fields.text(KNOW_HOW_TITLE_MAX),
    fields: fields.someOf(fieldIds),
    redirectTo: hidden.text(2000),
  })
}
