import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { formatFileSize } from '@desk/tenant-config'
import { keptFileAnswers, type FileAnswer } from '~/operations/attachments/file-answers'
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
 * One city's part of the proposal form. Each error is tied to its field
 * (aria-describedby, aria-invalid); messages come already worded in the
 * reader's language from the city's form schema.
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

      <fieldset className="field">
        <legend className="field__label">
          {t('new.type')}
          <RequiredMark />
        </legend>
        <ErrorText id={`${city.slug}.proposalType`} error={errors[`${city.slug}.proposalType`]} />
        {city.types.map((candidate, index) => (
          <label key={candidate.id} className="choice">
            <input
              id={index === 0 ? `${city.slug}.proposalType` : undefined}
              type="radio"
              name={`${city.slug}.proposalType`}
              value={candidate.id}
              checked={typeId === candidate.id}
              onChange={() => setTypeId(candidate.id)}
              disabled={!!draft && draft.proposalType !== candidate.id}
            />{' '}
            <TenantText>{candidate.label}</TenantText>
          </label>
        ))}
      </fieldset>
      {type && type.tracks.length > 1 ? (
        <Select
          name={`${city.slug}.trackId`}
          label={t('new.track')}
          options={type.tracks.map((track) => ({ value: track.id, label: track.label }))}
          defaultValue={sent('trackId')?.[0] ?? draft?.track}
          error={errors[`${city.slug}.trackId`]}
        />
      ) : null}
      {type?.answersTheme ? (
        city.themes.length > 0 ? (
          <Select
            name={`${city.slug}.themeId`}
            label={t('new.theme')}
            options={city.themes.map((theme) => ({ value: theme.id, label: theme.title }))}
            defaultValue={
              sent('themeId')?.[0] ??
              draft?.themeId ??
              (themeFirst ? preselectedTheme : undefined) ??
              undefined
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

      {city.toConfirm.length > 0 ? (
        <fieldset className="field">
          <legend className="field__label">
            {t('new.eligibilityHeading')}
            <RequiredMark />
          </legend>
          <p className="field__hint">{t('new.eligibilityIntro')}</p>
          {city.toConfirm.map((criterion) => (
            <Check
              key={criterion.id}
              name={`${city.slug}.criteria`}
              value={criterion.id}
              id={`${city.slug}.criteria.${criterion.id}`}
              label={criterion.text}
              checked={sent('criteria')?.includes(criterion.id)}
              error={errors[`${city.slug}.criteria.${criterion.id}`]}
            />
          ))}
        </fieldset>
      ) : null}
      {city.notes.length > 0 ? (
        <fieldset className="field">
          <legend className="field__label">
            {t('new.notesHeading')}
            <RequiredMark />
          </legend>
          <p className="field__hint">{t('new.notesIntro')}</p>
          {city.notes.map((note) => (
            <Check
              key={note.id}
              name={`${city.slug}.notes`}
              value={note.id}
              id={`${city.slug}.notes.${note.id}`}
              label={note.text}
              checked={sent('notes')?.includes(note.id)}
              error={errors[`${city.slug}.notes.${note.id}`]}
            />
          ))}
        </fieldset>
      ) : null}
    </section>
  )
}

function ErrorText({ id, error }: { id: string; error: string | undefined }) {
  return error ? (
    <p id={`${id}-error`} className="field__error">
      {error}
    </p>
  ) : null
}

/** 必須 / Required beside a label or legend, as every form of the platform marks it. */
function RequiredMark() {
  const { t } = useTranslation('auth')
  return <span className="field__required">{t('form.required')}</span>
}

function Label({ field }: { field: FieldView }) {
  return (
    <label htmlFor={field.name} className="field__label">
      <TenantText>{field.label}</TenantText>
      {field.required ? <RequiredMark /> : null}
    </label>
  )
}

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
  const { t, i18n } = useTranslation('proposals')
  const languageOf = useTextLanguage()
  const hintId = field.help ? `${field.name}-hint` : undefined
  const describedBy =
    [hintId, error ? `${field.name}-error` : undefined].filter(Boolean).join(' ') || undefined
  const common = {
    id: field.name,
    name: field.name,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
  }
  const messages = (
    <>
      {field.help ? (
        <p id={hintId} className="field__hint">
          <TenantText>{field.help}</TenantText>
        </p>
      ) : null}
      <ErrorText id={field.name} error={error} />
    </>
  )
  if (field.type === 'multi_select') {
    const chosen = Array.isArray(value) ? value.map(String) : []
    return (
      <fieldset className="field" aria-describedby={describedBy}>
        <legend className="field__label">
          <TenantText>{field.label}</TenantText>
          {field.required ? <RequiredMark /> : null}
        </legend>
        {messages}
        {field.options.map((option, index) => (
          <label key={option.value} className="choice">
            <input
              id={index === 0 ? field.name : undefined}
              type="checkbox"
              name={field.name}
              value={option.value}
              defaultChecked={chosen.includes(option.value)}
            />{' '}
            <TenantText>{option.label}</TenantText>
          </label>
        ))}
      </fieldset>
    )
  }
  return (
    <div className="field">
      <Label field={field} />
      {messages}
      {field.type === 'long_text' ? (
        <textarea {...common} rows={6} defaultValue={typeof value === 'string' ? value : ''} />
      ) : field.type === 'select' ? (
        <select
          {...common}
          defaultValue={typeof value === 'string' || typeof value === 'number' ? String(value) : ''}
        >
          <option value="">{t('new.choose')}</option>
          {field.options.map((option) => (
            <option key={option.value} value={option.value} lang={languageOf(option.label)}>
              {option.label}
            </option>
          ))}
        </select>
      ) : field.type === 'file' ? (
        <>
          <SavedFiles
            id={`${field.name}-saved`}
            files={keptFileAnswers(savedFiles, [])}
            removed={removed}
            href={fileHref}
            removeName={removeName}
            locale={i18n.language}
          />
          <p className="field__hint">
            {t('new.fileHint', {
              count: field.maxFiles ?? 1,
              megabytes: Math.floor((field.maxBytes ?? 0) / 1048576),
            })}
          </p>
          <input
            {...common}
            type="file"
            multiple={(field.maxFiles ?? 1) > 1}
            accept={field.accept?.join(',')}
          />
        </>
      ) : (
        <input
          {...common}
          type={field.type === 'number' ? 'number' : field.type === 'date' ? 'date' : 'text'}
          defaultValue={typeof value === 'string' || typeof value === 'number' ? String(value) : ''}
        />
      )}
    </div>
  )
}

/** The files saved with a draft for one input: each downloadable, each with a box to take it out. */
function SavedFiles({
  id,
  files,
  removed,
  href,
  removeName,
  locale,
}: {
  id: string
  files: (FileAnswer & { attachmentId: string })[]
  removed: string[]
  href: (attachmentId: string) => string
  removeName: string
  locale: string
}) {
  const { t } = useTranslation('proposals')
  if (files.length === 0) return null
  return (
    <fieldset className="saved-files" aria-describedby={`${id}-hint`}>
      <legend>{t('new.savedFiles')}</legend>
      <p id={`${id}-hint`} className="field__hint">
        {t('new.savedFilesHint')}
      </p>
      <ul className="plain-list">
        {files.map((file) => (
          <li key={file.attachmentId} className="saved-files__item">
            <a href={href(file.attachmentId)} download>
              {file.name}
            </a>{' '}
            ({formatFileSize(file.bytes, locale)}){' '}
            <label className="choice choice--inline">
              <input
                type="checkbox"
                name={removeName}
                value={file.attachmentId}
                defaultChecked={removed.includes(file.attachmentId)}
              />{' '}
              {t('new.removeFile')}
              <span className="visually-hidden">{t('new.removeFileName', { name: file.name })}</span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  )
}

function Select({
  name,
  label,
  options,
  defaultValue,
  error,
}: {
  name: string
  label: string
  options: { value: string; label: string }[]
  defaultValue?: string | null
  error: string | undefined
}) {
  return (
    <div className="field">
      <label htmlFor={name} className="field__label">
        {label}
      </label>
      <ErrorText id={name} error={error} />
      <select
        id={name}
        name={name}
        defaultValue={defaultValue ?? undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${name}-error` : undefined}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  )
}

function Check({
  name,
  value,
  id,
  label,
  checked,
  error,
}: {
  name: string
  value: string
  id: string
  label: string
  /** Ticked when the form was sent (shown again after a refusal). */
  checked: boolean | undefined
  error: string | undefined
}) {
  return (
    <div className="choice choice--block">
      <input
        type="checkbox"
        id={id}
        name={name}
        value={value}
        defaultChecked={checked}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />{' '}
      <label htmlFor={id}>
        <TenantText>{label}</TenantText>
      </label>
      <ErrorText id={id} error={error} />
    </div>
  )
}
