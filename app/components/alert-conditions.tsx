import { useTranslation } from 'react-i18next'

/** A saved search's conditions as a definition list; a search without any watches everything. */
export function AlertConditions({ conditions }: { conditions: { label: string; value: string }[] }) {
  const { t } = useTranslation()
  return (
    <dl className="facts">
      {conditions.length > 0 ? (
        conditions.map((part) => (
          <div key={part.label}>
            <dt>{part.label}</dt>
            <dd>{part.value}</dd>
          </div>
        ))
      ) : (
        <div>
          <dt>{t('alerts.settings.conditions')}</dt>
          <dd>{t('alerts.everything')}</dd>
        </div>
      )}
    </dl>
  )
}
