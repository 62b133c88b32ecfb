import type { ReactNode } from 'react'
import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Pager } from '~/components/pager'
import { PlatformFilterForm } from '~/components/portal/platform-filter-form'
import type { PlatformListView } from '~/http/portal/platform-views'

export type FeedLink = { href: string; type: string; label: string; download?: boolean }

/**
 * A cross-city list page (/themes, /cases): its heading and lead, the filter
 * form, how many match (announced as it changes), the rows or a plain "none",
 * the pages, and the same list as files or feeds.
 */
export function PlatformListPage({
  kind,
  list,
  empty,
  feeds,
  children,
}: {
  kind: 'themes' | 'cases'
  list: PlatformListView
  /** Nothing matches: said instead of the rows. */
  empty: boolean
  /** The section of file and feed links: its id, heading and links. */
  feeds: { id: string; heading: string; links: FeedLink[] }
  /** The rows. */
  children: ReactNode
}) {
  const { t } = useTranslation()
  return (
    <>
      <h1>{list.title}</h1>
      <p className="lead">{t(`platform.${kind}.lead`)}</p>
      <PlatformFilterForm
        id={`${kind}-filter`}
        q={list.q}
        selects={list.filters}
        subscribeHref={list.subscribeHref}
        errors={list.fieldErrors}
        values={list.values}
      />
      <p className="note">{t('platform.fieldsNote')}</p>
      <h2 aria-live="polite">{t(`platform.${kind}.count`, { count: list.total })}</h2>
      {empty ? <p className="empty">{t(`platform.${kind}.none`)}</p> : children}
      <Pager page={list.page} pageCount={list.pageCount} />
      <section aria-labelledby={feeds.id}>
        <h2 id={feeds.id}>{feeds.heading}</h2>
        <ul className="link-list">
          {feeds.links.map((link) => (
            <li key={link.href}>
              <a href={link.href} type={link.type} download={link.download}>
                {link.label}
              </a>
            </li>
          ))}
        </ul>
      </section>
    </>
  )
}

/** One row of a cross-city list: a card titled with the link to the item, its city and summary, then its facts. */
export function PlatformCard({
  item,
  children,
}: {
  item: { url: string; title: string; city: string; summary: string }
  children: ReactNode
}) {
  return (
    <li className="card">
      <h3 className="card__title">
        <Link to={item.url}>{item.title}</Link>
      </h3>
      <p className="card__meta">{item.city}</p>
      {item.summary ? <p>{item.summary}</p> : null}
      {children}
    </li>
  )
}
