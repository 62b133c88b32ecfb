import { useFetcher } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CheckboxGroup, FormAlert, TextField, useValidatedForm, type ActionFailure } from '~/components/forms'
import { knowHowMarkSchema } from '~/http/form-schemas'
import { rememberedSchema } from '~/http/remembered-schema'
import { KNOW_HOW_TITLE_MAX } from '~/operations/know-how/know-how-rules'
import { mediumDate } from '~/utils/medium-date'

/** The toggle's schema, built once per city's fields (not per internal note and render). */
const schemaFor = rememberedSchema(knowHowMarkSchema)

export type KnowHowMarkView = { title: string; fields: string[]; markedByName: string; markedAt: string }

/**
 * Under an internal note: mark it as good practice (with an optional lesson
 * title and fields), change the mark, or remove it. Posts to the know-how
 * page and is checked in the browser with that action's schema; with
 * JavaScript the page stays here and a refusal is shown in place. Without it
 * the know-how page answers, and shows this form again with the refusal
 * (`refused`) and what was written.
 */
export function KnowHowToggle({
  slug,
  noteId,
  mark,
  fields,
  backTo,
  refused,
}: {
  slug: string
  noteId: string
  mark: KnowHowMarkView | undefined
  fields: { id: string; label: string }[]
  backTo: string
  /** The know-how action's refusal of this form, when it answered without JavaScript. */
  refused?: ActionFailure
}) {
  const { t, i18n } = useTranslation('dashboard')
  const fetcher = useFetcher<ActionFailure>()
  const id = `know-how-${noteId}`
  const { form, errors, values, alert } = useValidatedForm({
    id,
    schema: schemaFor(fields.map((field) => field.id)),
    failure: fetcher.data ?? refused,
  })
  const date = mediumDate(i18n.language)
  const refusedNow = Boolean(fetcher.data ?? refused)
  return (
    <details className="know-how-toggle" open={refusedNow || undefined}>
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
      <fetcher.Form method="post" action={`/${slug}/desk/know-how`} className="stack" {...form}>
        <FormAlert
          {...alert}
          labels={{
            title: t('knowHow.toggle.title', { max: KNOW_HOW_TITLE_MAX }),
            fields: t('knowHow.toggle.fields'),
          }}
          ids={{ title: `${id}-title`, fields: `${id}-fields` }}
        />
        <input type="hidden" name="noteId" value={noteId} />
        <input type="hidden" name="redirectTo" value={backTo} />
        <TextField
          id={`${id}-title`}
          name="title"
          label={t('knowHow.toggle.title', { max: KNOW_HOW_TITLE_MAX })}
          maxLength={KNOW_HOW_TITLE_MAX}
          defaultValue={mark?.title ?? ''}
          errors={errors}
          values={values}
        />
        <CheckboxGroup
          id={`${id}-fields`}
          name="fields"
          label={t('knowHow.toggle.fields')}
          options={fields.map((field) => ({ value: field.id, label: field.label }))}
          defaultValue={mark?.fields}
          errors={errors}
          values={values}
        />
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
