import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { TenantText } from './text-language'
import type { ThemeSummary } from '~/http/portal/content-views'

/** Open themes as cards, each linking to its detail page. */
export function ThemeList({
  slug,
  themes,
  headingLevel,
}: {
  slug: string
  themes: ThemeSummary[]
  headingLevel: 2 | 3
}) {
  const { t } = useTranslation('portal')
  const Heading = `h${headingLevel}` as const
  if (themes.length === 0) return <p className="empty">{t('themes.none')}</p>
  return (
    <ul className="card-list">
      {themes.map((theme) => (
        <li key={theme.id} className="card">
          <Heading className="card__title">
            <Link to={`/${slug}/themes/${theme.id}`}>
              <TenantText>{theme.title}</TenantText>
            </Link>
          </Heading>
          {theme.summary ? (
            <p>
              <TenantText>{theme.summary}</TenantText>
            </p>
          ) : null}
          <dl className="facts">
            {theme.department ? (
              <div>
                <dt>{t('themes.department')}</dt>
                <dd>
                  <TenantText>{theme.department}</TenantText>
                </dd>
              </div>
            ) : null}
            <div>
              <dt>{t('themes.deadline')}</dt>
              <dd>{theme.deadline || t('themes.noDeadline')}</dd>
            </div>
          </dl>
        </li>
      ))}
    </ul>
  )
}
