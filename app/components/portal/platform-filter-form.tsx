import { Form, Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import type { FilterSelect } from '~/http/portal/platform-views'

/**
 * The filter form of the cross-city lists (/themes, /cases): words, then the
 * list's selects as its loader built them (texts already in the reader's
 * language), and the way to be told of new matches of the same conditions.
 */
export function PlatformFilterForm({
  id,
  q,
  selects,
  subscribeHref,
}: {
  /** Names the form's heading (one form per page). */
  id: string
  q: string
  selects: FilterSelect[]
  /** Where saving these conditions as an alert starts (absent: no alerts offered). */
  subscribeHref?: string
}) {
  const { t } = useTranslation()
  const headingId = `${id}-heading`
  return (
    <Form method="get" className="filters" aria-labelledby={headingId}>
      <h2 id={headingId} className="filters__heading">
        {t('platform.filter')}
      </h2>
      <div className="filters__fields">
        <label>
          {t('platform.search')}
          <input type="search" name="q" defaultValue={q} />
        </label>
        {selects.map((select) => (
          <label key={select.name}>
            {select.label}
            <select name={select.name} defaultValue={select.value}>
              {select.anyLabel !== null ? <option value="">{select.anyLabel}</option> : null}
              {select.options.map((option) => (
                <option key={option.id} value={option.id}>
                  {option.label}
                </option>
              ))}
            </select>
          </label>
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
  )
}
