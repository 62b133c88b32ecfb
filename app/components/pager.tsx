import { Link, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

/**
 * Previous / page n of m / next for a paged list, keeping the rest of the
 * address's query (`.pager` in app.css). Nothing when there is one page.
 */
export function Pager({ page, pageCount }: { page: number; pageCount: number }) {
  const { t } = useTranslation('common')
  const [searchParams] = useSearchParams()
  if (pageCount <= 1) return null
  const href = (target: number) => {
    const next = new URLSearchParams(searchParams)
    next.set('page', String(target))
    return `?${next}`
  }
  return (
    <nav aria-label={t('pager.label')} className="pager">
      {page > 1 ? <Link to={href(Math.min(page - 1, pageCount))}>{t('pager.previous')}</Link> : null}
      <span>{t('pager.page', { page, pages: pageCount })}</span>
      {page < pageCount ? <Link to={href(page + 1)}>{t('pager.next')}</Link> : null}
    </nav>
  )
}
