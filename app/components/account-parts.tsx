import { useTranslation } from 'react-i18next'
import { supportedLocales } from '~/i18n'
import type { ActionFailure } from '~/utils/form-validation.server'
import { SelectField, TextField } from './forms'

/** Said plainly wherever an individual might expect to propose. */
export function IndividualNotice() {
  const { t } = useTranslation('auth')
  return (
    <aside className="notice" aria-labelledby="individual-notice-title">
      <h2 id="individual-notice-title" className="notice__title">
        {t('individualNotice.title')}
      </h2>
      <p>{t('individualNotice.body')}</p>
    </aside>
  )
}

export function LocaleField({
  label,
  errors,
  defaultValue,
}: {
  label: string
  errors?: ActionFailure['fieldErrors']
  defaultValue: string
}) {
  const { t } = useTranslation()
  return (
    <SelectField
      name="locale"
      label={label}
      errors={errors}
      defaultValue={defaultValue}
      options={supportedLocales.map((locale) => ({ value: locale, label: t(`language.switchTo.${locale}`) }))}
      required
    />
  )
}

type OrganisationDefaults = {
  name?: string
  kind?: string
  corporateNumber?: string | null
  address?: string
  contactPerson?: string
}

/** The organisation's profile fields (sign-up and the organisation page). */
export function OrganisationFields({
  kinds,
  errors,
  defaults = {},
}: {
  /** The organisation kinds (from the loader: the list lives in the database schema). */
  kinds: readonly string[]
  errors?: ActionFailure['fieldErrors']
  defaults?: OrganisationDefaults
}) {
  const { t } = useTranslation('auth')
  return (
    <>
      <SelectField
        name="kind"
        label={t('signUp.kind')}
        errors={errors}
        defaultValue={defaults.kind ?? 'corporation'}
        options={kinds.map((kind) => ({ value: kind, label: t(`kinds.${kind}`) }))}
        required
      />
      <TextField
        name="organisationName"
        label={t('signUp.organisationName')}
        hint={t('signUp.organisationNameHint')}
        autoComplete="organization"
        defaultValue={defaults.name}
        errors={errors}
      />
      <TextField
        name="corporateNumber"
        label={t('signUp.corporateNumber')}
        hint={t('signUp.corporateNumberHint')}
        defaultValue={defaults.corporateNumber ?? ''}
        errors={errors}
      />
      <TextField
        name="address"
        label={t('signUp.address')}
        autoComplete="street-address"
        defaultValue={defaults.address}
        errors={errors}
      />
      <TextField
        name="contactPerson"
        label={t('signUp.contactPerson')}
        hint={t('signUp.contactPersonHint')}
        defaultValue={defaults.contactPerson}
        errors={errors}
      />
    </>
  )
}
