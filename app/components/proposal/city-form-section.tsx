import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  CheckboxField,
  CheckboxGroup,
  FieldGroup,
  FileField,
  RadioGroup,
  SelectField,
  TextField,
} from '~/components/forms'
import { keptFileAnswers } from '~/operations/attachments/file-answers'
import { TenantText, useTextLanguage } from '~/components/portal/text-language'
import type { CityFormView, FieldView } from '../../http/city-form'
import { sentList, type FormValues } from '../../http/form-schemas'

type Draft = {
  id: string
  version: number
  proposalType: string
  themeId: string | null
  track: string
  answers: Record<string, unknown>
}

/**
 * One city's part of the proposal form, on the field kit (~/components/forms):
 * each hint and error tied to its field the kit's way; messages come already
 * worded in the reader's language from the city's form schema.
 */
export function CityFormSection({
  city,
  draft,
  preselectedTheme,
  errors,
  values,
}: {
  city: CityFormView
  draft: Draft | undefined
  preselectedTheme: string | null
  errors: Record<string, string>
  /** What was sent, after a refusal or a preview: shown instead of the draft's answers. */
  values: FormValues | undefined
}) {
  const { t } = useTranslation('proposals')
  const themeFirst = preselectedTheme && city.themes.some((theme) => theme.id === preselectedTheme)
  const sent = (id: string) => (values ? sentList(values, `${city.slug}.${id}`) : undefined)
  const initialType =
    sent('proposalType')?.[0] ??
    draft?.proposalType ??
    (themeFirst ? city.types.find((type) => type.answersTheme)?.id : undefined) ??
    city.types[0]?.id ??
    ''
  const [typeId, setTypeId] = useState(initialType)
  const type = city.types.find((candidate) => candidate.id === typeId)
  const fields = city.forms[city.formOfType[typeId] ?? ''] ?? []
  const headingId = `${city.slug}-heading`
  return (
    <section className="city-form card" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('new.cityHeading', { city: city.cityName })}</h3>
      {draft ? (
        <>
          <input type="hidden" name={`${city.slug}.draftId`} value={draft.id} />
          <input type="hidden" name={`${city.slug}.draftVersion`} value={draft.version} />
        </>
      ) : null}
      {city.blocking.length > 0 ? (
        <div className="form-alert" role="alert">
          <p>{t('new.blocked')}</p>
          <ul>
            {city.blocking.map((criterion) => (
              <li key={criterion.id}>
                {criterion.text ? <TenantText>{criterion.text}</TenantText> : t('new.kindNotEligible')}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <RadioGroup
        id={`${city.slug}.proposalType`}
        name={`${city.slug}.proposalType`}
        label={t('new.type')}
        required
        options={city.types.map((candidate) => ({
          value: candidate.id,
          label: <TenantText>{candidate.label}</TenantText>,
          // A draft keeps its type: its answers are the form of that type.
          disabled: !!draft && draft.proposalType !== candidate.id,
        }))}
        value={typeId}
        onChange={setTypeId}
        error={errors[`${city.slug}.proposalType`]}
      />
      {type && type.tracks.length > 1 ? (
        <SelectField
          name={`${city.slug}.trackId`}
          label={t('new.track')}
          options={type.tracks.map((track) => ({ value: track.id, label: track.label }))}
          defaultValue={sent('trackId')?.[0] ?? draft?.track}
          error={errors[`${city.slug}.trackId`]}
        />
      ) : null}
      {type?.answersTheme ? (
        city.themes.length > 0 ? (
          <SelectField
            name={`${city.slug}.themeId`}
            label={t('new.theme')}
            options={city.themes.map((theme) => ({ value: theme.id, label: theme.title }))}
            defaultValue={
              sent('themeId')?.[0] ?? draft?.themeId ?? (themeFirst ? preselectedTheme : undefined)
            }
            error={errors[`${city.slug}.themeId`]}
          />
        ) : (
          <p>{t('new.noThemes')}</p>
        )
      ) : null}

      {fields.map((field) => (
        <AnswerField
          key={field.name}
          field={field}
          value={
            values
              ? field.type === 'multi_select'
                ? sent(field.id)
                : sent(field.id)?.[0]
              : draft?.answers[field.id]
          }
          savedFiles={draft?.answers[field.id]}
          removed={sent('removeFile') ?? []}
          error={errors[field.name]}
          fileHref={(attachmentId) => `/proposals/${city.slug}/${draft?.id}/attachments/${attachmentId}`}
          removeName={`${city.slug}.removeFile`}
        />
      ))}

      <Statements
        id={`${city.slug}.criteria`}
        legend={t('new.eligibilityHeading')}
        intro={t('new.eligibilityIntro')}
        statements={city.toConfirm}
        ticked={sent('criteria')}
        errors={errors}
      />
      <Statements
        id={`${city.slug}.notes`}
        legend={t('new.notesHeading')}
        intro={t('new.notesIntro')}
        statements={city.notes}
        ticked={sent('notes')}
        errors={errors}
      />
    </section>
  )
}

/**
 * Statements the proposer ticks one by one (the eligibility criteria, the
 * notes), each with its own message (`<id>.<statement>`); the intro is the
 * group's hint.
 */
function Statements({
  id,
  legend,
  intro,
  statements,
  ticked,
  errors,
}: {
  /** The input's name, the group's id, and the start of each box's id. */
  id: string
  legend: string
  intro: string
  statements: { id: string; text: string }[]
  /** The boxes ticked when the form was sent (shown again after a refusal). */
  ticked: string[] | undefined
  errors: Record<string, string>
}) {
  if (statements.length === 0) return null
  return (
    <FieldGroup id={id} label={legend} required hint={intro} describeGroup>
      {statements.map((statement) => (
        <CheckboxField
          key={statement.id}
          id={`${id}.${statement.id}`}
          name={id}
          value={statement.id}
          label={<TenantText>{statement.text}</TenantText>}
          defaultChecked={ticked?.includes(statement.id)}
          error={errors[`${id}.${statement.id}`]}
        />
      ))}
    </FieldGroup>
  )
}

/** One answer of the city's form, by its type, on the field kit. */
function AnswerField({
  field,
  value,
  savedFiles,
  removed,
  error,
  fileHref,
  removeName,
}: {
  field: FieldView
  value: unknown
  /** A file field's files saved with the draft. */
  savedFiles: unknown
  /** The saved files the proposer ticked to take out (sent with a refused form). */
  removed: string[]
  error: string | undefined
  /** A draft's saved file, downloaded by its proposer. */
  fileHref: (attachmentId: string) => string
  /** The checkbox that takes a saved file out of the draft. */
  removeName: string
}) {
  const { t } = useTranslation('proposals')
  const languageOf = useTextLanguage()
  const shared = {
    name: field.name,
    label: <TenantText>{field.label}</TenantText>,
    required: field.required,
    hint: field.help ? <TenantText>{field.help}</TenantText> : undefined,
    error,
  }
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : ''
  switch (field.type) {
    case 'multi_select':
      return (
        <CheckboxGroup
          {...shared}
          options={field.options.map((option) => ({
            value: option.value,
            label: <TenantText>{option.label}</TenantText>,
          }))}
          defaultValue={Array.isArray(value) ? value.map(String) : []}
        />
      )
    case 'select':
      return (
        <SelectField
          {...shared}
          emptyLabel={t('new.choose')}
          options={field.options.map((option) => ({ ...option, lang: languageOf(option.label) }))}
          defaultValue={text}
        />
      )
    case 'file': {
      const rule = t('new.fileHint', {
        count: field.maxFiles ?? 1,
        megabytes: Math.floor((field.maxBytes ?? 0) / 1048576),
      })
      return (
        <FileField
          {...shared}
          // The city's help, then on its own line how many files of what size the field takes.
          hint={
            shared.hint ? (
              <>
                {shared.hint}
                <br />
                {rule}
              </>
            ) : (
              rule
            )
          }
          multiple={(field.maxFiles ?? 1) > 1}
          accept={field.accept?.join(',')}
          saved={keptFileAnswers(savedFiles, []).map((file) => ({
            id: file.attachmentId,
            name: file.name,
            bytes: file.bytes,
            href: fileHref(file.attachmentId),
          }))}
          removeName={removeName}
          removed={removed}
        />
      )
    }
    default:
      return (
        <TextField
          {...shared}
          type={field.type === 'number' ? 'number' : field.type === 'date' ? 'date' : 'text'}
          rows={field.type === 'long_text' ? 6 : undefined}
          defaultValue={text}
        />
      )
  }
}
