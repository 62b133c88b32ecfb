import { useFetcher } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { TextField } from '~/components/forms'
import { CheckboxChoices } from '~/components/desk/checkbox-choices'
import type { AppFailure } from '~/http/errors.server'
import { KNOW_HOW_TITLE_MAX } from '~/operations/know-how/know-how-rules'

export type KnowHowMarkView = { title: string; fields: string[]; markedByName: string; markedAt: string }

/**
 * Under an internal note: mark it as good practice (with an optional lesson
 * title and fields), change the mark, or remove it. Posts to the know-how
 * page, which comes back here; errors are shown in place.
 */
export function KnowHowToggle({
  slug,
  noteId,
  mark,
  fields,
  backTo,
}: {
  slug: string
  noteId: string
  mark: KnowHowMarkView | undefined
  fields: { id: string; label: string }[]
  backTo: string
}) {
  const { t, i18n } = useTranslation('dashboard')
  const fetcher = useFetcher<AppFailure>()
  const errors = fetcher.data?.fieldErrors ?? {}
  const id = `know-how-${noteId}`
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone: 'Asia/Tokyo' })
  return (
    <details className="know-how-toggle">
      <summary>
        {mark ? <strong className="badge">{t('knowHow.toggle.marked')}</strong> : t('knowHow.toggle.summary')}
      </summary>
      {mark ? (
        <p className="field__hint">
          {t('knowHow.toggle.markedBy', {
            name: mark.markedByName,
            date: date.format(new Date(mark.markedAt)),
          })}
        </p>
      ) : null}
      <fetcher.Form method="post" action={`/${slug}/desk/know-how`} className="stack" noValidate>
        <input type="hidden" name="noteId" value={noteId} />
        <input type="hidden" name="redirectTo" value={backTo} />
        <TextField
          id={`${id}-title`}
          name="title"
          label={t('knowHow.toggle.title', { max: KNOW_HOW_TITLE_MAX })}
          defaultValue={mark?.title ?? ''}
          error={errors.title ? t('knowHow.errors.title', { max: KNOW_HOW_TITLE_MAX }) : undefined}
        />
        <fieldset className="field">
          <legend className="field__label">{t('knowHow.toggle.fields')}</legend>
          {errors.fields ? <p className="field__error">{t('knowHow.errors.fields')}</p> : null}
          <CheckboxChoices
            name="fields"
            options={fields.map((field) => ({ value: field.id, label: field.label }))}
            checked={mark?.fields}
          />
        </fieldset>
        <div className="button-row">
          <button type="submit" name="intent" value="mark" className="button">
            {mark ? t('knowHow.toggle.update') : t('knowHow.toggle.mark')}
          </button>
          {mark ? (
            <button type="submit" name="intent" value="unmark" className="button">
              {t('knowHow.toggle.unmark')}
            </button>
          ) : null}
        </div>
      </fetcher.Form>
    </details>
  )
}
