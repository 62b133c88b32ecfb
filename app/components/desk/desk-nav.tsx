import { Link, NavLink } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import type { CityRole } from '../../../db/schema'

/**
 * The desk's own pages for the signed-in member's role: department staff have no theme
 * management nor published cases; only a desk admin manages the staff and downloads the city's data. Beside the
 * inbox, what waits for the member's side and the early answers overdue, each a link
 * to the inbox filtered to exactly those proposals.
 */
export function DeskNav({
  slug,
  role,
  counts,
}: {
  slug: string
  role: CityRole
  counts: { waiting: number; overdue: number }
}) {
  const { t } = useTranslation('dashboard')
  const items = [
    { to: `/${slug}/desk/dashboard`, label: t('nav.dashboard') },
    { to: `/${slug}/desk/know-how`, label: t('nav.knowHow') },
    ...(role === 'department_staff'
      ? []
      : [
          { to: `/${slug}/desk/themes`, label: t('nav.themes') },
          { to: `/${slug}/desk/cases`, label: t('nav.cases') },
        ]),
    ...(role === 'desk_admin'
      ? [
          { to: `/${slug}/desk/staff`, label: t('nav.staff') },
          { to: `/${slug}/desk/data`, label: t('nav.data') },
        ]
      : []),
  ]
  return (
    <nav aria-label={t('nav.label')} className="desk-nav">
      <ul>
        <li className="desk-nav__inbox">
          <NavLink to={`/${slug}/desk`} end>
            {t('nav.inbox')}
          </NavLink>
          <Link
            to={`/${slug}/desk?waitingOnly=on`}
            className={`desk-nav__count${counts.waiting > 0 ? ' desk-nav__count--some' : ''}`}
          >
            {t('nav.waiting', { count: counts.waiting })}
          </Link>
          {counts.overdue > 0 ? (
            <Link to={`/${slug}/desk?overdueOnly=on`} className="desk-nav__count desk-nav__count--alert">
              {t('nav.overdue', { count: counts.overdue })}
            </Link>
          ) : null}
        </li>
        {items.map((item) => (
          <li key={item.to}>
            <NavLink to={item.to}>{item.label}</NavLink>
          </li>
        ))}
      </ul>
    </nav>
  )
}
