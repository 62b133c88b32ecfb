import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { TenantText } from './text-language'
import type { CaseSummary } from '~/http/portal/content-views'

/** Published cases as cards, each linking to its detail page. */
export function CaseList({
  slug,
  cases,
  headingLevel,
}: {
  slug: string
  cases: CaseSummary[]
  headingLevel: 2 | 3
}) {
  const { t } = useTranslation('portal')
  const Heading = `h${headingLevel}` as const
  if (cases.length === 0) return <p className="empty">{t('cases.none')}</p>
  return (
    <ul className="card-list">
      {cases.map((publishedCase) => (
        <li key={publishedCase.id} className="card">
          <Heading className="card__title">
            <Link to={`/${slug}/cases/${publishedCase.id}`}>
              <TenantText>{publishedCase.title}</TenantText>
            </Link>
          </Heading>
          {publishedCase.summary ? (
            <p>
              <TenantText>{publishedCase.summary}</TenantText>
            </p>
          ) : null}
          <dl className="facts">
            <div>
              <dt>{t('cases.partner')}</dt>
              <dd>
                <TenantText>{publishedCase.partner}</TenantText>
              </dd>
            </div>
            {publishedCase.method ? (
              <div>
                <dt>{t('cases.method')}</dt>
                <dd>
                  <TenantText>{publishedCase.method}</TenantText>
                </dd>
              </div>
            ) : null}
            <div>
              <dt>{t('cases.year')}</dt>
              <dd>{t('cases.yearValue', { year: publishedCase.year })}</dd>
            </div>
          </dl>
        </li>
      ))}
    </ul>
  )
}
