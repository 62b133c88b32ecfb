import { Form, Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { RefusedQueryNotice, SelectField, TextField } from '~/components/forms'
import type { FormValues } from '~/http/form-schemas'
import type { FilterSelect } from '~/http/portal/platform-views'

/**
 * The filter form of the cross-city lists (/themes, /cases): words, then the
 * list's selects as its loader built them (texts already in the reader's
 * language), and the way to be told of new matches of the same conditions.
 * A refused filter (the list answered 400) shows its message at its field and
 * what was sent, under the notice that the results leave it out.
 */
export function PlatformFilterForm({
  id,
  q,
  selects,
  subscribeHref,
  errors,
  values,
}: {
  /** Names the form's heading (one form per page). */
  id: string
  q: string
  selects: FilterSelect[]
  /** Where saving these conditions as an alert starts (absent: no alerts offered). */
  subscribeHref?: string
  /** The refused filters' messages by input name. */
  errors: Record<string, string>
  /** What a refused address sent. */
  values: FormValues | undefined
}) {
  const { t } = useTranslation()
  const headingId = `${id}-heading`
  return (
    <>
      <RefusedQueryNotice errors={errors} fields={['q', ...selects.map((select) => select.name)]} />
      <Form method="get" className="filters" aria-labelledby={headingId}>
        <h2 id={headingId} className="filters__heading">
          {t('platform.filter')}
        </h2>
        <div className="filters__fields">
          <TextField
            id={`${id}-q`}
            name="q"
            type="search"
            label={t('platform.search')}
            defaultValue={q}
            errors={errors}
            values={values}
          />
          {selects.map((select) => (
            <SelectField
              key={select.name}
              id={`${id}-${select.name}`}
              name={select.name}
              label={select.label}
              emptyLabel={select.anyLabel ?? undefined}
              options={select.options.map((option) => ({ value: option.id, label: option.label }))}
              defaultValue={select.value}
              errors={errors}
              values={values}
            />
          ))}
          <button type="submit" className="button">
            {t('platform.apply')}
          </button>
        </div>
        {subscribeHref ? (
          <p className="filters__alert">
            <Link to={subscribeHref} className="button button--secondary">
              {t('alerts.subscribe')}
            </Link>
            <span className="filters__alert-note">{t('alerts.subscribeNote')}</span>
          </p>
        ) : null}
      </Form>
    </>
  )
}
