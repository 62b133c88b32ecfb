import { z } from 'zod'
import { organisationKinds } from '../../db/schema/platform'
import { supportedLocales } from '~/i18n'
import type { NewOrganisation } from '../operations/accounts/accounts.server'
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../utils/password-rules'

/**
 * Form schemas shared by the account pages. Route modules declare their
 * schemas at the top, so this module is not `.server`: it must load in the
 * browser bundle too.
 */

/** A message of the account forms: a key of `auth:validation.*`, worded by the field kit in the reader's language. */
const message = (key: 'required' | 'email' | 'passwordLength' | 'tooLong' | 'choose' | 'corporateNumber') =>
  `auth:validation.${key}`

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
