import { z } from 'zod'
import { organisationKinds } from '../../db/schema/platform'
import { supportedLocales } from '~/i18n'
import type { NewOrganisation } from '../operations/accounts/accounts.server'
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../utils/password-rules'

/**
 * Form schemas shared by the account pages. Route modules declare their
 * schemas at the top, so this module is not `.server`: it must load in the
 * browser bundle too. Messages are keys of `auth:validation.*`.
 */

/** Fields shared by several forms; each message is a key of `auth:validation.*`. */
export const fields = {
  email: z
    .string({ required_error: 'required' })
    .trim()
    .min(1, 'required')
    .max(254, 'tooLong')
    .email('email'),
  newPassword: z
    .string({ required_error: 'required' })
    .min(PASSWORD_MIN_LENGTH, 'passwordLength')
    .max(PASSWORD_MAX_LENGTH, 'tooLong'),
  anyPassword: z
    .string({ required_error: 'required' })
    .min(1, 'required')
    .max(PASSWORD_MAX_LENGTH, 'tooLong'),
  displayName: z.string({ required_error: 'required' }).trim().min(1, 'required').max(100, 'tooLong'),
  locale: z.enum(supportedLocales, { errorMap: () => ({ message: 'choose' }) }),
  text: (max: number) => z.string().trim().max(max, 'tooLong').default(''),
}

/** An organisation's profile: a 法人番号 has 13 digits; an individual's "organisation" is the person. */
export const organisationProfileSchema = z.object({
  organisationName: fields.text(200),
  kind: z.enum(organisationKinds, { errorMap: () => ({ message: 'choose' }) }),
  corporateNumber: z
    .string()
    .trim()
    .regex(/^(\d{13})?$/, 'corporateNumber')
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
export const lacksOrganisationName = (profile: { kind: string; organisationName: string }) =>
  profile.kind !== 'individual' && !profile.organisationName

export const organisationNameRequired = (
  profile: { kind: string; organisationName: string },
  ctx: z.RefinementCtx,
) => {
  if (lacksOrganisationName(profile)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['organisationName'], message: 'required' })
  }
}
