import { NavLink } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import type { CityRole } from '../../../db/schema'

/**
 * The desk's own pages for the signed-in member's role: department staff have no theme
 * management nor published cases; only a desk admin manages the staff.
 */
export function DeskNav({ slug, role }: { slug: string; role: CityRole }) {
  const { t } = useTranslation('dashboard')
  const items = [
    { to: `/${slug}/desk`, label: t('nav.inbox'), end: true },
    { to: `/${slug}/desk/dashboard`, label: t('nav.dashboard') },
    { to: `/${slug}/desk/know-how`, label: t('nav.knowHow') },
    ...(role === 'department_staff'
      ? []
      : [
          { to: `/${slug}/desk/themes`, label: t('nav.themes') },
          { to: `/${slug}/desk/cases`, label: t('nav.cases') },
        ]),
    ...(role === 'desk_admin' ? [{ to: `/${slug}/desk/staff`, label: t('nav.staff') }] : []),
  ]
  return (
    <nav aria-label={t('nav.label')} className="desk-nav">
      <ul>
        {items.map((item) => (
          <li key={item.to}>
            <NavLink to={item.to} end={item.end}>
              {item.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  )
}
