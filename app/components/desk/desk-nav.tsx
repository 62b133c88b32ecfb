import { NavLink } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

/** The desk's own pages; department staff have no theme management nor published cases. */
export function DeskNav({ slug, isDesk }: { slug: string; isDesk: boolean }) {
  const { t } = useTranslation('dashboard')
  const items = [
    { to: `/${slug}/desk`, label: t('nav.inbox'), end: true },
    { to: `/${slug}/desk/dashboard`, label: t('nav.dashboard') },
    { to: `/${slug}/desk/know-how`, label: t('nav.knowHow') },
    ...(isDesk
      ? [
          { to: `/${slug}/desk/themes`, label: t('nav.themes') },
          { to: `/${slug}/desk/cases`, label: t('nav.cases') },
        ]
      : []),
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
